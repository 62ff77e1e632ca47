"""What real banks contain besides clean GIFT: Moodle's other answer forms, text formats,
and bad files (empty, huge, binary, another encoding, a BOM in the middle)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lms.quizzes.bankfile import read_bank
from lms.quizzes.gift import parse_gift
from lms.quizzes.importer import parse_bytes, quiz_id_from, to_quiz_yaml
from lms.quizzes.loader import load_quiz
from lms.quizzes.qformat import QuestionFormatErrors
from lms.quizzes.textformat import to_markdown
from tests.conftest import write_course


def built(tmp_path, source: str):
    target = tmp_path / "bank.yml"
    target.write_text(to_quiz_yaml(parse_gift(source, "bank.gift"), quiz_id="bank",
                                   title="Bank"), encoding="utf-8")
    quiz, problems = load_quiz(target, "quizzes/bank.yml")
    assert [str(p) for p in problems] == []
    return quiz.questions


def refusal(data: bytes, fmt: str = "gift") -> list[str]:
    with pytest.raises(QuestionFormatErrors) as caught:
        parse_bytes(data, fmt, "bank.gift")
    return [str(error) for error in caught.value]


# --- answer forms Moodle accepts -------------------------------------------------------

def test_tilde_equals_is_a_right_answer():
    (question,) = parse_gift("Ibu kota Indonesia? {~Bandung ~=Jakarta ~Surabaya}")
    assert question["type"] == "single"
    assert [(c["text"], c["fraction"]) for c in question["choices"]] == [
        ("Bandung", 0.0), ("Jakarta", 1.0), ("Surabaya", 0.0)]


def test_an_empty_answer_says_how_to_fix_it():
    with pytest.raises(QuestionFormatErrors) as caught:
        parse_gift("Q {~a ~ ~b =c}", "bank.gift")
    assert str(caught.value) == ("bank.gift:1: an answer after '~' is empty: delete the '~', "
                                 "or write \\~ for the character itself")


def test_a_lone_answer_without_equals_is_a_short_answer():
    (question,) = parse_gift("Ibu kota Indonesia? {Jakarta}")
    assert question["type"] == "short"
    assert [(c["text"], c["fraction"]) for c in question["choices"]] == [("Jakarta", 1.0)]


def test_text_before_the_first_marker_is_a_wrong_choice_or_a_pair():
    (question,) = parse_gift("Q {Bandung ~Surabaya =Jakarta}")
    assert [(c["text"], c["fraction"]) for c in question["choices"]] == [
        ("Bandung", 0.0), ("Surabaya", 0.0), ("Jakarta", 1.0)]
    (question,) = parse_gift("Q {a -> 1 =b -> 2}")
    assert [(p["left"], p["right"]) for p in question["pairs"]] == [("a", "1"), ("b", "2")]


# --- text formats ----------------------------------------------------------------------

def test_plain_text_is_shown_exactly_as_written(tmp_path):
    (question,) = built(tmp_path, "[plain]Hitung 2 * 3 * 4 dan <b>tulis</b> a_b_c\n# bukan judul"
                                  "{=24}")
    assert question.text_html == ("<p>Hitung 2 * 3 * 4 dan &lt;b&gt;tulis&lt;/b&gt; a_b_c<br>\n"
                                  "# bukan judul</p>")


def test_html_is_sanitized_like_every_other_text(tmp_path):
    (question,) = built(tmp_path, '[html]<p onclick="x()">Pilih <b>satu</b></p>'
                                  '<script>alert(1)</script>{'
                                  '=[html]<i>benar</i><img src\\=x onerror\\=alert(1)> ~salah}')
    assert question.text_html == "<div>\n<p>Pilih <b>satu</b></p>alert(1)\n</div>"
    assert question.choices[0].html == '<p><i>benar</i><img src="x"></p>'


def test_markdown_answers_and_feedback(tmp_path):
    (question,) = built(tmp_path, "Q {=[markdown]**tebal**#[markdown]_bagus_ ~[moodle]a*b*c}")
    assert question.choices[0].html == "<p><strong>tebal</strong></p>"
    assert question.choices[0].feedback_html == "<p><em>bagus</em></p>"
    assert question.choices[1].html == "<p>a*b*c</p>"


@pytest.mark.parametrize(("text", "fmt", "markdown"), [
    ("Grant is _____ in a_b", "moodle", "Grant is _____ in a\\_b"),
    ("satu\ndua", "moodle", "satu<br>\ndua"),
    ("- bukan daftar", "plain", "\\- bukan daftar"),
    ("**x**", "markdown", "**x**"),
    ("<b>x</b> *y*", "html", "<b>x</b> \\*y\\*"),
])
def test_to_markdown(text, fmt, markdown):
    assert to_markdown(text, fmt) == markdown


def test_tags_from_comments_and_category_select_a_pool(tmp_path):
    source = ("$CATEGORY: $course$/Katalog\n\n// [tag:bab 1] [id:Soal_1]\nQ1 {T}\n\n"
              "// [tag:bab 1]\nQ2 {F}\n\nQ3 {T}\n")
    questions = built(tmp_path, source)
    assert [(q.id, q.tags) for q in questions] == [
        ("soal-1", ("bab 1", "katalog")), ("bank-02", ("bab 1", "katalog")),
        ("bank-03", ("katalog",))]
    yaml_text = to_quiz_yaml(parse_gift(source), quiz_id="bank", title="Bank")
    target = tmp_path / "pool.yml"
    pooled = yaml_text.replace("\nquestions:", "\ndraw: {count: 2, tag: bab 1}\nquestions:")
    target.write_text(pooled, encoding="utf-8")
    quiz, problems = load_quiz(target, "quizzes/pool.yml")
    assert problems == []
    assert quiz.draw_pools == [{"count": 2, "tag": "bab 1"}]


def test_a_repeated_id_falls_back_to_a_numbered_one(tmp_path):
    questions = built(tmp_path, "// [id:x]\nQ1 {T}\n\n// [id:x]\nQ2 {T}\n")
    assert [q.id for q in questions] == ["x", "bank-02"]


@pytest.mark.parametrize(("parts", "quiz_id"), [
    (("contoh", "bank_1"), "contoh-bank-1"),
    (("Bank Soal 2024.gift",), "bank-soal-2024"),
    (("___",), "soal"),
    (("a" * 200,), "a" * 60),
])
def test_quiz_id_from_file_names_is_valid(parts, quiz_id):
    assert quiz_id_from(*parts) == quiz_id


# --- bad files -------------------------------------------------------------------------

def test_empty_and_comment_only_files():
    assert refusal(b"") == ["bank.gift:1: the file is empty"]
    assert refusal(b"\xef\xbb\xbf \n\n") == ["bank.gift:1: the file is empty"]
    assert refusal(b"// only a comment\n$CATEGORY: a/b\n") == [
        "bank.gift:1: the file holds no question (only comments or categories)"]


def test_a_file_over_the_limit_is_refused_before_parsing():
    data = b"Q {T}\n\n" * (5 * 1024 * 1024 // 7)
    assert refusal(data) == ["bank.gift:1: the file is larger than 2 MB, the most a question "
                             "bank may be: split it into several files"]


def test_a_binary_file_renamed_gift():
    data = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
    [message] = refusal(data)
    assert message.startswith("bank.gift:1: this is not a text file (a NUL byte on line 3)")


def test_another_encoding_is_named():
    [message] = refusal("Soal\n\nKatalog {=Buku ~Majalah ~Koran}\n\nCafé {T}".encode("cp1252"))
    assert message.startswith("bank.gift:1: the file is not UTF-8 (first at line 5, byte 0xE9); "
                              "it looks like Windows-1252 (ANSI): save it as UTF-8")


def test_utf16_with_bom_is_read():
    data = "Perpustakaan {T}\n".encode("utf-16")
    assert [q["text"] for q in parse_bytes(data, "gift", "bank.gift")] == ["Perpustakaan"]


def test_a_bom_in_the_middle_names_its_line():
    data = "Q1 {T}\n\n\ufeffQ2 {F}\n".encode()
    assert refusal(data) == ["bank.gift:3: a byte-order mark (U+FEFF) in the middle of the "
                             "file, probably where two files were joined: delete that character"]
    assert read_bank("\ufeffQ1 {T}".encode(), "bank.gift") == "Q1 {T}"


def test_cli_refuses_bad_files_without_traceback_and_writes_nothing(runner, content_dir,
                                                                    tmp_path):
    write_course(content_dir, "contoh", 1)
    for name, data in [("empty.gift", b""), ("image.gift", b"\x00\x01\x02PNG"),
                       ("ansi.gift", "Café {T}".encode("cp1252")),
                       ("big.gift", b"Q {T}\n\n" * 400_000)]:
        source = tmp_path / name
        source.write_bytes(data)
        result = runner.invoke(args=["quizzes", "import", str(source), "--format", "gift",
                                     "--course", "contoh", "--out", "quizzes/bank.yml"])
        assert result.exit_code == 1, name
        assert f"{source}:1: " in result.output
        assert "Traceback" not in result.output
        assert "nothing was written" in result.output
    assert not (content_dir / "contoh" / "quizzes" / "bank.yml").exists()


def test_cli_out_name_with_underscore_gives_a_valid_quiz_id(runner, content_dir, tmp_path):
    write_course(content_dir, "contoh", 1)
    source = tmp_path / "bank.gift"
    source.write_text("// [tag:dasar]\nKatalog {=Buku ~Majalah}\n", encoding="utf-8")
    result = runner.invoke(args=["quizzes", "import", str(source), "--format", "gift",
                                 "--course", "contoh", "--out", "quizzes/bank_1.yml"])
    assert result.exit_code == 0, result.output
    quiz, problems = load_quiz(content_dir / "contoh" / "quizzes" / "bank_1.yml", "bank_1.yml")
    assert problems == []
    assert quiz.id == "contoh-bank-1"
    assert quiz.questions[0].tags == ("dasar",)


def test_a_runaway_answer_block_is_refused_quickly():
    with pytest.raises(QuestionFormatErrors) as caught:
        parse_gift("Q {" + "~a " * 300_000 + "=b}", "bank.gift")
    assert str(caught.value) == ("bank.gift:1: 300001 answers in one question, more than 200: "
                                 "is a '}' missing, or should this be several questions?")


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400), st.sampled_from(["gift", "aiken"]))
def test_any_bytes_parse_or_are_refused_with_lines(data, fmt):
    try:
        parse_bytes(data, fmt, "bank.gift")
        errors = ()
    except QuestionFormatErrors as caught:
        errors = caught.errors
        assert errors, "refused without a reason"  # noqa: PT017 - property over any input
    for error in errors:
        assert error.line >= 1
        assert str(error).startswith(f"bank.gift:{error.line}: ")
