"""The certificate PDF is tagged and reads as words: structure tree, language, the
transcript as a table, the QR code with alternative text, headings that extract whole.

Read back with poppler's pdftotext/pdfinfo and pyHanko's PDF reader, without an app.
"""

from __future__ import annotations

import io

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader

from lms.certificates.pdf import render_certificate_pdf
from tests.certificates.test_pdf import _poppler, sample_data


@pytest.fixture(scope="module")
def tagged_pdf() -> bytes:
    return render_certificate_pdf(sample_data())


def _elements(node, found: list) -> list:
    """Every structure element under `node`, depth first (the reading order)."""
    if isinstance(node, generic.IndirectObject):
        node = node.get_object()
    if isinstance(node, generic.ArrayObject):
        for child in node:
            _elements(child, found)
    elif isinstance(node, generic.DictionaryObject) and "/S" in node:
        found.append(node)
        if "/K" in node:
            _elements(node["/K"], found)
    return found


def test_headings_and_text_extract_as_words(tagged_pdf, tmp_path):
    path = tmp_path / "out.pdf"
    path.write_bytes(tagged_pdf)
    text = _poppler("pdftotext", "-enc", "UTF-8", str(path), "-")
    certificate, transcript = text.split("\f")[:2]
    assert "SERTIFIKAT" in certificate.split()
    assert "TRANSKRIP MATA PELATIHAN" in transcript
    assert "PUSAT PENDIDIKAN DAN PELATIHAN PERPUSTAKAAN" in certificate
    assert "S E" not in text


def test_structure_tree_language_table_and_figure(tagged_pdf, tmp_path):
    path = tmp_path / "out.pdf"
    path.write_bytes(tagged_pdf)
    assert "Tagged:          yes" in _poppler("pdfinfo", str(path))

    root = PdfFileReader(io.BytesIO(tagged_pdf)).root
    assert root["/Lang"] == "id"
    assert root["/MarkInfo"]["/Marked"]
    elements = _elements(root["/StructTreeRoot"]["/K"], [])
    kinds = [str(element["/S"]) for element in elements]
    assert kinds.count("/H1") == 1
    assert kinds.count("/H2") == 1
    assert kinds.index("/H1") < kinds.index("/H2")  # the certificate, then the transcript
    assert "/Table" in kinds
    assert "/TH" in kinds and "/TD" in kinds  # noqa: PT018 - one table, two kinds of cell

    figures = [element for element in elements if element["/S"] == "/Figure"]
    alts = [str(figure.get("/Alt", "")) for figure in figures]
    assert "Kode QR menuju halaman pemeriksaan keaslian sertifikat ini" in alts
    assert all(alts), "every figure, the logo too, has alternative text"


def test_renders_at_once_share_one_font_configuration_safely(tagged_pdf):
    # One FontConfiguration per process (memory stays flat, docs/benchmarks.md); renders
    # from several threads at once still give exactly the same document.
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=3) as pool:
        results = list(pool.map(lambda _: render_certificate_pdf(sample_data()), range(3)))
    assert results == [tagged_pdf] * 3
