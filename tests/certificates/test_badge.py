"""The Open Badges 3.0 credential, without an app: shape, types and required properties."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta, timezone

import pytest

from lms.certificates.badge import open_badge_credential

ISSUER_URL = "https://diklat.example.id/"
CREDENTIAL_URL = "https://diklat.example.id/verify/7KQ2-M9XD-4TRA"
ACHIEVEMENT_URL = "https://diklat.example.id/programs/pengelolaan-perpustakaan"
DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


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
            {"title": "Klasifikasi DDC", "hours_jp": 18, "score": None},
            {"title": "Otomasi Perpustakaan dengan SLiMS", "hours_jp": 40, "score": 91},
        ],
        "show_scores": True,
        "signatories": [],
        "verify_url": CREDENTIAL_URL,
        "verification_code": "7KQ2-M9XD-4TRA",
        "status_note": None,
    }
    data.update(overrides)
    return data


def credential_of(data: dict) -> dict:
    return open_badge_credential(
        data,
        issuer_url=ISSUER_URL,
        issuer_name="Pusat Pendidikan dan Pelatihan Perpustakaan",
        credential_url=CREDENTIAL_URL,
        achievement_url=ACHIEVEMENT_URL,
    )


@pytest.fixture
def credential() -> dict:
    return credential_of(sample_data())


def test_is_a_verifiable_credential_2_0_open_badge(credential):
    assert credential["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["id"] == CREDENTIAL_URL
    assert credential["issuer"] == {
        "id": ISSUER_URL,
        "type": ["Profile"],
        "name": "Pusat Pendidikan dan Pelatihan Perpustakaan",
    }
    assert credential["validFrom"] == "2026-12-21T00:00:00Z"
    assert isinstance(credential["name"], str)
    assert credential["name"]
    assert "001/DIKLAT-PPBD/I/2026" in credential["description"]
    # Unsigned on purpose: verified by the hosted page at its id.
    assert "proof" not in credential
    assert "credentialStatus" not in credential
    # VC 1.1 names must not linger in a 2.0 credential.
    assert "issuanceDate" not in credential


def test_subject_names_the_holder_and_the_achievement(credential):
    subject = credential["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    assert subject["identifier"] == [
        {
            "type": "IdentityObject",
            "identityHash": "Siti Nurhaliza Rahmawati, S.I.Pust.",
            "identityType": "name",
            "hashed": False,
        }
    ]
    assert subject["creditsEarned"] == 62.0
    assert subject["term"] == "Angkatan I Tahun 2026"
    assert DATETIME.match(subject["activityStartDate"])
    assert subject["activityStartDate"].startswith("2026-12-01")
    assert subject["activityEndDate"].startswith("2026-12-20")

    achievement = subject["achievement"]
    assert achievement["id"] == ACHIEVEMENT_URL
    assert achievement["type"] == ["Achievement"]
    assert achievement["achievementType"] == "Certificate"
    assert achievement["name"] == "Diklat Pengelolaan Perpustakaan Berbasis Digital"
    assert isinstance(achievement["description"], str)
    assert achievement["description"]
    narrative = achievement["criteria"]["narrative"]
    assert "62 Jam Pelajaran (JP)" in narrative
    assert "Klasifikasi DDC (18 JP)" in narrative
    assert isinstance(achievement["creditsAvailable"], float)
    assert achievement["creditsAvailable"] == 62.0
    assert achievement["creator"] == credential["issuer"]
    assert achievement["creator"] is not credential["issuer"]


def test_is_plain_json(credential):
    assert json.loads(json.dumps(credential)) == credential


def test_the_nip_stays_out_of_a_shareable_credential(credential):
    assert "19900817" not in json.dumps(credential)


def test_scores_become_results_when_shown(credential):
    achievement = credential["credentialSubject"]["achievement"]
    descriptions = achievement["resultDescription"]
    assert [d["name"] for d in descriptions] == [
        "Kebijakan Nasional Perpustakaan",
        "Klasifikasi DDC",
        "Otomasi Perpustakaan dengan SLiMS",
    ]
    ids = [d["id"] for d in descriptions]
    assert len(set(ids)) == len(ids)
    for description in descriptions:
        assert description["id"].startswith(ACHIEVEMENT_URL + "#")
        assert description["type"] == ["ResultDescription"]
        assert description["resultType"] == "Percent"
        assert (description["valueMin"], description["valueMax"]) == ("0", "100")

    results = credential["credentialSubject"]["result"]
    # The course without a score has a description but no result.
    assert [(r["resultDescription"], r["value"]) for r in results] == [
        (ids[0], "88.50"),
        (ids[2], "91.00"),
    ]
    assert all(r["type"] == ["Result"] for r in results)


def test_no_scores_when_the_program_hides_them():
    credential = credential_of(sample_data(show_scores=False))
    assert "result" not in credential["credentialSubject"]
    assert "resultDescription" not in credential["credentialSubject"]["achievement"]


def test_no_empty_result_list_when_nothing_was_scored():
    courses = [{"title": "Klasifikasi DDC", "hours_jp": 18, "score": None}]
    credential = credential_of(sample_data(courses=courses))
    assert "result" not in credential["credentialSubject"]
    assert len(credential["credentialSubject"]["achievement"]["resultDescription"]) == 1


@pytest.mark.parametrize(
    ("issued", "expected"),
    [
        (date(2026, 8, 17), "2026-08-17T00:00:00Z"),
        (datetime(2026, 8, 17, 3, 4, 5), "2026-08-17T03:04:05Z"),  # naive means UTC here
        (
            datetime(2026, 8, 17, 9, 0, tzinfo=timezone(timedelta(hours=7))),
            "2026-08-17T02:00:00Z",
        ),
    ],
)
def test_valid_from_is_a_utc_datetime(issued, expected):
    assert credential_of(sample_data(issued_on=issued))["validFrom"] == expected


def test_valid_from_is_the_moment_of_issue_when_known():
    """Issued at 00:30 WIB on 21 December: midnight UTC of that date would be six and a half
    hours later, and a verifier would call the credential not valid yet until then."""
    credential = open_badge_credential(
        sample_data(issued_on=date(2026, 12, 21)), issuer_url=ISSUER_URL,
        issuer_name="Pusat Pendidikan dan Pelatihan Perpustakaan",
        credential_url=CREDENTIAL_URL, achievement_url=ACHIEVEMENT_URL,
        issued_at=datetime(2026, 12, 20, 17, 30))
    assert credential["validFrom"] == "2026-12-20T17:30:00Z"


def test_missing_key_is_an_error():
    data = sample_data()
    del data["program_title"]
    with pytest.raises(KeyError):
        credential_of(data)
