"""Discussion forums per course within a cohort, and one general forum per cohort."""
