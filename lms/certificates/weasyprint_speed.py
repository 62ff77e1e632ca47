"""WeasyPrint's steps made cheaper for certificates, the same PDF byte for byte.

A cohort's certificates are one template with other names in it, so each render did
again what the one before had done: WeasyPrint matches and cascades every element's
rules, computes every property of every element and anonymous box lazily (one
`__missing__` call each, about 6,000 a certificate), breaks the same labels, titles and
course names into lines with Pango, and builds sixteen empty page-margin boxes per page.
`accelerated()` installs, for the time of one of our renders (serialized by pdf.py's
lock), changes that leave the output as it was (tests/certificates/test_pdf_speed.py
compares the bytes with and without, over unlike certificates in a shuffled order):

- **cascaded values kept** per set of matched rules: an element matching the same rules
  of the same process-wide stylesheets, with no declarations of its own, gets the dicts
  made the first time (StyleFor.__init__ of WeasyPrint 70, otherwise as written there);
- **computed styles kept**: an element's computed style depends only on its cascaded
  values, its parent's computed style, its pseudo-element type, the base URL and the font
  configuration. Keyed by those (the parent by its own key number, the values by that set
  of rules or compared by equality, never by identity alone), each style starts from the
  values the same style computed before, so only new properties are computed. Only
  immutable values are kept (strings, numbers, tuples of them, colours); position,
  float and display are always computed, because WeasyPrint also records their
  specified value as it does;
- **a fast path** for a property that is neither declared for the element nor special:
  the parent's value if it inherits, the initial value if that needs no computing, which
  is what WeasyPrint's general path ends with for those, minus its string work;
- **line breaks kept**: the same text, width and every property line breaking reads give
  the same line; WeasyPrint returns its layout object emptied of Pango's objects (drawing
  sets them up again), so a copy of the kept one is returned;
- **drawing layouts kept**: drawing a line sets its Pango layout up again; the same
  text, spacing and line-breaking properties give the same layout, which drawing only
  reads, except for a line drawn with an ellipsis (WeasyPrint changes its text);
- **no page-margin boxes** when no page rule gives any of them content: WeasyPrint builds
  and resolves all sixteen, then drops every one that has none;
- SVG lengths that are plain numbers (the QR code's dashes), a box's lengths in px or %,
  and pydyf's bytes for exact bytes, strings, ints and floats (kept by value), without
  their general paths.

What is kept is bounded (MAX_KEPT_STYLES, MAX_KEPT_LINES, MAX_KEPT_LAYOUTS) and only
for renders with the process's certificate font configuration. The originals are put
back after each render, so anything else in the process renders with WeasyPrint as
shipped (bench/certificates.py's minimal document, for one). All of it leans on WeasyPrint 70's
internals; revisit when upgrading WeasyPrint: `accelerated()` does nothing if any of
them has changed shape.
"""

from __future__ import annotations

import copy
import importlib
import itertools
import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from math import inf

import pydyf
import tinycss2.color4

try:
    import weasyprint
    import weasyprint.css as wcss
    import weasyprint.draw as wdraw
    import weasyprint.layout as wlayout
    import weasyprint.layout.inline as winline
    import weasyprint.layout.page as wpage
    import weasyprint.layout.percent as wpercent
    import weasyprint.layout.preferred as wpreferred
    import weasyprint.text.line_break as wline_break
    # By module path: weasyprint.svg has functions named like some of its modules.
    wsvg = importlib.import_module("weasyprint.svg")
    wsvg_defs = importlib.import_module("weasyprint.svg.defs")
    wsvg_text = importlib.import_module("weasyprint.svg.text")
    wsvg_utils = importlib.import_module("weasyprint.svg.utils")
    from weasyprint.css.computed_values import PHYSICAL_FUNCTIONS
    from weasyprint.css.functions import check_math
    from weasyprint.css.properties import INHERITED, INITIAL_NOT_COMPUTED, INITIAL_VALUES

    _SHAPE_OK = (
        weasyprint.__version__.split(".")[0] == "70"
        and "__missing__" in vars(wcss.ComputedStyle)
        and "__missing__" in vars(wcss.AnonymousStyle)
        and isinstance(vars(wcss.Style).get("anonymous_style"), cached_property)
        and hasattr(wcss.StyleFor, "set_computed_styles")
        and wlayout.make_margin_boxes is wpage.make_margin_boxes
        and wsvg.size is wsvg_utils.size is wsvg_defs.size is wsvg_text.size
        and callable(getattr(pydyf, "_to_bytes", None))
        and winline.split_first_line is wline_break.split_first_line
        and wpreferred.split_first_line is wline_break.split_first_line
        and hasattr(wline_break.Layout, "deactivate")
        and callable(getattr(wpercent, "resolve_one_percentage", None))
        and callable(getattr(wpercent, "percentage", None))
        and callable(getattr(wdraw, "draw_text", None))
        and callable(getattr(wline_break.Layout, "reactivate", None))
    )
