"""What the feature detectors read: one site's pages, parsed once into anchors, forms and scripts.

``SiteView.of(evidence)`` walks every HTML page of a crawl once (through the shared
``Page.soup``) and keeps what the detectors ask about: every link with its visible or
accessible label and whether it sits in the page chrome, every form with its fields,
every script and iframe address, the page text, and the main content apart from the
header, navigation, sidebar and footer that repeat on every page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import parse_qs, unquote, urljoin, urlsplit

from bs4 import Tag

from checks.base import Page, SiteEvidence

SNIPPET = 60
EXAMPLES = 3

# Page chrome that repeats on every page; the main content is what is left.
CHROME_TAGS = ("header", "nav", "footer", "aside")
CHROME_CLASS_RE = re.compile(r"(^|[-_ ])(header|footer|topbar|top-bar|navbar|menu|sidebar|widget)([-_ ]|$)",
                             re.IGNORECASE)
CHROME_ROLES = ("navigation", "banner", "contentinfo", "complementary")
MAIN_CLASS_RE = re.compile(r"(^|\s)(konten|content|entry-content|post-content|isi)(\s|$)")
LINK_IN_CODE_RE = re.compile(r"(?:https?:)?//[^\s'\"<>)]+|(?:mailto|tel|sms|whatsapp):[^\s'\"<>)]+")


def squash(text: str) -> str:
    """Collapse whitespace runs to single spaces."""
    return " ".join(text.split())


def snippet_at(text: str, at: int, length: int = 0, width: int = 40) -> str:
    """The text around ``text[at:at + length]``, at most about ``2 * width`` characters."""
    start, end = max(0, at - width), min(len(text), at + length + width)
    return ("…" if start else "") + text[start:end].strip() + ("…" if end < len(text) else "")


def short(text: str, width: int = 2 * SNIPPET) -> str:
    text = squash(text)
    return text if len(text) <= width else text[:width - 1].rstrip() + "…"


def _classes(tag: Tag) -> str:
    classes = tag.get("class") or []
    if isinstance(classes, str):
        classes = [classes]
    return " ".join(classes + [tag.get("id") or ""])


def in_chrome(tag: Tag) -> bool:
    """True when ``tag`` sits in the header, navigation, sidebar or footer of the page."""
    node = tag.parent
    while node is not None and node.name not in ("body", "html", "[document]"):
        if node.name in CHROME_TAGS or CHROME_CLASS_RE.search(_classes(node)):
            return True
        if node.get("role") in CHROME_ROLES:
            return True
        node = node.parent
    return False


def accessible_label(tag: Tag) -> str:
    """Visible text, else aria-label, title, image alt text or icon class names: what a link says."""
    text = squash(tag.get_text(" "))
    if text:
        return text
    for attr in ("aria-label", "title", "data-original-title"):
        if tag.get(attr):
            return squash(tag[attr])
    for img in tag.find_all("img"):
        if img.get("alt"):
            return squash(img["alt"])
    icons = [c for icon in tag.find_all(["i", "span", "svg"]) for c in (icon.get("class") or [])]
    icons += [c for c in (tag.get("class") or [])]
    names = [re.sub(r"^(fa[bsrl]?|bi|icon|elementor-social-icon|ti|la[bs]?)-", "", c) for c in icons
             if re.match(r"^(fa[bsrl]?|bi|icon|elementor-social-icon|ti|la[bs]?)-", c)]
    return " ".join(names)


@dataclass(frozen=True)
class Clue:
    """One piece of evidence: where it is, what it says, and the value it stands for."""

    url: str
    snippet: str
    value: str = ""  # the address, number, account, host or service it proves
    how: str = ""  # mailto | text | link | form | script | page | ...

    def as_dict(self) -> dict:
        return {"url": self.url, "snippet": self.snippet, "value": self.value, "how": self.how}


@dataclass
class FeatureResult:
    """A detector's verdict: found or not, with up to ``EXAMPLES`` clues (distinct values)."""

    feature: str
    found: bool
    evidence: list[Clue] = field(default_factory=list)
    count: int = 0  # distinct values seen, beyond the examples kept

    def as_dict(self) -> dict:
        return {"found": self.found, "count": self.count, "evidence": [c.as_dict() for c in self.evidence]}

    @property
    def values(self) -> list[str]:
        return [c.value for c in self.evidence]


