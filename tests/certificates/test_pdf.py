"""The certificate PDF, without an app: content, layout limits and the locked-down fetcher.

Text is read back with poppler's pdftotext/pdfinfo/pdffonts (Debian: poppler-utils).
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
from datetime import date

import jinja2
import pytest
import segno
import weasyprint

from lms.certificates import pdf as pdf_module
from lms.certificates.pdf import (
    CERTIFICATE_CSS,
    STATIC_DIR,
    ResourceRefused,
    StaticFileFetcher,
    certificate_html,
    date_id,
    date_range_id,
    html_to_pdf,
    qr_svg,
    render_certificate_pdf,
    score_id,
)

VERIFY_URL = "https://diklat.example.id/verify/7KQ2-M9XD-4TRA"


def sample_data(**overrides) -> dict:
    data = {
        "number": "001/DIKLAT-PPBD/I/2026",
        "holder_name": "Siti Nurhaliza Rahmawati, S.I.Pust.",
        "holder_nip": "19900817 201503 2 004",
        "holder_institution": "Dinas Perpustakaan dan Kearsipan Kabupaten Bantul",
        "program_title": "Diklat Pengelolaan Perpustakaan Berbasis Digital",
        "cohort_name": "Angkatan I Tahun 2026",
        "starts_on": date(2026, 12, 1),
        "ends_on": date(2026, 12, 20),
        "issued_on": date(2026, 12, 21),
        "place": "Jakarta",
        "issuer_name": "Pusat Pendidikan dan Pelatihan Perpustakaan",
        "total_jp": 62,
        "courses": [
            {"title": "Kebijakan Nasional Perpustakaan", "hours_jp": 4, "score": 88.5},
            {"title": "Katalogisasi Deskriptif dan MARC21", "hours_jp": 20, "score": 84.25},
            {"title": "Klasifikasi DDC", "hours_jp": 18, "score": None},
            {"title": "Otomasi Perpustakaan dengan SLiMS", "hours_jp": 20, "score": 91.0},
        ],
        "show_scores": True,
        "signatories": [
            {
                "name": "Dr. Ahmad Fauzi, M.Hum.",
                "title": "Kepala Pusat Pendidikan dan Pelatihan Perpustakaan",
                "id_number": "19700101 199503 1 001",
            }
        ],
        "verify_url": VERIFY_URL,
        "verification_code": "7KQ2-M9XD-4TRA",
        "status_note": None,
    }
    data.update(overrides)
    return data


def _poppler(tool: str, *args: str) -> str:
    executable = shutil.which(tool)
    if executable is None:
        # .ci/run installs it; on a machine without it these checks are skipped, not failed.
        pytest.skip(f"{tool} not found: install poppler-utils (apt-get install poppler-utils)")
    return subprocess.run(  # noqa: S603 - a poppler tool on our own temporary file
        [executable, *args], check=True, capture_output=True, text=True
    ).stdout


def pages_of(pdf: bytes, tmp_path, *, layout: bool = False) -> list[str]:
    """The text of each page, whitespace collapsed so that wrapped lines still match.

    With layout, a table row stays on one line (and side-by-side blocks interleave).
    """
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    args = ["-enc", "UTF-8", *(["-layout"] if layout else []), str(path), "-"]
    # pdftotext ends every page with a form feed.
    pages = _poppler("pdftotext", *args).split("\f")[:-1]
    return [" ".join(page.split()) for page in pages]


def squeezed(text: str) -> str:
    # Letter-spaced titles and URLs broken across lines come out with spaces inside.
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def sample_pdf() -> bytes:
    return render_certificate_pdf(sample_data())


# ---------- formatting helpers ----------


def test_indonesian_dates():
    assert date_id(date(2026, 8, 17)) == "17 Agustus 2026"
    assert date_range_id(date(2026, 12, 1), date(2026, 12, 20)) == "1 s.d. 20 Desember 2026"
    assert (
        date_range_id(date(2026, 11, 24), date(2026, 12, 5))
        == "24 November 2026 s.d. 5 Desember 2026"
    )
    assert (
        date_range_id(date(2026, 12, 29), date(2027, 1, 2))
        == "29 Desember 2026 s.d. 2 Januari 2027"
    )
    assert date_range_id(date(2026, 8, 17), date(2026, 8, 17)) == "17 Agustus 2026"


def test_scores_use_a_decimal_comma():
    assert score_id(85.5) == "85,50"
    assert score_id(100) == "100,00"
    assert score_id(None) == "\u2013"


def test_qr_code_is_bare_svg_without_the_address_in_it():
    svg = str(qr_svg(VERIFY_URL))
    assert svg.startswith("<svg")
    assert "viewBox" in svg
    assert "diklat.example.id" not in svg


def _inked_modules(svg: str) -> list[list[int]]:
    """Which module centres the QR code's dashed path inks, read back from its SVG."""
    path = re.search(r' d="([^"]+)"', svg).group(1)
    pattern = [float(value) for value in re.search(r'dasharray="([^"]+)"', svg).group(1).split()]
    dashes, start = [], 0.0  # the inked stretches of the path, as (from, to) lengths
    for index, length in enumerate(pattern):
        if index % 2 == 0:
            dashes.append((start, start + length))
        start += length
    size = int(re.search(r'viewBox="0 0 (\d+)', svg).group(1))
    inked = [[0] * size for _ in range(size)]
    x = y = travelled = 0.0
    for command, value in re.findall(r"([MHv])([-\d.]+(?: [-\d.]+)?)", path):
        if command == "M":
            x, y = (float(number) for number in value.split())
        elif command == "v":
            travelled += float(value)
            y += float(value)
        else:
            end = float(value)
            for column in range(size):
                centre = column + 0.5
                if min(x, end) < centre < max(x, end):
                    along = travelled + abs(centre - x)
                    inked[int(y)][column] = int(any(a < along < b for a, b in dashes))
            travelled += abs(end - x)
            x = end
    return inked


