"""Links and images in modules: rendered through render_markdown, checked with line numbers.

Pure: no Flask, no database. Module file links (`02-x.md#part`) become stable
module ids (`module-id#part`), so pages link by id however files are renamed.
"""

from __future__ import annotations

import re

from lms.courses.source import Problem
from lms.markup import render_markdown

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


def render_and_check_links(assets: dict, modules: list) -> list[Problem]:
    """Render each module (module file links become module ids) and check every link."""
    problems: list[Problem] = []
    by_file = {m.filename: m for m in modules}

    def rewrite(href: str) -> str:
        target, _sep, anchor = href.partition("#")
        if target in by_file:
            return by_file[target].id + (f"#{anchor}" if anchor else "")
        return href

    for module in modules:
        rendered = render_markdown(module.body, rewrite_link=rewrite)
        module.html = rendered.html
        module.anchors = {anchor for _lvl, anchor, _name in rendered.headings}
        module.anchors |= set(re.findall(r'id="([^"]+)"', rendered.html))
    for module in modules:
        for offset, is_image, alt, target in _targets(module.body):
            line = module.body_line + offset
            message = _check_target(assets, by_file, module, is_image, alt, target)
            if message:
                problems.append(Problem(module.path, line, message))
    return problems


def _check_target(assets, by_file, module, is_image: bool, alt: str, target: str) -> str | None:
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
        if other is None:
            return f"link to module file '{path}' which does not exist in modules/"
        if anchor and anchor not in other.anchors:
            return f"link to '{path}#{anchor}': that module has no heading with this anchor"
        return None
    return f"link '{target}' points to a file that is not a module (.md) or an asset"
