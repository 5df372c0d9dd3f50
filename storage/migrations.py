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


@migration
def m050_exporter_indexes(db: sqlite_utils.Database) -> None:
    # The exporter reads every site's latest results at each scrape; these keep that
    # independent of how much history the store holds (issue 7).
    db["scores"].create_index(["site_id", "dimension", "run_id"], index_name="scores_site_dimension_run")
    db["pages"].create_index(["run_id", "kind", "site_id"], index_name="pages_run_kind_site")
    db["findings"].create_index(["run_id", "check_id", "site_id"], index_name="findings_run_check_site")


@migration
def m060_weekly_status(db: sqlite_utils.Database) -> None:
    """The weekly lag verdicts and the reprimand ladder (issue 8); the exporter reads both.

    ``weekly_status``: one row per (ISO week, unit), written by ``pantau report weekly``.
    Re-running a week replaces that week's rows, so they never duplicate.

    - ``week``: ISO week label "2026-W47" (Monday-Sunday in the configured time zone, WIB by default)
    - ``unit_id``, ``region_code``: the unit judged and its pemda
    - ``as_of``: ISO-8601 UTC instant the verdict was judged at (the end of the week, or earlier)
    - ``has_data``: 1 when a scored crawl of one of the unit's sites fell in the week; else 0 and
      ``lagging`` is NULL (the ladder neither climbs nor resets on a week without data)
    - ``lagging``: 1 lagging, 0 not, NULL without data
    - ``level``: reprimand level after this week: 0 none, 1 Teguran I, 2 Teguran II, 3 Teguran III
    - ``previous_level``: the level the week started from
    - ``streak``: consecutive lagging weeks up to and including this one
    - ``clean_streak``: consecutive weeks without lagging (counts towards stepping down)
    - ``composite``, ``previous_composite``: composite score (0-100) of the unit's worst site this
      week and in the week before
    - ``change``: new | resolved | better | worse | same | no_data
    - ``run_ids``: JSON list of the crawl runs used; ``site_ids``: JSON list of the unit's sites
    - ``reasons``: JSON list of the rules that fired, each
      ``{"rule", "site_id", "site_url", "message_id", "message_en", "values": {...},
      "evidence": [{"url", "text"}]}``; empty when not lagging
    - ``rules_digest``: sha256 (first 16 hex) of the lag rules configuration that judged the week

    ``reprimands``: one row per step of the ladder (at most one per unit and week), the audit
    trail of Teguran I, II, III.

    - ``unit_id``, ``region_code``, ``week``; ``decided_on``: the date (YYYY-MM-DD) of the step
    - ``action``: escalate | step_down | reset; ``from_level``, ``to_level``: 0-3 as above
    - ``reasons``: JSON, the lagging reasons that escalated it (same shape as above) or, for a
      step down or reset, the clean weeks that earned it
    - ``deadline``: YYYY-MM-DD the unit has to fix its site (escalations only)
    - ``letter_pdf``, ``letter_docx``: paths of the draft Surat Teguran, NULL until written

    The exporter's lagging flag and reprimand level per unit are the row of the newest week:
    ``select * from weekly_status where unit_id = ? order by week desc limit 1``.
    """
    db["weekly_status"].create(
        {
            "week": str,
            "unit_id": int,
            "region_code": str,
            "as_of": str,
            "has_data": int,
            "lagging": int,
            "level": int,
            "previous_level": int,
            "streak": int,
            "clean_streak": int,
            "composite": float,
            "previous_composite": float,
            "change": str,
            "run_ids": str,
            "site_ids": str,
            "reasons": str,
            "rules_digest": str,
        },
        pk=("week", "unit_id"),
        foreign_keys=[("unit_id", "units", "id")],
    )
    db["weekly_status"].create_index(["unit_id", "week"], index_name="weekly_status_unit_week")
    db["weekly_status"].create_index(["region_code", "week"], index_name="weekly_status_region_week")
    db["reprimands"].create(
        {
            "id": int,
            "unit_id": int,
            "region_code": str,
            "week": str,
            "decided_on": str,
            "action": str,
            "from_level": int,
            "to_level": int,
            "reasons": str,
            "deadline": str,
            "letter_pdf": str,
            "letter_docx": str,
        },
        pk="id",
        foreign_keys=[("unit_id", "units", "id")],
    )
    db["reprimands"].create_index(["unit_id", "week"], unique=True, index_name="reprimands_unit_week")


@migration
def m010_probes(db: sqlite_utils.Database) -> None:
    """Availability probes: one row per site per probe round (a ``runs`` row of kind 'probe')."""
    db["probes"].create(
        {
            "id": int,
            "run_id": int,
            "site_id": int,
            "probed_at": str,  # ISO-8601 UTC, when the probe started
            "url": str,  # the registered URL that was probed
            "final_url": str,  # after redirects
            "address": str,  # the IP address connected to first
            "status": int,
            "error_class": str,  # crawler.errors.Outcome
            "error_detail": str,
            "dns_ms": float,  # phase durations, summed over redirects
            "connect_ms": float,
            "tls_ms": float,
            "ttfb_ms": float,  # from the start until the final response's headers
            "total_ms": float,  # from the start until the body is read
            "redirects": int,
            "bytes": int,
            "http_version": str,
            "tls_days_left": int,
            "tls_issuer": str,
            "tls_chain_valid": int,  # 1 valid, 0 not, NULL unknown or plain HTTP
            "tls": str,  # JSON of crawler.tls certificate facts
            "http_to_https": int,  # an http:// URL redirected to https:// (NULL for https:// URLs)
            "hsts": str,  # Strict-Transport-Security of the final https response
        },
        pk="id",
        foreign_keys=[("run_id", "runs", "id"), ("site_id", "sites", "id")],
    )
    db["probes"].create_index(["site_id", "probed_at"])  # a site's latest probe, its history
    db["probes"].create_index(["probed_at"])  # uptime windows over every site
    db["probes"].create_index(["run_id"])


@migration
def m030_document_metadata(db: sqlite_utils.Database) -> None:
    """What the spider read from inside each PDF (issue 5).

    - ``documents.pdf_meta``: JSON of the raw strings found in the file's Info dictionary and
      XMP packet (``title``, ``author``, ``subject``, ``creator``, ``producer``,
      ``creation_date``, ``mod_date``, ``xmp_create_date``, ``xmp_modify_date``,
      ``xmp_metadata_date``, ``pages``), how they were read (``method``: pypdf | scan | none)
      and, when nothing could be read, ``error``. NULL when the document was not read.
    - ``documents.read_bytes``: how many bytes of it were read (the first
      ``PANTAU_PDF_READ_BYTES``, or all of a smaller file).
    """
    db["documents"].add_column("pdf_meta", str)
    db["documents"].add_column("read_bytes", int)
