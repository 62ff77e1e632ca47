"""Templates for the course perancangan-program-promosi (DOCX and ODT).

Run from the project root with the project's Python:

    .venv/bin/python scripts/templates/perancangan-program-promosi.py

It writes into course_content/perancangan-program-promosi/assets/. The function
``write_both`` is also used by the scripts of observasi-lapangan (loaded by path),
so the two courses' documents look alike.

A document is a list of blocks:
    ("title", text)            document title
    ("h1", text), ("h2", text) headings
    ("p", text)                paragraph
    ("i", text)                instruction, in italics
    ("li", text)               bulleted line
    ("table", headers, rows)   table; rows is a number of empty rows or a list of rows
    ("field", label)           "label: ...................." line to fill
"""
from pathlib import Path

from docx import Document
from docx.shared import Pt
from odf.opendocument import OpenDocumentText
from odf.style import ParagraphProperties, Style, TableColumnProperties, TextProperties
from odf.table import Table, TableCell, TableColumn, TableRow
from odf.text import H, List, ListItem, P

ROOT = Path(__file__).resolve().parents[2]
DOTS = "." * 60


def _rows(spec, ncols):
    headers, rows = spec
    if isinstance(rows, int):
        rows = [[""] * ncols for _ in range(rows)]
    return [list(r) + [""] * (ncols - len(r)) for r in rows]


def write_docx(blocks, path):
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(11)
    for block in blocks:
        kind = block[0]
        if kind == "title":
            doc.add_heading(block[1], level=0)
        elif kind == "h1":
            doc.add_heading(block[1], level=1)
        elif kind == "h2":
            doc.add_heading(block[1], level=2)
        elif kind == "p":
            doc.add_paragraph(block[1])
        elif kind == "i":
            doc.add_paragraph().add_run(block[1]).italic = True
        elif kind == "li":
            doc.add_paragraph(block[1], style="List Bullet")
        elif kind == "field":
            doc.add_paragraph(f"{block[1]}: {DOTS}")
        elif kind == "table":
            headers = block[1]
            rows = _rows(block[1:], len(headers))
            table = doc.add_table(rows=1 + len(rows), cols=len(headers))
            table.style = "Table Grid"
            for i, text in enumerate(headers):
                cell = table.rows[0].cells[i]
                cell.text = ""
                cell.paragraphs[0].add_run(text).bold = True
            for r, row in enumerate(rows, start=1):
                for c, text in enumerate(row):
                    table.rows[r].cells[c].text = text
            doc.add_paragraph()
        else:
            raise ValueError(kind)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)


def write_odt(blocks, path):
    doc = OpenDocumentText()
    italic = Style(name="Instruksi", family="paragraph")
    italic.addElement(TextProperties(fontstyle="italic"))
    bold = Style(name="KepalaTabel", family="paragraph")
    bold.addElement(TextProperties(fontweight="bold"))
    title = Style(name="JudulDokumen", family="paragraph")
    title.addElement(TextProperties(fontsize="18pt", fontweight="bold"))
    title.addElement(ParagraphProperties(marginbottom="0.3cm"))
    h1 = Style(name="Heading_20_1", displayname="Heading 1", family="paragraph")
    h1.addElement(TextProperties(fontsize="14pt", fontweight="bold"))
    h1.addElement(ParagraphProperties(margintop="0.4cm", marginbottom="0.2cm"))
    h2 = Style(name="Heading_20_2", displayname="Heading 2", family="paragraph")
    h2.addElement(TextProperties(fontsize="12pt", fontweight="bold"))
    for s in (italic, bold, title, h1, h2):
        doc.styles.addElement(s)
    column = Style(name="Kolom", family="table-column")
    column.addElement(TableColumnProperties(columnwidth="4cm"))
    doc.automaticstyles.addElement(column)
    for n, block in enumerate(blocks):
        kind = block[0]
        if kind == "title":
            doc.text.addElement(P(stylename=title, text=block[1]))
        elif kind == "h1":
            doc.text.addElement(H(outlinelevel=1, stylename=h1, text=block[1]))
        elif kind == "h2":
            doc.text.addElement(H(outlinelevel=2, stylename=h2, text=block[1]))
        elif kind == "p":
            doc.text.addElement(P(text=block[1]))
        elif kind == "i":
            doc.text.addElement(P(stylename=italic, text=block[1]))
        elif kind == "li":
            items = List()
            item = ListItem()
            item.addElement(P(text="• " + block[1]))
            items.addElement(item)
            doc.text.addElement(items)
        elif kind == "field":
            doc.text.addElement(P(text=f"{block[1]}: {DOTS}"))
        elif kind == "table":
            headers = block[1]
            rows = _rows(block[1:], len(headers))
            table = Table(name=f"Tabel{n}")
            table.addElement(TableColumn(numbercolumnsrepeated=len(headers), stylename=column))
            head = TableRow()
            for text in headers:
                cell = TableCell(valuetype="string")
                cell.addElement(P(stylename=bold, text=text))
                head.addElement(cell)
            table.addElement(head)
            for row in rows:
                tr = TableRow()
                for text in row:
                    cell = TableCell(valuetype="string")
                    cell.addElement(P(text=text))
                    tr.addElement(cell)
                table.addElement(tr)
            doc.text.addElement(table)
            doc.text.addElement(P(text=""))
        else:
            raise ValueError(kind)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))


