"""Programs run as cohorts: applications, selection, enrollment (grid: lms.progress)."""
