"""The DOCX and ODT writers of the templates whose content is a list of blocks:
("h1"|"h2"|"p"|"i", text) or ("table", head, rows). One description, two formats: Word users
get DOCX (python-docx), LibreOffice users ODT (odfpy). Used by blog-vlog-promosi.py,
branding-perpustakaan.py and etika-promosi-digital.py (run from the repository's root, so
this folder is on the import path).
"""
from docx import Document
from docx.shared import Pt
from odf.opendocument import OpenDocumentText
from odf.style import ParagraphProperties, Style, TableCellProperties, TextProperties
from odf.table import Table, TableCell, TableColumn, TableRow
from odf.text import H, P, Span


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
