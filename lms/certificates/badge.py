"""Open Badges 3.0 credentials for certificates, built from the same plain dict as the PDF.

The credential is an OpenBadgeCredential in the W3C Verifiable Credentials Data Model 2.0
(JSON-LD), built here unsigned; certificates.credentials adds the `credentialStatus`
(a Bitstring Status List entry) and the Data Integrity proof. Its `id` is also an
address on this site that says whether the certificate is still valid. Pure: no Flask,
no database.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]

# Quiz grades in this project are percentages (see quizzes.services.grade_by_method).
SCORE_MIN = "0"
SCORE_MAX = "100"


def _datetime(value: date | datetime) -> str:
    """An XML Schema dateTime in UTC, as the VC data model requires for validFrom.

    A plain date becomes midnight UTC, which is still that date in every Indonesian
    time zone; a naive datetime is taken as UTC, as the project stores time.
    """
    if not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day, tzinfo=UTC)
    elif value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _score(value: float) -> str:
    # OB 3.0 result values are strings; keep two decimals like the transcript does.
    return f"{value:.2f}"


def _criteria_narrative(data: dict) -> str:
    courses = "; ".join(f"{c['title']} ({c['hours_jp']} JP)" for c in data["courses"])
    narrative = (
        f"Mengikuti dan menyelesaikan {data['program_title']} {data['cohort_name']} "
        f"dengan jumlah {data['total_jp']} Jam Pelajaran (JP)"
    )
    if courses:
        narrative += f", yang terdiri atas mata pelatihan: {courses}"
    return narrative + "."


def open_badge_credential(
    data: dict,
    *,
    issuer_url: str,
    issuer_name: str,
    credential_url: str,
    achievement_url: str,
    credential_status: dict | None = None,
    issued_at: datetime | None = None,
) -> dict[str, Any]:
    """An unsigned OpenBadgeCredential (Open Badges 3.0) for one certificate.

    `data` is the dict given to render_certificate_pdf; this uses number, holder_name,
    program_title, cohort_name, starts_on, ends_on, issued_on, total_jp, courses and
    show_scores. The holder is identified by name (an IdentityObject, not hashed),
    since no e-mail address or DID is shared. Course scores appear as results only when
    show_scores is true, and only for courses that have a score. Every value is plain
    JSON (str, int, float, bool, list, dict). A missing key raises KeyError.
    """
    issuer = {"id": issuer_url, "type": ["Profile"], "name": issuer_name}
    period = {
        # The OB 3.0 data model types these as DateTime (its JSON-LD context says date;
        # a dateTime satisfies the JSON Schema that validators check).
        "activityStartDate": _datetime(data["starts_on"]),
        "activityEndDate": _datetime(data["ends_on"]),
    }
    achievement: dict[str, Any] = {
        "id": achievement_url,
        "type": ["Achievement"],
        "achievementType": "Certificate",
        "name": data["program_title"],
        "description": (
            f"{data['program_title']} yang diselenggarakan oleh {issuer_name}, "
            f"{data['total_jp']} Jam Pelajaran (JP)."
        ),
        "criteria": {"narrative": _criteria_narrative(data)},
        # One JP (jam pelajaran) is the unit of study time that diklat programmes count.
        "creditsAvailable": float(data["total_jp"]),
        "creator": dict(issuer),
    }
    subject: dict[str, Any] = {
        "type": ["AchievementSubject"],
        "identifier": [
            {
                "type": "IdentityObject",
                "identityHash": data["holder_name"],
                "identityType": "name",
                "hashed": False,
            }
        ],
        "achievement": achievement,
        "creditsEarned": float(data["total_jp"]),
        "term": data["cohort_name"],
        **period,
    }

    if data["show_scores"]:
        descriptions = []
        results = []
        for index, course in enumerate(data["courses"], start=1):
            description_id = f"{achievement_url}#course-{index}"
            descriptions.append(
                {
                    "id": description_id,
                    "type": ["ResultDescription"],
                    "name": course["title"],
                    "resultType": "Percent",
                    "valueMin": SCORE_MIN,
                    "valueMax": SCORE_MAX,
                }
            )
            if course["score"] is not None:
                results.append(
                    {
                        "type": ["Result"],
                        "resultDescription": description_id,
                        "value": _score(course["score"]),
                    }
                )
        if descriptions:
            achievement["resultDescription"] = descriptions
        if results:
            subject["result"] = results

    credential = {
        "@context": list(CONTEXT),
        "id": credential_url,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": issuer,
        # The moment of issue when known: the date alone, as midnight UTC, lies up to seven
        # hours after a certificate issued early in the morning in WIB, and verifiers
        # refuse a credential that is not valid yet.
        "validFrom": _datetime(issued_at if issued_at is not None else data["issued_on"]),
        "name": f"Sertifikat {data['program_title']}",
        "description": (
            f"Sertifikat Nomor {data['number']} untuk {data['holder_name']}, peserta "
            f"{data['program_title']} {data['cohort_name']}."
        ),
        "credentialSubject": subject,
    }
    if credential_status is not None:
        credential["credentialStatus"] = credential_status
    return credential