def write_both(blocks, assets, stem):
    write_docx(blocks, assets / f"{stem}.docx")
    write_odt(blocks, assets / f"{stem}.odt")


KERTAS_KERJA = [
    ("title", "Kertas Kerja: Rancangan Program Promosi Perpustakaan Berbasis Digital"),
    ("i", "Templat ini dipakai untuk tugas akhir mata pelatihan Perancangan Program Promosi. "
          "Kertas kerja disusun secara INDIVIDUAL untuk perpustakaan tempat Anda bekerja. "
          "Teks bercetak miring adalah petunjuk: hapus petunjuk setelah bagiannya Anda isi. "
          "Panjang yang disarankan 10-20 halaman, huruf 11-12 poin, spasi 1,15."),
    ("h1", "Halaman Judul"),
    ("field", "Judul program promosi"),
    ("field", "Nama peserta"),
    ("field", "NIP (bila ada)"),
    ("field", "Jabatan"),
    ("field", "Nama perpustakaan dan jenisnya (umum, sekolah, perguruan tinggi, khusus, desa)"),
    ("field", "Angkatan dan tahun"),
    ("h1", "Ringkasan Eksekutif"),
    ("i", "Satu halaman untuk pimpinan: nama program, masalah yang dijawab, tujuan utama, "
          "sasaran, kegiatan inti, masa pelaksanaan, anggaran total, dan ukuran keberhasilan. "
          "Tulis bagian ini paling akhir."),
    ("h1", "BAB I Pendahuluan"),
    ("h2", "A. Latar Belakang"),
    ("i", "Jelaskan kondisi perpustakaan dan masalah promosi yang ingin diatasi, didukung data "
          "(kunjungan, anggota, peminjaman, statistik media sosial). Kaitkan dengan visi dan "
          "misi perpustakaan serta kebijakan yang relevan."),
    ("h2", "B. Rumusan Masalah"),
    ("i", "Tuliskan satu sampai tiga pertanyaan masalah, misalnya: Bagaimana meningkatkan "
          "pemanfaatan layanan X oleh kelompok Y?"),
    ("h2", "C. Tujuan"),
    ("i", "Tuliskan tujuan program yang memenuhi kriteria SMART (spesifik, terukur, dapat "
          "dicapai, relevan, berbatas waktu)."),
    ("table", ["No.", "Tujuan (SMART)", "Jenis (hasil/keluaran)", "Angka dasar", "Target"], 3),
    ("h2", "D. Manfaat"),
    ("i", "Manfaat bagi pemustaka, bagi perpustakaan, dan bagi lembaga induk."),
    ("h1", "BAB II Kajian/Landasan Teori"),
    ("i", "Uraikan konsep yang dipakai dan sebutkan sumbernya: pengertian dan tujuan promosi "
          "perpustakaan (misalnya Sujatna; Mustafa), analisis SWOT, tujuan SMART, model PESO, "
          "kalender konten, evaluasi program. Cantumkan juga dasar hukum yang relevan "
          "(UU No. 43 Tahun 2007, PP No. 24 Tahun 2014, Standar Nasional Perpustakaan, "
          "UU PDP No. 27 Tahun 2022)."),
    ("h1", "BAB III Analisis Situasi"),
    ("h2", "A. Profil Perpustakaan"),
    ("i", "Visi dan misi, struktur organisasi, layanan, koleksi, SDM, sarana, dan kanal "
          "komunikasi yang dimiliki."),
    ("h2", "B. Data Pendukung"),
    ("table", ["Data", "Nilai (periode)", "Sumber data"], [
        ["Kunjungan per bulan", "", ""],
        ["Anggota aktif / anggota baru", "", ""],
        ["Peminjaman per bulan", "", ""],
        ["Pengikut dan interaksi media sosial", "", ""],
        ["Hasil survei kepuasan (IKM) atau masukan pemustaka", "", ""],
        ["Data eksternal (penduduk, sekolah, kebijakan daerah)", "", ""],
    ]),
    ("h2", "C. Analisis SWOT"),
    ("table", ["Kekuatan (internal)", "Kelemahan (internal)"], 1),
    ("table", ["Peluang (eksternal)", "Ancaman (eksternal)"], 1),
    ("h2", "D. Pilihan Strategi (Matriks TOWS)"),
    ("table", ["Strategi", "Rumusan strategi"], [["S-O", ""], ["W-O", ""], ["S-T", ""], ["W-T", ""]]),
    ("h1", "BAB IV Rancangan Program"),
    ("h2", "A. Sasaran"),
    ("table", ["Sasaran", "Utama/perantara", "Persona singkat"], 3),
    ("h2", "B. Pesan"),
    ("table", ["Sasaran", "Pesan utama", "Bukti", "Ajakan bertindak (CTA)"], 3),
    ("h2", "C. Kanal dan Taktik"),
    ("table", ["Kanal", "Jenis PESO", "Taktik", "Sasaran"], 5),
    ("h2", "D. Kalender Kegiatan"),
    ("i", "Bagi menjadi persiapan, pelaksanaan, dan pascakegiatan. Beri tanda pada minggu "
          "pelaksanaan."),
    ("table", ["Kegiatan", "Persiapan", "Bulan 1", "Bulan 2", "Bulan 3", "Pascakegiatan",
               "Penanggung jawab"], 6),
    ("h2", "E. Anggaran"),
    ("i", "Gunakan standar satuan harga yang berlaku di instansi Anda. Tandai pos yang "
          "ditanggung mitra. Sertakan cadangan 5-10%."),
    ("table", ["No.", "Pos anggaran", "Perhitungan", "Jumlah (Rp)", "Sumber dana"], 6),
    ("h2", "F. Sumber Daya Manusia"),
    ("table", ["Peran", "Nama/jabatan", "Tanggung jawab"], 4),
    ("h2", "G. Manajemen Risiko"),
    ("table", ["Risiko", "Kemungkinan (rendah/sedang/tinggi)", "Dampak", "Antisipasi"], 4),
    ("h1", "BAB V Evaluasi dan Penutup"),
    ("h2", "A. Rencana Evaluasi"),
    ("table", ["Tujuan", "Indikator", "Angka dasar", "Target", "Sumber data", "Waktu ukur"], 3),
    ("h2", "B. Penutup"),
    ("i", "Kesimpulan singkat dan langkah pertama yang akan Anda lakukan setelah pelatihan."),
    ("h1", "Daftar Pustaka"),
    ("i", "Gunakan gaya APA edisi ke-7. Dahulukan sumber berbahasa Indonesia bila ada."),
    ("h1", "Lampiran"),
    ("i", "Contoh materi promosi, instrumen survei, surat dukungan mitra, foto (hanya dengan "
          "izin; jangan memuat wajah anak tanpa izin orang tua), dan data pendukung."),
]