except (ImportError, AttributeError):  # pragma: no cover - another WeasyPrint
    _SHAPE_OK = False

# Properties the fast path leaves to WeasyPrint: the logical ones (they may take a
# logical property's value), those with rules of their own in ComputedStyle.__missing__.
_SPECIAL = (
    frozenset(PHYSICAL_FUNCTIONS) | {"float", "display", "position", "page"}
    | {name for name in INITIAL_VALUES if name.startswith("text_decoration_")}
) if _SHAPE_OK else frozenset()
# Computed every time: __missing__ records their specified value too, which WeasyPrint
# reads (the display of an inline placeholder, the float and position of a block).
_NOT_KEPT = frozenset({"float", "display", "position"})
_MARGIN_BOXES = tuple(
    [f"@{side}-{where}" for side in ("top", "bottom") for where in ("left", "center", "right")]
    + [f"@{side}-{where}" for side in ("left", "right") for where in ("top", "middle", "bottom")]
    + [f"@{corner}-corner" for corner in ("top-left", "top-right", "bottom-left",
                                             "bottom-right")]
)
# Distinct styles of the certificate template: about 70. A program's template adds its
# own; far more than any template has, and the whole store is dropped if it fills up.
MAX_KEPT_STYLES = 4096

_kept: dict = {}
# Lines broken before, least recently used last out; a certificate has about sixty.
MAX_KEPT_LINES = 4096
_lines: OrderedDict = OrderedDict()
# Pango layouts set up for drawing, by text, spacing and line-breaking properties.
MAX_KEPT_LAYOUTS = 1024
_active: OrderedDict = OrderedDict()
# Every property WeasyPrint 70's split_first_line reads, with what it calls (Layout's
# setup and set_text, get_font_description, font_features, line_size, the hyphenation
# step, first_line_metrics); tests/certificates/test_pdf_speed.py checks that the renders of
# its certificates read no other.
_LINE_BREAK_PROPERTIES = (
    "direction", "font_family", "font_feature_settings", "font_kerning",
    "font_language_override", "font_size", "font_stretch", "font_style",
    "font_variant_alternates", "font_variant_caps", "font_variant_east_asian",
    "font_variant_ligatures", "font_variant_numeric", "font_variant_position",
    "font_variation_settings", "font_weight", "hyphenate_character",
    "hyphenate_limit_chars", "hyphenate_limit_zone", "hyphens", "lang", "letter_spacing",
    "line_height", "overflow_wrap", "tab_size", "text_decoration_line", "white_space",
    "word_break", "word_spacing",
)
# A style's key as a small number: the key of (parent's number, declared values, pseudo
# element), so that a child's key holds its parent's as one int, not the whole chain.
_numbers: dict = {}
# Each declared value seen, by id, with its comparable form: the values of the shared
# stylesheets are the same objects at every render. The value itself is kept beside it,
# so its id cannot be reused by another object while it is here.
_seen: dict = {}
_counter = itertools.count(1)
# pydyf's bytes for a float, by value.
_float_bytes: dict = {}
# Cascaded values per set of matched rules (see _style_for_init).
_cascades: dict = {}
_install_lock = threading.Lock()
_local = threading.local()


def _frozen(value) -> bool:
    """Whether a computed value can be shared between renders: nothing in it can change."""
    kind = type(value)
    if kind in (str, int, float, bool) or value is None:
        return True
    if isinstance(value, tuple):
        return all(_frozen(item) for item in value)
    return isinstance(value, tinycss2.color4.Color)


