"""One pass over a parsed page that remembers which elements carry the attributes the rules ask about.

lxml finds elements by tag in C (``root.iter("a")`` costs next to nothing), but every
search by attribute, XPath included, visits each element; on a 100 KB page that costs
about as much as parsing it. So the attributes are indexed once, in one Python pass.
"""

from __future__ import annotations

from functools import cached_property

from lxml import etree

INDEXED = frozenset({"id", "class", "style", "hidden", "aria-hidden", "role", "bgcolor", "text", "color"})


class TreeIndex:
    """Elements by indexed attribute, by id and by class."""

    def __init__(self, root: etree._Element):
        self.root = root
        attrs: dict[str, list[etree._Element]] = {name: [] for name in INDEXED}
        everything = []
        for el in root.iter(etree.Element):
            everything.append(el)
            keys = el.keys()
            if keys:
                for key in keys:
                    found = attrs.get(key)
                    if found is not None:
                        found.append(el)
        self.elements = everything
        self.attrs = attrs

    def having(self, attribute: str) -> list[etree._Element]:
        """Elements with ``attribute`` (one of ``INDEXED``), in document order."""
        return self.attrs[attribute]

    @cached_property
    def ids(self) -> dict[str, list[etree._Element]]:
        out: dict[str, list[etree._Element]] = {}
        for el in self.attrs["id"]:
            out.setdefault(el.get("id"), []).append(el)
        return out

    @cached_property
    def classes(self) -> dict[str, list[etree._Element]]:
        out: dict[str, list[etree._Element]] = {}
        for el in self.attrs["class"]:
            for name in el.get("class").split():
                out.setdefault(name, []).append(el)
        return out
