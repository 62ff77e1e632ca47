"""Write the template of the course media-sosial-promosi into its assets/.

Run from the repository root with the worktree's interpreter:

    .venv/bin/python scripts/templates/media-sosial-promosi.py

It writes templat-kalender-konten.xlsx (openpyxl): a sheet "Kalender" with the columns of a
one-month content calendar, dropdowns (data validation) for kanal and status, and a sheet
"Petunjuk" with the instructions in Indonesian; and the planning guide that goes with it,
panduan-kalender-konten.docx (python-docx) and panduan-kalender-konten.odt (odfpy).
"""

from pathlib import Path

from docx import Document
from odf.opendocument import OpenDocumentText
from odf.style import Style, TextProperties
from odf.table import Table, TableCell, TableColumn, TableRow
from odf.text import H, P, Span
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

ASSETS = Path(__file__).resolve().parents[2] / "course_content" / "media-sosial-promosi" / "assets"
NAME = "templat-kalender-konten.xlsx"

COLUMNS = [
    ("Tanggal", 12),
    ("Kanal", 18),
    ("Pilar konten", 20),
    ("Format", 16),
    ("Judul", 30),
    ("Takarir", 50),
    ("Tagar", 24),
    ("CTA", 26),
    ("PIC", 16),
    ("Status", 14),
    ("Metrik", 30),
]
KANAL = [
    "Instagram", "Facebook", "TikTok", "YouTube", "WhatsApp Saluran", "X", "Situs web", "Lainnya",
]
STATUS = ["Ide", "Draf", "Diperiksa", "Terjadwal", "Tayang", "Ditunda"]
ROWS = 40  # enough for a month of three to five posts a week, with spares

INSTRUCTIONS = [
    ("Petunjuk Pengisian Kalender Konten", True),
    ("Tugas ini dikerjakan secara individu, untuk perpustakaan Anda sendiri.", False),
    ("", False),
    ("1. Isi lembar Kalender untuk satu bulan penuh, satu baris per unggahan.", False),
    ((
        "2. Tanggal: tanggal tayang (format HH/BB/TTTT). Tulis jam tayang di kolom Judul bila "
        "penting."
    ), False),
    ((
        "3. Kanal: pilih dari daftar (dropdown). Satu unggahan di dua kanal ditulis dua baris."
    ), False),
    ((
        "4. Pilar konten: salah satu dari tiga sampai enam pilar yang Anda tetapkan di Petunjuk "
        "ini (baris 20)."
    ), False),
    ((
        "5. Format: misalnya foto tunggal, carousel, video pendek, poster, infografis, siaran "
        "langsung."
    ), False),
    ("6. Judul: judul kerja yang singkat dan jelas.", False),
    ((
        "7. Takarir: draf teks unggahan lengkap dengan kalimat pembuka; informasi penting ditulis"
        " sebagai teks."
    ), False),
    ((
        "8. Tagar: dua sampai lima tagar yang relevan, huruf kapital di awal setiap kata "
        "(#PerpustakaanKota)."
    ), False),
    ("9. CTA: satu ajakan bertindak yang jelas (daftar, datang, pinjam, simpan, jawab).", False),
    ("10. PIC: peran penanggung jawab (pembuat/pemeriksa), bukan data pribadi orang lain.", False),
    ("11. Status: pilih dari daftar: Ide, Draf, Diperiksa, Terjadwal, Tayang, Ditunda.", False),
    ("12. Metrik: metrik yang akan dilihat untuk unggahan ini dan kaitannya dengan tujuan;", False),
    ("    bedakan metrik yang terkait tujuan dari metrik semu (vanity metrics).", False),
    ("", False),
    ("Tujuan bulan ini (spesifik, terukur, berbatas waktu):", True),
    ("", False),
    ("Pilar konten yang dipakai (tiga sampai enam):", True),
    ("", False),
    ("Frekuensi per minggu dan alasan (kapasitas tim):", True),
    ("", False),
    ("Hari penting dan agenda perpustakaan bulan ini:", True),
    ("", False),
    ("Rencana menanggapi komentar dan keluhan (siapa, kapan, eskalasi):", True),
    ("", False),
    ((
        "Periksa sebelum dikumpulkan: setiap pilar muncul; frekuensi realistis; ada ruang untuk "
        "konten spontan;"
    ), False),
    ((
        "setiap baris punya CTA dan metrik; takarir memuat informasi penting; tidak ada pancingan"
        " interaksi."
    ), False),
]