def _comparable(value):
    """A declared value as something hashable that is equal only for equal values."""
    try:
        hash(value)
        return (type(value).__name__, value)
    except TypeError:
        pass
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, tuple(_comparable(item) for item in value))
    serialize = getattr(value, "serialize", None)
    if serialize is not None:  # a tinycss2 token
        return (type(value).__name__, serialize())
    raise TypeError(type(value).__name__)


def _keep(style, key: str, value) -> None:
    entry = style.__dict__.get("_lms_kept")
    if entry is not None and key not in _NOT_KEPT and _frozen(value):
        entry[key] = value


def _entry(key) -> dict:
    entry = _kept.get(key)
    if entry is None:
        entry = _kept[key] = {}
    return entry


def _number(key) -> int:
    number = _numbers.get(key)
    if number is None:
        if len(_numbers) >= MAX_KEPT_STYLES:
            forget()
        # Never a number given before, even after forget(): a style of this render may
        # still hold an old one as its parent's.
        number = _numbers[key] = next(_counter)
    return number


def _line_style(style) -> tuple:
    """What of `style` a line's breaking and set-up read, hashable (else TypeError)."""
    values = tuple(style[name] for name in _LINE_BREAK_PROPERTIES)
    hash(values)
    return values


def _comparable_seen(value):
    seen = _seen.get(id(value))
    if seen is not None and seen[0] is value:
        return seen[1]
    comparable = _comparable(value)
    if len(_seen) >= 8 * MAX_KEPT_STYLES:
        _seen.clear()
    _seen[id(value)] = (value, comparable)
    return comparable


