"""The style sheets a static reader can resolve: <style> elements, style attributes, HTML
hints, and linked style sheets whose text the caller supplies.

Only the properties the accessibility rules read are cascaded (``PROPERTIES``): colours
and backgrounds for contrast, display and visibility for what is hidden, font size and
weight for what counts as large text. Nothing is fetched here: a value that comes only
from a linked sheet nobody supplied is unknown (``None``), never guessed.

Media queries are judged for a desktop screen (``VIEWPORT``) in light mode, as the axe
comparison renders it; ``:hover``, ``:focus`` and other states are taken as inactive.
Parsed sheets are cached by their text: every page of a site usually repeats the same
inline <style>, so it is parsed once per site.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from operator import attrgetter
from urllib.parse import urljoin

import cssselect
import tinycss2
from cssselect import HTMLTranslator
from lxml import etree

from checks.wcag.index import TreeIndex

PROPERTIES = frozenset({
    "color", "background-color", "background-image", "display", "visibility", "opacity", "font-size",
    "font-weight", "position", "text-shadow", "filter", "mix-blend-mode", "text-indent", "clip", "clip-path",
})
VIEWPORT = (1280, 720)
# Pseudo-classes of user interaction: they do not apply to a page at rest.
_STATE_PSEUDO = re.compile(r":(focus-visible|focus-within|hover|active|focus|visited|target|autofill"
                           r"|user-invalid|user-valid)\b", re.I)
_TRANSLATOR = HTMLTranslator()
_COLOUR_FUNCTIONS = frozenset({"rgb", "rgba", "hsl", "hsla", "hwb", "lab", "lch", "oklab", "oklch", "color"})
_IMAGE_FUNCTIONS = frozenset({"url", "image", "image-set", "cross-fade", "element", "paint"})
_FONT_SIZE_KEYWORDS = frozenset({"xx-small", "x-small", "small", "medium", "large", "x-large", "xx-large",
                                 "xxx-large", "smaller", "larger"})
_WIDE_KEYWORDS = frozenset({"inherit", "initial", "unset", "revert", "revert-layer"})
_MEDIA_FEATURE = re.compile(r"\(\s*(min|max)-(width|height)\s*:\s*([\d.]+)\s*(px|em|rem)\s*\)")


_EMPTY: dict[str, str] = {}
_ORDER = attrgetter("order")


class Rule:
    """One selector of one style rule, compiled, with the declarations that matter here.

    ``parts`` is the selector as compound tests from right to left, for the fast matcher;
    selectors it cannot express (sibling combinators, structural pseudo-classes, :not())
    carry an ``xpath`` from cssselect instead.
    """

    __slots__ = ("parts", "xpath", "specificity", "declarations", "classes", "ids", "order")

    def __init__(self, parts, xpath, specificity, declarations, classes, ids):
        self.parts = parts
        self.xpath = xpath
        self.specificity = specificity
        self.declarations = declarations
        self.classes = classes
        self.ids = ids
        self.order = 0


class _Declared:
    """The winning declarations of an element: values and their cascade priorities.

    Shared by every element with the same history of matched rules, and never changed once
    shared: applying a rule yields another (memoised) object, so a rule that reaches 400
    links costs 400 dictionary lookups and one merge.
    """

    __slots__ = ("values", "priorities")

    def __init__(self, values: dict[str, str], priorities: dict[str, int]):
        self.values = values
        self.priorities = priorities

    def applied(self, declarations) -> _Declared:
        values, priorities = dict(self.values), dict(self.priorities)
        for prop, value, priority in declarations:
            current = priorities.get(prop)
            if current is None or priority >= current:
                priorities[prop] = priority
                values[prop] = value
        return _Declared(values, priorities)


_NOTHING = _Declared({}, {})


class StyleIndex:
    """Cascaded values of ``PROPERTIES`` for the elements of one document."""

    def __init__(self, root: etree._Element, external: Mapping[str, str] | None = None, base_url: str = "",
                 index: TreeIndex | None = None):
        self.root = root
        self.index = index or TreeIndex(root)
        self.external = external or {}
        self.base_url = base_url
        self._declared: dict[etree._Element, _Declared] | None = None
        self._present: set[str] = set()
        self._plain: dict[etree._Element, dict[str, str]] = {}
        self.unsupported_selectors = 0

    def value(self, el: etree._Element, prop: str) -> str | None:
        """The winning declared value of ``prop`` on ``el`` (lower case), or None if none applies."""
        self._build()
        found = self._plain.get(el)
        return None if found is None else found.get(prop)

    def has(self, prop: str) -> bool:
        """Whether any resolvable declaration of ``prop`` exists in the document."""
        self._build()
        return prop in self._present

    def elements_with(self, prop: str) -> list[etree._Element]:
        """The elements on which a declaration of ``prop`` wins, in no particular order."""
        self._build()
        return [el for el, found in self._plain.items() if prop in found]

    def by_element(self) -> dict[etree._Element, dict[str, str]]:
        """``declared`` for every element that has declarations (for loops that cannot afford a call)."""
        self._build()
        return self._plain

    def declared(self, el: etree._Element) -> dict[str, str]:
        """Every winning declaration on ``el`` (an empty dict when none); do not modify it.
        Elements that the same rules reached share one dict object."""
        self._build()
        return self._plain.get(el, _EMPTY)

    # --- building ---------------------------------------------------------------------

    def _build(self) -> None:
        if self._declared is not None:
            return
        declared: dict[etree._Element, _Declared] = {}
        self._declared = declared
        index = self.index
        hint = _priority(0, -1, (0, 0, 0), 0, 0)
        for attribute, prop, tags in (("bgcolor", "background-color", _BGCOLOR_TAGS),
                                      ("color", "color", ("font",)), ("text", "color", ("body",))):
            self._apply(declared, [el for el in index.having(attribute) if el.tag in tags], None,
                        per_element=(attribute, prop, hint))
        sheets = [text for text in self._sheet_texts() if text.strip()]
        for number, text in enumerate(sheets):
            sheet = _parse_sheet(text)
            self.unsupported_selectors += sheet.unsupported
            for rule in sheet.candidates(index.classes.keys(), index.ids.keys()):
                matched = self._match(rule)
                if matched:
                    self._apply(declared, matched, [
                        (prop, value, _priority(important, 0, rule.specificity, number, rule.order))
                        for important, prop, value in rule.declarations])
        for el in index.having("style"):
            inline = [(prop, value, _priority(important, 1, (0, 0, 0), 0, 0))
                      for important, prop, value in _parse_inline(el.get("style"))]
            if inline:
                self._apply(declared, [el], inline)
        self._plain = {el: found.values for el, found in declared.items()}

    def _apply(self, declared, elements, declarations, per_element=None) -> None:
        """Give ``elements`` the ``declarations`` of one rule (or attribute), sharing the results."""
        if per_element is not None:
            # a legacy colour attribute: its value differs from element to element
            attribute, prop, priority = per_element
            for el in elements:
                found = declared.get(el, _NOTHING)
                declared[el] = found.applied([(prop, _hint_colour(el.get(attribute)), priority)])
            if elements:
                self._present.add(prop)
            return
        after: dict[_Declared, _Declared] = {}  # keyed by identity: elements that shared, share again
        for el in elements:
            found = declared.get(el, _NOTHING)
            result = after.get(found)
            if result is None:
                result = after[found] = found.applied(declarations)
            declared[el] = result
        self._present.update(prop for prop, _, _ in declarations)

    def _sheet_texts(self) -> list[str]:
        """The text of every applicable <style> and supplied linked sheet, in document order."""
        texts = []
        for el in self.root.iter("style", "link"):
            if not _media_applies(el.get("media")) or _in_inert(el):
                continue
            if el.tag == "style":
                texts.append(el.text or "")
                continue
            rel = (el.get("rel") or "").lower().split()
            href = (el.get("href") or "").strip()
            if "stylesheet" in rel and "alternate" not in rel and href and self.external:
                text = self.external.get(urljoin(self.base_url, href))
                if text is not None:
                    texts.append(text)
        return texts

    def _match(self, rule: Rule) -> list[etree._Element]:
        index = self.index
        classes, ids = index.classes, index.ids
        if (rule.classes and not rule.classes <= classes.keys()) or (rule.ids and not rule.ids <= ids.keys()):
            return []  # the rightmost compound needs a class or id the page does not have
        if rule.parts is None:
            return rule.xpath(self.root)
        parts = rule.parts
        leftmost, rightmost = parts[-1][0], parts[0][0]
        if len(parts) > 1 and (leftmost[1] or leftmost[2]) and not (rightmost[1] or rightmost[2]):
            # ".menu a": few menus, many links; otherwise walk up from the few candidates
            return self._match_downwards(parts)
        if len(parts) == 1:
            tag, need_classes, ident, attrs, root_only = leftmost
            if not (attrs or root_only or ident) and len(need_classes) <= 1:
                # a bare type or class selector: the index already holds the answer
                if need_classes:
                    found = index.classes[need_classes[0]]
                    found = [el for el in found if el.tag == tag] if tag is not None else found
                    return list(dict.fromkeys(found))
                return list(self.root.iter(tag)) if tag is not None else index.elements
        found = []
        seen = set()
        memo: dict = {}
        for el in self._candidates(parts[0][0]):
            if el not in seen and _matches(el, parts, 0, memo):
                seen.add(el)
                found.append(el)
        return found

    def _candidates(self, compound) -> list[etree._Element]:
        """Elements that may match ``compound``, from the narrowest index it allows."""
        tag, need_classes, ident, _, _ = compound
        index = self.index
        if ident is not None:
            return index.ids.get(ident, [])
        if need_classes:
            return min((index.classes.get(name, []) for name in need_classes), key=len)
        if tag is not None:
            return list(self.root.iter(tag))
        return index.elements

    def _match_downwards(self, parts) -> list[etree._Element]:
        """``.box a``, ``#menu > li a``: from the few elements the leftmost part names, down."""
        leftmost = parts[-1][0]
        current = [el for el in self._candidates(leftmost) if _compound_matches(el, leftmost)]
        for i in range(len(parts) - 2, -1, -1):
            compound, combinator = parts[i]
            tag = compound[0]
            tag_only = tag is not None and not (compound[1] or compound[2] or compound[3] or compound[4])
            found, seen = [], set()
            for top in current:
                below = top.iterdescendants(tag) if combinator == " " else \
                    (child for child in top if tag is None or child.tag == tag)
                for el in below:
                    if el not in seen and (tag_only or (isinstance(el.tag, str) and _compound_matches(el, compound))):
                        seen.add(el)
                        found.append(el)
            current = found
            if not current:
                break
        return current


