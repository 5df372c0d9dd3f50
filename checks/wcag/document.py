"""Rules about the document as a whole: language, title, zoom, headings, ids.

Each rule takes a :class:`~checks.wcag.dom.Doc` and returns the failing elements, an
empty list when it passes, or None when the page has nothing the rule applies to.
"""

from __future__ import annotations

import re

from lxml import etree

from checks.wcag.dom import HEADING_TAGS, Doc, sanitize

# ISO 639-1 language codes (with the withdrawn in, iw, ji, jw, mo, sh that browsers still accept).
ISO_639_1 = frozenset("""
aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee
el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is
it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms
mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk
sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi
yo za zh zu in iw ji jw mo sh
""".split())
# Three-letter codes of languages that have a two-letter code: BCP 47 wants the short one
# (lang="ind" is wrong, lang="id" right). Other three-letter codes are taken on their shape.
HAS_SHORT_CODE = frozenset("""
aar abk ave afr aka amh arg ara asm ava aym aze bak bel bul bih bis bam ben bod tib bre bos cat che cha cos
cre ces cze chu chv cym wel dan deu ger div dzo ewe ell gre eng epo spa est eus baq fas per ful fin fij fao
fra fre fry gle gla glg grn guj glv hau heb hin hmo hrv hat hun hye arm her ina ind ile ibo iii ipk ido isl
ice ita iku jpn jav kat geo kon kik kua kaz kal khm kan kor kau kas kur kom cor kir lat ltz lug lim lin lao
lit lub lav mlg mah mri mao mkd mac mal mon mar msa may mlt mya bur nau nob nde nep ndo nld dut nno nor nbl
nav nya oci oji orm ori oss pan pli pol pus por que roh run ron rum rus kin san srd snd sme sag sin slk slo
slv smo sna som sqi alb srp ssw sot sun swe swa tam tel tgk tha tir tuk tgl tsn ton tur tso tat twi tah uig
ukr urd uzb ven vie vol wln wol xho yid yor zha zho chi zul
""".split())
_SCALABLE_WORDS = ("yes", "device-width", "device-height")


def html_has_lang(doc: Doc) -> list[etree._Element]:
    """WCAG 3.1.1: <html> declares the page language in a non-empty lang attribute."""
    root = doc.root
    return [] if sanitize(root.get("lang")) else [root]


def html_lang_valid(doc: Doc) -> list[etree._Element] | None:
    """WCAG 3.1.1: the declared language is a language code (id, en, jv, ...), not a word or "ind"."""
    root = doc.root
    lang = sanitize(root.get("lang"))
    if not lang:
        return None
    primary = lang.split("-", 1)[0].lower()
    valid = primary in ISO_639_1 or (len(primary) == 3 and primary.isascii() and primary.isalpha()
                                      and primary not in HAS_SHORT_CODE)
    return [] if valid else [root]


def document_title(doc: Doc) -> list[etree._Element]:
    """WCAG 2.4.2: the page has a <title> with text."""
    for title in doc.root.iter("title"):
        if any(a.tag == "svg" for a in title.iterancestors()):
            continue
        return [] if sanitize("".join(title.itertext())) else [doc.root]
    return [doc.root]


def meta_viewport(doc: Doc) -> list[etree._Element] | None:
    """WCAG 1.4.4: the viewport does not forbid zooming (user-scalable=no, maximum-scale < 2)."""
    metas = [m for m in doc.root.iter("meta") if (m.get("name") or "").strip().lower() == "viewport"]
    if not metas:
        return None
    return [m for m in metas if _blocks_zoom(m.get("content") or "")]


def _blocks_zoom(content: str) -> bool:
    for item in re.split(r"[;,]", content.lower()):
        key, _, value = (part.strip() for part in item.partition("="))
        if not key or not value:
            continue
        number = _float(value)
        if key == "user-scalable":
            if (number is None and value not in _SCALABLE_WORDS) or (number is not None and -1 < number < 1):
                return True
        elif key == "maximum-scale":
            if number is not None and number < 0:
                continue
            if (number is None and value not in _SCALABLE_WORDS[1:]) or (number is not None and number < 2):
                return True
    return False


def _float(text: str) -> float | None:
    match = re.match(r"[+-]?(\d+\.?\d*|\.\d+)", text)
    return float(match[0]) if match else None


def heading_level(doc: Doc, el: etree._Element) -> int | None:
    """The level a screen reader announces, or None when the element is not a heading."""
    role = doc.role(el)
    tag = el.tag
    if role and role != "heading":
        return None
    if not role and tag not in HEADING_TAGS:
        return None
    native = int(tag[1]) if tag in HEADING_TAGS else None
    aria = (el.get("aria-level") or "").strip()
    if native and not aria:
        return native
    try:
        level = int(aria)
    except ValueError:
        level = 0
    if level < 1:
        return native or 2
    return level


def heading_elements(doc: Doc) -> list[etree._Element]:
    """<h1>-<h6> and role=heading elements in document order, hidden ones included."""
    found = list(doc.root.iter(*HEADING_TAGS))
    roled = [el for el in doc.index.having("role") if el.tag not in HEADING_TAGS and "heading" in el.get("role")]
    if roled:
        order = {el: i for i, el in enumerate(doc.index.elements)}
        found = sorted(found + roled, key=order.__getitem__)
    return found


def headings(doc: Doc) -> list[tuple[etree._Element, int]]:
    """Headings a screen reader announces, in document order, with their levels."""
    if "headings" in doc.memo:
        return doc.memo["headings"]
    out = doc.memo["headings"] = []
    for el in heading_elements(doc):
        level = heading_level(doc, el)
        if level is not None and not doc.ax_hidden(el) and not doc.in_inert_subtree(el):
            out.append((el, level))
    return out


def heading_order(doc: Doc) -> list[etree._Element] | None:
    """WCAG 1.3.1: heading levels go down one at a time (h2 after h1, not h4 after h2)."""
    found = headings(doc)
    if not found:
        return None
    failing = []
    for (_, previous), (el, level) in zip(found, found[1:]):
        if level - previous > 1:
            failing.append(el)
    return failing


def page_has_heading_one(doc: Doc) -> list[etree._Element]:
    """WCAG 1.3.1: the page has a level-one heading that names its main content.

    Level one means a plain <h1>, or a heading whose aria-level is exactly 1.
    """
    for el in heading_elements(doc):
        if doc.ax_hidden(el) or doc.in_inert_subtree(el):
            continue
        role, level = el.get("role"), el.get("aria-level")
        if el.tag == "h1" and role is None and level is None:
            return []
        if level == "1" and (role == "heading" or (role is None and el.tag in HEADING_TAGS)):
            return []
    return [doc.root]


def duplicate_id(doc: Doc) -> list[etree._Element] | None:
    """WCAG 4.1.1: id values are unique; one element per id that is used more than once."""
    ids = doc.ids
    if not ids:
        return None
    return [elements[0] for ident, elements in ids.items() if len(elements) > 1 and ident.strip()]
