"""Colour contrast (WCAG 1.4.3) where both colours can be known without a browser.

A text's colour and the background behind it are judged only when both come from
declarations pantau can read: style attributes, <style> elements, linked style sheets
whose text the crawl fetched, legacy colour attributes (bgcolor, <font color>) and the
browser's own link colour. Anything that makes the rendered colours uncertain (a
background image, opacity, blending, filters, text shadows, absolute positioning, a
colour that only a style sheet nobody fetched could set, the browser's default white)
leaves the text unjudged rather than guessed. Thresholds follow WCAG 2.1: 4.5:1, or 3:1
for large text (at least 18pt, or 14pt bold), with text sizes computed the way
axe-core computes them so that both tools put a borderline size on the same side.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

from lxml import etree

from checks.wcag.dom import NOT_RENDERED, Doc, sanitize

NORMAL_RATIO = 4.5
LARGE_RATIO = 3.0
ROOT_FONT_PX = 16.0
_SKIPPED_TAGS = NOT_RENDERED | {"option", "optgroup", "select", "textarea", "input", "svg", "math", "canvas",
                                "img", "video", "audio", "iframe", "object", "embed"}
_HEADING_EM = {"h1": 2.0, "h2": 1.5, "h3": 1.17, "h4": 1.0, "h5": 0.83, "h6": 0.67}
_BOLD_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "b", "strong", "th"})
_SMALLER_TAGS = frozenset({"small", "sub", "sup"})
_KEYWORD_PX = {"xx-small": 9.0, "x-small": 10.0, "small": 13.0, "medium": 16.0, "large": 18.0,
               "x-large": 24.0, "xx-large": 32.0, "xxx-large": 48.0}
_WORD_CHAR = re.compile(r"\w", re.UNICODE)


@dataclass(frozen=True)
class Colour:
    r: float
    g: float
    b: float
    a: float = 1.0

    def over(self, below: Colour) -> Colour:
        """This colour composited over an opaque ``below``."""
        a = self.a
        return Colour(self.r * a + below.r * (1 - a), self.g * a + below.g * (1 - a),
                      self.b * a + below.b * (1 - a), 1.0)

    @cached_property
    def _luminance(self) -> float:
        return self.luminance()

    def luminance(self) -> float:
        """WCAG 2 relative luminance of the opaque colour."""
        def channel(value: float) -> float:
            c = value / 255
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
        return 0.2126 * channel(self.r) + 0.7152 * channel(self.g) + 0.0722 * channel(self.b)

    def hex(self) -> str:
        return "#" + "".join(f"{round(v):02x}" for v in (self.r, self.g, self.b))


def contrast_ratio(first: Colour, second: Colour) -> float:
    """(L1 + 0.05) / (L2 + 0.05) with L1 the lighter; 1 to 21."""
    a, b = first._luminance, second._luminance
    high, low = max(a, b), min(a, b)
    return (high + 0.05) / (low + 0.05)


@lru_cache(maxsize=2048)
def parse_colour(value: str | None) -> Colour | None:
    """A CSS colour value; None for what cannot be resolved statically (currentcolor, system colours)."""
    if not value:
        return None
    value = value.strip().lower().removesuffix("!important").strip()
    if value in NAMED:
        return _hex(NAMED[value])
    if value == "transparent":
        return Colour(0, 0, 0, 0)
    if value.startswith("#"):
        return _hex(value[1:])
    match = re.fullmatch(r"(rgba?|hsla?)\((.*)\)", value)
    if not match:
        return None
    kind, inner = match.groups()
    parts = [p for p in re.split(r"[\s,/]+", inner.strip()) if p]
    if len(parts) not in (3, 4):
        return None
    try:
        alpha = _alpha(parts[3]) if len(parts) == 4 else 1.0
        if kind.startswith("rgb"):
            r, g, b = (_channel(p) for p in parts[:3])
            return Colour(r, g, b, alpha)
        hue = float(parts[0].removesuffix("deg"))
        sat = float(parts[1].rstrip("%")) / 100
        light = float(parts[2].rstrip("%")) / 100
    except ValueError:
        return None
    return _hsl(hue, sat, light, alpha)


def _hex(digits: str) -> Colour | None:
    if not re.fullmatch(r"[0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8}", digits):
        return None
    if len(digits) in (3, 4):
        digits = "".join(d * 2 for d in digits)
    alpha = int(digits[6:8], 16) / 255 if len(digits) == 8 else 1.0
    return Colour(int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16), alpha)


def _channel(text: str) -> float:
    if text.endswith("%"):
        return max(0.0, min(255.0, float(text[:-1]) * 2.55))
    return max(0.0, min(255.0, float(text)))


def _alpha(text: str) -> float:
    number = float(text[:-1]) / 100 if text.endswith("%") else float(text)
    return max(0.0, min(1.0, number))


def _hsl(hue: float, sat: float, light: float, alpha: float) -> Colour:
    hue = (hue % 360) / 360
    sat, light = max(0.0, min(1.0, sat)), max(0.0, min(1.0, light))
    q = light * (1 + sat) if light < 0.5 else light + sat - light * sat
    p = 2 * light - q

    def to_rgb(t: float) -> float:
        t %= 1
        if t < 1 / 6:
            return p + (q - p) * 6 * t
        if t < 1 / 2:
            return q
        if t < 2 / 3:
            return p + (q - p) * (2 / 3 - t) * 6
        return p
    return Colour(to_rgb(hue + 1 / 3) * 255, to_rgb(hue) * 255, to_rgb(hue - 1 / 3) * 255, alpha)


# --- what the page renders ---------------------------------------------------------------


@dataclass(frozen=True)
class Judgement:
    """One text element's colours, ratio and the ratio it needed."""

    foreground: Colour
    background: Colour
    ratio: float
    required: float
    font_px: float
    bold: bool

    @property
    def passes(self) -> bool:
        # Strictly above, as axe-core compares, so a ratio of exactly 4.5 needs a second look.
        return self.ratio > self.required


