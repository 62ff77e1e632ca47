"""Every download a course ships opens in the libraries office suites agree with.

Templates (DOCX, XLSX, ODT) are what participants fill in for their assessed products: a file
that Word, LibreOffice or a spreadsheet cannot open is a product nobody can hand in. Each is
opened with python-docx, openpyxl or odfpy (not with our own ZIP check) and must hold text.
"""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOWNLOADS = sorted(p for base in (ROOT / "course_content", ROOT / "docs" / "example-course")
                   for p in base.glob("*/assets/*")
                   if p.suffix in (".docx", ".xlsx", ".odt", ".pdf", ".pptx"))


def _text_of(path: Path) -> str:
    if path.suffix == ".docx":
        import docx

        document = docx.Document(str(path))
        cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
        return "\n".join([p.text for p in document.paragraphs] + cells)
    if path.suffix == ".xlsx":
        import openpyxl

        book = openpyxl.load_workbook(path, read_only=True)
        try:
            return "\n".join(str(v) for sheet in book.worksheets
                             for row in sheet.iter_rows(values_only=True) for v in row
                             if v is not None)
        finally:
            book.close()
    if path.suffix == ".odt":
        from odf import teletype
        from odf.opendocument import load
        from odf.text import H, P

        document = load(str(path))
        return "\n".join(teletype.extractText(e) for kind in (H, P)
                         for e in document.getElementsByType(kind))
    if path.suffix == ".pdf":
        import shutil
        import subprocess

        return subprocess.run(  # noqa: S603 - poppler's pdftotext on a file we ship
            [shutil.which("pdftotext") or "pdftotext", str(path), "-"], capture_output=True,
            text=True, check=True).stdout
    pytest.skip(f"no reader for {path.suffix}")


@pytest.mark.parametrize("path", DOWNLOADS, ids=[str(p.relative_to(ROOT)) for p in DOWNLOADS])
def test_every_download_opens_and_has_text(path):
    text = _text_of(path)
    assert len(text.split()) >= 10, f"{path.name} opens but holds almost no text: {text[:200]!r}"


def test_the_courses_ship_templates_in_each_format():
    kinds = {p.suffix for p in DOWNLOADS if "course_content" in p.parts}
    assert {".docx", ".odt", ".xlsx"} <= kinds, kinds


def test_every_download_is_linked_from_a_module_or_an_assignment():
    for path in DOWNLOADS:
        course = path.parent.parent
        texts = [f.read_text(encoding="utf-8") for sub in ("modules", "assignments")
                 for f in (course / sub).glob("*.md")]
        assert any(f"../assets/{path.name}" in t for t in texts), \
            f"{path.relative_to(ROOT)} is not linked from any module or assignment"
