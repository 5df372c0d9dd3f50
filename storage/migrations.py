"""Named, ordered schema migrations.

Each migration is a function taking a sqlite_utils.Database. They are applied in
order and recorded in ``_migrations``; ``PRAGMA user_version`` holds how many ran.
Never edit a migration that has shipped: add a new one.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlite_utils

MIGRATIONS: list[tuple[str, Callable[[sqlite_utils.Database], None]]] = []


def migration(func: Callable[[sqlite_utils.Database], None]):
    MIGRATIONS.append((func.__name__, func))
    return func


@migration
def m001_registry(db: sqlite_utils.Database) -> None:
    db["regions"].create(
        {"code": str, "name": str, "kind": str, "parent": str},
        pk="code",
    )
    db["units"].create(
        {
            "id": int,
            "region_code": str,
            "name": str,
            "short_name": str,
            "kind": str,  # portal | opd | ppid
        },
        pk="id",
        foreign_keys=[("region_code", "regions", "code")],
    )
    db["units"].create_index(["region_code", "short_name"], unique=True)
    db["sites"].create(
        {
            "id": int,
            "unit_id": int,
            "url": str,
            "host": str,
            "role": str,  # portal | opd | ppid
            "domain_status": str,  # confirmed | guessed
            "active": int,
        },
        pk="id",
        foreign_keys=[("unit_id", "units", "id")],
    )
    db["sites"].create_index(["url"], unique=True)
    db["sites"].create_index(["host"])


@migration
def m002_crawls(db: sqlite_utils.Database) -> None:
    db["runs"].create(
        {
            "id": int,
            "kind": str,  # crawl
            "started_at": str,
            "finished_at": str,
            "status": str,  # running | finished | failed
            "settings": str,  # JSON of the settings that shape results
            "stats": str,  # JSON of the Scrapy stats at close
        },
        pk="id",
    )
    db["pages"].create(
        {
            "id": int,
            "run_id": int,
            "site_id": int,
            "url": str,
            "final_url": str,
            "kind": str,  # home | robots | sitemap | feed | wp_json | page | document
            "depth": int,
            "status": int,
            "error_class": str,  # ok | dns_nxdomain | connect_refused | ... (crawler.errors)
            "error_detail": str,
            "fetched_at": str,
            "elapsed_ms": float,
            "bytes": int,
            "content_type": str,
            "last_modified": str,
            "etag": str,
            "server": str,
            "content_hash": str,
            "redirects": int,
            "tls": str,  # JSON of certificate facts, when https
            "body": bytes,  # zlib-compressed HTML/XML/JSON text, capped; NULL for documents
        },
        pk="id",
        foreign_keys=[("run_id", "runs", "id"), ("site_id", "sites", "id")],
    )
    db["pages"].create_index(["run_id", "site_id"])
    db["pages"].create_index(["run_id", "url"], unique=True)
    db["documents"].create(
        {
            "id": int,
            "run_id": int,
            "site_id": int,
            "url": str,
            "page_url": str,  # where the link was found
            "title": str,  # link text
            "ext": str,
            "status": int,
            "error_class": str,
            "bytes": int,
            "content_type": str,
            "last_modified": str,
        },
        pk="id",
        foreign_keys=[("run_id", "runs", "id"), ("site_id", "sites", "id")],
    )
    db["documents"].create_index(["run_id", "site_id"])
    db["documents"].create_index(["run_id", "url"], unique=True)
    db["links"].create(
        {"run_id": int, "site_id": int, "page_url": str, "url": str, "host": str, "text": str},
        foreign_keys=[("run_id", "runs", "id"), ("site_id", "sites", "id")],
    )
    db["links"].create_index(["run_id", "site_id"])


@migration
def m003_scoring(db: sqlite_utils.Database) -> None:
    db["findings"].create(
        {
            "id": int,
            "run_id": int,
            "site_id": int,
            "check_id": str,
            "dimension": str,  # availability | accessibility | interaction | freshness
            "severity": str,  # info | low | medium | high | critical
            "passed": int,
            "message_id": str,  # Indonesian, for reports and letters
            "message_en": str,  # English, for logs and operators
            "evidence_url": str,
            "detail": str,  # JSON
        },
        pk="id",
        foreign_keys=[("run_id", "runs", "id"), ("site_id", "sites", "id")],
    )
    db["findings"].create_index(["run_id", "site_id"])
    db["scores"].create(
        {
            "run_id": int,
            "site_id": int,
            "dimension": str,  # one of the dimensions, or "composite"
            "score": float,
            "scored_at": str,
        },
        pk=("run_id", "site_id", "dimension"),
        foreign_keys=[("run_id", "runs", "id"), ("site_id", "sites", "id")],
    )