SEMINAR = [
    ("title", "Kerangka Presentasi Seminar Kertas Kerja"),
    ("i", "Presentasi paling lama 10 menit, 8-10 salindia. Isi kolom 'Isi salindia Anda' lalu "
          "pindahkan ke aplikasi presentasi yang Anda pakai. Setiap peserta menyajikan kertas "
          "kerjanya sendiri."),
    ("field", "Nama peserta"),
    ("field", "Judul program"),
    ("table", ["No.", "Salindia", "Yang ditampilkan", "Isi salindia Anda"], [
        ["1", "Judul", "Judul program, nama, perpustakaan", ""],
        ["2", "Masalah", "Satu masalah utama dan datanya", ""],
        ["3", "SWOT dan strategi", "Tiga butir terpenting dan strategi terpilih", ""],
        ["4", "Tujuan SMART", "Tujuan hasil dan tujuan keluaran", ""],
        ["5", "Sasaran dan pesan", "Sasaran utama, persona, pesan utama, CTA", ""],
        ["6", "Kanal dan kalender", "Kanal PESO dan jadwal inti", ""],
        ["7", "Anggaran dan SDM", "Total, pos terbesar, mitra, pembagian peran", ""],
        ["8", "Risiko", "Dua risiko utama dan antisipasinya", ""],
        ["9", "Evaluasi", "Indikator, target, sumber data", ""],
        ["10", "Penutup", "Permintaan masukan yang spesifik", ""],
    ]),
    ("h1", "Daftar Periksa Penelaahan Sejawat"),
    ("i", "Diisi oleh pembahas. Beri tanda pada kolom Ya/Belum dan tulis saran yang spesifik."),
    ("field", "Nama pembahas"),
    ("table", ["No.", "Butir yang diperiksa", "Ya/Belum", "Saran"], [
        ["1", "Masalah didukung data perpustakaan sendiri", "", ""],
        ["2", "SWOT memisahkan faktor internal dan eksternal", "", ""],
        ["3", "Setiap tujuan SMART dan memiliki angka dasar", "", ""],
        ["4", "Sasaran spesifik; ada sasaran perantara bila perlu", "", ""],
        ["5", "Pesan dan CTA sesuai sasaran", "", ""],
        ["6", "Kanal dipilih dengan alasan; ada daring dan luring", "", ""],
        ["7", "Kalender realistis, termasuk waktu persetujuan", "", ""],
        ["8", "Anggaran rinci, ada cadangan, sumber dana jelas", "", ""],
        ["9", "Risiko dan antisipasi masuk akal", "", ""],
        ["10", "Setiap tujuan punya indikator evaluasi", "", ""],
        ["11", "Etika: izin foto, pelindungan data pribadi, bahasa inklusif", "", ""],
    ]),
    ("h1", "Catatan Revisi"),
    ("i", "Diisi penyaji setelah seminar: masukan yang diterima dan perubahan yang dilakukan."),
    ("table", ["Masukan", "Dari", "Perubahan pada kertas kerja", "Bab/halaman"], 4),
]