if _SHAPE_OK:
    _ORIGINAL_COMPUTED_MISSING = vars(wcss.ComputedStyle)["__missing__"]
    _ORIGINAL_ANONYMOUS_MISSING = vars(wcss.AnonymousStyle)["__missing__"]
    _ORIGINAL_SET_COMPUTED = vars(wcss.StyleFor)["set_computed_styles"]
    _ORIGINAL_MARGIN_BOXES = wpage.make_margin_boxes

    def _computed_missing(self, key):
        if key not in self.cascaded and key not in _SPECIAL:
            if key in INHERITED:
                parent = self.parent_style
                if parent is not None:
                    value = parent[key]
                    # A value still holding a math function is computed again here.
                    if not check_math(value):
                        self[key] = value
                        _keep(self, key, value)
                        return value
            elif key[:2] != "__" and key not in INITIAL_NOT_COMPUTED:
                value = self[key] = INITIAL_VALUES[key]
                _keep(self, key, value)
                return value
        value = _ORIGINAL_COMPUTED_MISSING(self, key)
        _keep(self, key, value)
        return value

    def _anonymous_missing(self, key):
        value = _ORIGINAL_ANONYMOUS_MISSING(self, key)
        _keep(self, key, value)
        return value

    def _anonymous_style(self):
        style = wcss.AnonymousStyle(self)
        key = self.__dict__.get("_lms_key")
        if key is not None:
            entry = _entry(-key)
            style.update(entry)
            style._lms_kept = entry
        return style

    _ANONYMOUS_STYLE = cached_property(_anonymous_style)
    _ANONYMOUS_STYLE.__set_name__(wcss.Style, "anonymous_style")

    def _set_computed_styles(self, element, parent, root=None, pseudo_type=None,
                             base_url=None, target_collector=None):
        key = _style_key(self, element, parent, pseudo_type, base_url)
        if key is None:
            return _ORIGINAL_SET_COMPUTED(
                self, element, parent, root, pseudo_type, base_url, target_collector)
        # WeasyPrint's own set_computed_styles, the kept values put in first.
        computed_styles = self.get_computed_styles()
        if element == root and pseudo_type is None:
            parent_style, root_style = None, wcss.InitialStyle(self.font_config)
        else:
            parent_style, root_style = computed_styles[parent, None], computed_styles[root, None]
        cascaded = self.get_cascaded_styles().get((element, pseudo_type), {})
        computed = computed_styles[element, pseudo_type] = wcss.ComputedStyle(
            parent_style, cascaded, pseudo_type, root_style, base_url,
            self.font_config, self.initial_page_sizes)
        entry = _entry(key)
        computed.update(entry)
        computed._lms_key = key
        computed._lms_kept = entry
        if target_collector and computed["anchor"]:
            target_collector.collect_anchor(computed["anchor"])

    def _style_key(style_for, element, parent, pseudo_type, base_url):
        if style_for.font_config is not getattr(_local, "font_config", None) or not hasattr(
            element, "tag"
        ):
            return None  # another renderer's styles, or a page's
        if parent is None:
            parent_key = ("root", base_url)
        else:
            parent_key = style_for.get_computed_styles()[parent, None].__dict__.get("_lms_key")
            if parent_key is None:
                return None
        rules = getattr(style_for, "_lms_rules", {}).get(element)
        if rules is not None:
            return _number((parent_key, rules, str(pseudo_type)))
        cascaded = style_for.get_cascaded_styles().get((element, pseudo_type), {})
        try:
            # In the order declared: the same template declares them in the same order,
            # and another order only makes another key.
            declared = tuple(
                (name, _comparable_seen(values), weight)
                for name, (values, weight) in cascaded.items()
            )
        except TypeError:
            return None
        return _number((parent_key, declared, str(pseudo_type)))

    _ORIGINAL_SIZE = wsvg_utils.size
    _ORIGINAL_TO_BYTES = pydyf._to_bytes

    def _size(string, font_size=None, percentage_reference=None):
        # A plain number, most of all the QR code's dash lengths: WeasyPrint's size()
        # tries float() too, but after an import statement and inside suppress().
        if string:
            try:
                return float(string)
            except ValueError:
                pass
        return _ORIGINAL_SIZE(string, font_size, percentage_reference)

    def _to_bytes(item):
        # pydyf's _to_bytes for the exact types met most (a page's operators and
        # numbers), then pydyf's own for the rest (its Objects, subclasses).
        kind = type(item)
        if kind is bytes:
            return item
        if kind is float:
            # The same numbers come back (colours, widths, the QR code's dashes).
            data = _float_bytes.get(item)
            if data is None:
                if item.is_integer():
                    data = str(int(item)).encode("ascii")
                else:
                    data = f"{item:f}".rstrip("0").encode("ascii")
                if len(_float_bytes) >= 65536:
                    _float_bytes.clear()
                _float_bytes[item] = data
            return data
        if kind is int or kind is str:
            return str(item).encode("ascii")
        return _ORIGINAL_TO_BYTES(item)

    _ORIGINAL_SPLIT_FIRST_LINE = wline_break.split_first_line

    def _split_first_line(text, style, context, max_width, justification_spacing,
                          is_line_start=True, minimum=False):
        # The same text in the same font and width breaks the same way: the labels,
        # titles, course names and signatories are the same on every certificate of a
        # cohort. WeasyPrint returns its layout object emptied of Pango's objects
        # (deactivated; drawing sets them up again), so a copy of it can be returned.
        try:
            key = (text, max_width, justification_spacing, is_line_start, minimum,
                   _line_style(style))
        except TypeError:
            return _ORIGINAL_SPLIT_FIRST_LINE(
                text, style, context, max_width, justification_spacing, is_line_start,
                minimum)
        kept = _lines.get(key)
        if kept is None:
            kept = _ORIGINAL_SPLIT_FIRST_LINE(
                text, style, context, max_width, justification_spacing, is_line_start,
                minimum)
            if "layout" in vars(kept[0]) or "style" in vars(kept[0]):
                return kept  # not emptied: not WeasyPrint 70's split_first_line
            if len(_lines) >= MAX_KEPT_LINES:
                _lines.popitem(last=False)
            _lines[key] = kept
        else:
            _lines.move_to_end(key)
        layout, *rest = kept
        return (copy.copy(layout), *rest)

    _ORIGINAL_STYLE_FOR_INIT = vars(wcss.StyleFor)["__init__"]

    def _style_for_init(self, html, sheets, presentational_hints, font_config,
                        target_collector):
        """StyleFor.__init__ of WeasyPrint 70, with each element's cascaded values kept.

        An element matching the same rules of the same (process-wide) stylesheets, with
        no declarations of its own (a style attribute, lang, id), has the same cascaded
        values as before: the dicts made the first time are given again, and its style
        key is the number of those rules, not its values compared one by one.
        """
        if font_config is not getattr(_local, "font_config", None):
            return _ORIGINAL_STYLE_FOR_INIT(
                self, html, sheets, presentational_hints, font_config, target_collector)
        self._cascaded_styles = cascaded_styles = {}
        self._computed_styles = computed_styles = {}
        self.initial_page_sizes = {"box": None, "area": None}
        self._sheets = sheets
        self.font_config = font_config
        self._lms_rules = rules_numbers = {}

        layer_order = inf
        elements_declarations = {}
        for specificity, element, declarations, base_url in wcss.find_style_attributes(
                html.etree_element, presentational_hints, html.base_url):
            style = cascaded_styles.setdefault((element, None), {})
            elements_declarations[element] = tuple(declarations)
            for name, values, importance in wcss.preprocess_declarations(
                    base_url, declarations):
                precedence = wcss.declaration_precedence("author", importance)
                weight = (precedence, layer_order, specificity)
                old_weight = style.get(name, (None, None))[1]
                if old_weight is None or old_weight <= weight:
                    style[name] = values, weight

        sheet_ids = tuple(id(sheet) for sheet, _, _ in sheets)
        computed_cache = {}
        for element in html.wrapper_element.iter_subtree():
            etree_element = element.etree_element
            parent = element.parent.etree_element if element.parent else None
            parent_id = id(computed_styles[parent, None]) if element.parent else None
            element_declarations = elements_declarations.get(etree_element)
            selectors_keys = []
            matched = []
            for sheet, origin, sheet_specificity in sheets:
                for selector in sheet.matcher.match(element):
                    specificity, order, pseudo_type, (declarations, layer) = selector
                    layer_order = inf if layer is None else sheet.layers.index(layer)
                    selectors_keys.append(
                        (sheet, specificity, id(declarations), layer_order))
                    matched.append((origin, sheet_specificity or specificity, pseudo_type,
                                    declarations, layer_order))
            rules = None
            if element_declarations is None:
                rules = (sheet_ids, tuple(
                    (origin, specificity, pseudo_type, id(declarations), layer_order)
                    for origin, specificity, pseudo_type, declarations, layer_order
                    in matched))
                matched_declarations = [item[3] for item in matched]
                kept = _cascades.get(rules)
                if kept is not None and kept[0] == matched_declarations:
                    for pseudo_type, style in kept[1].items():
                        cascaded_styles[etree_element, pseudo_type] = style
                    rules_numbers[etree_element] = kept[2]
                    matched = ()
                else:
                    rules_numbers[etree_element] = None
            for origin, specificity, pseudo_type, declarations, layer_order in matched:
                style = cascaded_styles.setdefault((etree_element, pseudo_type), {})
                for name, values, importance in declarations:
                    precedence = wcss.declaration_precedence(origin, importance)
                    weight = (precedence, layer_order, specificity)
                    old_weight = style.get(name, (None, None))[1]
                    if old_weight is None or old_weight <= weight:
                        style[name] = values, weight
            if matched and rules is not None:
                if len(_cascades) >= MAX_KEPT_STYLES:
                    _cascades.clear()
                # The declarations themselves are kept too: their ids stay theirs.
                _cascades[rules] = (
                    matched_declarations,
                    {pseudo: cascaded_styles[etree_element, pseudo]
                     for pseudo in {item[2] for item in matched}},
                    next(_counter),
                )
                rules_numbers[etree_element] = _cascades[rules][2]

            key = (parent_id, element_declarations, tuple(selectors_keys))
            if key in computed_cache:
                computed_styles[etree_element, None] = computed_cache[key]
            else:
                self.set_computed_styles(
                    etree_element, root=html.etree_element, parent=parent,
                    base_url=html.base_url, target_collector=target_collector)
                computed_cache[key] = computed_styles[etree_element, None]

        for element, pseudo_type in cascaded_styles:
            if pseudo_type:
                self.set_computed_styles(
                    element, pseudo_type=pseudo_type, root=html.etree_element,
                    parent=element, base_url=html.base_url,
                    target_collector=target_collector)

        self._cascaded_styles = {}  # WeasyPrint clears it: the kept dicts stay whole

    _PERCENTAGE = wpercent.percentage

    def _resolve_one_percentage(box, property_name, refer_to):
        # resolve_percentages calls this for thirteen lengths of every box at every
        # layout; a length in px or % is resolved here, anything else by percentage().
        value = box.style[property_name]
        unit = getattr(value, "unit", None)
        if unit == "px":
            setattr(box, property_name, value.value)
        elif unit == "%":
            setattr(box, property_name, refer_to * value.value / 100)
        else:
            percent = _PERCENTAGE(value, box.style, refer_to)
            setattr(box, property_name, percent)
            if percent == "auto" and property_name in ("min_width", "min_height"):
                setattr(box, property_name, 0)

    _ORIGINAL_DRAW_TEXT = wdraw.draw_text
    _ORIGINAL_REACTIVATE = wline_break.Layout.reactivate

    _NOT_SET_UP = frozenset({"style", "max_width", "justification_spacing"})

    def _draw_text(stream, textbox, offset_x, text_overflow, block_ellipsis):
        # Drawing a line sets its Pango layout up again (reactivate): the same text in
        # the same style and spacing gives the same layout, which drawing only reads,
        # unless it ellipsizes the line (then WeasyPrint changes the layout's text).
        _local.reuse_layout = text_overflow != "ellipsis" and block_ellipsis == "none"
        try:
            return _ORIGINAL_DRAW_TEXT(stream, textbox, offset_x, text_overflow, block_ellipsis)
        finally:
            _local.reuse_layout = False

    def _reactivate(self, style):
        if not getattr(_local, "reuse_layout", False):
            return _ORIGINAL_REACTIVATE(self, style)
        try:
            key = (self.text, self.justification_spacing, _line_style(style))
        except TypeError:
            return _ORIGINAL_REACTIVATE(self, style)
        kept = _active.get(key)
        if kept is None:
            _ORIGINAL_REACTIVATE(self, style)
            # What setting up and setting the text made (the Pango layout and language,
            # the text, the decoration metrics), not this line's own width and spacing.
            kept = {name: value for name, value in vars(self).items()
                    if name not in _NOT_SET_UP}
            if len(_active) >= MAX_KEPT_LAYOUTS:
                _active.popitem(last=False)
            _active[key] = kept
        else:
            _active.move_to_end(key)
            vars(self).update(kept)
            self.style = style
        return None

    def _margin_boxes(context, page, state):
        for at_keyword in _MARGIN_BOXES:
            style = context.style_for(page.page_type, at_keyword)
            if style is not None and style["content"] not in ("normal", "inhibit", "none"):
                yield from _ORIGINAL_MARGIN_BOXES(context, page, state)
                return

    # What accelerated() replaces, each with the original it puts back.
    _REPLACEMENTS = [
        (owner, name, vars(owner)[name], replacement)
        for owner, name, replacement in (
            (wcss.ComputedStyle, "__missing__", _computed_missing),
            (wcss.AnonymousStyle, "__missing__", _anonymous_missing),
            (wcss.Style, "anonymous_style", _ANONYMOUS_STYLE),
            (wcss.StyleFor, "set_computed_styles", _set_computed_styles),
            (wcss.StyleFor, "__init__", _style_for_init),
            (wpage, "make_margin_boxes", _margin_boxes),
            (wlayout, "make_margin_boxes", _margin_boxes),
            (wsvg, "size", _size),
            (wsvg_utils, "size", _size),
            (wsvg_defs, "size", _size),
            (wsvg_text, "size", _size),
            (pydyf, "_to_bytes", _to_bytes),
            (winline, "split_first_line", _split_first_line),
            (wpreferred, "split_first_line", _split_first_line),
            (wpercent, "resolve_one_percentage", _resolve_one_percentage),
            (wdraw, "draw_text", _draw_text),
            (wline_break.Layout, "reactivate", _reactivate),
        )
    ]


@contextmanager
def accelerated(font_config) -> Iterator[None]:
    """Render with the changes above; styles are kept only for `font_config`'s renders."""
    if not _SHAPE_OK or getattr(_local, "font_config", None) is not None:
        yield
        return
    _replace(1)
    _local.font_config = font_config
    try:
        yield
    finally:
        _local.font_config = None
        _replace(0)


def _replace(which: int) -> None:
    """Put in the replacements (1) or WeasyPrint's and pydyf's own (0)."""
    with _install_lock:
        for owner, name, *functions in _REPLACEMENTS:
            setattr(owner, name, functions[which])


def kept_styles() -> int:
    """How many distinct styles are kept (for tests)."""
    return len(_kept)


def forget() -> None:
    """Drop every kept style."""
    _kept.clear()
    _numbers.clear()
    _seen.clear()
    _lines.clear()
    _active.clear()
    _cascades.clear()
