"""Grading without an app: every question type, forged answers, and property tests."""

import json
import math
import re
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lms.quizzes import grading
from lms.quizzes.grading import (
    ESSAY_MAX_CHARS,
    GRADERS,
    SHORT_MAX_CHARS,
    Grade,
    ResponseError,
    grade,
    manual_grade,
    parse_response,
    register,
    score,
)
from lms.quizzes.spec import (
    Choice,
    NumericalAnswer,
    Pair,
    Question,
    ShortAnswer,
)
from lms.quizzes.types import AUTO_GRADED, QUESTION_TYPES

UNANSWERED = Grade(0.0, (), False)
UNGRADED = Grade(None, (), None)


def question(qtype: str, **fields) -> Question:
    return Question(id=fields.pop("id", "br-pre-03"), type=qtype, text_html="<p>?</p>", **fields)


def choices(*fractions: float) -> tuple[Choice, ...]:
    keys = "abcdefghijklmnopqrstuvwxyz"
    return tuple(
        Choice(key=keys[i], html=f"<p>{keys[i]}</p>", fraction=f, feedback_html=f"fb-{keys[i]}")
        for i, f in enumerate(fractions)
    )


def graded(q: Question, raw) -> Grade:
    return grade(q, parse_response(q, raw))


def refused(q: Question, raw) -> ResponseError:
    with pytest.raises(ResponseError) as caught:
        parse_response(q, raw)
    return caught.value


# -- registry -------------------------------------------------------------------------------


def test_every_question_type_has_a_grader():
    assert set(GRADERS) == set(QUESTION_TYPES)


@pytest.mark.parametrize("qtype", QUESTION_TYPES)
def test_no_answer_is_none_and_grades_zero_or_ungraded(qtype):
    q = question(qtype, answer=True if qtype == "truefalse" else None)
    for raw in (None, ""):
        assert parse_response(q, raw) is None
    assert grade(q, None) == (UNANSWERED if qtype in AUTO_GRADED else UNGRADED)


def test_unknown_type_is_a_clear_key_error():
    q = question("poll", id="q-poll")
    for call in (parse_response, grade):
        with pytest.raises(
            KeyError, match=r"no grader for question type 'poll' \(question q-poll\)"
        ):
            call(q, "a")


def test_register_adds_a_type_and_refuses_a_second_grader(monkeypatch):
    monkeypatch.setattr(grading, "GRADERS", dict(GRADERS))

    @register("poll")
    class PollGrader:
        def parse(self, question, raw):
            return str(raw)

        def grade(self, question, response):
            return UNGRADED

    assert isinstance(grading.GRADERS["poll"], PollGrader)
    assert parse_response(question("poll"), "x") == "x"
    with pytest.raises(ValueError, match="'poll' already has a grader"):
        register("poll")(PollGrader)


def test_grade_checks_its_response_again():
    q = question("single", choices=choices(1, 0))
    with pytest.raises(ResponseError, match="choice 'z' does not exist"):
        grade(q, "z")


@pytest.mark.parametrize(
    ("fraction", "correct"), [(1.5, False), (-0.1, False), (1.0, False), (0.5, True), (0.5, None)]
)
def test_grade_refuses_an_inconsistent_value(fraction, correct):
    with pytest.raises(ValueError, match="fraction|correct"):
        Grade(fraction, (), correct)


# -- single ---------------------------------------------------------------------------------


def test_single_right_wrong_and_partial():
    q = question("single", choices=choices(1, 0, 0.5))
    assert graded(q, "a") == Grade(1.0, ("fb-a",), True)
    assert graded(q, "b") == Grade(0.0, ("fb-b",), False)
    assert graded(q, "c") == Grade(0.5, ("fb-c",), False)


def test_single_negative_fraction_is_clamped_to_zero():
    q = question("single", choices=(*choices(1), Choice("b", "<p>b</p>", -0.5, "")))
    result = graded(q, "b")
    assert result == UNANSWERED
    assert math.copysign(1.0, result.fraction) == 1.0  # not -0.0


@pytest.mark.parametrize("raw", ["z", "A", " a", ["a"], ("a",), {"a": "a"}, 1, True, 0.0])
def test_single_refuses_forged_choices(raw):
    error = refused(question("single", choices=choices(1, 0)), raw)
    assert "br-pre-03" in str(error)
    assert error.code == "invalid"