GUIDE = "panduan-kalender-konten"
GUIDE_TITLE = "Panduan Perencanaan Kalender Konten Satu Bulan"
# (heading, italic instruction, table header, rows to fill)
GUIDE_SECTIONS = [
    ("1. Tujuan dan sasaran bulan ini",
     (
         "Tulis satu sampai tiga tujuan yang spesifik, terukur, dan berbatas waktu, masing-masing"
         " dengan sasarannya."
     ),
     ["Tujuan", "Sasaran", "Metrik yang menunjukkan tujuan tercapai"],
     [["", "", ""], ["", "", ""], ["", "", ""]]),
    ("2. Kanal dan kapasitas tim",
     "Sebutkan kanal yang dipakai, alasannya, dan waktu yang benar-benar tersedia setiap minggu.",
     ["Kanal", "Alasan (sasaran, format)", "Jam kerja per minggu", "Admin dan pemeriksa (peran)"],
     [["", "", "", ""], ["", "", "", ""]]),
    ("3. Pilar konten",
     "Tetapkan tiga sampai enam pilar. Setiap pilar harus muncul dalam kalender.",
     ["Pilar", "Tujuan pilar", "Contoh topik bulan ini"],
     [["", "", ""], ["", "", ""], ["", "", ""], ["", "", ""]]),
    ("4. Pola mingguan",
     "Tentukan hari unggah dan pilarnya. Sisakan satu slot cadangan untuk konten spontan.",
     ["Hari", "Kanal", "Pilar", "Format"],
     [["Senin", "", "", ""], ["Rabu", "", "", ""], ["Jumat", "", "", ""],
      ["Cadangan", "", "", ""]]),
    ("5. Hari penting dan agenda perpustakaan",
     (
         "Masukkan hari penting nasional atau internasional dan agenda lembaga bulan ini, dengan "
         "sudut yang terkait layanan."
     ),
     ["Tanggal", "Hari penting atau agenda", "Sudut konten yang terkait layanan"],
     [["", "", ""], ["", "", ""], ["", "", ""]]),
    ("6. Menanggapi warganet dan eskalasi",
     "Tulis jam tanggap, siapa menjawab, dan kapan masalah diteruskan ke pimpinan.",
     ["Situasi", "Penanggap", "Batas waktu tanggapan", "Diteruskan kepada"],
     [["Pertanyaan rutin", "", "", ""], ["Keluhan layanan", "", "", ""],
      ["Krisis (akun diretas, isu viral)", "", "", ""]]),
    ("7. Daftar periksa sebelum dikumpulkan",
     "Centang setelah diperiksa.",
     ["Butir", "Ya", "Belum"],
     [["Kalender mencakup satu bulan penuh", "", ""], ["Frekuensi sesuai kapasitas tim", "", ""],
      ["Setiap baris punya takarir, CTA, PIC, status, dan metrik", "", ""],
      ["Tidak ada pancingan interaksi", "", ""],
      ["Metrik terkait tujuan, bukan hanya metrik semu", "", ""]]),
]
GUIDE_INTRO = (
    "Petunjuk: isi panduan ini sebelum mengisi lembar Kalender pada templat XLSX. Tugas ini "
    "dikerjakan secara individu, untuk perpustakaan Anda sendiri. Panduan ini tidak wajib "
    "dikumpulkan."
)


def write_guide_docx(path: Path) -> None:
    doc = Document()
    doc.add_heading(GUIDE_TITLE, level=1)
    doc.add_paragraph().add_run(GUIDE_INTRO).italic = True
    for heading, instruction, header, rows in GUIDE_SECTIONS:
        doc.add_heading(heading, level=2)
        doc.add_paragraph().add_run(instruction).italic = True
        table = doc.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            cell.text = text
            cell.paragraphs[0].runs[0].bold = True
        for row in rows:
            for cell, text in zip(table.add_row().cells, row, strict=True):
                cell.text = text
    doc.save(path)


