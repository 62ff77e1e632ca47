"""What makes a certificate render faster changes nothing in it (issue #23).

lms/certificates keeps styles and broken lines between renders, cuts a few WeasyPrint
steps short (weasyprint_speed), chooses the QR mask faster (qr_mask) and parses the
default template with expat: every one is checked here against what it replaces, over
certificates unlike each other, rendered one after another in one process as a cohort
is issued.
"""

from __future__ import annotations

import random
import xml.etree.ElementTree as ElementTree

import pytest
import segno
import tinyhtml5
import weasyprint
from segno import encoder

from lms.certificates import pdf as pdf_module
from lms.certificates import qr_mask, weasyprint_speed
from lms.certificates.pdf import certificate_html, render_certificate_pdf
from tests.certificates.test_pdf import sample_data

SIGNATORIES = [
    {"name": f"Dr. Penandatangan {n}, M.Si.", "title": "Kepala Bidang Penyelenggaraan "
     "Pendidikan dan Pelatihan Tenaga Perpustakaan", "id_number": f"19700101 199503 1 00{n}"}
    for n in range(3)
]

# Unlike each other in what the template prints and in what the kept styles and lines
# are keyed by: optional rows, long text that wraps, one to three signatories, marks,
# characters that need escaping, a name long enough for the smaller size.
VARIANTS = [
    {},
    {"holder_name": "Ni Luh Putu Ayu Kusumawardhani Ratnaningsih Saraswati, S.Hum., M.I.P.",
     "holder_nip": None, "show_scores": False},
    {"holder_institution": None, "status_note": "Sertifikat ini dicabut pada 2 Januari 2027",
     "signatories": SIGNATORIES[:2]},
    {"holder_name": "O'Brien & <Sons> \"Quoted\"", "signatories": SIGNATORIES,
     "program_title": "Pelatihan Branding, Copywriting & Promosi Digital Perpustakaan "
                      "untuk Pustakawan Ahli Pertama dan Ahli Muda"},
    {"status_mark": "DICABUT", "final_grade": {"grade": 87.25, "predikat": "Sangat Baik"},
     "unsigned_note": "Belum ditandatangani secara elektronik."},
    {"courses": [{"title": f"Mata Pelatihan Nomor {n} tentang Layanan Perpustakaan Digital",
                  "hours_jp": n, "score": 70 + n / 4} for n in range(1, 13)],
     "total_jp": 78},
    {"holder_name": "Ахмед Қасым Ülker Şahin"},
]


def variant(index: int) -> dict:
    return sample_data(**VARIANTS[index % len(VARIANTS)])


def _render_all(order: list[int], monkeypatch, *, accelerated: bool) -> list[bytes]:
    monkeypatch.setattr(pdf_module, "ACCELERATED", accelerated)
    parse = pdf_module.default_template_tree
    if not accelerated:
        monkeypatch.setattr(pdf_module, "default_template_tree", lambda html: None)
        monkeypatch.setattr(qr_mask, "best_mask", qr_mask._ORIGINAL)
    try:
        return [render_certificate_pdf(variant(index)) for index in order]
    finally:
        monkeypatch.setattr(pdf_module, "default_template_tree", parse)


def test_the_faster_render_gives_the_same_pdfs_byte_for_byte(monkeypatch):
    # pyproject.toml pins the WeasyPrint these were written against.
    assert weasyprint_speed._SHAPE_OK
    assert pdf_module._DocumentHTML.FROM_TREE_OK
    plain = _render_all(list(range(len(VARIANTS))), monkeypatch, accelerated=False)
    weasyprint_speed.forget()
    # Each certificate rendered after other kinds (what is kept from one is used for the
    # next), twice, in a shuffled order.
    order = list(range(len(VARIANTS))) * 2
    random.Random(23).shuffle(order)  # noqa: S311 - a fixed order, not a secret
    for index, pdf in zip(order, _render_all(order, monkeypatch, accelerated=True),
                          strict=True):
        assert pdf == plain[index], f"variant {index}: {VARIANTS[index]}"
    assert weasyprint_speed.kept_styles() > 50  # the kept styles were really used