class Clues:
    """Collects clues for one feature, one per distinct value, keeping the first few."""

    def __init__(self, feature: str, limit: int = EXAMPLES):
        self.feature = feature
        self.limit = limit
        self.kept: list[Clue] = []
        self.seen: set[str] = set()

    def add(self, url: str, snippet, value: str = "", how: str = "", key: str | None = None) -> None:
        """Keep a clue unless its ``key`` (default: the value) was seen already.

        ``snippet`` may be a function, called only for a clue that is kept.
        """
        key = (key or value or (snippet if isinstance(snippet, str) else "")).lower()
        if key in self.seen:
            return
        self.seen.add(key)
        if len(self.kept) < self.limit:
            text = snippet() if callable(snippet) else snippet
            self.kept.append(Clue(url, short(text or value), value, how))

    def __len__(self) -> int:
        return len(self.seen)

    def result(self) -> FeatureResult:
        return FeatureResult(self.feature, bool(self.seen), list(self.kept), len(self.seen))


@dataclass(frozen=True)
class Anchor:
    """One link of a page (or one outbound link the crawler recorded)."""

    href: str  # as written
    url: str  # absolute
    label: str
    page_url: str
    chrome: bool = False  # inside header, navigation, sidebar or footer
    tag: Tag | None = field(default=None, compare=False, repr=False)

    @cached_property
    def parts(self):
        return urlsplit(self.url)

    @cached_property
    def scheme(self) -> str:
        return self.parts.scheme.lower()

    @cached_property
    def host(self) -> str:
        return (self.parts.hostname or "").lower()

    @cached_property
    def path(self) -> str:
        return unquote(self.parts.path)

    @cached_property
    def query(self) -> dict[str, list[str]]:
        return parse_qs(self.parts.query)

    @cached_property
    def context(self) -> str:
        """Text of the enclosing paragraph or list item, when it is short enough to quote."""
        if self.tag is None:
            return self.label
        parent = self.tag.find_parent(["p", "li", "td", "dd"])
        text = squash(parent.get_text(" ")) if parent is not None else ""
        return text if 0 < len(text) <= 2 * SNIPPET else self.label

    def snippet(self) -> str:
        if self.label and self.label in self.context:
            return short(self.context)
        return short(self.label or self.href)


@dataclass(frozen=True)
class Field:
    tag: str  # input | textarea | select | button
    type: str
    name: str
    label: str  # name, id, placeholder, aria-label and <label> text together, lower-cased


@dataclass(frozen=True)
class Form:
    page_url: str
    method: str
    action: str  # absolute, or "" when the form has none
    raw_action: str
    classes: str
    role: str
    fields: tuple[Field, ...]
    text: str  # the form's own text (labels, headings, buttons)
    heading: str  # the nearest heading before the form
    tag: Tag = field(compare=False, repr=False, default=None)

    def inputs(self, *types: str) -> list[Field]:
        return [f for f in self.fields if f.tag == "input" and f.type in types]

    @property
    def textareas(self) -> list[Field]:
        return [f for f in self.fields if f.tag == "textarea"]

    @property
    def words(self) -> str:
        """Everything a reader of the form sees or a developer named, for keyword tests."""
        return " ".join([self.text, self.heading, self.classes, self.raw_action,
                         *(f.label for f in self.fields)]).lower()

    def snippet(self) -> str:
        return short(" ".join(x for x in (self.heading, self.text) if x))


