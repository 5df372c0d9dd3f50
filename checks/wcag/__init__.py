"""WCAG 2.1 rules over one page's HTML, registered in one table: ``RULES``.

A rule is a pure function ``rule(doc: Doc) -> list[element] | None``: the elements that
fail it, an empty list when the page passes, None when the page has nothing it applies
to. ``audit_doc`` runs every rule over one page; ``checks.accessibility`` aggregates the
audits of a site into findings and a score. Each rule names its WCAG success criteria,
its impact (the weights are in ``checks.wcag.score``) and the axe-core rules it
corresponds to, which ``bench/axe_compare.py`` compares it with.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from lxml import etree

from checks.wcag import content, document, names
from checks.wcag.dom import Doc, parse_html
from checks.wcag.score import IMPACTS, page_score


def _color_contrast(doc: Doc) -> list[etree._Element] | None:
    from checks.contrast import color_contrast  # checks.contrast imports this package's dom

    return color_contrast(doc)


@dataclass(frozen=True)
class Rule:
    id: str
    func: Callable[[Doc], list[etree._Element] | None]
    wcag: tuple[str, ...]
    impact: str  # critical | serious | moderate | minor
    scope: str  # "page": judges the document as a whole; "element": counts offending elements
    what_id: str  # Indonesian: the failing elements (element scope) or what failing pages do (page scope)
    what_en: str
    axe: tuple[str, ...] = ()  # the axe-core rules that judge the same thing

    def __post_init__(self):
        if self.impact not in IMPACTS:
            raise ValueError(f"rule {self.id!r}: unknown impact {self.impact!r}")
        if self.scope not in ("page", "element"):
            raise ValueError(f"rule {self.id!r}: unknown scope {self.scope!r}")


RULES: tuple[Rule, ...] = (
    Rule("html-has-lang", document.html_has_lang, ("3.1.1",), "serious", "page",
         "tidak menyatakan bahasanya (atribut lang pada <html>)", "do not declare their language (<html lang>)",
         ("html-has-lang",)),
    Rule("html-lang-valid", document.html_lang_valid, ("3.1.1",), "serious", "page",
         "menyatakan kode bahasa yang tidak sah pada <html lang>", "declare an invalid language code",
         ("html-lang-valid",)),
    Rule("document-title", document.document_title, ("2.4.2",), "serious", "page",
         "tidak memiliki judul (<title>)", "have no <title>", ("document-title",)),
    Rule("image-alt", names.image_alt, ("1.1.1",), "critical", "element",
         "gambar tanpa teks alternatif (alt)", "images without alternative text", ("image-alt",)),
    Rule("input-image-alt", names.input_image_alt, ("1.1.1", "4.1.2"), "critical", "element",
         "tombol gambar tanpa teks alternatif", "image buttons without alternative text", ("input-image-alt",)),
    Rule("label", names.label, ("1.3.1", "4.1.2"), "critical", "element",
         "isian formulir tanpa label", "form fields without a label", ("label", "select-name")),
    Rule("label-placeholder-only", names.label_placeholder_only, ("3.3.2",), "minor", "element",
         "isian formulir yang hanya berlabel placeholder", "form fields labelled only by a placeholder"),
    Rule("link-name", names.link_name, ("2.4.4", "4.1.2"), "serious", "element",
         "tautan tanpa teks", "links without text", ("link-name",)),
    Rule("button-name", names.button_name, ("4.1.2",), "critical", "element",
         "tombol tanpa nama", "buttons without a name", ("button-name", "input-button-name")),
    Rule("duplicate-id", document.duplicate_id, ("4.1.1",), "minor", "element",
         "nilai id yang dipakai lebih dari sekali", "id values used more than once",
         ("duplicate-id", "duplicate-id-active", "duplicate-id-aria")),
    Rule("page-has-heading-one", document.page_has_heading_one, ("1.3.1",), "moderate", "page",
         "tidak memiliki judul utama <h1>", "have no <h1>", ("page-has-heading-one",)),
    Rule("heading-order", document.heading_order, ("1.3.1",), "moderate", "element",
         "judul (heading) yang melompati tingkat", "headings that skip a level", ("heading-order",)),
    Rule("meta-viewport", document.meta_viewport, ("1.4.4",), "moderate", "page",
         "melarang pembesaran tampilan (zoom) lewat meta viewport", "forbid zooming in their viewport meta tag",
         ("meta-viewport",)),
    Rule("frame-title", names.frame_title, ("4.1.2",), "serious", "element",
         "iframe tanpa judul (title)", "iframes without a title", ("frame-title",)),
    Rule("td-has-header", content.td_has_header, ("1.3.1",), "critical", "element",
         "tabel data tanpa sel judul (header)", "data tables without header cells", ("td-has-header",)),
    Rule("link-pdf-unmarked", content.link_pdf_unmarked, ("2.4.4",), "minor", "element",
         "tautan ke berkas PDF yang tidak menyebut PDF", "links to PDF files that do not say PDF"),
    Rule("no-autoplay-audio", content.no_autoplay_audio, ("1.4.2",), "moderate", "element",
         "audio/video yang berputar sendiri tanpa tombol kendali", "media that plays sound by itself without controls",
         ("no-autoplay-audio",)),
    Rule("embed-autoplay", content.embed_autoplay, ("1.4.2",), "moderate", "element",
         "pemutar video tersemat yang berputar sendiri dengan suara", "embedded players that autoplay with sound"),
    Rule("color-contrast", _color_contrast, ("1.4.3",), "serious", "element",
         "teks dengan kontras warna kurang", "texts with insufficient colour contrast", ("color-contrast",)),
)
RULES_BY_ID = {rule.id: rule for rule in RULES}
if len(RULES_BY_ID) != len(RULES):
    raise ValueError("duplicate rule id in RULES")


@dataclass
class PageAudit:
    """Every rule's verdict on one page: ``results`` holds the applicable rules only."""

    url: str
    doc: Doc
    results: dict[str, list[etree._Element]] = field(default_factory=dict)

    @property
    def failed(self) -> list[str]:
        return [rule_id for rule_id, nodes in self.results.items() if nodes]

    @property
    def score(self) -> float:
        return page_score({rule_id: RULES_BY_ID[rule_id].impact for rule_id in self.results}, self.failed)


def audit_doc(doc: Doc, rules: tuple[Rule, ...] = RULES) -> PageAudit:
    """Run ``rules`` over one parsed page."""
    audit = PageAudit(doc.url, doc)
    for rule in rules:
        nodes = rule.func(doc)
        if nodes is not None:
            audit.results[rule.id] = nodes
    return audit


def audit_html(html: str | bytes, url: str = "", rules: tuple[Rule, ...] = RULES,
               stylesheets: Mapping[str, str] | None = None) -> PageAudit | None:
    """Parse and audit one page (``stylesheets``: linked sheets' text by absolute URL); None
    when nothing parseable is left of it."""
    root = parse_html(html)
    return None if root is None else audit_doc(Doc(root, url, stylesheets), rules)


__all__ = ["RULES", "RULES_BY_ID", "Rule", "PageAudit", "Doc", "audit_doc", "audit_html"]
