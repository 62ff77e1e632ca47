"""Forum pages: a cohort's forums, threads, posts, moderation, search and the digest switch.

Everyone who is not in the cohort (an accepted participant, an instructor) and not a
coordinator or admin gets 404 on every page of it: the cohort is not revealed.
"""

import re

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import SelectChoice

from lms.cohorts.access import CohortAccess, cohort_required
from lms.extensions import db
from lms.forums import digest as digests
from lms.forums import services
from lms.forums.forms import EditForm, MoveForm, ReplyForm, ThreadForm
from lms.forums.models import Forum, Post, Thread  # noqa: F401 - db.create_all() sees the tables

bp = Blueprint("forums", __name__)
THREAD_ACTION = "any(pin,unpin,lock,unlock,hide,unhide)"
SNIPPET = 240


@bp.context_processor
def forum_helpers():
    return {"forum_name": services.forum_name}


def _page() -> int:
    page = request.args.get("page", 1, type=int)
    if page < 1:
        abort(404)
    return page


def _check_page(pagination, page: int) -> None:
    if page > max(pagination.pages, 1):
        abort(404)


def _forum_or_404(acc: CohortAccess, forum_id: int) -> Forum:
    forum = services.get_forum(acc.cohort, forum_id)
    if forum is None:
        abort(404)
    return forum


def _thread_or_404(acc: CohortAccess, thread_id: int) -> Thread:
    thread = services.get_thread(acc, thread_id)
    if thread is None:
        abort(404)
    return thread


def _post_or_404(acc: CohortAccess, post_id: int) -> Post:
    post = services.get_post(acc, post_id)
    if post is None:
        abort(404)
    return post


def _post_url(acc: CohortAccess, post: Post) -> str:
    return url_for(".thread", code=acc.cohort.code, thread_id=post.thread_id,
                   page=services.page_of(acc, post), _anchor=f"post-{post.id}")


@bp.get("/cohorts/<code>/forums")
@cohort_required("view")
def index(code: str, access: CohortAccess):
    acc = access
    forums = services.cohort_forums(acc.cohort)
    summaries = services.forum_summaries(acc, forums)
    subscribed = digests.subscription(acc.user_id, acc.cohort) is not None
    db.session.commit()  # forums made on first listing
    return render_template("forums/index.html", acc=acc, cohort=acc.cohort, forums=forums,
                           summaries=summaries, subscribed=subscribed, form=FlaskForm())


@bp.post("/cohorts/<code>/forums/digest")
@cohort_required("view")
def digest(code: str, access: CohortAccess):
    acc = access
    if not FlaskForm().validate_on_submit():
        abort(400)
    on = digests.set_digest(acc, request.form.get("on") == "1")
    db.session.commit()
    flash(_("You will receive an email with the new posts of this cohort's forums.") if on
          else _("You will no longer receive emails with the new forum posts."), "success")
    return redirect(url_for(".index", code=code), 303)


@bp.get("/cohorts/<code>/forums/<int:forum_id>")
@cohort_required("view")
def forum(code: str, forum_id: int, access: CohortAccess):
    acc = access
    found = _forum_or_404(acc, forum_id)
    page = _page()
    threads = services.threads_page(acc, found, page)
    _check_page(threads, page)
    return render_template("forums/forum.html", acc=acc, cohort=acc.cohort, forum=found,
                           threads=threads,
                           summaries=services.thread_summaries(acc, threads.items))


@bp.route("/cohorts/<code>/forums/<int:forum_id>/new", methods=["GET", "POST"])
@cohort_required("view")
def new_thread(code: str, forum_id: int, access: CohortAccess):
    acc = access
    found = _forum_or_404(acc, forum_id)
    form = ThreadForm()
    if form.validate_on_submit():
        try:
            thread = services.start_thread(acc, found, form.title.data, form.body.data)
        except services.ForumError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            db.session.commit()
            flash(_("Thread started."), "success")
            return redirect(url_for(".thread", code=code, thread_id=thread.id), 303)
    status = 400 if form.is_submitted() else 200
    return render_template("forums/new_thread.html", acc=acc, cohort=acc.cohort, forum=found,
                           form=form), status


@bp.route("/cohorts/<code>/threads/<int:thread_id>", methods=["GET", "POST"])
@cohort_required("view")
def thread(code: str, thread_id: int, access: CohortAccess):
    acc = access
    form = ReplyForm()
    if form.is_submitted():
        return _reply(acc, thread_id, form)
    found = _thread_or_404(acc, thread_id)
    return _render_thread(acc, found, form)


def _render_thread(acc: CohortAccess, found: Thread, form: ReplyForm, status: int = 200):
    page = _page()
    posts = services.posts_page(acc, found, page)
    _check_page(posts, page)
    moderator = services.moderates(acc, found.forum)
    move_form = None
    if moderator:
        move_form = MoveForm()
        move_form.forum.choices = [SelectChoice(f.id, services.forum_name(f))
                                   for f in services.move_targets(acc, found)]
    if posts.items and status == 200:
        services.mark_read(acc.user_id, found, max(p.created_at for p in posts.items))
    db.session.commit()  # what was read; forums made for the move list
    return render_template(
        "forums/thread.html", acc=acc, cohort=acc.cohort, forum=found.forum, thread=found,
        posts=posts, form=form, moderator=moderator, move_form=move_form,
        actions=FlaskForm(), editable={p.id for p in posts.items if services.may_edit(acc, p)},
    ), status


