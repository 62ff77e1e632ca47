"""Links and images in modules: rendered through render_markdown, checked with line numbers.

Pure: no Flask, no database. Module file links (`02-x.md#part`) become stable
module ids (`module-id#part`), so pages link by id however files are renamed.
"""

from __future__ import annotations

import re

from lms.markup import render_markdown
from lms.sources import Problem
from lms.video import DEFAULT_PROVIDERS

_CODE_FENCE = re.compile(r"^\s*(```|~~~)")
_INLINE_LINK = re.compile(
    r"(!?)\[((?:[^\]\\]|\\.)*)\]\(\s*<?([^)\s>]*)>?(?:\s+[\"'][^\"']*[\"'])?\s*\)"
)
_REFERENCE_DEF = re.compile(r"^\s{0,3}\[(?!\^)[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")


def _targets(body: str):
    """(line offset, is_image, alt, target) of every link and image outside code."""
    in_fence = False
    for offset, line in enumerate(body.split("\n")):
        if _CODE_FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        stripped = re.sub(r"`[^`]*`", "", line)
        for match in _INLINE_LINK.finditer(stripped):
            yield offset, match.group(1) == "!", match.group(2), match.group(3)
        ref = _REFERENCE_DEF.match(stripped)
        if ref:
            yield offset, False, "", ref.group(1)


def render_and_check_links(assets, modules: list, *, videos=DEFAULT_PROVIDERS,
                           glossary=None, cache=None, refused_files=None) -> list[Problem]:
    """Render each module (module file links become module ids) and check every link.

    With a cache (the staff preview), a module is rendered again only when its text, the
    module file names or the glossary changed. Links to a refused module's file still
    resolve to its id: the last good version of that module keeps serving.
    """
    problems: list[Problem] = []
    by_file = {m.filename: m for m in modules}
    ids = {name: m.id for name, m in by_file.items()} | dict(refused_files or {})

    def rewrite(href: str) -> str:
        target, _sep, anchor = href.partition("#")
        if ids.get(target):
            return ids[target] + (f"#{anchor}" if anchor else "")
        return href

    context = (tuple(sorted((k, v or "") for k, v in ids.items())), tuple(glossary or ()),
               tuple(videos))
    for module in modules:
        key = (module.digest, context)
        if cache is not None and key in cache.renders:
            module.html, module.anchors = cache.renders[key]
            continue
        rendered = render_markdown(module.body, rewrite_link=rewrite, videos=videos,
                                   glossary=glossary)
        module.html = rendered.html
        module.anchors = {anchor for _lvl, anchor, _name in rendered.headings}
        module.anchors |= set(re.findall(r'id="([^"]+)"', rendered.html))
        if cache is not None:
            cache.rendered += 1
            cache.renders[key] = (module.html, module.anchors)
    for module in modules:
        for offset, is_image, alt, target in _targets(module.body):
            line = module.body_line + offset
            message = _check_target(assets, by_file, ids, module, is_image, alt, target)
            if message:
                problems.append(Problem(module.path, line, message))
    return problems


def _check_target(assets, by_file, ids, module, is_image: bool, alt: str,
                  target: str) -> str | None:
    if not target:
        return "empty link target"
    scheme = _SCHEME.match(target)
    if is_image:
        if not alt.strip():
            return f"image '{target}' needs alternative text: ![what it shows]({target})"
        if scheme or not target.startswith("../assets/"):
            return f"image '{target}' must be a file in the course's assets/ (../assets/NAME)"
        name = target[len("../assets/"):]
        if name not in assets:
            return f"image '{name}' does not exist in assets/"
        return None
    if scheme:
        if scheme.group(1).lower() not in {"http", "https", "mailto"}:
            return f"link '{target}' uses a scheme that is not allowed (http, https, mailto)"
        return None
    path, _sep, anchor = target.partition("#")
    if not path:
        if anchor and anchor not in module.anchors:
            return f"link to '#{anchor}': no heading or note with that anchor in this module"
        return None
    if path.startswith("../assets/"):
        if path[len("../assets/"):] not in assets:
            return f"link to asset '{path}' which does not exist"
        return None
    if path.endswith(".md"):
        other = by_file.get(path)
        if other is None and path in ids:
            return None  # a refused module: its own problem is reported already
        if other is None:
            return f"link to module file '{path}' which does not exist in modules/"
        if anchor and anchor not in other.anchors:
            return f"link to '{path}#{anchor}': that module has no heading with this anchor"
        return None
    return f"link '{target}' points to a file that is not a module (.md) or an asset"
