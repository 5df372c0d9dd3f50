"""Building pages of an Indonesian agency site and asking one WCAG rule about them."""

from __future__ import annotations

from checks.wcag import RULES_BY_ID, audit_html

URL = "https://dinkes.jambiprov.go.id/berita"


def page(body: str, *, head: str = "", lang: str | None = "id", title: str | None = "Berita | Dinas Kesehatan",
         viewport: str = "width=device-width, initial-scale=1") -> str:
    """A page the way the agency's template prints it, with ``body`` in its main column."""
    lang_attr = "" if lang is None else f' lang="{lang}"'
    title_tag = "" if title is None else f"<title>{title}</title>"
    return (f'<!DOCTYPE html><html{lang_attr}><head><meta charset="utf-8">'
            f'<meta name="viewport" content="{viewport}">{title_tag}'
            f'<link rel="stylesheet" href="/assets/css/style.css">{head}</head>'
            f'<body><header class="site-header"><a href="/" class="logo"><img src="/logo.png" '
            f'alt="Logo Dinas Kesehatan"></a></header><main id="konten">{body}</main>'
            f'<footer class="site-footer"><p>&copy; 2026 Dinas Kesehatan Provinsi Jambi</p></footer></body></html>')


def failing(rule_id: str, html: str, stylesheets: dict[str, str] | None = None) -> list[str] | None:
    """CSS paths of the elements failing ``rule_id``; [] when the page passes, None when
    the rule has nothing to judge on it."""
    audit = audit_html(html, URL, rules=(RULES_BY_ID[rule_id],), stylesheets=stylesheets)
    nodes = audit.results.get(rule_id)
    return None if nodes is None else [audit.doc.css_path(el) for el in nodes]