def write_guide_odt(path: Path) -> None:
    doc = OpenDocumentText()
    italic = Style(name="Petunjuk", family="text")
    italic.addElement(TextProperties(fontstyle="italic"))
    bold = Style(name="Tebal", family="text")
    bold.addElement(TextProperties(fontweight="bold"))
    h1 = Style(name="Heading 1", family="paragraph")
    h1.addElement(TextProperties(fontsize="16pt", fontweight="bold"))
    h2 = Style(name="Heading 2", family="paragraph")
    h2.addElement(TextProperties(fontsize="13pt", fontweight="bold"))
    doc.automaticstyles.addElement(italic)
    doc.automaticstyles.addElement(bold)
    doc.styles.addElement(h1)
    doc.styles.addElement(h2)
    doc.text.addElement(H(outlinelevel=1, stylename=h1, text=GUIDE_TITLE))
    para = P()
    para.addElement(Span(stylename=italic, text=GUIDE_INTRO))
    doc.text.addElement(para)
    for number, (heading, instruction, header, rows) in enumerate(GUIDE_SECTIONS, start=1):
        doc.text.addElement(H(outlinelevel=2, stylename=h2, text=heading))
        para = P()
        para.addElement(Span(stylename=italic, text=instruction))
        doc.text.addElement(para)
        table = Table(name=f"Tabel{number}")
        table.addElement(TableColumn(numbercolumnsrepeated=len(header)))
        for row_number, row in enumerate([header, *rows]):
            table_row = TableRow()
            for text in row:
                cell = TableCell(valuetype="string")
                cell_para = P()
                if row_number == 0:
                    cell_para.addElement(Span(stylename=bold, text=text))
                else:
                    cell_para.addText(text)
                cell.addElement(cell_para)
                table_row.addElement(cell)
            table.addElement(table_row)
        doc.text.addElement(table)
    doc.save(str(path))


def main() -> None:
    ASSETS.mkdir(parents=True, exist_ok=True)
    wb = Workbook()
    sheet = wb.active
    sheet.title = "Kalender"
    header_fill = PatternFill("solid", fgColor="1F4E79")
    for index, (title, width) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index, value=title)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = header_fill
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        sheet.column_dimensions[cell.column_letter].width = width
    for row in range(2, ROWS + 2):
        sheet.cell(row=row, column=1).number_format = "DD/MM/YYYY"
        for column in range(1, len(COLUMNS) + 1):
            sheet.cell(row=row, column=column).alignment = Alignment(vertical="top", wrap_text=True)
    sheet.freeze_panes = "A2"

    kanal = DataValidation(type="list", formula1='"' + ",".join(KANAL) + '"', allow_blank=True)
    kanal.error = "Pilih kanal dari daftar."
    kanal.errorTitle = "Kanal tidak dikenal"
    kanal.prompt = "Pilih kanal unggahan."
    kanal.promptTitle = "Kanal"
    status = DataValidation(type="list", formula1='"' + ",".join(STATUS) + '"', allow_blank=True)
    status.error = "Pilih status dari daftar."
    status.errorTitle = "Status tidak dikenal"
    status.prompt = "Pilih posisi unggahan dalam alur kerja."
    status.promptTitle = "Status"
    for validation, column in ((kanal, "B"), (status, "J")):
        sheet.add_data_validation(validation)
        validation.add(f"{column}2:{column}{ROWS + 1}")

    guide = wb.create_sheet("Petunjuk")
    guide.column_dimensions["A"].width = 110
    for row, (text, strong) in enumerate(INSTRUCTIONS, start=1):
        cell = guide.cell(row=row, column=1, value=text)
        if strong:
            cell.font = Font(bold=True, size=13 if row == 1 else 11)
        elif text and row > 2:
            cell.font = Font(italic=True)
    wb.save(ASSETS / NAME)
    write_guide_docx(ASSETS / f"{GUIDE}.docx")
    write_guide_odt(ASSETS / f"{GUIDE}.odt")
    print(f"wrote {ASSETS / NAME}, {GUIDE}.docx and {GUIDE}.odt")


if __name__ == "__main__":
    main()
