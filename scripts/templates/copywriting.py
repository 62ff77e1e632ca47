#!/usr/bin/env python3
"""Writes the copywriting course's template for the product "Naskah Promosi Satu Program"
into course_content/copywriting/assets/ as DOCX (python-docx) and ODT (odfpy).

Run from the repository root: .venv/bin/python scripts/templates/copywriting.py
Both files carry the same content: headings, instructions in italics and empty tables to fill.
"""

from pathlib import Path

from docx import Document
from docx.shared import Pt
from odf.opendocument import OpenDocumentText
from odf.style import (ParagraphProperties, Style, TableCellProperties, TableColumnProperties,
                       TextProperties)
from odf.table import Table, TableCell, TableColumn, TableRow
from odf.text import H, P, Span

ROOT = Path(__file__).resolve().parents[2]
ASSETS = ROOT / "course_content" / "copywriting" / "assets"
NAME = "templat-naskah-promosi"

TITLE = "Templat Naskah Promosi Satu Program"
INTRO = ("Isi templat ini untuk satu program atau layanan perpustakaan Anda sendiri. Tugas ini "
         "individual. Hapus teks petunjuk bercetak miring setelah Anda mengisi setiap bagian, lalu "
         "unggah berkas dalam format DOCX, ODT, atau PDF.")

# Each section: (heading, instruction in italics, rows of a two-column table or None,
#                rows of a checklist or None)
SECTIONS = [
    ("Identitas", "Tuliskan nama Anda dan perpustakaan tempat Anda bekerja.",
     ["Nama peserta", "Perpustakaan dan jenisnya (umum, sekolah, perguruan tinggi, khusus, desa)",
      "Program atau layanan yang dipromosikan", "Tanggal pelaksanaan atau masa berlaku"], None),
    ("A. Ringkasan penulisan",
     "Rumuskan sebelum menulis. Satu pesan utama dan satu ajakan bertindak untuk ketiga kanal.",
     ["Tujuan yang terukur", "Pembaca sasaran (spesifik, bukan \"masyarakat umum\")",
      "Kebutuhan dan hambatan pembaca", "Pesan utama (satu kalimat)", "Bukti (fakta yang benar)",
      "Ajakan bertindak utama", "Nada", "Formula yang dipakai (AIDA, PAS, atau FAB) dan alasannya"],
     None),
    ("B. Naskah poster",
     "Paling banyak 25 kata di luar identitas. Hierarki: judul, informasi inti, ajakan bertindak, "
     "identitas. Ajakan bertindak harus dapat dilakukan dari poster (misalnya kode QR).",
     ["Judul", "Informasi inti (apa, kapan, di mana, untuk siapa)", "Ajakan bertindak",
      "Identitas perpustakaan", "Teks alternatif poster untuk unggahan daring",
      "Nilai 4U judul (Useful, Urgent, Unique, Ultra-specific; 1—4 masing-masing)"], None),
    ("C. Takarir media sosial",
     "Untuk satu platform yang benar-benar dipakai perpustakaan Anda. Isi paling banyak 80 kata. "
     "Tagar tiga sampai lima, ditulis dengan huruf kapital di awal setiap kata.",
     ["Platform", "Kait (baris pertama)", "Isi", "Ajakan bertindak", "Tagar",
      "Teks alternatif gambar yang menyertai"], None),
    ("D. Surel",
     "Untuk penerima yang sudah setuju menerima informasi dari perpustakaan.",
     ["Nama pengirim", "Tiga pilihan subjek", "Praheader", "Salam pembuka", "Isi (paragraf pendek)",
      "Ajakan bertindak (tombol atau tautan)", "Penutup, kontak, dan cara berhenti menerima surel"],
     None),
    ("E. Daftar periksa sebelum terbit",
     "Beri tanda pada setiap butir yang sudah Anda periksa, dan jelaskan bila ada yang belum.",
     None,
     ["Pesan utama dan ajakan bertindak sama di ketiga kanal",
      "Hari, tanggal, jam, tempat, nomor, dan tautan sudah dicek ulang",
      "Ejaan sesuai EYD V dan KBBI; istilah asing bercetak miring",
      "Bahasa inklusif; tidak ada kata yang merendahkan",
      "Tidak ada umpan klik, klaim tanpa bukti, atau urgensi palsu",
      "Foto, ilustrasi, musik, dan huruf boleh dipakai; atribusi sudah ditulis",
      "Izin untuk foto dan nama orang, terutama anak-anak, sudah ada",
      "Cara mengukur hasil sudah disiapkan (kode QR atau tautan yang dapat dilacak)"]),
    ("F. Catatan untuk penilai",
     "Tuliskan dalam tiga sampai lima kalimat: mengapa pilihan kanal, formula, dan ajakan bertindak "
     "Anda cocok untuk pembaca sasaran, dan apa yang akan Anda ukur.", [""], None),
]


