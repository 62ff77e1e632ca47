"""Video embeds from an allow-list of providers: the URL an author pastes, the frame we show.

Pure: no Flask. Only providers named here can be embedded, and only the ones the site
allows (config VIDEO_PROVIDERS) reach the Content-Security-Policy's frame-src.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from urllib.parse import parse_qs, urlsplit

DEFAULT_PROVIDERS = ("youtube", "vimeo")
# `::video[Title](URL)` on a line of its own, optionally `{captions=id}` after it.
DIRECTIVE = re.compile(
    r"^::video\[(?P<title>[^\]]*)\]\((?P<url>[^)\s]*)\)"
    r"(?:\{captions=(?P<captions>[A-Za-z]{2,3}(?:-[A-Za-z]{2,4})?)\})?\s*$")
_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_VIMEO_ID = re.compile(r"^\d{5,12}$")


@dataclass(frozen=True)
class Provider:
    name: str
    label: str
    origin: str  # what the Content-Security-Policy allows in frame-src
    video_id: Callable[[str, str, dict], str | None]  # (host, path, query) -> id
    embed: Callable[[str, str | None], str]  # (id, caption language) -> frame URL
    watch: Callable[[str], str]  # id -> the provider's own page (the link fallback)


def _youtube_id(host: str, path: str, query: dict) -> str | None:
    if host in ("youtu.be",):
        candidate = path.strip("/")
    elif host in ("youtube.com", "m.youtube.com", "youtube-nocookie.com"):
        if path == "/watch":
            candidate = (query.get("v") or [""])[0]
        elif path.startswith(("/embed/", "/shorts/", "/live/")):
            candidate = path.split("/")[2]
        else:
            return None
    else:
        return None
    return candidate if _YOUTUBE_ID.match(candidate) else None


def _youtube_embed(video_id: str, captions: str | None) -> str:
    # youtube-nocookie.com is YouTube's privacy-enhanced mode: no cookies until play.
    url = f"https://www.youtube-nocookie.com/embed/{video_id}?rel=0"
    if captions:
        url += f"&cc_load_policy=1&cc_lang_pref={captions}&hl={captions}"
    return url


def _vimeo_id(host: str, path: str, query: dict) -> str | None:
    if host == "vimeo.com":
        candidate = path.strip("/").split("/")[0]
    elif host == "player.vimeo.com" and path.startswith("/video/"):
        candidate = path.split("/")[2]
    else:
        return None
    return candidate if _VIMEO_ID.match(candidate) else None


def _vimeo_embed(video_id: str, captions: str | None) -> str:
    url = f"https://player.vimeo.com/video/{video_id}?dnt=1"
    if captions:
        url += f"&texttrack={captions}"
    return url


PROVIDERS: dict[str, Provider] = {
    "youtube": Provider("youtube", "YouTube", "https://www.youtube-nocookie.com", _youtube_id,
                        _youtube_embed, lambda v: f"https://www.youtube.com/watch?v={v}"),
    "vimeo": Provider("vimeo", "Vimeo", "https://player.vimeo.com", _vimeo_id, _vimeo_embed,
                      lambda v: f"https://vimeo.com/{v}"),
}


def find_video(url: str, allowed=DEFAULT_PROVIDERS) -> tuple[Provider, str] | None:
    """The allowed provider and video id of url, or None."""
    parts = urlsplit(url)
    if parts.scheme != "https":
        return None
    host = (parts.hostname or "").lower().removeprefix("www.")
    query = parse_qs(parts.query)
    for name in allowed:
        provider = PROVIDERS.get(name)
        video_id = provider.video_id(host, parts.path, query) if provider else None
        if video_id:
            return provider, video_id
    return None


def check_video(title: str, url: str, allowed=DEFAULT_PROVIDERS) -> str | None:
    """The problem with one directive, or None."""
    if not title.strip():
        return f"video '{url}' needs a title: ::video[what it shows]({url})"
    if find_video(url, allowed) is None:
        names = ", ".join(PROVIDERS[n].label for n in allowed if n in PROVIDERS)
        return (f"video '{url}' is not from an allowed provider ({names}); "
                "paste the video's https address from one of them")
    return None


def frame_html(title: str, url: str, captions: str | None, allowed=DEFAULT_PROVIDERS) -> str:
    """A lazy-loaded, titled frame with a link to the video in its caption (the fallback
    when the frame cannot load). Only for a URL
    find_video accepts: the frame's addresses are built here, never copied from input."""
    found = find_video(url, allowed)
    if found is None:
        raise ValueError(f"not an allowed video: {url}")
    label = escape(title.strip() or url)
    provider, video_id = found
    src = escape(provider.embed(video_id, captions))
    watch = escape(provider.watch(video_id))
    return (f'<figure class="video"><div class="video-frame"><iframe src="{src}" '
            f'title="{label}" loading="lazy" width="560" height="315" '
            'allow="fullscreen; picture-in-picture; encrypted-media" '
            # No sandbox attribute: a player needs scripts and its own origin, and the two
            # together undo a sandbox (the HTML checker says so); the frame is cross-origin
            # and the security policy's frame-src admits only the allowed players.
            'referrerpolicy="strict-origin-when-cross-origin"></iframe></div>'
            f'<figcaption><a href="{watch}">{label}</a> ({provider.label})</figcaption>'
            '</figure>')


def frame_origins(allowed=DEFAULT_PROVIDERS) -> list[str]:
    return [PROVIDERS[name].origin for name in allowed if name in PROVIDERS]