class _State:
    """What an element passes to its children: colours, font, and what makes them uncertain."""

    __slots__ = ("fg", "bg", "unsure", "positioned", "shadow", "size", "weight", "disabled", "control")

    def __init__(self, fg=None, bg=None, unsure=False, positioned=False, shadow=False, size=ROOT_FONT_PX,
                 weight=400, disabled=False, control=False):
        self.fg, self.bg, self.unsure, self.positioned, self.shadow = fg, bg, unsure, positioned, shadow
        self.size, self.weight, self.disabled, self.control = size, weight, disabled, control

    def copy(self) -> _State:
        return _State(self.fg, self.bg, self.unsure, self.positioned, self.shadow, self.size, self.weight,
                      self.disabled, self.control)


_ROOT_STATE = _State()
_BLACK = Colour(0, 0, 0)
_MARK = Colour(255, 255, 0)
_LINK = Colour(0, 0, 0xEE)  # an unvisited link, as every browser draws it by default
_NEUTRAL = {"opacity": ("1", "inherit", "unset", "initial"), "filter": ("none",), "mix-blend-mode": ("normal",),
            "clip": ("auto",), "clip-path": ("none",)}
_PLAIN = frozenset({"inherit", "unset", "initial", "revert", "transparent"})
_STATEFUL_TAGS = frozenset({"a", "mark", "button", "fieldset", "option", "optgroup"}) | _BOLD_TAGS | \
    _SMALLER_TAGS | frozenset(_HEADING_EM)
# Not descended into: their text is not drawn as text (or not by the page's CSS).
_SKIP_SUBTREE = _SKIPPED_TAGS - {"input"}