_BGCOLOR_TAGS = ("body", "table", "tr", "td", "th")


def _priority(important: int, origin: int, specificity: tuple[int, int, int], sheet: int, order: int) -> int:
    """The cascade order of a declaration as one integer (compared for every element it reaches):
    !important, then origin (legacy attribute < style sheet < style attribute), specificity,
    and position (which sheet, which rule)."""
    a, b, c = (min(n, 255) for n in specificity)
    return (important << 62) | ((origin + 1) << 58) | (a << 50) | (b << 42) | (c << 34) | \
        (min(sheet, 1023) << 24) | min(order, (1 << 24) - 1)


def _compound_matches(el: etree._Element, compound) -> bool:
    tag, classes, ident, attrs, root_only = compound
    if tag is not None and el.tag != tag:
        return False
    if ident is not None and el.get("id") != ident:
        return False
    if classes:
        own = el.get("class")
        if not own:
            return False
        own = own.split()
        if any(name not in own for name in classes):
            return False
    for name, operator, expected in attrs:
        value = el.get(name)
        if value is None:
            return False
        if operator == "exists":
            continue
        if operator == "=":
            ok = value == expected
        elif operator == "~=":
            ok = expected in value.split()
        elif operator == "|=":
            ok = value == expected or value.startswith(expected + "-")
        elif operator == "^=":
            ok = bool(expected) and value.startswith(expected)
        elif operator == "$=":
            ok = bool(expected) and value.endswith(expected)
        elif operator == "*=":
            ok = bool(expected) and expected in value
        else:
            ok = value != expected
        if not ok:
            return False
    if root_only and el.getparent() is not None:
        return False
    return True