def write_budget_xlsx(path):
    """A workbook for BAB IV: the budget (with formulas) and the activity calendar."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Anggaran"
    sheet["A1"] = "Anggaran Program Promosi (BAB IV bagian E)"
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A2"] = ("Isi kolom kuning. Gunakan standar satuan harga instansi Anda. "
                   "Jumlah, subtotal, cadangan, dan total dihitung otomatis.")
    sheet["A2"].font = Font(italic=True)
    headers = ["No.", "Pos anggaran", "Volume", "Satuan", "Harga satuan (Rp)", "Jumlah (Rp)",
               "Sumber dana (perpustakaan/mitra)"]
    for col, text in enumerate(headers, start=1):
        cell = sheet.cell(row=4, column=col, value=text)
        cell.font = Font(bold=True)
    first, last = 5, 16
    for row in range(first, last + 1):
        sheet.cell(row=row, column=1, value=row - first + 1)
        sheet.cell(row=row, column=6, value=f"=C{row}*E{row}")
    sheet.cell(row=last + 1, column=2, value="Subtotal").font = Font(bold=True)
    sheet.cell(row=last + 1, column=6, value=f"=SUM(F{first}:F{last})")
    sheet.cell(row=last + 2, column=2, value="Cadangan (persen, isi 5-10)")
    sheet.cell(row=last + 2, column=5, value=10)
    sheet.cell(row=last + 2, column=6, value=f"=F{last + 1}*E{last + 2}/100")
    sheet.cell(row=last + 3, column=2, value="Total").font = Font(bold=True)
    sheet.cell(row=last + 3, column=6, value=f"=F{last + 1}+F{last + 2}")
    sheet.cell(row=last + 4, column=2, value="Ditanggung mitra")
    sheet.cell(row=last + 4, column=6,
               value=f'=SUMIF(G{first}:G{last},"mitra",F{first}:F{last})')
    sheet.cell(row=last + 5, column=2, value="Dibebankan pada anggaran perpustakaan").font = Font(bold=True)
    sheet.cell(row=last + 5, column=6, value=f"=F{last + 3}-F{last + 4}")
    for col, width in zip("ABCDEFG", (6, 40, 10, 12, 18, 18, 30)):
        sheet.column_dimensions[col].width = width

    cal = book.create_sheet("Kalender")
    cal["A1"] = "Kalender Kegiatan (BAB IV bagian D)"
    cal["A1"].font = Font(bold=True, size=13)
    cal["A2"] = "Beri tanda x pada minggu pelaksanaan. P = persiapan, M = minggu pelaksanaan."
    cal["A2"].font = Font(italic=True)
    heads = (["Kegiatan", "Tahap"] + [f"P{i}" for i in range(1, 5)]
             + [f"M{i}" for i in range(1, 13)] + ["Pascakegiatan", "Penanggung jawab"])
    for col, text in enumerate(heads, start=1):
        cal.cell(row=4, column=col, value=text).font = Font(bold=True)
    cal.column_dimensions["A"].width = 40
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)


def main():
    assets = ROOT / "course_content" / "perancangan-program-promosi" / "assets"
    write_both(KERTAS_KERJA, assets, "templat-kertas-kerja-rancangan-program")
    write_both(SEMINAR, assets, "templat-presentasi-seminar")
    write_budget_xlsx(assets / "templat-anggaran-dan-kalender.xlsx")


if __name__ == "__main__":
    main()
