"""Is a home page parked, defaced or hijacked? One pure function over its HTML.

Shared by the availability check (over a crawled home page) and the prober (over the
body of every probe), so a site is judged the same way by both. The prober reads
tens of thousands of pages a minute, so the HTML is only parsed when every word of some
phrase occurs in it; a page that names none of them costs a few substring searches.
"""

from __future__ import annotations

from lxml import etree, html as lxml_html

# A home page answering 200 with any of these is not the agency's site any more.
PARKED_PHRASES = (
    "domain may be for sale", "domain is for sale", "buy this domain", "this domain is parked",
    "related searches", "domain ini dijual", "domain ini sedang tidak aktif", "domain ini belum aktif",
    "domain ini telah diparkir", "sedoparking", "parkingcrew", "bodis.com",
)
DEFACED_PHRASES = ("hacked by", "defaced by", "h4ck3d", "was hacked", "diretas oleh")
# Gambling words in a government home page's title, heading or description mean a hijacked
# site (judi online SEO spam, "judol").
HIJACK_WORDS = ("slot gacor", "slot online", "situs slot", "judi online", "togel", "maxwin", "sbobet",
                "casino online", "rtp live")
# Parking and defacement pages are short; the body of a longer page is not read, because a
# real home page may well carry a news headline about another site being hacked.
SHORT_PAGE_CHARS = 2000

_HEAD_PHRASES = PARKED_PHRASES + DEFACED_PHRASES + HIJACK_WORDS
_BODY_PHRASES = PARKED_PHRASES + DEFACED_PHRASES
_PHRASE_WORDS = tuple(tuple(phrase.split()) for phrase in _HEAD_PHRASES)
# Words too common on real home pages to rule a phrase out quickly.
_COMMON_WORDS = {"this", "was", "online", "live", "situs", "for", "is", "be", "may", "buy", "sale", "ini", "by",
                 "oleh", "tidak", "sedang", "aktif", "belum", "telah"}


def _anchors() -> dict[str, list[tuple[str, ...]]]:
    """Each phrase's rarest-looking word (the longest uncommon one): a page is searched for
    these first, and for the rest of a phrase only when its anchor is there."""
    anchors: dict[str, list[tuple[str, ...]]] = {}
    for phrase in _PHRASE_WORDS:
        uncommon = [word for word in phrase if word not in _COMMON_WORDS] or list(phrase)
        anchors.setdefault(max(uncommon, key=len), []).append(phrase)
    return anchors


_ANCHORS = _anchors()
_SKIPPED = {"script", "style", "template"}  # what BeautifulSoup's get_text() leaves out too


def _may_match(lowered: str) -> bool:
    for anchor, phrases in _ANCHORS.items():
        if anchor in lowered and any(all(word in lowered for word in phrase) for phrase in phrases):
            return True
    return False


_BYTE_ANCHORS = [(anchor.encode(), [tuple(word.encode() for word in phrase) for phrase in phrases])
                 for anchor, phrases in _ANCHORS.items()]


def may_be_parked_or_defaced(body: bytes) -> bool:
    """False when an HTML body in an ASCII-compatible encoding (UTF-8, Latin-1, ...) cannot
    hold any phrase, so the prober need not even decode it; True means: look closer."""
    lowered = body.lower()
    for anchor, phrases in _BYTE_ANCHORS:
        if anchor in lowered and any(all(word in lowered for word in phrase) for phrase in phrases):
            return True
    return False


def _parse(text: str):
    try:
        return lxml_html.document_fromstring(text)
    except ValueError:
        # lxml refuses a str that declares its own encoding (<?xml ... encoding=...?>).
        try:
            return lxml_html.document_fromstring(text.encode("utf-8"))
        except (ValueError, etree.ParserError):
            return None
    except etree.ParserError:
        return None


def _text(element) -> str:
    """The element's text as a reader sees it: script, style and comments left out."""
    parts: list[str] = []

    def walk(node) -> None:
        if not isinstance(node.tag, str) or node.tag in _SKIPPED:
            return
        if node.text:
            parts.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(element)
    return " ".join(" ".join(parts).split())


def parked_or_defaced_signal(text: str | None) -> str | None:
    """The phrase showing that an HTML home page is parked, defaced or hijacked, if any.

    Title, first heading and description are always read; the whole text only when it is
    at most ``SHORT_PAGE_CHARS`` long. Phrases are matched in lower case on the text a
    reader sees (markup, scripts and styles left out).
    """
    if not text or not _may_match(text.lower()):
        return None
    doc = _parse(text)
    if doc is None:
        return None
    title = doc.find(".//title")
    heading = doc.find(".//h1")
    description = doc.find(".//meta[@name='description']")
    head = " ".join([
        _text(title) if title is not None else "",
        _text(heading) if heading is not None else "",
        description.get("content", "") if description is not None else "",
    ]).lower()
    for phrase in _HEAD_PHRASES:
        if phrase in head:
            return phrase
    body = _text(doc).lower()
    if len(body) <= SHORT_PAGE_CHARS:
        return next((phrase for phrase in _BODY_PHRASES if phrase in body), None)
    return None
