"""The nilai akhir is a pure function of the program's settings and one person's
progress: hand-built values, no app, no database."""

from __future__ import annotations

from lms.progress.model import (
    ASSIGNMENT,
    DONE,
    MODULE,
    QUIZ,
    Course,
    CourseProgress,
    Item,
    ItemProgress,
    PersonProgress,
)
from lms.records.grading import FinalGradeSettings, final_grade

SETTINGS = FinalGradeSettings.from_mapping({"final_grade": {
    "components": [
        {"source": "posttests", "weight": 40},
        {"source": "assignments", "weight": 20},
        {"source": "assignment", "assignment": "kk", "label": "Kertas kerja", "weight": 20},
        {"source": "attendance", "weight": 10},
        {"source": "participation", "weight": 10}],
    "predikat": [{"from": 90, "to": 100, "label": "Sangat Memuaskan"},
                 {"from": 80, "to": 90, "label": "Memuaskan"},
                 {"from": 0, "to": 80, "label": "Cukup"}]}})
MODULE_A = Item(MODULE, 1, "m1", "Modul 1")
MODULE_B = Item(MODULE, 2, "m2", "Modul 2")
PRETEST = Item(QUIZ, 10, "pre", "Pre-test", quiz_kind="pretest", pass_mark=0.0)
POST = Item(QUIZ, 11, "post", "Post-test", quiz_kind="posttest", pass_mark=70.0)
TASK = Item(ASSIGNMENT, 20, "tugas", "Tugas", pass_mark=35.0, max_score=50)
PAPER = Item(ASSIGNMENT, 21, "kk", "Kertas kerja", pass_mark=70.0, max_score=100)
COURSE = Course(1, "dasar", "Dasar", 12, (MODULE_A, MODULE_B, PRETEST, POST, TASK, PAPER))


def person(grades: dict, modules_done=2, attendance=100.0) -> PersonProgress:
    results = [ItemProgress(m, DONE) for m in (MODULE_A, MODULE_B)[:modules_done]]
    results += [ItemProgress(m) for m in (MODULE_A, MODULE_B)[modules_done:]]
    results += [ItemProgress(i, DONE, g) for i, g in grades.items()]
    return PersonProgress(1, (CourseProgress(COURSE, tuple(results)),),
                          attendance_percent=attendance)


def test_the_weighted_sum_with_every_component_and_its_predikat():
    found = final_grade(SETTINGS, person({PRETEST: 10.0, POST: 90.0, TASK: 40.0, PAPER: 85.0},
                                         attendance=80.0))
    # 90*.4 + 80*.2 (40 of 50) + 85*.2 + 80*.1 + 100*.1
    assert found.grade == 87.0
    assert found.predikat == "Memuaskan"
    assert found.complete
    assert [(c.title, c.score) for c in found.components] == [
        ("Post-tests", 90.0), ("Assignments", 80.0), ("Kertas kerja", 85.0),
        ("Attendance", 80.0), ("Participation (modules completed)", 100.0)]


def test_the_pretest_never_counts():
    low = final_grade(SETTINGS, person({PRETEST: 0.0, POST: 100.0, TASK: 50.0, PAPER: 100.0}))
    high = final_grade(SETTINGS, person({PRETEST: 100.0, POST: 100.0, TASK: 50.0,
                                         PAPER: 100.0}))
    assert low.grade == high.grade == 100.0
    assert low.predikat == "Sangat Memuaskan"  # 100 is inside the top band


def test_what_is_not_graded_counts_zero_and_leaves_the_grade_provisional():
    found = final_grade(SETTINGS, person({POST: 80.0}, modules_done=1))
    assert not found.complete
    assert found.grade == 32.0 + 10.0 + 5.0  # post-test, attendance, half the modules
    assert found.predikat == "Cukup"
