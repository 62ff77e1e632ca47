"""The audit log as people read it: actions and fields by name, in the reader's language,
and times in their zone. The log itself keeps the stable keys ("cohort.update")."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lms.i18n import long_date, long_datetime

ACTIONS = {
    "certificate.issue": _l("Certificate issued"),
    "certificate.recertify": _l("Certificate renewed"),
    "certificate.revoke": _l("Certificate revoked"),
    "certificate.reissue": _l("Certificate reissued"),
    "second_factor.enrolled": _l("Two-step verification turned on"),
    "second_factor.reset": _l("Two-step verification reset"),
    "second_factor.disabled": _l("Two-step verification turned off"),
    "sso.account_created": _l("Account created through single sign-on"),
    "sso.linked": _l("Account linked to single sign-on"),
    "cohort.create": _l("Cohort created"),
    "cohort.update": _l("Cohort changed"),
    "cohort.import": _l("Participants imported"),
    "cohort.refused": _l("Cohort access refused"),
    "member.accept": _l("Application accepted"),
    "member.reject": _l("Application rejected"),
    "member.waitlist": _l("Put on the waiting list"),
    "member.promote": _l("Moved up from the waiting list"),
    "member.withdraw": _l("Withdrawn from the cohort"),
    "instructor.assign": _l("Instructor assigned"),
    "instructor.unassign": _l("Instructor removed"),
    "announcement.post": _l("Announcement posted"),
    "message.send": _l("Message sent to the cohort"),
    "message.reply": _l("Reply to a message"),
    "forum.post.edit": _l("Forum post edited"),
    "forum.post.hide": _l("Forum post hidden"),
    "forum.post.unhide": _l("Forum post shown again"),
    "forum.thread.pin": _l("Thread pinned"),
    "forum.thread.unpin": _l("Thread unpinned"),
    "forum.thread.lock": _l("Thread locked"),
    "forum.thread.unlock": _l("Thread unlocked"),
    "forum.thread.hide": _l("Thread hidden"),
    "forum.thread.unhide": _l("Thread shown again"),
    "forum.thread.move": _l("Thread moved"),
    "live.create": _l("Live session scheduled"),
    "live.create_series": _l("Weekly live sessions scheduled"),
    "live.update": _l("Live session changed"),
    "live.cancel": _l("Live session cancelled"),
    "live.attendance": _l("Attendance recorded"),
    "person.update": _l("Personal details changed"),
    "person.role": _l("Role changed"),
    "person.programs": _l("Programs changed"),
    "person.deactivate": _l("Account deactivated"),
    "person.reactivate": _l("Account reactivated"),
    "person.reset_link": _l("Password reset link sent"),
    "person.refused": _l("Personal details refused"),
    "name_correction.request": _l("Name correction requested"),
    "name_correction.approve": _l("Name correction approved"),
    "name_correction.reject": _l("Name correction rejected"),
    "submission.grade": _l("Assignment graded"),
    "submission.return": _l("Assignment returned for revision"),
    "member.apply": _l("Applied to a cohort"),
    "application.fields": _l("Application details changed"),
    "application.document": _l("Application document uploaded"),
    "application.review": _l("Application document reviewed"),
    "privacy.consent": _l("Privacy notice accepted"),
    "privacy.export": _l("Own data downloaded"),
    "privacy.deletion_requested": _l("Account deletion requested"),
    "privacy.deletion_processed": _l("Account deleted and anonymised"),
    "privacy.deletion_refused": _l("Account deletion refused"),
    "privacy.purge": _l("Data past its retention removed"),
}

FIELDS = {
    "name": _l("Name"), "number": _l("Number"), "year": _l("Year"),
    "description": _l("Description"), "registration_opens_on": _l("Registration opens"),
    "registration_closes_on": _l("Registration closes"), "starts_on": _l("Starts"),
    "ends_on": _l("Ends"), "capacity": _l("Places"), "enrollment_mode": _l("Enrollment"),
    "enrollment_key": _l("Enrollment key"), "status": _l("Status"), "topic": _l("Topic"),
    "course_id": _l("Course"), "instructor_id": _l("Instructor"), "starts_at": _l("Starts"),
    "ends_at": _l("Ends"), "meeting_url": _l("Meeting link"),
    "recording_url": _l("Recording link"), "full_name": _l("Name as printed on certificates"),
    "academic_title": _l("Academic title"), "nip": _l("NIP"),
    "institution": _l("Institution or library"), "position": _l("Position"),
    "email": _l("Email"), "role": _l("Role"), "reason": _l("Reason"),
    # What a person's data archive held (privacy.export).
    "applications": _l("Applications"), "attempts": _l("Attempts"),
    "submissions": _l("Submissions"), "module_progress": _l("Modules opened"),
    "forum_threads": _l("Forum threads"), "forum_posts": _l("Forum posts"),
    "attendance": _l("Attendance"), "evaluations": _l("Evaluations"),
    "certificates": _l("Certificates"), "name_corrections": _l("Name corrections"),
    "audit": _l("Audit entries"),
    # Messages to a cohort and weekly series (lms/notifications/, lms/live/).
    "message": _l("Message"), "recipients": _l("Recipients"), "weeks": _l("Weeks"),
    "notifications": _l("Notifications"), "messages": _l("Messages"),
}


def action_label(key: str) -> str:
    """'Cohort changed' for 'cohort.update'; an action not listed here keeps its key."""
    label = ACTIONS.get(key)
    return str(label) if label is not None else key


def field_label(key: str) -> str:
    label = FIELDS.get(key)
    return str(label) if label is not None else key


def value_text(value) -> str:
    """A logged value for reading: stored ISO times in the reader's zone, yes and no."""
    if value is None:
        return "∅"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, str) and len(value) >= 10 and value[4:5] == "-" and value[7:8] == "-":
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
        if len(value) == 10:
            return long_date(date.fromisoformat(value))
        return long_datetime(moment)
    return str(value)
