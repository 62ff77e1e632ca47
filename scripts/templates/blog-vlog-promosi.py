"""Templat tugas mata diklat Blog dan Vlog sebagai Alat Promosi Perpustakaan.

Menulis DOCX (python-docx) dan ODT (odfpy) ke course_content/blog-vlog-promosi/assets/.
Jalankan dari akar repositori:  .venv/bin/python scripts/templates/blog-vlog-promosi.py
"""
from pathlib import Path

from docx import Document
from docx.shared import Pt
from odf.opendocument import OpenDocumentText
from odf.style import ParagraphProperties, Style, TableCellProperties, TextProperties
from odf.table import Table, TableCell, TableColumn, TableRow
from odf.text import H, P, Span

ASSETS = Path(__file__).resolve().parents[2] / "course_content" / "blog-vlog-promosi" / "assets"

# Satu spesifikasi, dua format. Blok: ("h1"|"h2"|"p"|"i", teks) atau ("table", kepala, baris).
BLOG = [
    ("h1", "Templat Artikel Blog Perpustakaan"),
    ("i", "Isi templat ini untuk tugas \"Artikel Blog Perpustakaan\". Tugas ini individual: "
          "tulis untuk perpustakaan tempat Anda bekerja. Hapus semua teks miring petunjuk sebelum mengunggah."),
    ("h2", "A. Identitas"),
    ("table", ["Unsur", "Isian"], [
        ["Nama peserta", ""], ["Perpustakaan dan jenisnya (umum, sekolah, perguruan tinggi, khusus, desa)", ""],
        ["Pembaca sasaran", ""], ["Tujuan promosi (satu kalimat)", ""],
        ["Tempat terbit yang direncanakan (blog, rubrik berita situs lembaga)", ""],
    ]),
    ("h2", "B. Rencana SEO"),
    ("i", "Judul halaman sekitar 50-60 karakter; deskripsi meta sekitar 120-160 karakter; slug pendek, huruf kecil, kata dipisah tanda hubung."),
    ("table", ["Unsur", "Isian"], [
        ["Pertanyaan pemustaka yang dijawab artikel", ""], ["Kata kunci utama", ""],
        ["Dua atau tiga kata kunci pendukung", ""], ["Judul halaman", ""], ["Slug", ""],
        ["Deskripsi meta", ""], ["Dua tautan internal (judul halaman tujuan)", ""],
    ]),
    ("h2", "C. Naskah artikel (500-800 kata)"),
    ("i", "Tulis dengan pola piramida terbalik: jawaban terpenting di paragraf pembuka, subjudul setiap tiga sampai lima paragraf, paragraf pendek."),
    ("p", "Judul:"), ("p", "Paragraf pembuka:"), ("p", "Subjudul 1:"), ("p", "Isi:"),
    ("p", "Subjudul 2:"), ("p", "Isi:"), ("p", "Subjudul 3:"), ("p", "Isi:"),
    ("p", "Ajakan bertindak (CTA) dan tautannya:"),
    ("h2", "D. Gambar, sumber, dan teks alternatif"),
    ("i", "Setiap gambar perlu sumber yang sah (milik sendiri, domain publik, berlisensi, atau berizin) dan teks alternatif satu sampai dua kalimat."),
    ("table", ["No.", "Gambar", "Sumber dan lisensi", "Izin orang yang tampak", "Teks alternatif"],
     [[str(n), "", "", "", ""] for n in range(1, 4)]),
    ("h2", "E. Daftar periksa sebelum terbit"),
    ("table", ["Butir", "Sudah (ya/belum)"], [
        ["Fakta (tanggal, jam, nama, judul buku) sudah diperiksa", ""],
        ["Informasi penting tertulis sebagai teks, bukan hanya dalam gambar", ""],
        ["Subjudul bertingkat dan paragraf pendek", ""],
        ["Teks tautan bermakna (bukan \"klik di sini\")", ""],
        ["Kontras dan ukuran huruf nyaman dibaca di ponsel", ""],
        ["Istilah asing dicetak miring; ejaan sesuai EYD V", ""],
        ["Hak cipta dan izin semua gambar tercatat", ""],
    ]),
]

