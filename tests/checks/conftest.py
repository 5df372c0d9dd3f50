"""Evidence builders for check tests: realistic pages of an Indonesian OPD site."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from checks.base import Page, SiteEvidence

# 10:00 WIB on Monday 23 November 2026.
NOW = dt.datetime(2026, 11, 23, 3, 0, tzinfo=dt.timezone.utc)
SITE = {"id": 7, "url": "https://diskominfo.jambiprov.go.id/", "host": "diskominfo.jambiprov.go.id",
        "role": "opd", "unit_name": "Dinas Komunikasi dan Informatika", "unit_short": "diskominfo",
        "unit_kind": "opd", "region_code": "15", "region_name": "Provinsi Jambi"}


def html(body: str, *, lang: str | None = "id", title: str = "Diskominfo Provinsi Jambi", head: str = "") -> str:
    lang_attr = f' lang="{lang}"' if lang is not None else ""
    return (f"<!DOCTYPE html><html{lang_attr}><head><meta charset='utf-8'><title>{title}</title>{head}</head>"
            f"<body>{body}</body></html>")


def page(path: str = "/", text: str | None = None, *, kind: str = "page", **fields) -> Page:
    fields.setdefault("status", 200)
    if text is not None and kind in ("home", "page"):
        fields.setdefault("content_type", "text/html; charset=UTF-8")
    return Page(url="https://diskominfo.jambiprov.go.id" + path, kind=kind, text=text, **fields)


def home(text: str | None = ..., **fields) -> Page:
    """The home page; pass ``None`` for a failed fetch without a body."""
    return page("/", html("<p>Selamat datang</p>") if text is ... else text, kind="home", **fields)


def evidence(*pages: Page, documents=(), now: dt.datetime = NOW, site: dict | None = None) -> SiteEvidence:
    return SiteEvidence(site=dict(site or SITE), pages=list(pages), documents=list(documents), now=now)


@pytest.fixture
def build() -> SimpleNamespace:
    """The builders above as one namespace: build.html, build.page, build.home, build.evidence."""
    return SimpleNamespace(html=html, page=page, home=home, evidence=evidence, NOW=NOW, SITE=SITE)
