"""One parsed page as the WCAG rules see it: visibility, accessible names, CSS paths.

The rules read the lxml tree of ``Page.lxml_tree``; ``Doc`` adds what they share and
memoises it per page: whether an element is hidden (from assistive technology, or from
sight), the accessible name computation they need (a practical subset of W3C accname
1.2), the id index, the resolved style sheets, and a CSS path that points a person at
the offending element.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cached_property

from lxml import etree

from checks.wcag.css import StyleIndex
from checks.wcag.index import TreeIndex

# Never rendered, whatever the CSS says (scripting on, as in a browser: noscript is text there).
NOT_RENDERED = frozenset({"head", "script", "style", "template", "noscript", "title", "meta", "link", "base",
                          "param", "source", "track", "datalist"})
FOCUSABLE_TAGS = frozenset({"a", "button", "input", "select", "textarea", "iframe", "summary"})
HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_OWN_NAME_TAGS = frozenset({"img", "area", "input", "svg"})
_IDENT_RE = re.compile(r"^-?[_a-zA-Z][_a-zA-Z0-9-]*$")
_SPACE_RE = re.compile(r"\s+")


def sanitize(text: str | None) -> str:
    """Collapse white space and trim, as accessible names are compared."""
    return _SPACE_RE.sub(" ", text).strip() if text else ""


def _markup_hidden(root: etree._Element, index: TreeIndex):
    """Roots of the subtrees the browser's own style sheet never displays."""
    yield from root.iter("head", "script", "style", "template", "noscript")
    yield from index.having("hidden")
    for el in root.iter("input", "dialog", "details"):
        if el.tag == "input":
            if (el.get("type") or "").strip().lower() == "hidden":
                yield el
        elif el.tag == "dialog":
            if el.get("open") is None:
                yield el
        elif el.get("open") is None:
            summary = el.find("summary")  # a closed details shows only its first summary
            yield from (child for child in el if child is not summary and isinstance(child.tag, str))


def parse_html(text: str | bytes) -> etree._Element | None:
    """The root ``html`` element of ``text`` parsed with libxml2's HTML parser, or None."""
    data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    if not data.strip():
        return None
    try:
        root = etree.fromstring(data, _PARSER)
    except (etree.ParserError, ValueError):
        return None
    return root


_PARSER = etree.HTMLParser(encoding="utf-8", remove_comments=True, no_network=True)


