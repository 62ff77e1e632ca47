"""What the browser journeys found in the coordinator's pages (tests/browser/
test_role_journeys.py): a deliberate waiting list holds, the settings page leads on."""

from tests.cohorts.test_cohorts import apply, decide, member_ids, status_of


def test_putting_an_applicant_on_the_waiting_list_keeps_them_there(app, make_cohort,
                                                                    login_as):
    make_cohort(capacity=40)  # places are free: the coordinator still wants them to wait
    first, first_id = login_as()
    apply(first)
    second, second_id = login_as()
    apply(second)
    coordinator, _ = login_as("coordinator")
    ids = member_ids(app)
    decide(coordinator, [ids[first_id]], "accept")
    decide(coordinator, [ids[second_id]], "waitlist")
    assert status_of(app, second_id) == "waitlisted"
    page = coordinator.get("/manage/cohorts/angkatan-1").text
    assert "1 dari 40 tempat terisi" in page
    assert "1 dalam daftar tunggu" in page


def test_a_place_freed_by_a_decision_goes_to_the_first_waiting(app, make_cohort, login_as):
    make_cohort(capacity=1)
    people = []
    for _ in range(3):
        client, user_id = login_as()
        apply(client)
        people.append(user_id)
    coordinator, _ = login_as("coordinator")
    ids = member_ids(app)
    decide(coordinator, [ids[people[0]]], "accept")
    decide(coordinator, [ids[people[1]]], "waitlist")
    # Moving the accepted person to the waiting list frees the place for the one who
    # waited, not straight back to the person just moved.
    decide(coordinator, [ids[people[0]]], "waitlist")
    assert [status_of(app, u) for u in people[:2]] == ["waitlisted", "accepted"]
    decide(coordinator, [ids[people[1]]], "reject")
    assert [status_of(app, u) for u in people[:2]] == ["accepted", "rejected"]
    assert status_of(app, people[2]) == "applied"


def test_the_settings_page_links_to_the_other_pages_of_its_cohort(app, make_cohort,
                                                                  login_as):
    make_cohort()
    coordinator, _ = login_as("coordinator")
    page = coordinator.get("/manage/cohorts/angkatan-1/edit").text
    for address in ("/manage/cohorts/angkatan-1", "/manage/cohorts/angkatan-1/import",
                    "/manage/cohorts/angkatan-1/grid",
                    "/manage/cohorts/angkatan-1/certificates"):
        assert f'href="{address}"' in page
    assert 'href="/manage/cohorts/angkatan-1/edit" aria-current="page"' in page
    assert 'class="subnav"' not in coordinator.get("/manage/cohorts/new").text