def _matches(el: etree._Element, parts, i: int, memo: dict) -> bool:
    """Whether ``el`` matches the selector ``parts`` from its ``i``-th compound leftwards."""
    key = (el, i)
    found = memo.get(key)
    if found is not None:
        return found
    compound, combinator = parts[i]
    if not _compound_matches(el, compound):
        result = False
    elif i == len(parts) - 1:
        result = True
    else:
        parent = el.getparent()
        if combinator == ">":
            result = parent is not None and _matches(parent, parts, i + 1, memo)
        else:
            result = parent is not None and _ancestor_matches(parent, parts, i + 1, memo)
    memo[key] = result
    return result


def _ancestor_matches(el: etree._Element, parts, i: int, memo: dict) -> bool:
    """Whether ``el`` or one of its ancestors matches ``parts`` from compound ``i``."""
    key = (el, -i - 1)
    found = memo.get(key)
    if found is None:
        parent = el.getparent()
        found = _matches(el, parts, i, memo) or (parent is not None and _ancestor_matches(parent, parts, i, memo))
        memo[key] = found
    return found


def _in_inert(el: etree._Element) -> bool:
    parent = el.getparent()
    while parent is not None:
        if parent.tag in ("template", "noscript"):
            return True
        parent = parent.getparent()
    return False