def test_qr_code_inks_exactly_the_dark_modules():
    svg = str(qr_svg(VERIFY_URL))
    expected = [list(row) for row in segno.make(VERIFY_URL, error="m").matrix]
    assert _inked_modules(svg) == expected


def test_a_qr_reader_reads_the_verification_address_off_the_printed_page(sample_pdf, tmp_path):
    """An independent reader (ZBar, as in phone apps) decodes the code from page 1 drawn at
    a modest resolution by poppler: the code is drawn right, not only well-formed."""
    zbarimg = shutil.which("zbarimg")
    if zbarimg is None:
        pytest.skip("zbarimg not found: scripts/system-deps test installs zbar-tools")
    (tmp_path / "c.pdf").write_bytes(sample_pdf)
    _poppler("pdftoppm", "-f", "1", "-l", "1", "-r", "100", "-png", str(tmp_path / "c.pdf"),
             str(tmp_path / "page"))
    [image] = tmp_path.glob("page*.png")
    read = subprocess.run(  # noqa: S603 - zbarimg on our own temporary file
        [zbarimg, "--quiet", "--raw", str(image)], capture_output=True, text=True, check=False)
    assert read.stdout.strip() == VERIFY_URL


def test_missing_key_fails_loudly():
    data = sample_data()
    del data["place"]
    with pytest.raises(jinja2.UndefinedError):
        certificate_html(data)


# ---------- the rendered document ----------


