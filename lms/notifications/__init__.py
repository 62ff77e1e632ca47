"""Keeping people informed: in-app notifications and their mails, daily digests,
reminders before deadlines and live sessions, and messages to a cohort (docs/notifications.md).

Features call `lms.notifications.services.notify(...)`, which imports no feature; the
reminders (`jobs.py`) read the features and run as scheduled jobs (lms/jobs/schedule.py).
"""