def _hint_colour(value: str) -> str:
    value = value.strip().lower()
    # Legacy colour attributes often omit the '#'.
    if re.fullmatch(r"[0-9a-f]{6}|[0-9a-f]{3}", value):
        return "#" + value
    return value


def _media_applies(media: str | None) -> bool:
    """Whether a media query list applies to a desktop screen in light mode."""
    if media is None:
        return True
    media = media.strip().lower()
    if not media:
        return True
    return any(_one_query_applies(query.strip()) for query in media.split(","))


def _one_query_applies(query: str) -> bool:
    negated = query.startswith("not ")
    if negated:
        query = query[4:]
    query = query.removeprefix("only ").strip()
    head = query.split(" and ", 1)[0].strip() if not query.startswith("(") else ""
    if head and head not in ("screen", "all"):
        return negated
    features = query[len(head):]
    width, height = VIEWPORT
    for feature in re.findall(r"\([^)]*\)", features):
        match = _MEDIA_FEATURE.fullmatch(feature)
        if match:
            bound, axis, number, unit = match.groups()
            limit = float(number) * (16 if unit in ("em", "rem") else 1)
            size = width if axis == "width" else height
            ok = size >= limit if bound == "min" else size <= limit
        else:
            compact = re.sub(r"\s+", "", feature)
            ok = compact in ("(prefers-color-scheme:light)", "(prefers-reduced-motion:no-preference)",
                             "(orientation:landscape)", "(hover:hover)", "(pointer:fine)", "(color)")
        if not ok:
            return negated
    return not negated


class Sheet:
    """A parsed style sheet: its rules in order, and an index of them by the class or id
    their rightmost compound needs, so a page only looks at the rules it can match."""

    __slots__ = ("rules", "unsupported", "by_class", "by_id", "unkeyed")

    def __init__(self, rules: list[Rule], unsupported: int):
        self.rules = rules
        self.unsupported = unsupported
        self.by_class: dict[str, list[Rule]] = {}
        self.by_id: dict[str, list[Rule]] = {}
        self.unkeyed: list[Rule] = []
        for rule in rules:
            if rule.classes:
                self.by_class.setdefault(min(rule.classes), []).append(rule)
            elif rule.ids:
                self.by_id.setdefault(min(rule.ids), []).append(rule)
            else:
                self.unkeyed.append(rule)

    def candidates(self, classes, ids) -> list[Rule]:
        """The rules whose key class or id the page has (and the unkeyed ones), in sheet order."""
        found = list(self.unkeyed)
        for name in self.by_class.keys() & classes:
            found += self.by_class[name]
        for name in self.by_id.keys() & ids:
            found += self.by_id[name]
        found.sort(key=_ORDER)
        return found