def test_single_unknown_choice_message():
    assert str(refused(question("single", choices=choices(1, 0)), "z")) == (
        "choice 'z' does not exist in question br-pre-03"
    )


# -- multiple -------------------------------------------------------------------------------


@pytest.mark.parametrize("n", range(1, 21))
def test_multiple_n_correct_choices_as_the_loader_stores_them_add_up_to_one(n):
    q = question("multiple", choices=choices(*[round(1 / n, 6)] * n, 0))
    keys = [c.key for c in q.choices[:n]]
    assert graded(q, keys).fraction == 1.0
    assert graded(q, keys).correct is True
    if n > 1:
        assert graded(q, keys[1:]).fraction == pytest.approx((n - 1) / n, abs=1e-5)
        assert graded(q, keys[1:]).correct is False


@pytest.mark.parametrize(
    "fractions", [(1 / 3, 1 / 3, 1 / 3), (0.1, 0.2, 0.7), (0.3333333, 0.3333333, 0.3333334)]
)
def test_multiple_float_sums_are_exactly_one(fractions):
    q = question("multiple", choices=choices(*fractions))
    assert graded(q, ["a", "b", "c"]) == Grade(1.0, ("fb-a", "fb-b", "fb-c"), True)


def test_multiple_partial_credit_and_negative_weights():
    q = question("multiple", choices=choices(0.5, 0.5, -0.5, -1))
    assert graded(q, ["a"]).fraction == 0.5
    assert graded(q, ["a", "b"]).fraction == 1.0
    assert graded(q, ["a", "b", "c"]).fraction == 0.5
    assert graded(q, ["a", "c"]).fraction == 0.0
    assert graded(q, ["a", "b", "c", "d"]).fraction == 0.0  # never below 0 for the question
    assert graded(q, ["d"]) == Grade(0.0, ("fb-d",), False)


def test_multiple_two_thirds():
    q = question("multiple", choices=choices(*[round(1 / 3, 6)] * 3))
    assert graded(q, ["a", "c"]) == Grade(0.666666, ("fb-a", "fb-c"), False)


def test_multiple_collapses_duplicates_and_keeps_choice_order():
    q = question("multiple", choices=choices(0.5, 0, 0.5))
    assert parse_response(q, ["c", "a", "c", "a"]) == ("a", "c")
    assert graded(q, ["c", "a", "c"]) == Grade(1.0, ("fb-a", "fb-c"), True)


def test_multiple_empty_list_is_no_answer():
    q = question("multiple", choices=choices(1, 0))
    assert parse_response(q, []) is None
    assert graded(q, []) == UNANSWERED


def test_multiple_skips_empty_feedback():
    q = question("multiple", choices=(Choice("a", "a", 0.5), Choice("b", "b", 0.5, "yes")))
    assert graded(q, ["a", "b"]).feedback_html == ("yes",)


@pytest.mark.parametrize(
    "raw", ["a", "a,b", ["a", "z"], ["a", 1], [["a"]], [None], {"a": True}, 3, True, [""]]
)
def test_multiple_refuses_forged_shapes_and_keys(raw):
    refused(question("multiple", choices=choices(0.5, 0.5)), raw)


# -- true/false -----------------------------------------------------------------------------


def test_truefalse_feedback_belongs_to_the_answer_given():
    fields = {"feedback_true_html": "fb-true", "feedback_false_html": "fb-false"}
    right_is_true = question("truefalse", answer=True, **fields)
    assert graded(right_is_true, "true") == Grade(1.0, ("fb-true",), True)
    assert graded(right_is_true, "false") == Grade(0.0, ("fb-false",), False)
    right_is_false = question("truefalse", answer=False, **fields)
    assert graded(right_is_false, "false") == Grade(1.0, ("fb-false",), True)
    assert graded(right_is_false, "true") == Grade(0.0, ("fb-true",), False)


def test_truefalse_takes_a_stored_bool():
    q = question("truefalse", answer=False)
    assert parse_response(q, False) is False
    assert graded(q, False).correct is True


@pytest.mark.parametrize("raw", ["True", "TRUE", "yes", "benar", "1", " true", ["true"], 1, 0.0])
def test_truefalse_refuses_anything_else(raw):
    refused(question("truefalse", answer=True), raw)


def test_truefalse_without_an_answer_is_a_question_error():
    with pytest.raises(ValueError, match="has no answer"):
        grade(question("truefalse"), "true")


