"""Write the templates of the course konten-promosi-digital into its assets/.

Run from the repository root with the worktree's interpreter:

    .venv/bin/python scripts/templates/konten-promosi-digital.py

It writes templat-brief-desain.docx (python-docx) and templat-brief-desain.odt (odfpy):
the design brief and checklist for the assessed product (a poster or a carousel with
alt text and takarir). Both files carry the same Indonesian text.
"""

from pathlib import Path

from docx import Document
from docx.shared import Pt
from odf.opendocument import OpenDocumentText
from odf.style import ParagraphProperties, Style, TableColumnProperties, TextProperties
from odf.table import Table, TableCell, TableColumn, TableRow
from odf.text import H, P, Span

ROOT = Path(__file__).resolve().parents[2]
ASSETS = ROOT / "course_content" / "konten-promosi-digital" / "assets"
NAME = "templat-brief-desain"

INTRO = (
    "Petunjuk: isi templat ini, lalu kumpulkan bersama berkas desain Anda (PNG, JPG, atau PDF) "
    "melalui halaman tugas. Hapus teks miring setelah terisi bila perlu."
)
TITLE = "Templat Brief Desain dan Daftar Periksa: Poster atau Carousel Promosi Perpustakaan"

# Each section: (heading, italic instruction, table header or None, rows to fill).
# A row is a list of cells; an empty string is a cell to fill.
SECTIONS = [
    (
        "A. Identitas",
        "Isi untuk perpustakaan Anda sendiri. Tugas ini dikerjakan secara individu.",
        ["Unsur", "Isian"],
        [
            ["Nama peserta", ""],
            ["Nama dan jenis perpustakaan (umum, sekolah, perguruan tinggi, khusus, desa)", ""],
            ["Kanal tempat produk akan diunggah", ""],
            ["Produk yang dipilih (poster atau carousel) dan rasio bidang gambar", ""],
        ],
    ),
    (
        "B. Brief konten",
        "Tulis singkat dan spesifik. Satu produk menyampaikan satu pesan kunci.",
        ["Unsur brief", "Isian"],
        [
            ["Tujuan (spesifik, terukur, berbatas waktu) dan tahap 5A yang dituju", ""],
            ["Sasaran atau persona (sebutkan sumber datanya)", ""],
            ["Pesan kunci (satu kalimat dari sudut manfaat bagi pemustaka)", ""],
            ["Ajakan bertindak (call to action)", ""],
            ["Pilar konten", ""],
            ["Bahan yang diperlukan (foto, data, izin, atribusi)", ""],
            ["Ukuran keberhasilan yang akan dilihat", ""],
        ],
    ),
    (
        "C. Hierarki visual dan tata letak",
        "Urutkan unsur dari yang paling dulu harus dibaca. Untuk carousel, isi satu baris "
        "per slide (paling banyak sepuluh slide); slide pertama memikat, slide terakhir "
        "memuat ajakan bertindak.",
        ["Urutan atau slide", "Unsur atau judul slide", "Isi teks", "Visual (foto, ikon, grafik)"],
        [[str(number), "", "", ""] for number in range(1, 6)],
    ),
    (
        "D. Warna, huruf, dan kontras",
        "Tulis kode warna heksadesimal, lalu periksa rasio kontras setiap pasangan teks dan latar "
        "dengan pemeriksa kontras. Target: paling sedikit 4,5:1 untuk teks biasa dan 3:1 "
        "untuk teks besar.",
        ["Pasangan teks dan latar", "Kode warna teks", "Kode warna latar", "Rasio kontras",
         "Memenuhi target?"],
        [[name, "", "", "", ""] for name in ("Judul", "Teks isi", "Ajakan bertindak")],
    ),
    (
        "E. Teks alternatif",
        "Tulis satu sampai dua kalimat untuk setiap gambar atau slide: isi dan makna gambar, "
        "termasuk tulisan penting di dalamnya. Jangan diawali dengan 'gambar dari' atau "
        "'foto dari'.",
        ["Gambar atau slide", "Teks alternatif"],
        [["1", ""], ["2", ""], ["3", ""]],
    ),
    (
        "F. Takarir, tagar, dan ajakan bertindak",
        "Tulis takarir lengkap seperti yang akan diunggah. Informasi penting (waktu, tempat, cara "
        "mendaftar) harus ada dalam bentuk teks. Tulis tagar dengan huruf kapital di awal "
        "setiap kata.",
        ["Bagian", "Isian"],
        [["Kalimat pembuka", ""], ["Isi takarir", ""], ["Ajakan bertindak", ""], ["Tagar", ""]],
    ),
    (
        "G. Daftar periksa sebelum dikumpulkan",
        "Centang setiap butir setelah Anda memeriksanya. Minta satu rekan yang bukan pembuat "
        "untuk ikut memeriksa.",
        ["Butir", "Ya", "Belum", "Catatan"],
        [
            ["Pesan kunci tertangkap dalam lima detik", "", "", ""],
            ["Urutan baca sesuai hierarki pada bagian C", "", "", ""],
            ["Kontras, repetisi, perataan, dan kedekatan diterapkan; ada ruang kosong", "", "", ""],
            ["Paling banyak dua keluarga huruf dan palet warna terbatas", "", "", ""],
            ["Kontras teks memenuhi target pada bagian D", "", "", ""],
            ["Informasi tidak disampaikan hanya dengan warna", "", "", ""],
            ["Teks alternatif tersedia untuk setiap gambar atau slide", "", "", ""],
            ["Takarir memuat informasi penting dan ajakan bertindak", "", "", ""],
            ["Tanggal, jam, tempat, dan ejaan nama sudah diperiksa ulang", "", "", ""],
            ["Izin foto orang (terutama anak) dan lisensi huruf, ikon, foto sudah jelas",
             "", "", ""],
        ],
    ),
    (
        "H. Refleksi singkat",
        "Jelaskan dalam tiga sampai lima kalimat keputusan desain terpenting Anda dan alasannya.",
        None,
        [],
    ),
]