def _flatten(items):
    """Qualified rules in document order, descending into @media that applies, @supports, @layer."""
    for item in items:
        if item.type == "at-rule":
            if item.content is None:
                continue
            keyword = item.lower_at_keyword
            if (keyword == "media" and _media_applies(tinycss2.serialize(item.prelude))) \
                    or keyword in ("supports", "layer", "container", "scope"):
                yield from _flatten(tinycss2.parse_rule_list(item.content, skip_comments=True, skip_whitespace=True))
        elif item.type == "qualified-rule":
            yield item


@lru_cache(maxsize=128)
def _parse_sheet(text: str) -> Sheet:
    """The compiled rules of a style sheet that set a property of interest."""
    rules: list[Rule] = []
    unsupported = 0
    for item in _flatten(tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True)):
        declarations = _declarations(tinycss2.parse_declaration_list(
            item.content, skip_comments=True, skip_whitespace=True))
        if not declarations:
            continue
        compiled, failed = _compile(tinycss2.serialize(item.prelude).strip())
        unsupported += failed
        for parts, xpath, specificity, classes, ids in compiled:
            rule = Rule(parts, xpath, specificity, declarations, classes, ids)
            rule.order = len(rules)
            rules.append(rule)
    return Sheet(rules, unsupported)


@lru_cache(maxsize=4096)
def _compile(selector_text: str) -> tuple[tuple, int]:
    """(parts or None, xpath or None, specificity, required classes, required ids) per selector
    of a selector list, and how many selectors could not be compiled."""
    try:
        selectors = cssselect.parse(selector_text)
    except cssselect.SelectorError:
        return (), 1
    out, failed = [], 0
    for selector in selectors:
        if selector.pseudo_element is not None:
            continue  # styles generated content, not the element
        try:
            parts = _parts(selector.parsed_tree)
        except _Never:
            continue
        xpath = None
        if parts is None:
            try:
                xpath = etree.XPath(_TRANSLATOR.selector_to_xpath(selector))
            except cssselect.xpath.ExpressionError:
                if not _STATE_PSEUDO.search(selector_text):
                    failed += 1
                continue
        classes, ids = _required_keys(selector.parsed_tree)
        out.append((parts, xpath, selector.specificity(), classes, ids))
    return tuple(out), failed


class _Never(Exception):
    """The selector depends on a user interaction state: it matches nothing at rest."""


def _parts(tree):
    """The selector as [(compound, combinator to its left)] from right to left, or None when
    it needs more than type, class, id, attribute, :root, :link and the ' ' and '>' combinators."""
    parts = []
    node = tree
    while True:
        combinator = None
        if isinstance(node, cssselect.parser.CombinedSelector):
            if node.combinator not in (" ", ">"):
                return None
            compound = _compound(node.subselector)
            combinator = node.combinator
            node = node.selector
        else:
            compound = _compound(node)
        if compound is None:
            return None
        parts.append((compound, combinator))
        if combinator is None:
            break
    # Each part's combinator links it to the part on its left, which is the next in the list.
    return tuple(parts)


def _compound(node):
    tag, classes, ident, attrs, root_only = None, [], None, [], False
    while node is not None:
        kind = type(node)
        if kind is cssselect.parser.Element:
            if node.element not in (None, "*"):
                tag = node.element.lower()
            return tag, tuple(classes), ident, tuple(attrs), root_only
        if kind is cssselect.parser.Class:
            classes.append(node.class_name)
        elif kind is cssselect.parser.Hash:
            ident = node.id
        elif kind is cssselect.parser.Attrib:
            if node.namespace:
                return None
            value = node.value.value if node.value is not None and hasattr(node.value, "value") else node.value
            attrs.append((node.attrib.lower(), node.operator, value))
        elif kind is cssselect.parser.Pseudo:
            name = node.ident.lower()
            if _STATE_PSEUDO.fullmatch(":" + name):
                raise _Never
            if name == "root":
                root_only = True
            elif name in ("link", "any-link"):
                attrs.append(("href", "exists", None))
            else:
                return None
        else:
            return None
        node = node.selector
    return None