# -- short answer ---------------------------------------------------------------------------


def short(*answers: ShortAnswer | str, case_sensitive: bool = False) -> Question:
    built = tuple(ShortAnswer(a) if isinstance(a, str) else a for a in answers)
    return question("short", short_answers=built, case_sensitive=case_sensitive)


@pytest.mark.parametrize(
    "typed",
    [
        "Dewey Decimal Classification",
        "dewey decimal classification",
        "  DEWEY   decimal\tclassification \n",
        "dewey\u00a0decimal\u2003classification",  # no-break and em spaces
        "ＤＥＷＥＹ decimal classification",  # fullwidth letters, NFKC
    ],
)
def test_short_normalizes_case_and_spacing(typed):
    assert graded(short("Dewey  Decimal Classification"), typed).fraction == 1.0


def test_short_casefolds_beyond_ascii():
    assert graded(short("Straße"), "STRASSE").fraction == 1.0


def test_short_case_sensitive():
    q = short("ISBN", case_sensitive=True)
    assert graded(q, " ISBN ").fraction == 1.0
    assert graded(q, "isbn").fraction == 0.0
    assert graded(q, "Isbn").fraction == 0.0


def test_short_keeps_what_was_typed_stripped():
    assert parse_response(short("x"), "  Katalog  Induk \r\n") == "Katalog  Induk"


@pytest.mark.parametrize(
    ("accepted", "typed", "matches"),
    [
        ("perpus*", "perpustakaan", True),
        ("perpus*", "perpus", True),  # '*' matches nothing too
        ("*taka*", "perpustakaan", True),
        ("*an", "perpustakaan", True),
        ("d*c", "ddc", True),
        ("d*c", "dc", True),
        ("d*c", "ddcx", False),
        ("a*b*a", "aba", True),
        ("a*b*a", "ab", False),
        ("aa*aa", "aaa", False),  # the prefix and suffix may not overlap
        ("*", "anything at all", True),
        (r"5 \* 3", "5 * 3", True),  # '\*' is a literal asterisk
        (r"5 \* 3", "5 x 3", False),
        ("kata kunci", "kata  kunci", True),
        ("a.c", "abc", False),  # no regex semantics
    ],
)
def test_short_wildcards(accepted, typed, matches):
    assert graded(short(accepted), typed).fraction == (1.0 if matches else 0.0)


def test_short_best_fraction_and_its_feedback():
    q = short(
        ShortAnswer("*", 0.0, "Belum tepat."),
        ShortAnswer("OPAC", 1.0, "Tepat."),
        ShortAnswer("katalog*", 0.5, "Hampir."),
        ShortAnswer("OPAC", 1.0, "Second, never shown."),
    )
    assert graded(q, "opac") == Grade(1.0, ("Tepat.",), True)
    assert graded(q, "katalog online") == Grade(0.5, ("Hampir.",), False)
    assert graded(q, "buku induk") == Grade(0.0, ("Belum tepat.",), False)


def test_short_no_match_gives_no_feedback():
    assert graded(short(ShortAnswer("OPAC", 1.0, "Tepat.")), "katalog") == UNANSWERED


def test_short_whitespace_only_is_no_answer():
    assert parse_response(short("x"), " \t\n ") is None


def test_short_length_limit():
    q = short("a*")
    assert graded(q, "a" * SHORT_MAX_CHARS).fraction == 1.0
    assert graded(q, "  " + "a" * SHORT_MAX_CHARS + "  ").fraction == 1.0
    error = refused(q, "a" * (SHORT_MAX_CHARS + 1))
    assert error.code == "too_long"
    assert "501 characters" in str(error)


@pytest.mark.parametrize("raw", [["opac"], {"a": "b"}, 5, True, "op\x00ac", "op\ud800ac"])
def test_short_refuses_non_text(raw):
    refused(short("opac"), raw)


def test_short_many_wildcards_stay_fast():
    q = short("*a*a*a*a*a*a*a*a*a*a*b")
    assert graded(q, "a" * SHORT_MAX_CHARS).fraction == 0.0


@given(
    accepted=st.text(alphabet="ab*", max_size=8),
    typed=st.text(alphabet="ab", min_size=1, max_size=10),
)
def test_short_wildcards_agree_with_a_regex(accepted, typed):
    expected = re.fullmatch(".*".join(map(re.escape, accepted.split("*"))), typed) is not None
    assert (graded(short(accepted), typed).fraction == 1.0) is expected


