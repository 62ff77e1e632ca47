"""Each person's progress in a cohort, computed once and typed.

Above quizzes, assignments, live sessions and evaluations; below the progress grid,
the certificate rules, `/next` and the course page, which read it. `model` holds the
frozen dataclasses (pure, no database); `build.for_cohort` fills them in a constant
number of queries. See docs/progress.md.
"""