VLOG = [
    ("h1", "Templat Naskah dan Papan Cerita Vlog 60 Detik"),
    ("i", "Isi templat ini untuk tugas \"Naskah dan Papan Cerita Vlog 60 Detik\". Tugas ini individual: "
          "rancang vlog untuk perpustakaan tempat Anda bekerja. Hapus semua teks miring petunjuk sebelum mengunggah."),
    ("h2", "A. Rencana vlog"),
    ("table", ["Unsur", "Isian"], [
        ["Nama peserta", ""], ["Perpustakaan dan jenisnya", ""], ["Judul kerja vlog", ""],
        ["Penonton sasaran", ""], ["Pesan tunggal (satu kalimat)", ""],
        ["Platform dan orientasi layar (9:16 atau 16:9)", ""], ["Ajakan bertindak (CTA)", ""],
    ]),
    ("h2", "B. Naskah narasi"),
    ("i", "Tulis narasi lengkap untuk diucapkan. Sebagai perkiraan, 60 detik memuat sekitar 110-130 kata. Tuliskan jumlah katanya."),
    ("p", "Narasi:"), ("p", "Jumlah kata:"),
    ("h2", "C. Papan cerita (storyboard)"),
    ("i", "Satu baris untuk satu pengambilan gambar. Jumlah durasi semua baris 60 detik. Kolom Visual memuat jenis gambar (lebar, sedang, dekat, pendukung) dan isinya."),
    ("table", ["No.", "Durasi (detik)", "Visual", "Audio/narasi", "Teks di layar"],
     [[str(n), "", "", "", ""] for n in range(1, 9)]),
    ("p", "Jumlah durasi: ... detik"),
    ("h2", "D. Musik, suara, dan aset lain"),
    ("i", "Catat sumber dan lisensi setiap musik, efek suara, ikon, atau cuplikan. Musik populer tanpa izin tidak boleh dipakai."),
    ("table", ["Aset", "Sumber", "Lisensi atau izin", "Bukti (tautan atau tangkapan layar)"],
     [["", "", "", ""] for _ in range(3)]),
    ("h2", "E. Izin dan pelindungan data pribadi"),
    ("table", ["Orang atau kelompok yang tampak", "Bentuk persetujuan", "Catatan (anak, pemustaka, pegawai)"],
     [["", "", ""] for _ in range(3)]),
    ("h2", "F. Rencana takarir dan aksesibilitas"),
    ("table", ["Butir", "Rencana"], [
        ["Jenis takarir (tertutup atau terbuka)", ""],
        ["Keterangan suara penting yang ditulis, misalnya [musik ceria]", ""],
        ["Informasi di layar yang juga diucapkan dalam narasi", ""],
        ["Pemeriksaan ulang takarir otomatis oleh siapa", ""],
        ["Kedipan atau kilatan cahaya dihindari", ""],
    ]),
]


def write_docx(blocks, path):
    doc = Document()
    doc.styles["Normal"].font.name = "Arial"
    doc.styles["Normal"].font.size = Pt(11)
    for block in blocks:
        kind = block[0]
        if kind == "h1":
            doc.add_heading(block[1], level=1)
        elif kind == "h2":
            doc.add_heading(block[1], level=2)
        elif kind == "p":
            doc.add_paragraph(block[1])
        elif kind == "i":
            doc.add_paragraph().add_run(block[1]).italic = True
        elif kind == "table":
            head, rows = block[1], block[2]
            table = doc.add_table(rows=1 + len(rows), cols=len(head))
            table.style = "Table Grid"
            for c, text in enumerate(head):
                cell = table.rows[0].cells[c]
                cell.text = ""
                cell.paragraphs[0].add_run(text).bold = True
            for r, row in enumerate(rows, start=1):
                for c, text in enumerate(row):
                    table.rows[r].cells[c].text = text
            doc.add_paragraph()
    doc.core_properties.title = blocks[0][1]
    doc.core_properties.language = "id-ID"
    doc.save(path)


def write_odt(blocks, path):
    doc = OpenDocumentText()
    italic = Style(name="Petunjuk", family="paragraph")
    italic.addElement(TextProperties(fontstyle="italic"))
    doc.automaticstyles.addElement(italic)
    bold = Style(name="Tebal", family="text")
    bold.addElement(TextProperties(fontweight="bold"))
    doc.automaticstyles.addElement(bold)
    h1 = Style(name="Heading 1", family="paragraph")
    h1.addElement(TextProperties(fontsize="16pt", fontweight="bold"))
    h1.addElement(ParagraphProperties(margintop="0.3cm", marginbottom="0.2cm"))
    doc.styles.addElement(h1)
    h2 = Style(name="Heading 2", family="paragraph")
    h2.addElement(TextProperties(fontsize="13pt", fontweight="bold"))
    h2.addElement(ParagraphProperties(margintop="0.3cm", marginbottom="0.1cm"))
    doc.styles.addElement(h2)
    cellstyle = Style(name="Sel", family="table-cell")
    cellstyle.addElement(TableCellProperties(border="0.5pt solid #000000", padding="0.1cm"))
    doc.automaticstyles.addElement(cellstyle)
    n = 0
    for block in blocks:
        kind = block[0]
        if kind == "h1":
            doc.text.addElement(H(outlinelevel=1, stylename=h1, text=block[1]))
        elif kind == "h2":
            doc.text.addElement(H(outlinelevel=2, stylename=h2, text=block[1]))
        elif kind == "p":
            doc.text.addElement(P(text=block[1]))
        elif kind == "i":
            doc.text.addElement(P(stylename=italic, text=block[1]))
        elif kind == "table":
            n += 1
            head, rows = block[1], block[2]
            table = Table(name=f"Tabel{n}")
            table.addElement(TableColumn(numbercolumnsrepeated=len(head)))
            tr = TableRow()
            for text in head:
                cell = TableCell(stylename=cellstyle, valuetype="string")
                p = P()
                p.addElement(Span(stylename=bold, text=text))
                cell.addElement(p)
                tr.addElement(cell)
            table.addElement(tr)
            for row in rows:
                tr = TableRow()
                for text in row:
                    cell = TableCell(stylename=cellstyle, valuetype="string")
                    cell.addElement(P(text=text))
                    tr.addElement(cell)
                table.addElement(tr)
            doc.text.addElement(table)
            doc.text.addElement(P())
    doc.save(str(path))


def main():
    ASSETS.mkdir(parents=True, exist_ok=True)
    for name, blocks in (("templat-artikel-blog", BLOG), ("templat-naskah-papan-cerita-vlog", VLOG)):
        write_docx(blocks, ASSETS / f"{name}.docx")
        write_odt(blocks, ASSETS / f"{name}.odt")
        print("ditulis:", name + ".docx", name + ".odt")


if __name__ == "__main__":
    main()
