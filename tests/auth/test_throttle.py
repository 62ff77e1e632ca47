"""Failed sign-ins slow guessing down; classrooms behind one address are not stopped."""

from datetime import datetime, timedelta

import pytest

from lms import ConfigurationError
from lms.startup_checks import rate_limit_storage_problem
from tests.conftest import PASSWORD, csrf_from

START = datetime(2026, 11, 26, 8, 0)


def sign_in(client, email: str, password: str = PASSWORD, address: str = "192.0.2.10"):
    env = {"REMOTE_ADDR": address}
    token = csrf_from(client.get("/auth/login", environ_base=env).text)
    return client.post("/auth/login", environ_base=env,
                       data={"email": email, "password": password, "csrf_token": token})


@pytest.mark.parametrize("app", [{"RATELIMIT_ENABLED": True}], indirect=True)
def test_forty_people_sign_in_from_one_office_address_within_a_minute(
        app, make_user, freeze_clock):
    emails = [make_user()[1] for _ in range(40)]
    freeze_clock(START)
    codes = []
    for email in emails:
        client = app.test_client()
        codes.append(sign_in(client, email, address="203.0.113.7").status_code)
        assert client.get("/learning").status_code == 200
    assert codes == [302] * 40


def test_a_hundred_guesses_from_rotating_addresses_are_stopped_and_the_owner_gets_back_in(
        app, client, make_user, freeze_clock):
    _, email = make_user()
    freeze_clock(START)
    codes = [sign_in(client, email, f"tebakan-ke-{i:03d}", f"10.0.{i // 200}.{i % 200 + 1}")
             .status_code for i in range(100)]
    # Five free failures and the sixth (which starts the wait) are checked; the other 94
    # are answered 429 without looking at the password.
    assert codes.count(401) == 6
    assert codes[6:] == [429] * 94
    blocked = sign_in(client, email, PASSWORD, "198.51.100.1")
    assert blocked.status_code == 429  # even the right password: nothing can be confirmed
    assert blocked.headers["Retry-After"] == "30"
    assert "Coba lagi dalam 30 detik" in blocked.text
    assert "Lupa kata sandi?" in blocked.text

    freeze_clock(START + timedelta(seconds=31))  # the attacker stopped; the wait is over
    assert sign_in(client, email, PASSWORD, "198.51.100.1").status_code == 302


def test_the_wait_doubles_with_each_further_failure_up_to_fifteen_minutes(
        app, client, make_user, freeze_clock):
    _, email = make_user()
    at = START
    freeze_clock(at)
    for i in range(6):
        assert sign_in(client, email, "salah-salah-salah", f"10.1.0.{i + 1}").status_code == 401
    waits = []
    for i in range(8):
        response = sign_in(client, email, "salah-salah-salah", f"10.2.0.{i + 1}")
        waits.append(int(response.headers["Retry-After"]))
        at += timedelta(seconds=waits[-1])
        freeze_clock(at)
        assert sign_in(client, email, "salah-salah-salah", f"10.3.0.{i + 1}").status_code == 401
    assert waits == [30, 60, 120, 240, 480, 900, 900, 900]
    assert "Coba lagi dalam 15 menit" in sign_in(client, email, PASSWORD).text


def test_a_successful_sign_in_clears_the_accounts_failures(app, client, make_user,
                                                           freeze_clock):
    _, email = make_user()
    freeze_clock(START)
    for _round in range(3):
        for _ in range(5):
            assert sign_in(client, email, "salah-salah-salah").status_code == 401
        assert sign_in(client, email).status_code == 302
        client.post("/auth/logout", data={"csrf_token": csrf_from(client.get("/profile").text)})


def test_one_address_guessing_many_accounts_waits_and_other_addresses_do_not(
        app, client, make_user, freeze_clock):
    _, email = make_user()
    freeze_clock(START)
    codes = [sign_in(client, f"orang{i}@example.org", "salah-salah-salah", "192.0.2.99")
             .status_code for i in range(35)]
    assert codes.count(401) == 31
    assert codes[31:] == [429] * 4
    assert sign_in(client, email, address="192.0.2.99").status_code == 429
    assert sign_in(client, email, address="192.0.2.100").status_code == 302


def test_an_unknown_address_is_answered_like_a_known_one(app, client, make_user,
                                                         freeze_clock):
    _, email = make_user()
    freeze_clock(START)
    known = [sign_in(client, email, "salah-salah-salah", f"10.9.0.{i}").status_code
             for i in range(1, 9)]
    unknown = [sign_in(client, "tidak-ada@example.org", "salah-salah-salah", f"10.8.0.{i}")
               .status_code for i in range(1, 9)]
    assert known == unknown == [401] * 6 + [429] * 2