def test_two_pages_with_certificate_then_transcript(sample_pdf, tmp_path):
    assert sample_pdf.startswith(b"%PDF-")
    pages = pages_of(sample_pdf, tmp_path)
    assert len(pages) == 2
    certificate, transcript = pages

    assert "SERTIFIKAT" in squeezed(certificate)
    assert "Nomor: 001/DIKLAT-PPBD/I/2026" in certificate
    assert "diberikan kepada Siti Nurhaliza Rahmawati, S.I.Pust." in certificate
    assert "NIP. 19900817 201503 2 004" in certificate
    assert "Dinas Perpustakaan dan Kearsipan Kabupaten Bantul" in certificate
    assert (
        "telah mengikuti Diklat Pengelolaan Perpustakaan Berbasis Digital Angkatan I Tahun "
        "2026 yang diselenggarakan oleh Pusat Pendidikan dan Pelatihan Perpustakaan pada "
        "tanggal 1 s.d. 20 Desember 2026 dengan jumlah 62 Jam Pelajaran (JP)."
    ) in certificate
    assert "Jakarta, 21 Desember 2026" in certificate
    assert "Kepala Pusat Pendidikan dan Pelatihan Perpustakaan" in certificate
    assert "Dr. Ahmad Fauzi, M.Hum." in certificate
    assert "NIP. 19700101 199503 1 001" in certificate
    assert VERIFY_URL in squeezed(certificate)

    assert "TRANSKRIPMATAPELATIHAN" in squeezed(transcript)
    assert "001/DIKLAT-PPBD/I/2026" in transcript
    assert "7KQ2-M9XD-4TRA" in transcript
    assert VERIFY_URL in squeezed(transcript)
    for course in sample_data()["courses"]:
        assert course["title"] in transcript
    assert "Nilai" in transcript
    assert "88,50" in transcript
    assert "84,25" in transcript
    rows = pages_of(sample_pdf, tmp_path, layout=True)[1]
    assert "1 Kebijakan Nasional Perpustakaan 4 88,50" in rows
    assert "3 Klasifikasi DDC 18 \u2013" in rows
    assert "Jumlah 62" in rows


def test_scores_are_left_out_when_the_program_hides_them(tmp_path):
    pdf = render_certificate_pdf(sample_data(show_scores=False))
    transcript = pages_of(pdf, tmp_path)[1]
    assert "Klasifikasi DDC" in transcript
    assert "Nilai" not in transcript
    assert "88,50" not in transcript


def test_long_names_and_three_signatories_still_fit_on_one_page(tmp_path):
    name = "Raden Ajeng Kartika Sekarningrum Wulandari Puspitasari Hadiningrat S.Sos., M.Hum"
    assert len(name) == 80
    signatories = [
        {
            "name": "Prof. Dr. Hj. Sri Wahyuningsih Kusumawardhani, M.Si.",
            "title": f"Deputi Bidang Pengembangan Sumber Daya Perpustakaan {n}",
            "id_number": f"19680202 199403 2 00{n}",
        }
        for n in (1, 2, 3)
    ]
    data = sample_data(
        holder_name=name,
        holder_institution=(
            "Dinas Perpustakaan dan Kearsipan Daerah Provinsi Daerah Istimewa Yogyakarta"
        ),
        program_title=(
            "Pendidikan dan Pelatihan Fungsional Pustakawan Tingkat Ahli bagi Aparatur "
            "Sipil Negara di Lingkungan Pemerintah Daerah"
        ),
        starts_on=date(2026, 11, 24),
        signatories=signatories,
        status_note="Dicabut pada 5 Januari 2027",
    )
    pages = pages_of(render_certificate_pdf(data), tmp_path)
    assert len(pages) == 2
    certificate = pages[0]
    assert name in certificate
    assert "24 November 2026 s.d. 20 Desember 2026" in certificate
    assert "DICABUT PADA 5 JANUARI 2027" in certificate
    for signatory in signatories:
        assert signatory["title"] in certificate
        assert f"NIP. {signatory['id_number']}" in certificate
    assert VERIFY_URL in squeezed(certificate)


def test_metadata_and_pdfa_identification(sample_pdf, tmp_path):
    path = tmp_path / "out.pdf"
    path.write_bytes(sample_pdf)
    info = _poppler("pdfinfo", str(path))
    assert re.search(r"^Title:\s+Sertifikat 001/DIKLAT-PPBD/I/2026 \u2013 Siti ", info, re.M)
    assert re.search(r"^Author:\s+Pusat Pendidikan dan Pelatihan Perpustakaan$", info, re.M)
    assert re.search(r"^CreationDate:\s+.*2026", info, re.M)
    xmp = _poppler("pdfinfo", "-meta", str(path))
    assert 'pdfaid:part="3"' in xmp
    assert 'pdfaid:conformance="B"' in xmp


