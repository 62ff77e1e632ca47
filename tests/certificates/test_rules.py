"""The certificate rules are a pure function of settings and one person's progress:
tested here on hand-built values, with no app and no database."""

from __future__ import annotations

from lms.certificates.rules import CertificateSettings, is_complete, requirements
from lms.progress.model import (
    ASSIGNMENT,
    DONE,
    MODULE,
    QUIZ,
    STARTED,
    Course,
    CourseProgress,
    Item,
    ItemProgress,
    PersonProgress,
    nothing_done,
)

MODULE_A = Item(MODULE, 1, "pengantar", "Pengantar")
MODULE_B = Item(MODULE, 2, "katalogisasi", "Katalogisasi")
PRETEST = Item(QUIZ, 10, "pre", "Pre-test", quiz_kind="pretest", pass_mark=0.0,
               grading="highest")
PRACTICE = Item(QUIZ, 11, "latihan", "Latihan", quiz_kind="practice", pass_mark=90.0,
                grading="highest")
EXAM = Item(QUIZ, 12, "ujian", "Ujian tengah", quiz_kind="exam", pass_mark=60.0,
            grading="highest")
POSTTEST = Item(QUIZ, 13, "post", "Post-test", quiz_kind="posttest", pass_mark=80.0,
                grading="highest")
TASK = Item(ASSIGNMENT, 20, "tugas", "Tugas akhir", pass_mark=75.0)
COURSE = Course(1, "dasar", "Dasar", 10,
                (MODULE_A, MODULE_B, PRETEST, PRACTICE, EXAM, POSTTEST, TASK))

EVERYTHING = {MODULE_A: (DONE, None), MODULE_B: (DONE, None), PRETEST: (DONE, 10.0),
              EXAM: (DONE, 60.0), POSTTEST: (DONE, 80.0), TASK: (DONE, 75.0)}


def person(results=None, *, attendance=100.0, evaluated=False) -> PersonProgress:
    results = EVERYTHING if results is None else results
    items = tuple(ItemProgress(i, *results.get(i, (None, None))) for i in COURSE.items)
    return PersonProgress(7, (CourseProgress(COURSE, items),),
                          attendance_percent=attendance, evaluation_done=evaluated)


def with_(**changes) -> dict:
    names = {"module_b": MODULE_B, "pretest": PRETEST, "exam": EXAM, "posttest": POSTTEST,
             "task": TASK}
    results = dict(EVERYTHING)
    for name, value in changes.items():
        if value is None:
            results.pop(names[name])
        else:
            results[names[name]] = value
    return results


def unmet(settings: CertificateSettings, progress: PersonProgress) -> list[str]:
    return [r.label for r in requirements(settings, progress) if not r.done]


DEFAULT = CertificateSettings()


def test_everything_met_at_the_items_own_marks_completes():
    found = requirements(DEFAULT, person())
    assert is_complete(found)
    assert [r.label for r in found] == [
        "Dasar: pre-test taken", "Dasar: every module done",
        "Ujian tengah passed (at least 60)", "Tugas akhir passed (at least 75)",
        "Dasar: post-test passed (at least 80)"]


def test_every_module_must_be_done_a_started_one_is_not():
    found = requirements(DEFAULT, person(with_(module_b=(STARTED, None))))
    modules = next(r for r in found if r.label == "Dasar: every module done")
    assert not modules.done
    assert modules.detail == "1 of 2 modules"


def test_the_pre_test_counts_once_graded_whatever_the_grade():
    assert unmet(DEFAULT, person(with_(pretest=None))) == ["Dasar: pre-test taken"]
    assert unmet(DEFAULT, person(with_(pretest=(STARTED, None)))) == ["Dasar: pre-test taken"]
    assert unmet(DEFAULT, person(with_(pretest=(DONE, 0.0)))) == []


def test_the_post_test_is_passed_at_the_programs_mark_when_it_sets_one():
    strict = CertificateSettings(pass_mark=85)
    assert unmet(strict, person()) == ["Dasar: post-test passed (at least 85)"]
    assert unmet(strict, person(with_(posttest=(DONE, 85.0)))) == []
    assert unmet(DEFAULT, person(with_(posttest=(DONE, 79.9)))) == [
        "Dasar: post-test passed (at least 80)"]
    failed = next(r for r in requirements(strict, person()) if not r.done)
    assert failed.detail == "grade 80"


def test_an_exam_is_passed_at_its_own_mark_not_the_programs():
    strict = CertificateSettings(pass_mark=85)
    assert "Ujian tengah passed (at least 60)" not in unmet(strict, person())
    assert unmet(DEFAULT, person(with_(exam=(DONE, 59.0)))) == [
        "Ujian tengah passed (at least 60)"]


def test_practice_quizzes_never_count():
    assert not any("Latihan" in r.label for r in requirements(DEFAULT, person()))


def test_an_assignment_needs_a_grade_at_its_pass_mark():
    assert unmet(DEFAULT, person(with_(task=(DONE, 74.0)))) == [
        "Tugas akhir passed (at least 75)"]
    ungraded = requirements(DEFAULT, person(with_(task=(STARTED, None))))
    task = next(r for r in ungraded if r.label.startswith("Tugas akhir"))
    assert (task.done, task.detail) == (False, "no grade yet")


def test_minimum_attendance_only_when_the_program_sets_it():
    assert not any("Attendance" in r.label
                   for r in requirements(DEFAULT, person(attendance=0.0)))
    half = CertificateSettings(min_attendance_percent=50)
    assert unmet(half, person(attendance=49.9)) == [
        "Attendance at live sessions at least 50%"]
    assert unmet(half, person(attendance=50.0)) == []


def test_the_evaluation_only_when_the_program_requires_it():
    assert unmet(DEFAULT, person(evaluated=False)) == []
    required = CertificateSettings(require_evaluation=True)
    assert unmet(required, person(evaluated=False)) == ["Training evaluation submitted"]
    assert unmet(required, person(evaluated=True)) == []


def test_someone_who_began_nothing_meets_nothing():
    settings = CertificateSettings(require_evaluation=True, min_attendance_percent=10)
    found = requirements(settings, nothing_done(7, (COURSE,)))
    assert not is_complete(found)
    assert not any(r.done for r in found)


def test_settings_come_from_the_programs_stored_section_with_defaults():
    settings = CertificateSettings.from_mapping({"pass_mark": 70, "require_evaluation": True,
                                                 "unknown": 1})
    assert settings.pass_mark == 70
    assert settings.require_evaluation is True
    assert settings.min_attendance_percent is None
    assert settings == CertificateSettings.from_mapping(
        {"pass_mark": 70, "require_evaluation": True})
    assert CertificateSettings.from_mapping(None) == DEFAULT
    assert is_complete([]) is False
