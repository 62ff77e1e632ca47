"""Exports run as many SQL statements for sixty participants as for three."""

from tests.cohorts.conftest import login_as, make_cohort, program  # noqa: F401
from tests.cohorts.test_manage import _enroll_people
from tests.conftest import count_queries

CODE = "angkatan-1"
PATHS = ("grid", "applicants", "certificates")


def test_query_count_does_not_grow_with_the_cohort(app, make_cohort, login_as):  # noqa: F811
    make_cohort(capacity=200)
    coordinator, _ = login_as("coordinator")
    _enroll_people(app, CODE, 3)
    small = {}
    for path in PATHS:
        coordinator.get(f"/manage/cohorts/{CODE}/{path}.xlsx")
        with count_queries(app) as small[path]:
            assert coordinator.get(f"/manage/cohorts/{CODE}/{path}.xlsx").status_code == 200
    _enroll_people(app, CODE, 60, start=3)
    for path in PATHS:
        with count_queries(app) as large:
            assert coordinator.get(f"/manage/cohorts/{CODE}/{path}.csv").status_code == 200
        assert len(large) == len(small[path]), path