def test_only_the_bundled_fonts_are_embedded(sample_pdf, tmp_path):
    path = tmp_path / "out.pdf"
    path.write_bytes(sample_pdf)
    rows = _poppler("pdffonts", str(path)).splitlines()[2:]
    assert rows
    for row in rows:
        assert "+Certificate-" in row.split()[0]
        assert " yes yes yes " in row


def test_same_data_gives_the_same_bytes(sample_pdf):
    assert render_certificate_pdf(sample_data()) == sample_pdf


def test_user_agent_stylesheet_without_note_rules_changes_nothing(sample_pdf, monkeypatch):
    # Renders leave WeasyPrint's footnote and note rules out (a certificate has neither;
    # they were half of the style step): the same bytes as with its whole stylesheet.
    assert pdf_module._user_agent_stylesheet() is not None
    monkeypatch.setattr(
        pdf_module._DocumentHTML, "_ua_stylesheets", weasyprint.HTML._ua_stylesheets
    )
    assert render_certificate_pdf(sample_data()) == sample_pdf


def test_objects_serialized_once_changes_nothing(sample_pdf, monkeypatch):
    # Each PDF object's bytes are kept the first time pydyf asks for them (it asks twice:
    # once for the file identifier's hash, once to write): the same bytes as without.
    calls = []
    monkeypatch.setattr(pdf_module, "_serialize_once", lambda *args: calls.append(args))
    assert render_certificate_pdf(sample_data()) == sample_pdf
    assert calls


@pytest.mark.parametrize("overrides", [
    {},
    {"signatories": [
        {"name": f"Dr. Penandatangan {n}, M.Si.", "title": "Kepala Bidang Penyelenggaraan",
         "id_number": f"19700101 199503 1 00{n}"} for n in range(3)
    ], "holder_nip": None, "show_scores": False},
])
def test_whitespace_between_block_tags_left_out_changes_nothing(overrides, monkeypatch):
    # The default template's indentation between block-level tags is left out before
    # parsing: the same PDF, byte for byte, as from the template's HTML as written.
    data = sample_data(**overrides)
    squeezed_pdf = render_certificate_pdf(data)
    monkeypatch.setattr(pdf_module, "_BETWEEN_BLOCKS", re.compile(r"(?!)"))
    assert render_certificate_pdf(data) == squeezed_pdf


def test_whitespace_left_out_only_between_tags():
    html = certificate_html(sample_data())
    squeezed = pdf_module._BETWEEN_BLOCKS.sub(">", html)
    assert len(squeezed) < len(html) * 0.95
    # Only whitespace went, and every piece of text kept its spaces.
    assert "".join(squeezed.split()) == "".join(html.split())
    assert "telah mengikuti <strong>" in squeezed
    assert re.search(r"</strong> Angkatan I Tahun 2026\s+yang diselenggarakan", squeezed)


def test_a_single_signatory_is_printed_as_lines_and_several_as_a_table():
    one = certificate_html(sample_data())
    assert '<div class="signatories signatories--1 signatory-lines">' in one
    assert "<table class=\"signatories" not in one
    assert '<p class="signatory-name"><span>Dr. Ahmad Fauzi, M.Hum.</span></p>' in one
    two = certificate_html(sample_data(signatories=[
        {"name": "A", "title": "Kepala", "id_number": None},
        {"name": "B", "title": "Ketua", "id_number": None},
    ]))
    assert '<table class="signatories signatories--2">' in two
    assert "signatory-lines" not in two


def test_a_render_leaves_the_garbage_collector_on_and_no_cyclic_garbage():
    import gc

    render_certificate_pdf(sample_data())
    assert gc.isenabled()
    # The render's reference cycles were collected at its end: a young collection right
    # after finds none of them (a few from elsewhere at most).
    assert gc.collect(0) < 100

    gc.disable()
    try:
        render_certificate_pdf(sample_data())
        assert not gc.isenabled()  # left as the caller had it
    finally:
        gc.enable()


