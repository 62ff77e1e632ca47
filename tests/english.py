"""Words and phrases the Indonesian interface never shows: WTForms' and Flask's English
messages, English interface words, internal question ids. Used by the crawler
(tests/browser/test_crawl.py) and the form walker (tests/site/test_bad_input.py) on the
visible text of a page, without parts marked with another language (lang="en")."""

import re

ENGLISH = (
    "This field is required", "Field must be", "Not a valid", "Invalid", "is not a number",
    "is not offered", "CSRF", "Please", "Submit", "Cancel", "Save", "Sign in", "Sign out",
    "Password", "Question", "Answer", "Course", "Cohort", "Attempt", "Certificate",
    "Participant", "Instructor", "Coordinator", "Search", "Upload", "Download", "Back to",
    "Previous", "Next", "required", "must", "should", "cannot", "not found", "Error",
    "error", "Internal Server", "Bad Request", "Forbidden", "Method Not Allowed", "line ",
    "single", "multiple", "truefalse", "numerical", "essay", "matching", "ordering",
    "the ", " and ", " of ", " with ", " for ", "You ", "Your ", " your ", "+0700", "UTC",
)
_PATTERN = re.compile("|".join(
    (r"\b" if w[0].isalnum() else "") + re.escape(w) + (r"\b" if w[-1].isalnum() else "")
    for w in ENGLISH))


def english_in(text: str) -> list[str]:
    """The English words found in visible text, each with a little context."""
    return [text[max(0, m.start() - 30):m.end() + 30].replace("\n", " ")
            for m in _PATTERN.finditer(text)]