class Doc:
    """The parsed page ``url`` with memoised visibility, names and styles.

    ``stylesheets`` maps absolute URLs of linked style sheets to their text; the sheets the
    page links that are in it take part in the cascade, the others are unknown.
    """

    def __init__(self, root: etree._Element, url: str = "", stylesheets: Mapping[str, str] | None = None):
        self.root = root
        self.url = url
        self.stylesheets = stylesheets
        self.memo: dict = {}  # per-page caches of rules that walk ancestors (contrast)

    # --- indexes -----------------------------------------------------------------------

    @cached_property
    def index(self) -> TreeIndex:
        return TreeIndex(self.root)

    @cached_property
    def ids(self) -> dict[str, list[etree._Element]]:
        """Every id in the rendered DOM (template and noscript contents are not part of it)."""
        inert = self._inert
        if not inert:
            return self.index.ids
        out: dict[str, list[etree._Element]] = {}
        for ident, elements in self.index.ids.items():
            kept = [el for el in elements if el not in inert]
            if kept:
                out[ident] = kept
        return out

    def by_id(self, ident: str) -> etree._Element | None:
        found = self.ids.get(ident)
        return found[0] if found else None

    @cached_property
    def labels_for(self) -> dict[str, list[etree._Element]]:
        out: dict[str, list[etree._Element]] = {}
        for label in self.root.iterfind(".//label[@for]"):
            out.setdefault(label.get("for"), []).append(label)
        return out

    @cached_property
    def styles(self) -> StyleIndex:
        return StyleIndex(self.root, self.stylesheets, self.url, self.index)

    @cached_property
    def _inert(self) -> frozenset[etree._Element]:
        inside: set[etree._Element] = set()
        for top in self.root.iter("template", "noscript"):
            inside.update(top.iterdescendants())
        return frozenset(inside)

    @cached_property
    def links(self) -> list[etree._Element]:
        """<a href> elements a person can meet: not hidden, not in template or noscript."""
        hidden = self._ax_hidden
        return [a for a in self.root.iter("a") if a.get("href") is not None and a not in hidden]

    def in_inert_subtree(self, el: etree._Element) -> bool:
        """Inside <template> or <noscript>: a browser with scripting builds no elements there."""
        return el in self._inert

    # --- visibility --------------------------------------------------------------------
    # Computed once per page as sets, from the subtrees hidden by markup or CSS, because every
    # rule asks about most elements and ancestor walks in Python cost more than the parse.

    @cached_property
    def _not_displayed(self) -> frozenset[etree._Element]:
        styles = self.styles
        shown = {el for el in styles.elements_with("display") if styles.value(el, "display") != "none"}
        roots = [el for el in _markup_hidden(self.root, self.index) if el not in shown or el.tag in NOT_RENDERED]
        roots += [el for el in styles.elements_with("display") if styles.value(el, "display") == "none"]
        hidden: set[etree._Element] = set()
        for top in roots:
            if top not in hidden:
                hidden.update(top.iter())
        return frozenset(hidden)

    @cached_property
    def _visibility_hidden(self) -> frozenset[etree._Element]:
        styles = self.styles
        hidden: set[etree._Element] = set()
        for top in styles.elements_with("visibility"):
            if styles.value(top, "visibility") in ("hidden", "collapse"):
                self._hide_visibility(top, hidden)
        return frozenset(hidden)

    def _hide_visibility(self, el: etree._Element, hidden: set) -> None:
        hidden.add(el)
        for child in el:
            if not isinstance(child.tag, str):
                continue
            own = self.styles.value(child, "visibility")
            if own is None or own in ("hidden", "collapse", "inherit", "unset"):
                self._hide_visibility(child, hidden)

    @cached_property
    def _ax_hidden(self) -> frozenset[etree._Element]:
        hidden = set(self._not_displayed) | self._visibility_hidden
        for top in self.index.having("aria-hidden"):
            if top not in hidden and (top.get("aria-hidden") or "").strip().lower() == "true":
                hidden.update(top.iter())
        return frozenset(hidden)

    def not_displayed(self, el: etree._Element) -> bool:
        """Not rendered at all: display:none or its equivalents, on the element or an ancestor."""
        return el in self._not_displayed

    def visibility_hidden(self, el: etree._Element) -> bool:
        """visibility:hidden or collapse, inherited (a descendant may set it back to visible)."""
        return el in self._visibility_hidden

    def invisible(self, el: etree._Element) -> bool:
        """Not seen on screen: not displayed or visibility hidden."""
        return el in self._not_displayed or el in self._visibility_hidden

    def ax_hidden(self, el: etree._Element) -> bool:
        """Hidden from assistive technology: invisible, or aria-hidden on it or an ancestor."""
        return el in self._ax_hidden

    # --- roles and focus ---------------------------------------------------------------

    @staticmethod
    def role(el: etree._Element) -> str:
        """The first token of the explicit role attribute, lower case ('' when absent)."""
        role = (el.get("role") or "").strip().lower()
        return role.split()[0] if role else ""

    @staticmethod
    def focusable(el: etree._Element) -> bool:
        tabindex = el.get("tabindex")
        if tabindex is not None:
            try:
                return int(tabindex.strip()) >= -1
            except ValueError:
                pass
        if el.get("disabled") is not None:
            return False
        tag = el.tag
        if tag == "a":
            return el.get("href") is not None
        if tag == "input":
            return (el.get("type") or "").strip().lower() != "hidden"
        return tag in FOCUSABLE_TAGS

    def presentational(self, el: etree._Element) -> bool:
        """role none/presentation that a browser honours (not on a focusable element)."""
        return self.role(el) in ("none", "presentation") and not self.focusable(el)

    # --- accessible names ---------------------------------------------------------------

    def labelledby_text(self, el: etree._Element) -> str:
        refs = (el.get("aria-labelledby") or "").split()
        if not refs:
            return ""
        parts = []
        for ref in refs:
            target = self.by_id(ref)
            if target is not None:
                parts.append(self.subtree_text(target, include_hidden=True, aria_label_first=True))
        return sanitize(" ".join(parts))

    @staticmethod
    def aria_label(el: etree._Element) -> str:
        return sanitize(el.get("aria-label"))

    def title_text(self, el: etree._Element) -> str:
        return sanitize(el.get("title"))

    def subtree_text(self, el: etree._Element, *, include_hidden: bool = False,
                     aria_label_first: bool = False) -> str:
        """The text an element's content contributes to a name: text, alt, aria-label of parts."""
        if aria_label_first:
            label = self.aria_label(el)
            if label:
                return label
        if not len(el) and el.tag not in _OWN_NAME_TAGS:
            return sanitize(el.text)
        out: list[str] = []
        self._collect_text(el, out, include_hidden, top=True)
        return sanitize(" ".join(out))

    def _collect_text(self, el: etree._Element, out: list[str], include_hidden: bool, top: bool = False) -> None:
        tag = el.tag
        if not top:
            if tag in NOT_RENDERED or (not include_hidden and self.ax_hidden(el)):
                return
            label = self.aria_label(el)
            if label:
                out.append(label)
                return
            embedded = self.embedded_name(el)
            if embedded is not None:
                out.append(embedded)
                return
        if tag in ("img", "area") or (tag == "input" and (el.get("type") or "").lower() == "image"):
            out.append(el.get("alt") or "")
            return
        if tag == "svg":
            title = el.find("title")
            if title is not None:
                out.append(title.text or "")
            return
        if el.text:
            out.append(el.text)
        for child in el:
            if isinstance(child.tag, str):
                self._collect_text(child, out, include_hidden)
            if child.tail:
                out.append(child.tail)

    def has_text(self, el: etree._Element) -> bool:
        """Whether ``subtree_text(el)`` is non-empty, without building it when a glance suffices."""
        if not len(el) and el.tag not in _OWN_NAME_TAGS:
            text = el.text
            return bool(text and not text.isspace())
        return bool(self.subtree_text(el))

    def embedded_name(self, el: etree._Element) -> str | None:
        """What an embedded control contributes inside another element's name, or None."""
        tag = el.tag
        if tag == "input":
            kind = (el.get("type") or "text").strip().lower()
            if kind in ("text", "search", "email", "tel", "url", "number", "", "submit", "reset", "button"):
                return el.get("value") or ""
            return None
        if tag in ("select", "textarea"):
            return ""
        return None

    def label_text(self, control: etree._Element) -> str:
        """The text of the <label> elements of a form control: wrapping, then for=id."""
        parts = []
        ancestor = control.getparent()
        while ancestor is not None:
            if ancestor.tag == "label":
                parts.append(self._label_own_text(ancestor, control))
                break
            ancestor = ancestor.getparent()
        ident = control.get("id")
        if ident and self.by_id(ident) is control:
            for label in self.labels_for.get(ident, ()):
                if not self.not_displayed(label) or self.aria_label(label):
                    parts.append(self._label_own_text(label, control))
        return sanitize(" ".join(parts))

    def _label_own_text(self, label: etree._Element, control: etree._Element) -> str:
        out: list[str] = []
        if label.text:
            out.append(label.text)
        for child in label:
            if child is not control and isinstance(child.tag, str):
                self._collect_text(child, out, include_hidden=False)
            if child.tail:
                out.append(child.tail)
        return sanitize(" ".join(out))

    # --- pointing at an element ---------------------------------------------------------

    def css_path(self, el: etree._Element) -> str:
        """A CSS selector that matches exactly ``el``: from the nearest unique id, else from html."""
        parts: list[str] = []
        node = el
        while node is not None:
            ident = node.get("id")
            if ident and _IDENT_RE.match(ident) and len(self.ids.get(ident, ())) == 1:
                parts.append(f"#{ident}")
                break
            parent = node.getparent()
            tag = node.tag
            if parent is None:
                parts.append(tag)
                break
            same = [sibling for sibling in parent if sibling.tag == tag]
            parts.append(tag if len(same) == 1 else f"{tag}:nth-of-type({same.index(node) + 1})")
            node = parent
        return " > ".join(reversed(parts))

    @staticmethod
    def snippet(el: etree._Element, limit: int = 160) -> str:
        """The element's start tag, shortened, for a person to recognise it."""
        attrs = "".join(f' {k}="{v}"' for k, v in el.attrib.items())
        text = f"<{el.tag}{attrs}>"
        return text if len(text) <= limit else text[: limit - 1] + "…"
