"""The mails of a cohort: applying, selection, accounts made by import, announcements.

Each one is written in the recipient's language (lms.mail.send_to), says what the
recipient's status now is, and links to the page where they can act on it. Decisions,
enrollment and announcements are notifications too (lms.notifications.services.notify):
in the person's list, and mailed as they chose (decisions and enrollment always).
"""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import gettext as _
from markupsafe import Markup

from lms.auth.models import User
from lms.cohorts.models import Announcement, Cohort
from lms.i18n import long_date
from lms.mail import send_to
from lms.notifications.services import notify
from lms.urls import external_url


def _letter(user: User, lines: list[str], action: str, link: str,
            footer: Iterable[str] = ()) -> str:
    return "\n".join([_("Hello %(name)s,", name=user.full_name), "", *lines, "",
                      action, link, *footer, ""])


def _dates(cohort: Cohort) -> dict:
    return {"cohort": cohort.name, "start": long_date(cohort.starts_on),
            "end": long_date(cohort.ends_on)}


def application_sent(user: User, cohort: Cohort) -> None:
    send_to(user, lambda: (
        _("Application sent: %(cohort)s", cohort=cohort.name),
        _letter(user, [_("We have received your application to %(cohort)s. It now waits for "
                         "the coordinator's selection: this is not yet a decision. You will "
                         "get an email when it is decided.", cohort=cohort.name)],
                _("Follow your application here:"), external_url("cohorts.open_list"))))


def _decision(user: User, cohort: Cohort, kind: str, status: str, title, mail,
              endpoint: str) -> None:
    """A decision about user's place: a notification, always mailed (the mail is mail())."""
    notify(user, kind, f"{kind}:{cohort.id}:{status}:{_stamp()}", lambda: (title(), ""),
           endpoint=endpoint, target=("cohort", cohort.id), cohort_id=cohort.id, mail=mail)


def _stamp() -> str:
    # A person may be waitlisted, accepted, withdrawn and accepted again: each decision is
    # news, so the key carries the moment (to the second) as well as the status.
    from lms.clock import utcnow
    return utcnow().isoformat(timespec="seconds")


def accepted(user: User, cohort: Cohort, kind: str = "decision") -> None:
    """kind: "decision" after an application, "enrollment" when a coordinator or the
    person's own joining made them a participant."""
    _decision(user, cohort, kind, "accepted", lambda: _("You are accepted: %(cohort)s",
                                                        cohort=cohort.name), lambda: (
        _("You are accepted: %(cohort)s", cohort=cohort.name),
        _letter(user, [_("Congratulations! You are a participant of %(cohort)s, from "
                         "%(start)s to %(end)s. Sign in to start studying.", **_dates(cohort))],
                _("Start here:"), external_url("courses.dashboard"))), "courses.dashboard")


def waitlisted(user: User, cohort: Cohort) -> None:
    _decision(user, cohort, "decision", "waitlisted", lambda: _(
        "Waiting list: %(cohort)s", cohort=cohort.name), lambda: (
        _("Waiting list: %(cohort)s", cohort=cohort.name),
        _letter(user, [_("You are on the waiting list of %(cohort)s. We will write to you if "
                         "a place becomes free.", cohort=cohort.name)],
                _("Follow your application here:"), external_url("cohorts.open_list"))),
        "cohorts.open_list")


def rejected(user: User, cohort: Cohort) -> None:
    _decision(user, cohort, "decision", "rejected", lambda: _(
        "Your application: %(cohort)s", cohort=cohort.name), lambda: (
        _("Your application: %(cohort)s", cohort=cohort.name),
        _letter(user, [_("Thank you for applying to %(cohort)s. We are sorry that we cannot "
                         "offer you a place in this cohort.", cohort=cohort.name)],
                _("Cohorts open for applications:"), external_url("cohorts.open_list"))),
        "cohorts.open_list")


def account_created(user: User, cohort: Cohort, is_participant: bool) -> None:
    """For an account made by a roster import; says whether a place was free."""

    def compose() -> tuple[str, str]:
        if is_participant:
            status = _("An account was made for you as a participant of %(cohort)s, from "
                       "%(start)s to %(end)s.", **_dates(cohort))
        else:
            status = _("An account was made for you, and you are on the waiting list of "
                       "%(cohort)s: the cohort is full. We will write to you if a place "
                       "becomes free.", cohort=cohort.name)
        return (_("Your account for %(cohort)s", cohort=cohort.name),
                _letter(user, [status],
                        _("Choose your password on this page, with this email address:"),
                        external_url("auth.forgot")))

    send_to(user, compose)


def announcement(users: Iterable[User], cohort: Cohort, item: Announcement) -> int:
    """The announcement to each of users (accepted participants but the author): in their
    list, and by mail unless they turned announcement mails off; how many were told."""
    told = 0
    for user in users:
        if notify(user, "announcement", f"announcement:{item.id}", lambda: (
                # The words of the rendered announcement: no **Markdown** in the list.
                f"{cohort.name}: {item.title}",
                Markup(item.body_html).striptags()[:2000]),  # noqa: S704 - sanitized, to text
                endpoint="courses.dashboard", anchor=f"announcement-{item.id}",
                target=("announcement", item.id), cohort_id=cohort.id,
                mail=lambda user=user: (
                    f"{cohort.name}: {item.title}",
                    _letter(user, [item.title, "", item.body_markdown.strip()],
                            _("Read it on the site:"),
                            external_url("courses.dashboard",
                                         _anchor=f"announcement-{item.id}"),
                            ["", _("You receive the announcements of your cohorts by email. "
                                   "To stop them:"), external_url("notifications.settings")]))):
            told += 1
    return told