def _weasyprint_functions() -> list:
    import importlib

    import pydyf
    from weasyprint.css import AnonymousStyle, ComputedStyle, Style, StyleFor

    modules = {name: importlib.import_module(f"weasyprint.{name}") for name in (
        "layout", "layout.page", "layout.inline", "layout.preferred", "layout.percent",
        "svg", "svg.utils", "svg.defs", "svg.text", "draw", "text.line_break")}
    return [
        vars(ComputedStyle)["__missing__"], vars(AnonymousStyle)["__missing__"],
        vars(Style)["anonymous_style"], vars(StyleFor)["__init__"],
        vars(StyleFor)["set_computed_styles"], pydyf._to_bytes,
        modules["layout"].make_margin_boxes, modules["layout.page"].make_margin_boxes,
        modules["layout.inline"].split_first_line, modules["layout.preferred"].split_first_line,
        modules["layout.percent"].resolve_one_percentage, modules["svg"].size,
        modules["svg.utils"].size, modules["svg.defs"].size, modules["svg.text"].size,
        modules["draw"].draw_text, vars(modules["text.line_break"].Layout)["reactivate"],
    ]


def test_weasyprint_is_left_as_shipped_after_a_render():
    before = _weasyprint_functions()
    render_certificate_pdf(sample_data())
    assert _weasyprint_functions() == before
    # Another document in the process renders as WeasyPrint does, and keeps nothing.
    kept = weasyprint_speed.kept_styles()
    weasyprint.HTML(string="<p class='x'>Other</p>").write_pdf()
    assert weasyprint_speed.kept_styles() == kept