# -- numerical ------------------------------------------------------------------------------


def numerical(*answers: NumericalAnswer) -> Question:
    return question("numerical", numerical=answers)


def around(value: float, tolerance: float, fraction: float = 1.0, feedback: str = ""):
    """As the loader builds `{value, tolerance}`."""
    return NumericalAnswer(value - tolerance, value + tolerance, fraction, feedback)


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("3.14", 3.14),
        ("3,14", 3.14),
        (" +3,14 ", 3.14),
        ("-2", -2.0),
        ("1e3", 1000.0),
        ("1,5E-3", 0.0015),
        (".5", 0.5),
        (",5", 0.5),
        ("5.", 5.0),
        ("007", 7.0),
        ("1.000", 1.0),  # one decimal separator, never a thousands separator
        (2.5, 2.5),  # a stored response parses again
        (7, 7.0),
    ],
)
def test_numerical_parses(raw, value):
    assert parse_response(numerical(around(0, 0)), raw) == value


@pytest.mark.parametrize(
    "raw",
    [
        "1 000",
        "1.000,5",
        "3,14,15",
        "abc",
        "1e",
        "--1",
        "+-1",
        "0x10",
        "1_000",
        "inf",
        "-Infinity",
        "nan",
        "\u0661\u0662",  # Arabic-Indic digits: float() would take them
        "\uff11",  # fullwidth 1
        "3.14 m",
        "1e400",
        ".",
        "1" * 101,
        math.inf,
        math.nan,
        10**400,
    ],
)
def test_numerical_refuses_what_is_not_a_number(raw):
    error = refused(numerical(around(0, 0)), raw)
    assert error.code == "not_a_number"
    assert "is not a number (question br-pre-03)" in str(error)


@pytest.mark.parametrize("raw", [["3"], {"v": "3"}, True, False, Decimal("3")])
def test_numerical_refuses_other_shapes(raw):
    assert refused(numerical(around(0, 0)), raw).code == "invalid"


def test_numerical_blank_is_no_answer():
    assert parse_response(numerical(around(0, 0)), "   ") is None


def test_numerical_tolerance_edges_are_inclusive():
    q = numerical(around(3.14, 0.01, feedback="Tepat."))
    assert graded(q, "3,13") == Grade(1.0, ("Tepat.",), True)
    assert graded(q, "3.15").fraction == 1.0
    assert graded(q, "3.1500001") == UNANSWERED
    assert graded(q, "3.1299999").fraction == 0.0


def test_numerical_exact_answer_allows_float_error_only():
    q = numerical(around(0.3, 0))
    assert graded(q, 0.1 + 0.2).fraction == 1.0
    assert graded(q, "0.3").fraction == 1.0
    assert graded(q, "0.3000001").fraction == 0.0
    zero = numerical(around(0, 0))
    assert graded(zero, "-0").fraction == 1.0
    assert graded(zero, "1e-300").fraction == 0.0


def test_numerical_ranges_include_both_bounds():
    q = numerical(NumericalAnswer(min=-5, max=-1))
    for typed, fraction in [("-5", 1.0), ("-1", 1.0), ("-3,5", 1.0), ("-0.999", 0.0), ("-6", 0)]:
        assert graded(q, typed).fraction == fraction


def test_numerical_best_of_several_graded_answers():
    q = numerical(
        NumericalAnswer(0, 1000, 0.0, "Jauh."),
        around(100, 10, 0.5, "Dekat."),
        around(100, 0, 1.0, "Tepat."),
        around(100, 1, 1.0, "Also right, listed later."),
    )
    assert graded(q, "100") == Grade(1.0, ("Tepat.",), True)
    assert graded(q, "95") == Grade(0.5, ("Dekat.",), False)
    assert graded(q, "500") == Grade(0.0, ("Jauh.",), False)
    assert graded(q, "-1") == UNANSWERED


@given(st.floats(allow_nan=False, allow_infinity=False), st.sampled_from([".", ","]))
def test_numerical_reads_back_every_float_it_prints(value, separator):
    q = numerical(around(0, 0))
    assert parse_response(q, repr(value).replace(".", separator)) == value


# -- matching -------------------------------------------------------------------------------


