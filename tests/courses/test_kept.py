"""lms.courses.kept: rendered parts of pages, least recently used dropped first."""

from lms.courses.kept import Kept, kept


def test_the_least_recently_used_part_is_dropped_when_the_budget_is_spent():
    parts = Kept(budget=30)
    parts.put("a", "A" * 10, 10)
    parts.put("b", "B" * 10, 10)
    parts.put("c", "C" * 10, 10)
    assert parts.get("a") == "A" * 10  # now the most recently used
    parts.put("d", "D" * 10, 10)
    assert parts.get("b") is None
    assert [parts.get(k) is not None for k in "acd"] == [True, True, True]
    assert parts.size == 30
    parts.put("a", "E" * 5, 5)  # kept again under the same key: counted once
    assert parts.get("a") == "E" * 5
    assert parts.size == 25
    parts.put("huge", "H" * 40, 40)  # more than the whole budget: not kept
    assert parts.get("huge") is None
    assert parts.size == 25


def test_each_app_keeps_its_own_parts(app):
    with app.app_context():
        kept("page").put("k", "body", 4)
        assert kept("page").get("k") == "body"
        assert kept("module").get("k") is None
    from lms import create_app
    other = create_app(dict(app.config))
    with other.app_context():
        assert kept("page").get("k") is None


def test_a_kept_part_gives_each_session_its_own_csrf_token(app):
    """A part kept for every reader is rendered once; the CSRF token in it is the
    request's own at each use, never the first reader's."""
    from flask import render_template_string, session
    from flask_wtf.csrf import validate_csrf

    template = '{% call kept(("form",)) %}<input value="{{ csrf_token() }}">{% endcall %}'
    tokens = []
    for secret in ("a" * 40, "b" * 40):
        with app.test_request_context():
            session["csrf_token"] = secret
            html = render_template_string(template)
            token = html.split('value="')[1].split('"')[0]
            validate_csrf(token)  # raises if not this session's
            tokens.append(token)
            assert len(kept("page").entries) == 1
    assert tokens[0] != tokens[1]
