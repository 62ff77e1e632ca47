"""The reader's language: numbers and times through lms/i18n.py, WTForms' messages from our
catalog, the visitor's Accept-Language, content marked lang="id" under an English interface,
and the audit log in words."""

from datetime import datetime

import pytest
from flask_babel import force_locale

from lms import i18n
from lms.audit import labels


@pytest.mark.parametrize(("locale", "expected"), [
    ("id", ("95,83", "5,2%", "4.000", "+12,5", "-3", "4000", "4,5")),
    ("en", ("95.83", "5.2%", "4,000", "+12.5", "-3", "4000", "4.5")),
])
def test_numbers_in_the_readers_locale(app, locale, expected):
    with app.test_request_context("/"), force_locale(locale):
        assert (i18n.num(95.8333), i18n.pct(5.2), i18n.num(4000), i18n.signed(12.5),
                i18n.signed(-3), i18n.plain_num(4000.0), i18n.plain_num(4.5)) == expected
        assert i18n.num(None) == "—"


@pytest.mark.parametrize(("locale", "expected"), [
    ("id", "21 November 2026, 07.20 WIB"), ("en", "November 21, 2026, 7:20 AM WIB")])
def test_times_carry_the_zone_name_in_both_languages(app, locale, expected):
    with app.test_request_context("/"), force_locale(locale):
        assert i18n.long_datetime(datetime(2026, 11, 21, 0, 20)) == expected
        assert [i18n.zone_name(z) for z in ("Asia/Jakarta", "Asia/Pontianak", "Asia/Makassar",
                                             "Asia/Jayapura")] == ["WIB", "WIB", "WITA", "WIT"]


def test_a_visitor_gets_the_browsers_language_then_indonesian(client):
    english = client.get("/auth/login", headers={"Accept-Language": "en-GB,en;q=0.8"})
    assert '<html lang="en">' in english.get_data(as_text=True)
    assert "Sign in" in english.get_data(as_text=True)
    for header in ({}, {"Accept-Language": "fr-FR,de;q=0.5"}, {"Accept-Language": "id,en;q=0.5"}):
        html = client.get("/auth/login", headers=header).get_data(as_text=True)
        assert '<html lang="id">' in html, header


def test_a_chosen_language_beats_the_browsers(client, auth):
    auth.post("/language", {"locale": "id", "next": "/"}, form_url="/auth/login")
    html = client.get("/auth/login", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="id">' in html


def test_wtforms_own_messages_are_indonesian(client, auth):
    response = auth.post("/auth/forgot", {"email": "bukan-alamat"})
    html = response.get_data(as_text=True)
    assert "Invalid email address" not in html
    empty = auth.post("/auth/forgot", {"email": ""}).get_data(as_text=True)
    assert "Kolom ini wajib diisi." in empty
    assert "This field is required" not in empty


def test_indonesian_content_is_marked_under_an_english_interface(client, course_factory,
                                                                  make_user, enroll, auth):
    course_factory("contoh", 2)
    user_id, email = make_user()
    enroll(user_id, "contoh")
    auth.login(email)
    indonesian = client.get("/courses/contoh").get_data(as_text=True)
    assert "<h1>Pengantar" in indonesian or '<h1 lang="id">' not in indonesian
    auth.post("/language", {"locale": "en", "next": "/"}, form_url="/courses/contoh")
    english = client.get("/courses/contoh").get_data(as_text=True)
    assert '<html lang="en">' in english
    assert '<h1 lang="id">' in english


def test_audit_log_words(app):
    with app.test_request_context("/"), force_locale("id"):
        assert labels.action_label("cohort.update") == "Angkatan diubah"
        assert labels.action_label("something.new") == "something.new"
        assert labels.field_label("registration_opens_on") == "Pendaftaran dibuka" or \
            labels.field_label("registration_opens_on") != "registration_opens_on"
        assert labels.value_text("2026-11-21T00:20:00") == "21 November 2026, 07.20 WIB"
        assert labels.value_text(None) == "∅"


@pytest.mark.parametrize("code", ["id", "en"])
def test_numbers_are_written_as_babel_writes_them(code):
    # lms.i18n writes numbers itself (Babel looked the locale's symbols up at each call);
    # the text must stay Babel's, rounding half to even from the shortest text included.
    import random

    from babel.numbers import format_decimal

    rng = random.Random(23)  # noqa: S311 - test values, not secrets
    values = [0, -0.0, 1, -1, 2.675, 0.125, 0.005, 99.995, -0.004, 1234567.891, 4000, 1e-7,
              *(rng.uniform(-1e6, 1e6) for _ in range(300)),
              *(round(rng.uniform(0, 100), rng.randint(0, 4)) for _ in range(300))]
    for value in values:
        for digits in (0, 1, 2):
            assert i18n._decimal(value, digits, code) == format_decimal(
                value, format="#,##0." + "#" * digits, locale=code), value
        assert i18n._decimal(value, 10, code, grouped=False) == format_decimal(
            value, format="0.##########", locale=code), value