def matching(*rights: str, distractors: tuple[str, ...] = ()) -> Question:
    pairs = tuple(Pair(str(i + 1), f"<p>left {i + 1}</p>", r) for i, r in enumerate(rights))
    return question("matching", pairs=pairs, distractors=distractors)


def test_matching_all_right_partial_and_distractors():
    q = matching("Dewey", "UDC", "LCC", distractors=("Colon", "Dewey"))
    assert q.right_options == ("Dewey", "UDC", "LCC", "Colon")
    assert graded(q, {"1": "Dewey", "2": "UDC", "3": "LCC"}) == Grade(1.0, (), True)
    assert graded(q, {"1": "Dewey", "2": "UDC", "3": "Colon"}) == Grade(0.666667, (), False)
    assert graded(q, {"1": "UDC", "2": "Dewey", "3": "LCC"}).fraction == 0.333333
    assert graded(q, {"1": "Colon", "2": "Colon", "3": "Colon"}).fraction == 0.0


def test_matching_missing_and_blank_pairs_are_unanswered():
    q = matching("Dewey", "UDC", "LCC")
    assert parse_response(q, {"3": "LCC", "2": "", "1": "Dewey"}) == {"1": "Dewey", "3": "LCC"}
    assert graded(q, {"1": "Dewey"}).fraction == 0.333333
    assert parse_response(q, {}) is None
    assert parse_response(q, {"1": "", "2": None}) is None
    assert graded(q, {"1": ""}) == UNANSWERED


def test_matching_pairs_may_share_a_right_option():
    q = matching("Ya", "Ya", "Tidak")
    assert graded(q, {"1": "Ya", "2": "Ya", "3": "Tidak"}).fraction == 1.0


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"4": "UDC"}, "pair '4' does not exist in question br-pre-03"),
        ({1: "UDC"}, "pair 1 does not exist"),
        ({"1": "Bliss"}, "option 'Bliss' is not offered in question br-pre-03"),
        ({"1": "dewey"}, "option 'dewey' is not offered"),
        ({"1": ["Dewey"]}, "option ['Dewey'] is not offered"),
        ({"1": "x" * 100}, "option '" + "x" * 36 + "... is not offered"),  # cut short
        (["Dewey", "UDC"], "takes pair keys with options, not list"),
        ("Dewey", "takes pair keys with options, not str"),
    ],
)
def test_matching_refuses_forged_pairs_and_options(raw, message):
    assert message in str(refused(matching("Dewey", "UDC"), raw))


# -- essay, description, manual grading, score ----------------------------------------------


def test_essay_waits_for_an_instructor():
    q = question("essay", points=10)
    assert parse_response(q, "Baris satu\r\nBaris dua\r\n") == "Baris satu\nBaris dua"
    assert graded(q, "Jawaban saya.") == UNGRADED
    assert score(q, graded(q, "Jawaban saya.")) is None


def test_essay_length_limit():
    q = question("essay")
    assert len(parse_response(q, "k" * ESSAY_MAX_CHARS)) == ESSAY_MAX_CHARS
    assert refused(q, "k" * (ESSAY_MAX_CHARS + 1)).code == "too_long"


@pytest.mark.parametrize("raw", [["a"], {"a": 1}, 3, "a\x00b"])
def test_essay_refuses_non_text(raw):
    refused(question("essay"), raw)


@pytest.mark.parametrize("raw", [[], {}, ()])
def test_description_takes_empty_values(raw):
    assert parse_response(question("description"), raw) is None


@pytest.mark.parametrize("raw", ["x", " ", ["a"], {"1": "a"}, 0, False])
def test_description_refuses_any_answer(raw):
    assert "takes no answer" in str(refused(question("description"), raw))


@pytest.mark.parametrize(
    ("points", "fraction"),
    [(0, 0.0), (2.5, 0.25), (10, 1.0), (Decimal("3.3"), 0.33), (1 / 3, 0.033333)],
)
def test_manual_grade(points, fraction):
    assert manual_grade(question("essay", points=10), points) == Grade(fraction, (), fraction == 1)


@pytest.mark.parametrize(
    "points", [-0.5, 10.01, math.nan, math.inf, True, "5", None, Decimal("NaN"), Decimal("sNaN")]
)
def test_manual_grade_refuses_points_out_of_range(points):
    with pytest.raises(ResponseError, match="points"):
        manual_grade(question("essay", points=10), points)


