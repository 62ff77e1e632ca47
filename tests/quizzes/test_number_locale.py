"""A numerical answer is read the way its writer writes numbers, and shown back."""

import pytest

from lms.extensions import db
from lms.quizzes.models import Attempt
from lms.quizzes.types.grades import read_number
from tests.conftest import csrf_from
from tests.quizzes.test_taking import form_of, start


@pytest.mark.parametrize(("text", "locale", "read"), [
    ("4.000", "id", "4000"), ("1.234.567,5", "id", "1234567.5"), ("4,5", "id", "4.5"),
    ("4.5", "id", "4.5"), ("-12", "id", "-12"), ("4.000", "en", "4.000"),
    ("4,000", "en", "4000"), ("4,5", "en", "4.5"), (" 45 ", "id", "45"),
    ("4.00.0", "id", None), ("empat", "id", None), ("", "id", None),
])
def test_read_number(text, locale, read):
    assert read_number(text, locale) == read


def _save(client, url, answer):
    html, data = form_of(client, url)
    data["q5"] = answer
    return client.post(f"{url}/save", data=data, headers={"X-Requested-With": "fetch"})


def test_four_thousand_the_indonesian_way_is_saved_and_shown_back(app, client, quiz_course):
    quiz_course()
    url = start(client)
    response = _save(client, url, "4.000")
    assert response.status_code == 200
    assert response.get_json()["readings"]["5"] == "Dibaca sebagai 4000."
    attempt_id = int(url.rsplit("/", 1)[1])
    with app.app_context():
        item = next(i for i in db.session.get(Attempt, attempt_id).items if i.position == 5)
        assert item.response == {"value": 4000.0}
    page = client.get(url).get_data(as_text=True)
    assert 'value="4000"' in page
    assert "Dibaca sebagai 4000." in page
    _html, data = form_of(client, url)
    confirm = client.post(f"{url}/confirm", data={**data, "q5": "4000"})  # as the page shows
    html = client.get(confirm.headers["Location"]).get_data(as_text=True)
    assert "Periksa cara angka Anda dibaca" in html
    assert "Soal 5: Dibaca sebagai 4000." in html


def test_a_decimal_comma_is_graded_and_a_word_is_refused_in_indonesian(app, client,
                                                                         quiz_course):
    quiz_course()
    url = start(client)
    refused = _save(client, url, "empat puluh lima")
    assert refused.status_code == 409
    message = refused.get_json()["message"]
    assert "Soal 5: ini bukan angka" in message
    assert "q-num" not in message
    assert _save(client, url, "45,0").status_code == 200
    html = client.get(url).get_data(as_text=True)
    client.post(f"{url}/submit", data={"csrf_token": csrf_from(html)})
    with app.app_context():
        item = next(i for i in db.session.get(Attempt, int(url.rsplit("/", 1)[1])).items
                    if i.position == 5)
        assert item.fraction == 1