@dataclass
class PageView:
    """One HTML page as the detectors see it, indexed in one walk over its tree."""

    page: Page

    @property
    def url(self) -> str:
        return self.page.final_url or self.page.url

    @property
    def soup(self):
        return self.page.soup

    @cached_property
    def tags(self) -> dict[str, list[Tag]]:
        """Elements by tag name, plus ``@class``, ``@id``, ``@onclick``, ``@data-cfemail`` and
        ``@data-settings`` for the elements carrying those attributes."""
        index: dict[str, list[Tag]] = {}
        for tag in self.soup.find_all(True):
            index.setdefault(tag.name, []).append(tag)
            for attr in ("class", "id", "onclick", "data-cfemail", "data-settings", "role"):
                if attr in tag.attrs:
                    index.setdefault("@" + attr, []).append(tag)
        return index

    def all(self, key: str) -> list[Tag]:
        return self.tags.get(key, [])

    def with_class(self, pattern: re.Pattern) -> list[Tag]:
        return [t for t in self.all("@class") if pattern.search(" ".join(t.get("class") or []))]

    def with_id(self, value: str) -> Tag | None:
        return next((t for t in self.all("@id") if t.get("id") == value), None)

    @cached_property
    def text(self) -> str:
        return squash(self.soup.get_text(" "))

    @cached_property
    def title(self) -> str:
        parts = [self.soup.title.get_text(" ") if self.soup.title else ""]
        parts += [h.get_text(" ") for h in self.all("h1")[:2]]
        return squash(" ".join(parts))

    @cached_property
    def main_text(self) -> str:
        """Text of the main content, without the chrome that repeats on every page."""
        return squash(" ".join(node.get_text(" ") for node in self.main_nodes))

    @cached_property
    def main_nodes(self) -> list[Tag]:
        candidates = (self.all("main") + [t for t in self.all("@role") if t.get("role") == "main"]
                      + self.all("article") + [t for t in self.all("@id") if t.get("id") == "content"]
                      + self.with_class(MAIN_CLASS_RE))
        for node in candidates:
            if not in_chrome(node):
                return [node]
        body = self.soup.body or self.soup
        return [child for child in body.find_all(recursive=False)
                if child.name not in CHROME_TAGS and not CHROME_CLASS_RE.search(_classes(child))]

    def in_main(self, tag: Tag | None) -> bool:
        if tag is None:
            return False
        return any(tag is node or any(parent is node for parent in tag.parents) for node in self.main_nodes)

    @cached_property
    def anchors(self) -> list[Anchor]:
        out = []
        base = self.url
        for a in self.all("a"):
            href = (a.get("href") or "").strip()
            targets = [href] if href else []
            # Page builders hide the target in data attributes or click handlers.
            for attr in ("data-href", "data-url", "data-link", "onclick"):
                value = a.get(attr)
                if value:
                    targets += LINK_IN_CODE_RE.findall(value)
            targets = [t for t in targets if not t.startswith("#") and not t.lower().startswith("javascript:")]
            if not targets:
                continue
            label = accessible_label(a)
            chrome = self._in_chrome(a.parent)
            for target in targets:
                out.append(Anchor(target, urljoin(base, target), label, self.url, chrome, a))
        return out

    def _in_chrome(self, tag: Tag | None) -> bool:
        """``in_chrome`` for ``tag`` or any ancestor, memoised along the tree (pages have many links)."""
        cache = self.__dict__.setdefault("_chrome_cache", {})
        chain, node, inside = [], tag, False
        while node is not None and node.name not in ("[document]", "html", "body"):
            if id(node) in cache:
                inside = cache[id(node)]
                break
            chain.append(node)
            node = node.parent
        for node in reversed(chain):
            inside = inside or node.name in CHROME_TAGS or bool(CHROME_CLASS_RE.search(_classes(node))) \
                or node.get("role") in CHROME_ROLES
            cache[id(node)] = inside
        return inside

    @cached_property
    def forms(self) -> list[Form]:
        return [self._form(form) for form in self.all("form")]

    def _form(self, form: Tag) -> Form:
        labels = {}
        for label in form.find_all("label"):
            target = label.get("for")
            if target:
                labels[target] = squash(label.get_text(" "))
        fields = []
        for tag in form.find_all(["input", "textarea", "select", "button"]):
            kind = (tag.get("type") or ("text" if tag.name == "input" else tag.name)).lower()
            words = [tag.get("name") or "", tag.get("id") or "", tag.get("placeholder") or "",
                     tag.get("aria-label") or "", labels.get(tag.get("id") or "", "")]
            wrapping = tag.find_parent("label")
            if wrapping is not None:
                words.append(squash(wrapping.get_text(" ")))
            if tag.name == "button" or kind in ("submit", "button"):
                words.append(squash(tag.get_text(" ")) or tag.get("value") or "")
            fields.append(Field(tag.name, kind, (tag.get("name") or "").lower(), " ".join(words).lower()))
        raw_action = (form.get("action") or "").strip()
        action = urljoin(self.url, raw_action) if raw_action and not raw_action.startswith("#") else ""
        heading = form.find_previous(["h1", "h2", "h3", "h4", "h5", "legend"])
        return Form(
            page_url=self.url,
            method=(form.get("method") or "get").lower(),
            action=action,
            raw_action=raw_action,
            classes=_classes(form).lower(),
            role=(form.get("role") or "").lower(),
            fields=tuple(fields),
            text=squash(form.get_text(" ")),
            heading=squash(heading.get_text(" ")) if heading is not None else "",
            tag=form,
        )

    @cached_property
    def scripts(self) -> list[str]:
        """Script addresses and inline script code (comments are not parsed, so never included)."""
        out = []
        for script in self.all("script"):
            if script.get("src"):
                out.append(urljoin(self.url, script["src"]))
            code = script.string or ""
            if code.strip():
                out.append(code)
        return out

    @cached_property
    def frames(self) -> list[str]:
        return [urljoin(self.url, f.get("src") or f.get("data-src") or "")
                for f in self.all("iframe") + self.all("embed") if f.get("src") or f.get("data-src")]