# ---------- nothing leaves the machine ----------


@pytest.fixture
def no_network(monkeypatch):
    """Fails any socket connection; returns the addresses that were attempted."""
    attempts = []

    def refuse(sock, address, *args):
        attempts.append(address)
        raise OSError("network disabled in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    return attempts


def test_markup_in_a_name_is_printed_as_text(no_network, tmp_path):
    hostile = '<img src="http://169.254.169.254/latest/meta-data/"> Budi'
    fetcher = StaticFileFetcher()
    html = certificate_html(sample_data(holder_name=hostile))
    assert '<img src="http://169' not in html
    pdf = html_to_pdf(html, fetcher=fetcher, stylesheets=(CERTIFICATE_CSS,))
    certificate, transcript = pages_of(pdf, tmp_path)
    assert hostile in certificate
    assert hostile in transcript
    assert fetcher.requested
    assert all(url.startswith(STATIC_DIR.as_uri() + "/") for url in fetcher.requested)
    assert fetcher.refused == []
    assert no_network == []


def test_override_template_cannot_reach_the_network(no_network, tmp_path):
    override = tmp_path / "program.html"
    override.write_text(
        '{% extends "certificates/pdf.html" %}\n'
        '{% block head %}<link rel="stylesheet" href="https://127.0.0.1:9/x.css">'
        "{% endblock %}\n"
        "{% block transcript %}"
        '<p>Templat khusus {{ holder_name }}</p><img src="http://127.0.0.1:9/x.png">'
        "{% endblock %}\n",
        encoding="utf-8",
    )
    fetcher = StaticFileFetcher()
    html = certificate_html(sample_data(holder_name="<b>Budi</b>"), template_path=override)
    pdf = html_to_pdf(html, fetcher=fetcher, stylesheets=(CERTIFICATE_CSS,))

    assert sorted(fetcher.refused) == ["http://127.0.0.1:9/x.png", "https://127.0.0.1:9/x.css"]
    assert no_network == []
    pages = pages_of(pdf, tmp_path)
    assert len(pages) == 2
    assert "<b>Budi</b>" in pages[0]
    assert "Templat khusus <b>Budi</b>" in pages[1]
    # The same override through the public entry point.
    assert render_certificate_pdf(sample_data(), template_path=override).startswith(b"%PDF-")


# ---------- the fetcher on its own ----------


@pytest.fixture
def static_root(tmp_path):
    root = tmp_path / "static"
    (root / "css").mkdir(parents=True)
    (root / "css" / "a.css").write_text("p { color: red }", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("SECRET_KEY=x", encoding="utf-8")
    (root / "link.txt").symlink_to(tmp_path / "secret.txt")
    return root


def test_fetcher_serves_files_under_its_root(static_root):
    fetcher = StaticFileFetcher(static_root)
    response = fetcher.fetch((static_root / "css" / "a.css").as_uri())
    assert response.content_type == "text/css"
    assert response.read() == b"p { color: red }"
    assert fetcher.refused == []


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/x.png",
        "https://example.com/font.ttf",
        "ftp://example.com/x.css",
        "data:image/svg+xml;base64,PHN2Zy8+",
        "file:///etc/passwd",
        "file://otherhost{root}/css/a.css",
        "file://{root}/../secret.txt",
        "file://{root}/css/%2e%2e/%2e%2e/secret.txt",
        "file://{root}/link.txt",
        "file://{root}/css",
        "file://{root}/missing.css",
        "file://{root}/css/a.css%00.png",
        "jar:file://{root}/css/a.css!/",
    ],
)
def test_fetcher_refuses_everything_else(static_root, url):
    fetcher = StaticFileFetcher(static_root)
    url = url.format(root=static_root)
    with pytest.raises(ResourceRefused):
        fetcher.fetch(url)
    assert fetcher.refused == [url]