def test_a_failing_render_puts_weasyprint_back(monkeypatch):
    before = _weasyprint_functions()
    monkeypatch.setattr(pdf_module, "_srgb_profile", lambda: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        render_certificate_pdf(sample_data())
    assert _weasyprint_functions() == before


def test_line_breaks_are_kept_by_every_property_weasyprint_reads_for_them(monkeypatch):
    # The kept lines are keyed by the properties listed in weasyprint_speed: during the
    # renders of all the variants, WeasyPrint's line breaking reads no other.
    from weasyprint.css import Style
    from weasyprint.text import line_break

    read: set[str] = set()
    inside = []
    original_getitem = dict.__getitem__

    def getitem(style, key):
        if inside:
            read.add(key)
        return original_getitem(style, key)

    original = line_break.split_first_line

    def recording(*args, **kwargs):
        inside.append(1)
        try:
            return original(*args, **kwargs)
        finally:
            inside.pop()

    monkeypatch.setattr(Style, "__getitem__", getitem, raising=False)
    monkeypatch.setattr(weasyprint_speed, "_ORIGINAL_SPLIT_FIRST_LINE", recording)
    weasyprint_speed.forget()
    for index in range(len(VARIANTS)):
        render_certificate_pdf(variant(index))
    assert read
    assert read <= set(weasyprint_speed._LINE_BREAK_PROPERTIES), (
        read - set(weasyprint_speed._LINE_BREAK_PROPERTIES))


def test_kept_styles_and_lines_stay_bounded(monkeypatch):
    monkeypatch.setattr(weasyprint_speed, "MAX_KEPT_STYLES", 40)
    monkeypatch.setattr(weasyprint_speed, "MAX_KEPT_LINES", 30)
    monkeypatch.setattr(weasyprint_speed, "MAX_KEPT_LAYOUTS", 20)
    weasyprint_speed.forget()
    first = render_certificate_pdf(variant(5))
    for index in range(len(VARIANTS)):
        render_certificate_pdf(variant(index))
    assert len(weasyprint_speed._numbers) <= 40
    assert len(weasyprint_speed._lines) <= 30
    assert 0 < len(weasyprint_speed._active) <= 20
    assert render_certificate_pdf(variant(5)) == first


# ---------- the QR mask ----------


def test_the_qr_mask_is_segnos_choice_for_many_addresses():
    assert qr_mask._SEGNO_OK  # pyproject.toml pins the segno it was written against
    rng = random.Random(18004)  # noqa: S311 - fixed test addresses
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    chosen = set()
    for _ in range(300):
        code = "-".join("".join(rng.choice(alphabet) for _ in range(4)) for _ in range(3))
        url = rng.choice(["https://diklat.example.id/verify/", "http://127.0.0.1:5000/c/",
                          "https://eldika.perpusnas.go.id/sertifikat/periksa/"]) + code
        url += "x" * rng.randrange(0, 80)  # larger symbols too
        error = rng.choice("lmqh")
        ours = qr_mask.segno_make(url, error=error)
        theirs = segno.make(url, error=error)
        assert (ours.mask, ours.version, ours.error) == (theirs.mask, theirs.version, theirs.error)
        assert ours.matrix == theirs.matrix
        chosen.add(ours.mask)
    assert chosen == set(range(8))  # every pattern was the best one somewhere


def test_segno_is_left_as_shipped():
    qr_mask.segno_make("https://diklat.example.id/verify/7KQ2-M9XD-4TRA", error="m")
    assert encoder.find_and_apply_best_mask is qr_mask._ORIGINAL
    # A Micro QR code and a mask asked for are left to segno.
    assert qr_mask.segno_make("12345", error="m").version == segno.make("12345", error="m").version


# ---------- the template parsed by expat ----------


def _same_tree(a, b, path="") -> None:
    where = f"{path}/{a.tag}"
    assert (a.tag, dict(a.attrib), a.text or None, a.tail or None) == (
        b.tag, dict(b.attrib), b.text or None, b.tail or None), where
    assert len(a) == len(b), where
    for x, y in zip(a, b, strict=True):
        _same_tree(x, y, where)


@pytest.mark.parametrize("index", range(len(VARIANTS)))
def test_expat_reads_the_template_as_the_html5_parser_does(index):
    html = pdf_module._BETWEEN_BLOCKS.sub(">", certificate_html(variant(index)))
    ours = pdf_module.default_template_tree(html)
    assert ours is not None
    _same_tree(ours, tinyhtml5.parse(html, namespace_html_elements=False))


@pytest.mark.parametrize("name", [
    "Tab\there", "Line\nbreak", "Carriage\rreturn", "Bell\x07", "Form\x0cfeed", "C1\x85",
])
def test_what_xml_could_read_otherwise_is_left_to_the_html5_parser(name):
    html = pdf_module._BETWEEN_BLOCKS.sub(">", certificate_html(sample_data(issuer_name=name)))
    assert pdf_module.default_template_tree(html) is None
    # ...and the certificate still renders, from the HTML5 parser's tree.
    assert render_certificate_pdf(sample_data(issuer_name=name)).startswith(b"%PDF-")


def test_expat_is_given_no_declarations_comments_or_instructions():
    html = certificate_html(sample_data())
    for extra in ('<!DOCTYPE x [<!ENTITY a "aaaa">]>', "<!-- a note -->", "<?php x ?>"):
        assert pdf_module.default_template_tree(html.replace("<body>", "<body>" + extra)) is None
    with pytest.raises(ElementTree.ParseError):
        ElementTree.fromstring("<p>&nbsp;</p>")  # noqa: S314 - why &nbsp; is numbered first


def test_pdf_streams_compressed_at_zlibs_default_level_and_pydyf_left_as_shipped():
    import zlib

    import pydyf

    pdf = render_certificate_pdf(sample_data())
    assert pydyf.zlib is zlib
    # Every stream still inflates (poppler reads the pages in test_pdf.py).
    streams = pdf.split(b"stream\n")[1:]
    assert streams
    inflated = 0
    for chunk in streams:
        data = chunk.split(b"\nendstream")[0]
        try:
            zlib.decompress(data)
            inflated += 1
        except zlib.error:
            pass  # an uncompressed stream (XMP metadata)
    assert inflated >= 5


def test_an_ellipsized_line_is_drawn_as_without_the_kept_layouts(monkeypatch):
    # Drawing an ellipsized line changes its Pango layout's text: such a layout is never
    # kept for another line (a program's template may ellipsize what it likes).
    html = (
        '<html lang="id"><head><style>p { width: 30mm; overflow: hidden;'
        ' white-space: nowrap; text-overflow: ellipsis }</style></head><body>'
        + "".join(f"<p>Pelatihan Branding Perpustakaan Digital {n}</p>" for n in range(3))
        + "<p>Pelatihan Branding Perpustakaan Digital 0</p></body></html>"
    )
    accelerated = [pdf_module.html_to_pdf(html) for _ in range(2)]
    monkeypatch.setattr(pdf_module, "ACCELERATED", False)
    plain = pdf_module.html_to_pdf(html)
    assert accelerated == [plain, plain]