def _required_keys(tree) -> tuple[frozenset[str], frozenset[str]]:
    """Classes and ids the rightmost compound selector needs: a cheap pre-filter."""
    node = tree
    if isinstance(node, cssselect.parser.CombinedSelector):
        node = node.subselector
    classes, ids = set(), set()
    while node is not None:
        if isinstance(node, cssselect.parser.Class):
            classes.add(node.class_name)
        elif isinstance(node, cssselect.parser.Hash):
            ids.add(node.id)
        elif isinstance(node, cssselect.parser.CombinedSelector):
            break
        node = getattr(node, "selector", None)
    return frozenset(classes), frozenset(ids)


def _parse_inline(style: str | None) -> tuple[tuple[int, str, str], ...]:
    if not style:
        return ()
    return _inline_cached(style)


@lru_cache(maxsize=4096)
def _inline_cached(style: str) -> tuple[tuple[int, str, str], ...]:
    return _declarations(tinycss2.parse_declaration_list(style, skip_comments=True, skip_whitespace=True))


def _declarations(items) -> tuple[tuple[int, str, str], ...]:
    """(important, property, value) for the properties of interest, shorthands expanded."""
    out = []
    for item in items:
        if item.type != "declaration":
            continue
        name = item.lower_name
        important = int(item.important)
        if name == "background":
            out += [(important, prop, value) for prop, value in _expand_background(item.value)]
        elif name == "font":
            out += [(important, prop, value) for prop, value in _expand_font(item.value)]
        elif name in PROPERTIES:
            out.append((important, name, tinycss2.serialize(item.value).strip().lower()))
    return tuple(out)


def _meaningful(tokens):
    return [t for t in tokens if t.type not in ("whitespace", "comment")]


def _expand_background(tokens) -> list[tuple[str, str]]:
    tokens = _meaningful(tokens)
    if len(tokens) == 1 and tokens[0].type == "ident" and tokens[0].lower_value in _WIDE_KEYWORDS:
        keyword = tokens[0].lower_value
        return [("background-color", keyword), ("background-image", keyword)]
    colour, image = "transparent", "none"
    for token in tokens:
        if token.type == "hash":
            colour = "#" + token.value.lower()
        elif token.type == "function":
            name = token.lower_name
            if name in _COLOUR_FUNCTIONS:
                colour = tinycss2.serialize([token]).lower()
            elif name in _IMAGE_FUNCTIONS or name.endswith("gradient"):
                image = tinycss2.serialize([token]).lower()
        elif token.type == "url":
            image = "url(...)"
        elif token.type == "ident" and token.lower_value not in _BACKGROUND_KEYWORDS:
            colour = token.lower_value
    return [("background-color", colour), ("background-image", image)]


_BACKGROUND_KEYWORDS = frozenset({
    "none", "repeat", "repeat-x", "repeat-y", "no-repeat", "space", "round", "scroll", "fixed", "local",
    "top", "bottom", "left", "right", "center", "cover", "contain", "auto", "border-box", "padding-box",
    "content-box", "text",
})


def _expand_font(tokens) -> list[tuple[str, str]]:
    tokens = _meaningful(tokens)
    if len(tokens) == 1 and tokens[0].type == "ident":
        keyword = tokens[0].lower_value
        if keyword in _WIDE_KEYWORDS:
            return [("font-size", keyword), ("font-weight", keyword)]
        return []  # a system font keyword: size unknown
    weight = "normal"
    for token in tokens:
        if token.type == "ident" and token.lower_value in ("bold", "bolder", "lighter", "normal"):
            weight = token.lower_value
        elif token.type == "number" and token.is_integer and 1 <= token.int_value <= 1000:
            weight = str(token.int_value)
        elif token.type in ("dimension", "percentage") or (
                token.type == "ident" and token.lower_value in _FONT_SIZE_KEYWORDS):
            return [("font-size", tinycss2.serialize([token]).lower()), ("font-weight", weight)]
    return []
