"""A GIFT question's text with escapes resolved, each character keeping its line."""

from __future__ import annotations

ESCAPES = {"~": "~", "=": "=", "#": "#", "{": "{", "}": "}", ":": ":", "\\": "\\", "n": "\n"}


class GiftSource:
    """Question source with escapes resolved.

    Every character keeps the line it came from, and whether it was escaped: an escaped
    character is always text, never markup, so searches skip it.
    """

    __slots__ = ("chars", "lines", "literal", "origin")

    def __init__(self, chars: str, lines: list[int], literal: list[bool], origin: int) -> None:
        self.chars = chars
        self.lines = lines
        self.literal = literal
        self.origin = origin

    @classmethod
    def from_lines(cls, numbered: list[tuple[int, str]]) -> GiftSource:
        chars: list[str] = []
        lines: list[int] = []
        literal: list[bool] = []
        for number, line in numbered:
            if chars:
                chars.append("\n")
                lines.append(lines[-1])
                literal.append(False)
            index = 0
            while index < len(line):
                char = line[index]
                escaped = char == "\\" and index + 1 < len(line) and line[index + 1] in ESCAPES
                chars.append(ESCAPES[line[index + 1]] if escaped else char)
                lines.append(number)
                literal.append(escaped)
                index += 2 if escaped else 1
        return cls("".join(chars), lines, literal, numbered[0][0])

    def __str__(self) -> str:
        return self.chars

    def __len__(self) -> int:
        return len(self.chars)

    def __getitem__(self, key: slice) -> GiftSource:
        start = key.indices(len(self.chars))[0]
        origin = self.lines[min(start, len(self.lines) - 1)] if self.lines else self.origin
        return GiftSource(self.chars[key], self.lines[key], self.literal[key], origin)

    @property
    def line(self) -> int:
        """The line of the first character (or where an empty piece was cut from)."""
        return self.lines[0] if self.lines else self.origin

    def line_at(self, index: int) -> int:
        return self.lines[index] if 0 <= index < len(self.lines) else self.line

    def find(self, token: str, start: int = 0, end: int | None = None) -> int:
        """Index of the first unescaped ``token``, or -1."""
        end = len(self.chars) if end is None else end
        index = self.chars.find(token, start, end)
        while index >= 0 and any(self.literal[index : index + len(token)]):
            index = self.chars.find(token, index + 1, end)
        return index

    def startswith(self, token: str) -> bool:
        return self.find(token, 0, len(token)) == 0

    def strip(self) -> GiftSource:
        """Drop surrounding whitespace (an escaped ``\\n`` too, as Moodle trims it)."""
        start, end = 0, len(self.chars)
        while start < end and self.chars[start].isspace():
            start += 1
        while end > start and self.chars[end - 1].isspace():
            end -= 1
        return self[start:end]

    def items(self, markers: str) -> tuple[GiftSource, list[tuple[str, GiftSource]]]:
        """Split at each unescaped marker: the text before the first, then (marker, piece)."""
        cuts = [i for i, char in enumerate(self.chars) if char in markers and not self.literal[i]]
        ends = [*cuts[1:], len(self.chars)] if cuts else []
        pieces = [(self.chars[c], self[c + 1 : end]) for c, end in zip(cuts, ends, strict=True)]
        return self[: cuts[0] if cuts else len(self.chars)], pieces