def test_manual_grade_refuses_a_description_and_a_pointless_question():
    with pytest.raises(ResponseError, match="has no score"):
        manual_grade(question("description"), 0)
    with pytest.raises(ResponseError, match="worth no points"):
        manual_grade(question("essay", points=0), 0)


def test_score_rounds_to_four_decimals():
    q = question("multiple", points=3, choices=choices(*[round(1 / 3, 6)] * 3))
    assert score(q, graded(q, ["a"])) == 1.0  # 0.333333 x 3 = 0.999999
    assert score(q, graded(q, ["a", "b", "c"])) == 3.0
    assert score(question("single", points=2.5), Grade(0.5, (), False)) == 1.25
    assert score(q, UNGRADED) is None


# -- properties -----------------------------------------------------------------------------

fractions = st.floats(-1, 1, allow_nan=False)
texts = st.text(alphabet=st.sampled_from("aAbB *\\ \t.,1é"), max_size=12)


@st.composite
def questions(draw) -> Question:
    qtype = draw(st.sampled_from(QUESTION_TYPES))
    fields: dict = {"points": draw(st.floats(0.5, 100))}
    if qtype in ("single", "multiple"):
        fields["choices"] = choices(*draw(st.lists(fractions, min_size=1, max_size=6)))
    elif qtype == "truefalse":
        fields["answer"] = draw(st.booleans())
    elif qtype == "short":
        answers = st.builds(ShortAnswer, texts, st.floats(0, 1), st.text(max_size=3))
        fields["short_answers"] = tuple(draw(st.lists(answers, min_size=1, max_size=4)))
        fields["case_sensitive"] = draw(st.booleans())
    elif qtype == "numerical":
        low = st.floats(-1e9, 1e9)
        entries = st.tuples(low, st.floats(0, 1e6), st.floats(0, 1))
        drawn = draw(st.lists(entries, min_size=1, max_size=4))
        fields["numerical"] = tuple(NumericalAnswer(lo, lo + w, f) for lo, w, f in drawn)
    elif qtype == "ordering":
        fields["choices"] = choices(*[0.0] * draw(st.integers(2, 6)))
    elif qtype == "matching":
        rights = draw(st.lists(texts, min_size=2, max_size=5))
        fields["pairs"] = tuple(Pair(str(i + 1), "", r) for i, r in enumerate(rights))
        fields["distractors"] = tuple(draw(st.lists(texts, max_size=3)))
    return question(qtype, **fields)


def raw_inputs(q: Question) -> st.SearchStrategy:
    keys = st.sampled_from([c.key for c in q.choices] + ["z", ""])
    options = st.sampled_from([*q.right_options, "", "nope"] if q.pairs else ["x"])
    pair_keys = st.sampled_from([p.key for p in q.pairs] + ["9"])
    bounds = [x for a in q.numerical for x in (a.min, a.max)] or [0.0]
    numbers = (st.floats(-1e10, 1e10) | st.sampled_from(bounds)).map(
        lambda x: repr(x).replace(".", ",")
    )
    answered = st.sampled_from(q.right_options or ("x",))
    junk = st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text() | st.binary(),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
        max_leaves=6,
    )
    return st.one_of(
        junk,
        keys,
        st.lists(keys, max_size=8),
        st.sampled_from(["true", "false", "True", "1"]),
        texts,
        numbers,
        st.dictionaries(pair_keys, options, max_size=6),
        st.dictionaries(st.sampled_from([p.key for p in q.pairs] or ["1"]), answered, max_size=5),
        st.dictionaries(keys, st.integers(-1, 7) | st.sampled_from(["1", "2", "", "x"]),
                        max_size=6),
    )


@settings(max_examples=400)
@given(data=st.data(), q=questions())
def test_any_input_parses_or_is_refused_and_grades_within_bounds(data, q):
    raw = data.draw(raw_inputs(q))
    try:
        response = parse_response(q, raw)
    except ResponseError:
        return
    result = grade(q, response)
    assert isinstance(result, Grade)
    assert all(isinstance(html, str) and html for html in result.feedback_html)
    if q.type in AUTO_GRADED:
        assert 0.0 <= result.fraction <= 1.0
        assert 0.0 <= score(q, result) <= q.points + 1e-4
    else:
        assert result == UNGRADED
    # A stored response (through JSON) parses to itself and grades the same.
    stored = json.loads(json.dumps(response))
    assert parse_response(q, stored) == response
    assert grade(q, stored) == result
