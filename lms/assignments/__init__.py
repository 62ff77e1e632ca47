"""Assignments: authored in the repo, submitted as text and files, graded with rubrics."""