def test_choosing_a_new_password_by_mail_ends_the_wait(app, client, make_user, freeze_clock):
    _, email = make_user()
    freeze_clock(START)
    for i in range(7):
        sign_in(client, email, "salah-salah-salah", f"10.4.0.{i + 1}")
    assert sign_in(client, email).status_code == 429
    client.post("/auth/forgot", data={"email": email,
                                      "csrf_token": csrf_from(client.get("/auth/forgot").text)})
    from tests.auth.conftest import mailed_path

    link = mailed_path(app, email, "/auth/reset/")
    client.post(link, data={"new_password": "lampu-meja-hijau-tua",
                            "new_password_confirm": "lampu-meja-hijau-tua",
                            "csrf_token": csrf_from(client.get(link).text)})
    assert sign_in(client, email, "lampu-meja-hijau-tua").status_code == 302


@pytest.mark.parametrize("app", [{"RATELIMIT_ENABLED": True, "LOGIN_RATE_LIMIT": "3 per minute"}],
                         indirect=True)
def test_the_flood_guard_per_address_still_answers_429(app, client, make_user):
    _, email = make_user()
    codes = [sign_in(client, email, "salah-salah-salah").status_code for _ in range(4)]
    assert codes == [401, 401, 401, 429]


@pytest.mark.parametrize(("settings", "environ", "refused"), [
    ({}, {"WEB_CONCURRENCY": "4"}, True),
    ({"WORKERS": 2}, {}, True),
    ({}, {}, False),
    ({"WORKERS": 1}, {"WEB_CONCURRENCY": "4"}, False),
    ({"RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0"}, {"WEB_CONCURRENCY": "4"}, False),
])
def test_per_process_limit_counters_are_refused_with_several_workers(settings, environ,
                                                                     refused):
    cfg = {"RATELIMIT_STORAGE_URI": "memory://", "WORKERS": None, **settings}
    assert (rate_limit_storage_problem(cfg, environ, ["pytest"]) is not None) == refused


@pytest.mark.parametrize(("argv", "environ", "count"), [
    (["/srv/lms/.venv/bin/gunicorn", "--workers", "4", "lms:create_app()"], {}, 4),
    (["gunicorn", "-w", "3", "lms:create_app()"], {}, 3),
    (["gunicorn", "--workers=2", "lms:create_app()"], {}, 2),
    (["gunicorn", "lms:create_app()"], {"GUNICORN_CMD_ARGS": "--workers 5"}, 5),
    (["gunicorn", "lms:create_app()"], {}, 1),
    (["flask", "run"], {}, 1),
])
def test_workers_are_read_from_gunicorns_command_line_too(argv, environ, count):
    from lms.startup_checks import workers

    assert workers({"WORKERS": None}, environ, argv) == count
    memory = {"RATELIMIT_STORAGE_URI": "memory://", "WORKERS": None}
    assert (rate_limit_storage_problem(memory, environ, argv) is not None) == (count > 1)


def test_production_does_not_start_with_memory_limits_and_four_workers(tmp_path, monkeypatch):
    from tests.site.test_site import STRONG_KEY, build

    with pytest.raises(ConfigurationError, match="LMS_RATELIMIT_STORAGE_URI"):
        build(tmp_path, monkeypatch, LMS_ENV="production", LMS_SECRET_KEY=STRONG_KEY,
              LMS_PUBLIC_URL="https://diklat.example.id", WEB_CONCURRENCY="4")


@pytest.mark.parametrize(("address", "key"), [
    ("192.0.2.7", "address:192.0.2.7"),
    ("2001:db8:1:2:aaaa::1", "address:2001:db8:1:2::/64"),
    ("2001:db8:1:2:bbbb::9", "address:2001:db8:1:2::/64"),
    ("::ffff:192.0.2.7", "address:192.0.2.7"),
    (None, "address:unknown"),
])
def test_ipv6_addresses_count_by_their_64_bit_prefix(address, key):
    from lms.auth.throttle import address_key

    assert address_key(address) == key


@pytest.mark.parametrize("app", [{"RATELIMIT_ENABLED": True}], indirect=True)
def test_the_forgot_password_form_keeps_its_low_limit_against_mail_bombing(app, client):
    token = csrf_from(client.get("/auth/forgot").text)
    codes = [client.post("/auth/forgot", data={"email": "korban@example.org",
                                               "csrf_token": token}).status_code
             for _ in range(11)]
    assert codes == [302] * 10 + [429]


def test_parallel_first_failures_are_all_counted_and_none_fails(app, freeze_clock):
    """Eight workers' first attempts for one new email at once: one row, none fails, and
    the count stops where the wait starts (the sixth), as one after the other would."""
    import threading

    from lms.auth import throttle
    from lms.extensions import db

    freeze_clock(START)
    errors, waits, barrier = [], [], threading.Barrier(8)

    def attempt(i: int) -> None:
        with app.test_request_context():
            try:
                barrier.wait(timeout=10)
                waits.append(throttle.begin_attempt("baru@example.org", f"10.7.0.{i + 1}"))
                db.session.commit()
            except Exception as exc:  # noqa: BLE001 (reported below)
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    with app.app_context():
        row = db.session.get(throttle.SignInThrottle, throttle.account_key("baru@example.org"))
        assert row.failures == 6
        assert row.wait_until is not None  # past the five free failures
    assert sorted(waits) == [0] * 6 + [30, 30]