def _derive(state: _State, el: etree._Element, declared: dict[str, str]) -> _State:
    """The state of ``el`` from its parent's ``state`` and its own declarations and tag."""
    tag = el.tag
    new = state.copy()
    parent_size = state.size
    if tag in _HEADING_EM:
        new.size = parent_size * _HEADING_EM[tag]
    elif tag in _SMALLER_TAGS:
        new.size = parent_size / 1.2
    if tag in _BOLD_TAGS:
        new.weight = 700
    fg_declared = bg_declared = False
    if declared:
        value = declared.get("font-size")
        if value is not None:
            new.size = _font_size(value, parent_size, new.size)
        value = declared.get("font-weight")
        if value is not None:
            new.weight = _font_weight(value, new.weight)
        for prop, neutral in _NEUTRAL.items():
            value = declared.get(prop)
            if value is not None and value not in neutral:
                new.unsure = True
        if declared.get("text-indent", "").startswith("-"):
            new.unsure = True
        if declared.get("background-image") not in (None, "none", "initial", "unset"):
            new.unsure = True
        value = declared.get("text-shadow")
        if value is not None and value not in ("inherit", "unset"):
            new.shadow = value not in ("none", "initial")
        if declared.get("position") in ("absolute", "fixed", "sticky"):
            new.positioned = True  # it may sit over something other than its ancestors
        value = declared.get("background-color")
        if value is not None and value not in _PLAIN:
            colour = parse_colour(value)
            bg_declared = True
            if colour is None:
                new.unsure = True
            elif colour.a >= 1:
                new.bg, new.positioned, new.control = colour, False, False
            elif colour.a > 0:
                new.bg = colour.over(state.bg) if state.bg is not None else None
        value = declared.get("color")
        if value is not None and value not in ("inherit", "unset", "revert"):
            new.fg = _BLACK if value == "initial" else parse_colour(value)
            fg_declared = True
    if not fg_declared:
        if tag == "a" and el.get("href") is not None:
            new.fg = _LINK
        elif tag == "mark":
            new.fg = _BLACK
    if tag == "mark" and not bg_declared:
        new.bg, new.positioned = _MARK, False
    elif tag == "button" and not (fg_declared and bg_declared):
        new.control = True  # the browser's own button colours are not known here
    if tag in ("button", "fieldset", "option", "optgroup") and el.get("disabled") is not None:
        new.disabled = True
    return new


def _state_of(doc: Doc, el: etree._Element) -> _State:
    """The state of ``el``, derived down its ancestor chain (memoised per page)."""
    memo = doc.memo.setdefault("contrast-state", {})
    found = memo.get(el)
    if found is None:
        parent = el.getparent()
        state = _ROOT_STATE if parent is None else _state_of(doc, parent)
        found = memo[el] = _derive(state, el, doc.styles.declared(el))
    return found


def _verdict(state: _State, cache: dict) -> Judgement | None:
    # Siblings without styles of their own share their parent's state object: look it up first.
    if state in cache:
        return cache[state]
    cache[state] = verdict = _verdict_of(state, cache)
    return verdict


def _verdict_of(state: _State, cache: dict) -> Judgement | None:
    fg, bg = state.fg, state.bg
    if fg is None or bg is None or state.unsure or state.positioned or state.shadow or state.disabled \
            or state.control:
        return None
    key = (fg, bg, state.size, state.weight >= 700)
    if key in cache:
        return cache[key]
    shown = fg.over(bg) if fg.a < 1 else fg
    ratio = contrast_ratio(shown, bg)
    verdict = None
    if math.floor(ratio * 100) / 100 != 1:  # text the colour of its background is hidden text
        bold = state.weight >= 700
        points = math.ceil(state.size * 72) / 96
        small = (bold and points < 14) or (not bold and points < 18)
        verdict = Judgement(shown, bg, ratio, NORMAL_RATIO if small else LARGE_RATIO, state.size, bold)
    cache[key] = verdict
    return verdict


def _judgeable_text(el: etree._Element) -> bool:
    own = _own_text(el)
    # a lone glyph or pure punctuation is mostly decoration; axe-core leaves it for review too
    return len(own) > 1 and bool(_WORD_CHAR.search(own))


def judge(doc: Doc, el: etree._Element) -> Judgement | None:
    """The contrast of ``el``'s own text, or None when its colours cannot be known statically."""
    if el.tag in _SKIPPED_TAGS or doc.invisible(el) or not _judgeable_text(el):
        return None
    return _verdict(_state_of(doc, el), {})


def _own_text(el: etree._Element) -> str:
    parts = [el.text or ""]
    parts += [child.tail or "" for child in el]
    return sanitize(" ".join(parts))


