"""The question types' names as readers see them, through the catalog.

The types themselves stay free of Flask (their ``label`` is the English name); this module
marks those names for extraction and gives templates the `question_type` filter.
"""

from flask_babel import gettext, lazy_gettext

from lms.quizzes import types

# Marked for extraction: the same texts as the types' `label`.
_LABELS = (lazy_gettext("Single choice"), lazy_gettext("Multiple response"),
           lazy_gettext("True/false"), lazy_gettext("Short answer"), lazy_gettext("Numerical"),
           lazy_gettext("Matching"), lazy_gettext("Ordering"), lazy_gettext("Essay"),
           lazy_gettext("Description"))


def question_type(name: str) -> str:
    """'Pilihan tunggal' for 'single'; an unknown name as it is."""
    kind = types.REGISTRY.get(name)
    return gettext(kind.label) if kind is not None else name