def _rank(view: PageView) -> int:
    """Home and contact pages first: their evidence is what a person would click."""
    if view.page.kind == "home":
        return 0
    path = urlsplit(view.url).path.lower()
    return 1 if any(word in path for word in ("kontak", "contact", "hubungi")) else 2


@dataclass
class SiteView:
    """Every HTML page of one site's crawl, parsed once, plus the recorded outbound links."""

    site: dict
    pages: list[PageView]
    outbound: list[Anchor]

    @classmethod
    def of(cls, evidence: SiteEvidence | SiteView) -> SiteView:
        if isinstance(evidence, SiteView):
            return evidence
        # Several checks read the same evidence; the parsed view is kept on it for them.
        cached = evidence.__dict__.get("_feature_view")
        if cached is not None:
            return cached
        views = sorted((PageView(p) for p in evidence.html_pages), key=_rank)
        outbound = [Anchor(link["url"], link["url"], link.get("text") or "", link.get("page_url") or "")
                    for link in evidence.links if link.get("url")]
        view = cls(dict(evidence.site), views, outbound)
        evidence.__dict__["_feature_view"] = view
        return view

    @cached_property
    def own_hosts(self) -> set[str]:
        host = (self.site.get("host") or urlsplit(self.site.get("url") or "").hostname or "").lower()
        if not host and self.pages:
            host = (urlsplit(self.pages[0].url).hostname or "").lower()
        bare = host[4:] if host.startswith("www.") else host
        return {bare, f"www.{bare}"} if bare else set()

    def is_own(self, host: str) -> bool:
        return host.lower() in self.own_hosts

    @cached_property
    def anchors(self) -> list[Anchor]:
        """Links of every page, then recorded outbound links no page body showed (bodies are capped)."""
        out = [a for view in self.pages for a in view.anchors]
        seen = {a.url for a in out}
        out += [a for a in self.outbound if a.url not in seen]
        return out

    @property
    def forms(self) -> list[Form]:
        return [form for view in self.pages for form in view.forms]