def _font_size(value: str, parent: float, current: float) -> float:
    if value in _KEYWORD_PX:
        return _KEYWORD_PX[value]
    if value == "smaller":
        return parent / 1.2
    if value == "larger":
        return parent * 1.2
    match = re.fullmatch(r"([\d.]+)(px|pt|em|rem|%|pc|vw|vh)?", value)
    if not match:
        return current
    number, unit = float(match[1]), match[2] or "px"
    if unit == "px":
        return number
    if unit == "pt":
        return number * 96 / 72
    if unit == "pc":
        return number * 16
    if unit == "em":
        return number * parent
    if unit == "rem":
        return number * ROOT_FONT_PX
    if unit == "%":
        return number * parent / 100
    return current  # viewport units: unknown, keep what the tag gives


def _font_weight(value: str, inherited: int) -> int:
    if value == "bold":
        return 700
    if value == "normal":
        return 400
    if value == "bolder":
        return 700 if inherited < 600 else 900
    if value == "lighter":
        return 400 if inherited >= 600 else 100
    try:
        return int(float(value))
    except ValueError:
        return inherited


def color_contrast(doc: Doc) -> list[etree._Element] | None:
    """Text elements whose declared colours fall below 4.5:1 (3:1 for large text).

    Not applicable (None) when no text on the page has colours pantau can read.
    """
    styles = doc.styles
    roots = styles.elements_with("background-color") + list(doc.root.iter("mark"))
    if not roots:
        return None
    root_set = set(roots)
    tops = [r for r in roots if not any(a in root_set for a in r.iterancestors())]
    not_displayed, invisible = doc._not_displayed, doc._visibility_hidden
    declared_of = styles.by_element().get
    cache: dict = {}
    # The same parent state, declarations and tag give the same state: links of a menu share one.
    derive_cache: dict = {}
    failing: list[etree._Element] = []
    judged = 0
    stateful, skip, empty = _STATEFUL_TAGS, _SKIP_SUBTREE, {}
    for top in tops:
        parent = top.getparent()
        states = {top: _ROOT_STATE if parent is None else _state_of(doc, parent)}  # parent's state, for top
        texts = []
        # Document order visits every parent before its children, so a child finds its parent's state.
        for el in top.iter():
            tag = el.tag
            inherited = states[el] if el is top else states[el.getparent()]
            if inherited is None or tag in skip or el in not_displayed or not isinstance(tag, str):
                states[el] = None  # nothing under it is judged
                continue
            declared = declared_of(el)
            if declared or tag in stateful:
                key = (inherited, id(declared), tag, el.get("href") is not None, el.get("disabled") is not None)
                state = derive_cache.get(key)
                if state is None:
                    state = derive_cache[key] = _derive(inherited, el, declared or empty)
            else:
                state = inherited
            states[el] = state
            text = el.text
            if text is not None and not text.isspace():
                texts.append(el)
        for el in top.iterdescendants():
            tail = el.tail
            if tail is not None and not tail.isspace():
                texts.append(el.getparent())  # text after a child element is the parent's own text
        for el in dict.fromkeys(texts):
            if el.tag == "input" or el in invisible or states.get(el) is None:
                continue
            state = states[el]
            verdict = cache[state] if state in cache else _verdict(state, cache)
            if verdict is None:
                continue
            if verdict.passes:
                judged += 1
            elif _judgeable_text(el):
                judged += 1
                failing.append(el)
    if not judged:
        return None
    if len(failing) > 1:
        order = {el: i for i, el in enumerate(doc.index.elements)}
        failing.sort(key=order.__getitem__)
    return failing