def _reply(acc: CohortAccess, thread_id: int, form: ReplyForm):
    """A reply: refused in a closed thread (even one hidden since the page was opened)."""
    found = services.get_thread(acc, thread_id, hidden_ok=True)
    if found is None:
        abort(404)
    hidden_from_reader = found.hidden and not services.moderates(acc, found.forum)
    try:
        services.check_open(found)
    except services.ForumError as exc:
        flash(exc.message, "error")
        target = (url_for(".forum", code=acc.cohort.code, forum_id=found.forum_id)
                  if hidden_from_reader else
                  url_for(".thread", code=acc.cohort.code, thread_id=found.id))
        return redirect(target, 303)
    if not form.validate():
        return _render_thread(acc, found, form, 400)
    try:
        post = services.reply(acc, found, form.body.data)
    except services.ForumError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for(".thread", code=acc.cohort.code, thread_id=found.id), 303)
    db.session.commit()
    flash(_("Reply posted."), "success")
    return redirect(_post_url(acc, post), 303)


@bp.post("/cohorts/<code>/threads/<int:thread_id>/<" + THREAD_ACTION + ":action>")
@cohort_required("view")
def moderate_thread(code: str, thread_id: int, action: str, access: CohortAccess):
    acc = access
    found = _thread_or_404(acc, thread_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        services.moderate_thread(acc, found, action)
    except services.ForumError:
        abort(403)
    db.session.commit()
    flash({"pin": _("Thread pinned."), "unpin": _("Thread unpinned."),
           "lock": _("Thread locked: no more replies."), "unlock": _("Thread unlocked."),
           "hide": _("Thread hidden from participants."),
           "unhide": _("Thread visible to participants again.")}[action], "success")
    return redirect(url_for(".thread", code=code, thread_id=found.id), 303)


@bp.post("/cohorts/<code>/threads/<int:thread_id>/move")
@cohort_required("view")
def move_thread(code: str, thread_id: int, access: CohortAccess):
    acc = access
    found = _thread_or_404(acc, thread_id)
    if not services.moderates(acc, found.forum):
        abort(403)
    form = MoveForm()
    form.forum.choices = [SelectChoice(f.id, services.forum_name(f))
                          for f in services.move_targets(acc, found)]
    if not form.validate_on_submit():
        flash(_("Choose a forum to move the thread to."), "error")
        return redirect(url_for(".thread", code=code, thread_id=found.id), 303)
    target = _forum_or_404(acc, form.forum.data)
    try:
        services.move_thread(acc, found, target)
    except services.ForumError:
        abort(403)
    db.session.commit()
    flash(_("Thread moved to %(forum)s.", forum=services.forum_name(target)), "success")
    return redirect(url_for(".thread", code=code, thread_id=found.id), 303)


@bp.get("/cohorts/<code>/posts/<int:post_id>", endpoint="post")
@cohort_required("view")
def show_post(code: str, post_id: int, access: CohortAccess):
    """A post's place in its thread (links from search results and digests)."""
    acc = access
    return redirect(_post_url(acc, _post_or_404(acc, post_id)))


@bp.route("/cohorts/<code>/posts/<int:post_id>/edit", methods=["GET", "POST"])
@cohort_required("view")
def edit_post(code: str, post_id: int, access: CohortAccess):
    acc = access
    found = _post_or_404(acc, post_id)
    if found.author_id != acc.user_id and not services.moderates(acc, found.thread.forum):
        abort(403)
    if not services.may_edit(acc, found):
        flash(_("This post can no longer be edited: authors may edit for %(n)d minutes after "
                "posting, in an open thread.", n=services.edit_minutes()), "error")
        return redirect(_post_url(acc, found), 303)
    first = services.is_first_post(found)
    form = EditForm(data={"title": found.thread.title, "body": found.body_markdown})
    if not first:
        del form.title
    if form.validate_on_submit():
        try:
            services.edit_post(acc, found, form.body.data, form.title.data if first else None)
        except services.ForumError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            db.session.commit()
            flash(_("Post saved."), "success")
            return redirect(_post_url(acc, found), 303)
    status = 400 if form.is_submitted() else 200
    return render_template("forums/edit.html", acc=acc, cohort=acc.cohort, post=found,
                           thread=found.thread, forum=found.thread.forum, form=form), status


@bp.post("/cohorts/<code>/posts/<int:post_id>/<any(hide,unhide):action>")
@cohort_required("view")
def moderate_post(code: str, post_id: int, action: str, access: CohortAccess):
    acc = access
    found = _post_or_404(acc, post_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        services.moderate_post(acc, found, hide=action == "hide")
    except services.ForumError:
        abort(403)
    db.session.commit()
    flash(_("Post hidden from participants.") if action == "hide"
          else _("Post visible to participants again."), "success")
    return redirect(_post_url(acc, found), 303)


@bp.get("/cohorts/<code>/forums/search")
@cohort_required("view")
def search(code: str, access: CohortAccess):
    acc = access
    text = " ".join(request.args.get("q", "").split())[:services.MAX_QUERY]
    page = _page()
    results = None
    if len(text) >= services.MIN_QUERY:
        results = services.search(acc, text, page)
        _check_page(results, page)
    return render_template("forums/search.html", acc=acc, cohort=acc.cohort, text=text,
                           results=results, snippet=lambda post: _snippet(post, text),
                           too_short=bool(text) and results is None)


def _snippet(post: Post, text: str) -> list[tuple[str, bool]]:
    """Plain text around the first match, cut in (part, is_match) pieces for <mark>."""
    plain = services.plain_text(post.body_html)
    at = plain.lower().find(text.lower())
    start = max(at - SNIPPET // 2, 0) if at >= 0 else 0
    window = plain[start:start + SNIPPET]
    prefix = "… " if start else ""
    suffix = " …" if start + SNIPPET < len(plain) else ""
    pieces = re.split(f"({re.escape(text)})", window, flags=re.IGNORECASE)
    parts = [(piece, i % 2 == 1) for i, piece in enumerate(pieces) if piece]
    return [(prefix, False), *parts, (suffix, False)]
