"""Live sessions of a cohort (video conferences), their calendar feed and attendance."""