NAMED = {
    "aliceblue": "f0f8ff", "antiquewhite": "faebd7", "aqua": "00ffff", "aquamarine": "7fffd4",
    "azure": "f0ffff", "beige": "f5f5dc", "bisque": "ffe4c4", "black": "000000",
    "blanchedalmond": "ffebcd", "blue": "0000ff", "blueviolet": "8a2be2", "brown": "a52a2a",
    "burlywood": "deb887", "cadetblue": "5f9ea0", "chartreuse": "7fff00", "chocolate": "d2691e",
    "coral": "ff7f50", "cornflowerblue": "6495ed", "cornsilk": "fff8dc", "crimson": "dc143c",
    "cyan": "00ffff", "darkblue": "00008b", "darkcyan": "008b8b", "darkgoldenrod": "b8860b",
    "darkgray": "a9a9a9", "darkgreen": "006400", "darkgrey": "a9a9a9", "darkkhaki": "bdb76b",
    "darkmagenta": "8b008b", "darkolivegreen": "556b2f", "darkorange": "ff8c00", "darkorchid": "9932cc",
    "darkred": "8b0000", "darksalmon": "e9967a", "darkseagreen": "8fbc8f", "darkslateblue": "483d8b",
    "darkslategray": "2f4f4f", "darkslategrey": "2f4f4f", "darkturquoise": "00ced1", "darkviolet": "9400d3",
    "deeppink": "ff1493", "deepskyblue": "00bfff", "dimgray": "696969", "dimgrey": "696969",
    "dodgerblue": "1e90ff", "firebrick": "b22222", "floralwhite": "fffaf0", "forestgreen": "228b22",
    "fuchsia": "ff00ff", "gainsboro": "dcdcdc", "ghostwhite": "f8f8ff", "gold": "ffd700",
    "goldenrod": "daa520", "gray": "808080", "green": "008000", "greenyellow": "adff2f",
    "grey": "808080", "honeydew": "f0fff0", "hotpink": "ff69b4", "indianred": "cd5c5c",
    "indigo": "4b0082", "ivory": "fffff0", "khaki": "f0e68c", "lavender": "e6e6fa",
    "lavenderblush": "fff0f5", "lawngreen": "7cfc00", "lemonchiffon": "fffacd", "lightblue": "add8e6",
    "lightcoral": "f08080", "lightcyan": "e0ffff", "lightgoldenrodyellow": "fafad2", "lightgray": "d3d3d3",
    "lightgreen": "90ee90", "lightgrey": "d3d3d3", "lightpink": "ffb6c1", "lightsalmon": "ffa07a",
    "lightseagreen": "20b2aa", "lightskyblue": "87cefa", "lightslategray": "778899",
    "lightslategrey": "778899", "lightsteelblue": "b0c4de", "lightyellow": "ffffe0", "lime": "00ff00",
    "limegreen": "32cd32", "linen": "faf0e6", "magenta": "ff00ff", "maroon": "800000",
    "mediumaquamarine": "66cdaa", "mediumblue": "0000cd", "mediumorchid": "ba55d3", "mediumpurple": "9370db",
    "mediumseagreen": "3cb371", "mediumslateblue": "7b68ee", "mediumspringgreen": "00fa9a",
    "mediumturquoise": "48d1cc", "mediumvioletred": "c71585", "midnightblue": "191970", "mintcream": "f5fffa",
    "mistyrose": "ffe4e1", "moccasin": "ffe4b5", "navajowhite": "ffdead", "navy": "000080",
    "oldlace": "fdf5e6", "olive": "808000", "olivedrab": "6b8e23", "orange": "ffa500",
    "orangered": "ff4500", "orchid": "da70d6", "palegoldenrod": "eee8aa", "palegreen": "98fb98",
    "paleturquoise": "afeeee", "palevioletred": "db7093", "papayawhip": "ffefd5", "peachpuff": "ffdab9",
    "peru": "cd853f", "pink": "ffc0cb", "plum": "dda0dd", "powderblue": "b0e0e6", "purple": "800080",
    "rebeccapurple": "663399", "red": "ff0000", "rosybrown": "bc8f8f", "royalblue": "4169e1",
    "saddlebrown": "8b4513", "salmon": "fa8072", "sandybrown": "f4a460", "seagreen": "2e8b57",
    "seashell": "fff5ee", "sienna": "a0522d", "silver": "c0c0c0", "skyblue": "87ceeb",
    "slateblue": "6a5acd", "slategray": "708090", "slategrey": "708090", "snow": "fffafa",
    "springgreen": "00ff7f", "steelblue": "4682b4", "tan": "d2b48c", "teal": "008080",
    "thistle": "d8bfd8", "tomato": "ff6347", "turquoise": "40e0d0", "violet": "ee82ee",
    "wheat": "f5deb3", "white": "ffffff", "whitesmoke": "f5f5f5", "yellow": "ffff00",
    "yellowgreen": "9acd32",
}