def write_docx(path: Path) -> None:
    doc = Document()
    doc.styles["Normal"].font.name = "Calibri"
    doc.styles["Normal"].font.size = Pt(11)
    doc.add_heading(TITLE, level=1)
    intro = doc.add_paragraph()
    intro.add_run(INTRO).italic = True
    for heading, instruction, header, rows in SECTIONS:
        doc.add_heading(heading, level=2)
        doc.add_paragraph().add_run(instruction).italic = True
        if header is None:
            for _ in range(4):
                doc.add_paragraph("")
            continue
        table = doc.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            cell.text = text
            cell.paragraphs[0].runs[0].bold = True
        for row in rows:
            cells = table.add_row().cells
            for cell, text in zip(cells, row, strict=True):
                cell.text = text
    doc.save(path)


def write_odt(path: Path) -> None:
    doc = OpenDocumentText()
    italic = Style(name="Petunjuk", family="text")
    italic.addElement(TextProperties(fontstyle="italic"))
    bold = Style(name="Tebal", family="text")
    bold.addElement(TextProperties(fontweight="bold"))
    h1 = Style(name="Heading 1", family="paragraph")
    h1.addElement(TextProperties(fontsize="16pt", fontweight="bold"))
    h1.addElement(ParagraphProperties(margintop="0.3cm", marginbottom="0.2cm"))
    h2 = Style(name="Heading 2", family="paragraph")
    h2.addElement(TextProperties(fontsize="13pt", fontweight="bold"))
    h2.addElement(ParagraphProperties(margintop="0.3cm", marginbottom="0.1cm"))
    col = Style(name="Kolom", family="table-column")
    col.addElement(TableColumnProperties(columnwidth="4cm"))
    for style in (italic, bold, col):
        doc.automaticstyles.addElement(style)
    for style in (h1, h2):
        doc.styles.addElement(style)

    doc.text.addElement(H(outlinelevel=1, stylename=h1, text=TITLE))
    para = P()
    para.addElement(
        Span(stylename=italic, text=INTRO)
    )
    doc.text.addElement(para)
    for number, (heading, instruction, header, rows) in enumerate(SECTIONS):
        doc.text.addElement(H(outlinelevel=2, stylename=h2, text=heading))
        para = P()
        para.addElement(Span(stylename=italic, text=instruction))
        doc.text.addElement(para)
        if header is None:
            for _ in range(4):
                doc.text.addElement(P(text=""))
            continue
        table = Table(name=f"Tabel{number + 1}")
        table.addElement(TableColumn(numbercolumnsrepeated=len(header), stylename=col))
        head = TableRow()
        for text in header:
            cell = TableCell(valuetype="string")
            cell_para = P()
            cell_para.addElement(Span(stylename=bold, text=text))
            cell.addElement(cell_para)
            head.addElement(cell)
        table.addElement(head)
        for row in rows:
            table_row = TableRow()
            for text in row:
                cell = TableCell(valuetype="string")
                cell.addElement(P(text=text))
                table_row.addElement(cell)
            table.addElement(table_row)
        doc.text.addElement(table)
    doc.save(str(path))


def main() -> None:
    ASSETS.mkdir(parents=True, exist_ok=True)
    write_docx(ASSETS / f"{NAME}.docx")
    write_odt(ASSETS / f"{NAME}.odt")
    print(f"wrote {ASSETS / NAME}.docx and .odt")


if __name__ == "__main__":
    main()
