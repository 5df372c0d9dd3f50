"""The evidence a check reads and the finding it returns.

A check is a pure function ``check(evidence: SiteEvidence) -> list[Finding]``: no
network, no database, no clock other than ``evidence.now``. The crawler gathers the
evidence; ``checks.runner`` feeds it to every registered check.
"""

from __future__ import annotations

import datetime as dt
import json
import zlib
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from bs4 import BeautifulSoup

DIMENSIONS = ("availability", "accessibility", "interaction", "freshness")
SEVERITIES = ("info", "low", "medium", "high", "critical")


@dataclass
class Page:
    """One fetched URL of a site, as stored in the ``pages`` table."""

    url: str
    kind: str = "page"  # home | robots | sitemap | feed | wp_json | page
    status: int | None = None
    error_class: str = "ok"
    error_detail: str | None = None
    final_url: str | None = None
    depth: int = 0
    elapsed_ms: float | None = None
    bytes: int | None = None
    content_type: str | None = None
    last_modified: str | None = None
    etag: str | None = None
    server: str | None = None
    redirects: int = 0
    fetched_at: str | None = None  # ISO-8601 UTC, as stored
    tls: dict[str, Any] | None = None
    text: str | None = None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Page:
        body = row.get("body")
        text = zlib.decompress(body).decode("utf-8", "replace") if body else None
        tls = json.loads(row["tls"]) if row.get("tls") else None
        names = cls.__dataclass_fields__.keys() - {"text", "tls"}
        return cls(text=text, tls=tls, **{k: row.get(k) for k in names if row.get(k) is not None})

    @property
    def ok(self) -> bool:
        return self.error_class == "ok" and self.status is not None and self.status < 400

    @property
    def is_html(self) -> bool:
        return bool(self.text) and "html" in (self.content_type or "text/html")

    @cached_property
    def soup(self) -> BeautifulSoup | None:
        """The page parsed once with lxml and shared by every check."""
        if not self.is_html:
            return None
        return BeautifulSoup(self.text, "lxml")

    @cached_property
    def lxml_tree(self):
        """The page as a bare lxml tree (root ``html`` element), ~20x faster to build than ``soup``;
        the accessibility rules read it. None when the page is not HTML or nothing parses."""
        if not self.is_html:
            return None
        from checks.wcag.dom import parse_html

        return parse_html(self.text)


@dataclass
class SiteEvidence:
    """Everything one crawl run saw of one site."""

    site: dict[str, Any]  # id, url, host, role, unit_name, unit_kind, region_code, region_name
    pages: list[Page] = field(default_factory=list)
    documents: list[dict[str, Any]] = field(default_factory=list)
    links: list[dict[str, Any]] = field(default_factory=list)  # outbound links
    now: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc))

    @property
    def home(self) -> Page | None:
        for page in self.pages:
            if page.kind == "home":
                return page
        return None

    @property
    def html_pages(self) -> list[Page]:
        return [p for p in self.pages if p.ok and p.is_html]

    def pages_of_kind(self, kind: str) -> list[Page]:
        return [p for p in self.pages if p.kind == kind]


@dataclass(frozen=True)
class Finding:
    """One verdict of one check on one site, with the URL a person can click."""

    check_id: str
    dimension: str
    passed: bool
    severity: str
    message_id: str  # Indonesian
    message_en: str  # English
    evidence_url: str | None
    detail: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self):
        if self.dimension not in DIMENSIONS:
            raise ValueError(f"unknown dimension {self.dimension!r}")
        if self.severity not in SEVERITIES:
            raise ValueError(f"unknown severity {self.severity!r}")
