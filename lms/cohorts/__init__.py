"""Programs run as cohorts: applications, selection, enrollment, the progress grid."""
