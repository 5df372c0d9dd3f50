"""Accessibility: the WCAG 2.1 rules of ``checks.wcag`` over every HTML page of a site.

One finding per rule that fails somewhere on the site, aggregated: a site with 500
images without alt text gets one finding with the count, the pages, and a few examples
(page URL plus a CSS path to the element), not 500 findings. One more finding carries
the site's accessibility score (0-100, the mean of its page scores, weighted by impact
as ``checks.wcag.score`` defines) and the score of every page; ``checks.scoring`` takes
that score as the accessibility dimension. Style sheets the crawl fetched (content type
text/css) take part in the colour and visibility rules; others are unknown, not guessed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from checks.base import Finding, Page, SiteEvidence
from checks.wcag import RULES, Doc, PageAudit, audit_doc
from checks.wcag.score import severity, site_score

CHECK_ID = "accessibility.wcag"
DIMENSION = "accessibility"
EXAMPLES = 5
PAGES_LISTED = 100  # page scores kept in the score finding, worst first


def audit_page(page: Page, stylesheets: Mapping[str, str] | None = None) -> PageAudit | None:
    """Every WCAG rule over one fetched page; None when it has no parseable HTML."""
    tree = page.lxml_tree
    return None if tree is None else audit_doc(Doc(tree, page.url, stylesheets))


def site_stylesheets(evidence: SiteEvidence) -> dict[str, str]:
    """The style sheets among the site's fetched resources, by URL (and final URL)."""
    sheets = {}
    for page in evidence.pages:
        if page.ok and page.text and "css" in (page.content_type or ""):
            sheets[page.url] = page.text
            if page.final_url:
                sheets.setdefault(page.final_url, page.text)
    return sheets


@dataclass
class _RuleTally:
    count: int = 0
    pages_failing: list[str] = field(default_factory=list)
    pages_applicable: int = 0
    examples: list[dict] = field(default_factory=list)
    spare: list[dict] = field(default_factory=list)  # second and later examples of a page


def _example(audit: PageAudit, el) -> dict:
    return {"url": audit.url, "selector": audit.doc.css_path(el), "html": audit.doc.snippet(el)}


def format_score(score: float) -> str:
    """72.5 -> '72,5' (Indonesian decimal comma)."""
    return f"{score:.1f}".replace(".", ",")


def wcag(evidence: SiteEvidence) -> list[Finding]:
    """The WCAG rules over every HTML page of the site: failing rules, then the score."""
    pages = evidence.html_pages
    stylesheets = site_stylesheets(evidence)
    tallies = {rule.id: _RuleTally() for rule in RULES}
    page_rows = []
    for page in pages:
        audit = audit_page(page, stylesheets)
        if audit is None:
            continue
        for rule_id, nodes in audit.results.items():
            tally = tallies[rule_id]
            tally.pages_applicable += 1
            if not nodes:
                continue
            tally.count += len(nodes)
            tally.pages_failing.append(audit.url)
            if len(tally.examples) < EXAMPLES:
                tally.examples.append(_example(audit, nodes[0]))
                if len(tally.spare) < EXAMPLES:
                    tally.spare += [_example(audit, el) for el in nodes[1:EXAMPLES]]
        page_rows.append({"url": audit.url, "score": audit.score, "failed": audit.failed})
    if not page_rows:
        url = evidence.home.url if evidence.home else evidence.site.get("url")
        return [Finding(CHECK_ID, DIMENSION, False, "high",
                        "Tidak ada halaman HTML yang dapat diperiksa aksesibilitasnya",
                        "no HTML page to check", url, {"no_evidence": True})]

    n = len(page_rows)
    findings = []
    for rule in RULES:
        tally = tallies[rule.id]
        if not tally.pages_failing:
            continue
        failing = len(tally.pages_failing)
        criteria = ", ".join(rule.wcag)
        if rule.scope == "page":
            message_id = f"{failing} dari {n} halaman {rule.what_id} (WCAG {criteria})"
            message_en = f"{failing} of {n} pages {rule.what_en} (WCAG {criteria})"
        else:
            message_id = f"{tally.count} {rule.what_id} di {failing} dari {n} halaman (WCAG {criteria})"
            message_en = f"{tally.count} {rule.what_en} on {failing} of {n} pages (WCAG {criteria})"
        examples = (tally.examples + tally.spare)[:EXAMPLES]
        detail = {"rule": rule.id, "wcag": list(rule.wcag), "impact": rule.impact, "count": tally.count,
                  "pages_failing": failing, "pages_applicable": tally.pages_applicable, "pages_checked": n,
                  "failing_pages": tally.pages_failing[:EXAMPLES], "examples": examples, "axe": list(rule.axe)}
        findings.append(Finding(CHECK_ID, DIMENSION, False, severity(rule.impact, failing, n),
                                message_id, message_en, tally.pages_failing[0], detail))

    score = site_score(row["score"] for row in page_rows)
    failed_rules = [f.detail["rule"] for f in findings]
    passed_rules = [rule.id for rule in RULES if tallies[rule.id].pages_applicable and rule.id not in failed_rules]
    worst = sorted(page_rows, key=lambda row: (row["score"], row["url"]))
    detail = {"rule": "score", "score": score, "dimension_score": score, "pages_checked": n,
              "rules_failed": failed_rules, "rules_passed": passed_rules, "pages": worst[:PAGES_LISTED]}
    findings.append(Finding(
        CHECK_ID, DIMENSION, True, "info",
        f"Skor aksesibilitas {format_score(score)} dari 100 ({n} halaman diperiksa, "
        f"{len(failed_rules)} aturan WCAG dilanggar)",
        f"accessibility score {score:.1f}/100 ({n} pages checked, {len(failed_rules)} WCAG rules failed)",
        worst[0]["url"], detail))
    return findings