def write_docx(path: Path) -> None:
    doc = Document()
    doc.core_properties.title = TITLE
    doc.core_properties.language = "id-ID"
    doc.add_heading(TITLE, level=0)
    doc.add_paragraph().add_run(INTRO).italic = True
    for heading, instruction, rows, checklist in SECTIONS:
        doc.add_heading(heading, level=1)
        doc.add_paragraph().add_run(instruction).italic = True
        if rows is not None:
            table = doc.add_table(rows=len(rows) + 1, cols=2)
            table.style = "Table Grid"
            table.cell(0, 0).text = "Unsur"
            table.cell(0, 1).text = "Isian"
            for index, label in enumerate(rows, start=1):
                table.cell(index, 0).text = label
                table.cell(index, 1).text = ""
        if checklist is not None:
            table = doc.add_table(rows=len(checklist) + 1, cols=3)
            table.style = "Table Grid"
            for col, text in enumerate(("Butir", "Sudah (✓)", "Catatan")):
                table.cell(0, col).text = text
            for index, label in enumerate(checklist, start=1):
                table.cell(index, 0).text = label
    for paragraph in doc.paragraphs:
        for run in paragraph.runs:
            run.font.size = run.font.size or Pt(11)
    doc.save(path)


def write_odt(path: Path) -> None:
    doc = OpenDocumentText()
    italic = Style(name="Petunjuk", family="paragraph")
    italic.addElement(TextProperties(fontstyle="italic"))
    italic.addElement(ParagraphProperties(marginbottom="0.2cm"))
    doc.automaticstyles.addElement(italic)
    h1 = Style(name="Judul 1", family="paragraph")
    h1.addElement(TextProperties(fontsize="14pt", fontweight="bold"))
    h1.addElement(ParagraphProperties(margintop="0.4cm", marginbottom="0.2cm"))
    doc.styles.addElement(h1)
    title = Style(name="Judul Dokumen", family="paragraph")
    title.addElement(TextProperties(fontsize="18pt", fontweight="bold"))
    doc.styles.addElement(title)
    cell = Style(name="Sel", family="table-cell")
    cell.addElement(TableCellProperties(border="0.5pt solid #000000", padding="0.1cm"))
    doc.automaticstyles.addElement(cell)
    wide = Style(name="Kolom", family="table-column")
    wide.addElement(TableColumnProperties(columnwidth="8cm"))
    doc.automaticstyles.addElement(wide)
    bold = Style(name="Tebal", family="text")
    bold.addElement(TextProperties(fontweight="bold"))
    doc.automaticstyles.addElement(bold)

    def table(name: str, header: tuple, labels: list) -> Table:
        t = Table(name=name)
        t.addElement(TableColumn(numbercolumnsrepeated=len(header), stylename=wide))
        row = TableRow()
        for text in header:
            c = TableCell(stylename=cell)
            p = P()
            p.addElement(Span(stylename=bold, text=text))
            c.addElement(p)
            row.addElement(c)
        t.addElement(row)
        for label in labels:
            row = TableRow()
            for col in range(len(header)):
                c = TableCell(stylename=cell)
                c.addElement(P(text=label if col == 0 else ""))
                row.addElement(c)
            t.addElement(row)
        return t

    doc.text.addElement(H(outlinelevel=1, stylename=title, text=TITLE))
    doc.text.addElement(P(stylename=italic, text=INTRO))
    for number, (heading, instruction, rows, checklist) in enumerate(SECTIONS, start=1):
        doc.text.addElement(H(outlinelevel=2, stylename=h1, text=heading))
        doc.text.addElement(P(stylename=italic, text=instruction))
        if rows is not None:
            doc.text.addElement(table(f"Tabel{number}", ("Unsur", "Isian"), rows))
        if checklist is not None:
            doc.text.addElement(table(f"Periksa{number}", ("Butir", "Sudah (✓)", "Catatan"),
                                      checklist))
    doc.save(str(path))


def main() -> None:
    ASSETS.mkdir(parents=True, exist_ok=True)
    write_docx(ASSETS / f"{NAME}.docx")
    write_odt(ASSETS / f"{NAME}.odt")
    print(f"wrote {ASSETS / NAME}.docx and .odt")


if __name__ == "__main__":
    main()
