"""``pantau explain SITE``: why a site got its e-government stage, and what the next stage needs."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from urllib.parse import urlsplit

import click
import sqlite_utils

from crawler.options import db_option


def find_site(db: sqlite_utils.Database, site: str) -> dict:
    """A registered site by id, host (with or without www.) or URL; LookupError when none or several match."""
    if site.isdigit():
        row = next(db.query("select * from sites where id = ?", [int(site)]), None)
        if row is None:
            raise LookupError(f"no site with id {site}")
        return row
    host = (urlsplit(site).hostname if "//" in site else site.split("/")[0]).lower()
    bare = host[4:] if host.startswith("www.") else host
    rows = list(db.query("select * from sites where host in (?, ?) order by id", [bare, f"www.{bare}"]))
    if not rows:
        raise LookupError(f"no registered site with host {host}")
    if len(rows) > 1:
        ids = ", ".join(f"{r['id']} ({r['url']})" for r in rows)
        raise LookupError(f"{host} has several sites: {ids}; give the id")
    return rows[0]


def run_of_site(db: sqlite_utils.Database, site_id: int, run_id: int | None) -> dict:
    """The run to explain: the given one, or the latest finished crawl that fetched the site."""
    if run_id is not None:
        run = next(db.query("select * from runs where id = ?", [run_id]), None)
        if run is None:
            raise LookupError(f"no run with id {run_id}")
        return run
    run = next(db.query("select r.* from runs r where r.kind = 'crawl' and r.status = 'finished' and exists "
                        "(select 1 from pages p where p.run_id = r.id and p.site_id = ?) order by r.id desc limit 1",
                        [site_id]), None)
    if run is None:
        raise LookupError(f"site {site_id} was not crawled by any finished run; run `pantau crawl` first")
    return run


def stage_detail(db: sqlite_utils.Database, site_id: int, run_id: int) -> tuple[dict, bool]:
    """The stored stage finding's detail; recomputed from the stored pages when the run was not scored.

    Returns (detail, stored).
    """
    from checks.stages import CHECK_ID, stage
    from crawler.score import load_site_evidence

    row = next(db.query("select detail from findings where run_id = ? and site_id = ? and check_id = ?",
                        [run_id, site_id, CHECK_ID]), None)
    if row is not None:
        return json.loads(row["detail"] or "{}"), True
    [finding] = stage(load_site_evidence(db, run_id, site_id))
    return json.loads(json.dumps(finding.detail, default=str)), False


def _mark(ok: bool) -> str:
    return "[x]" if ok else "[ ]"


def _met_by(key: str, by: list[str], features: dict) -> str:
    """What meets a requirement, in words: the media, the hosts linked, the services, the kinds."""
    from checks.features import DETECTORS
    from checks.features.services import SERVICE_BY_KEY

    if key == "all_audiences":
        return ", ".join(by)
    if by == ["gov_links"]:
        found = features.get("gov_links", {})
        hosts = [c.get("value") for c in found.get("evidence", [])][:3]
        return f"{found.get('count', len(hosts))} situs, mis. " + ", ".join(hosts)
    if by == ["e_services"]:
        values = [c.get("value") for c in features.get("e_services", {}).get("evidence", [])]
        return ", ".join(SERVICE_BY_KEY[v].name for v in values if v in SERVICE_BY_KEY)
    return ", ".join(DETECTORS[k].name_id if k in DETECTORS else k for k in by)


def _clue_text(feature: str, clue: dict) -> str:
    from checks.features.services import SERVICE_BY_KEY

    value = clue.get("value") or ""
    if feature == "e_services" and value in SERVICE_BY_KEY:
        value = SERVICE_BY_KEY[value].name
    snippet = clue.get("snippet") or ""
    shown = f"{value}: «{snippet}»" if value and value not in snippet else f"«{snippet}»"
    return f"{shown} ({clue.get('url')})"


def explain_text(site: dict, unit: dict | None, run: dict, detail: dict, stored: bool) -> str:
    """The explanation, in Indonesian: the stage, each rule met or not, each feature with its evidence,
    and what the next stage still needs."""
    from checks.features import DETECTORS
    from checks.features.services import SERVICES
    from checks.stages import INTERACTION_WEIGHTS, REQUIREMENTS, STAGES

    from checks.freshness import format_date_id

    who = f" — {unit['name']} ({site['role']}), {unit['region_name']}" if unit else ""
    stamp = (run.get("finished_at") or run.get("started_at") or "")[:10]
    when = format_date_id(dt.date.fromisoformat(stamp)) if stamp else "?"
    lines = [f"Situs #{site['id']} {site['url']}{who}",
             f"Perayapan #{run['id']} ({when})" + ("" if stored else
                                                  ", belum dinilai: tahap dihitung dari halaman tersimpan")]
    if detail.get("stage") is None:
        lines += ["", "Tahap e-government tidak dapat dinilai: tidak ada halaman HTML yang dapat dibaca "
                      "pada perayapan ini."]
        return "\n".join(lines) + "\n"
    stage = detail["stage"]
    lines[-1] += f", {detail.get('pages_checked', 0)} halaman diperiksa"
    lines += ["", f"Tahap {stage} {detail['stage_name']} (Inpres 3/2003) · skor interaksi {detail['score']}/100",
              "", "Aturan tahap (setiap tahap memerlukan juga semua syarat tahap di bawahnya):"]
    requirements = detail.get("requirements", {})
    features = detail.get("features", {})
    for s in STAGES:
        lines.append(f"  {_mark(s.number <= stage)} {s.number} {s.name}: {s.meaning_id}")
        for r in s.requires:
            state = requirements.get(r.key, {})
            by = _met_by(r.key, state.get("by") or [], features)
            lines.append(f"      {_mark(bool(state.get('met')))} {r.text_id}" + (f" — ada: {by}" if by else ""))
    lines += ["", "Fitur (bobot dalam skor interaksi):"]
    for key, detector in DETECTORS.items():
        result = features.get(key, {})
        weight = INTERACTION_WEIGHTS.get(key)
        head = f"  {_mark(bool(result.get('found')))} {detector.name_id}" + (f" ({weight})" if weight else "")
        clues = result.get("evidence") or []
        if not clues:
            lines.append(head + ": tidak ditemukan")
            continue
        more = result.get("count", len(clues)) - len(clues)
        lines.append(head + (f", {more} lainnya" if more > 0 else "") + ":")
        lines += [f"        {_clue_text(key, clue)}" for clue in clues]
    nxt = detail.get("next")
    lines.append("")
    if not nxt:
        lines.append("Situs sudah berada di tahap tertinggi.")
    else:
        lines.append(f"Untuk naik ke tahap {nxt['stage']} {nxt['stage_name']} dibutuhkan:")
        for key in nxt.get("missing", []):
            requirement = REQUIREMENTS[key]
            text = f"  - {requirement.text_id}"
            if requirement.audiences:
                served = set(requirements.get(key, {}).get("by") or [])
                lacking = [a for a in requirement.audiences if a not in served]
                examples = {a: ", ".join([s.name for s in SERVICES if s.audience == a][:2]) for a in lacking}
                text += "; belum ada " + "; ".join(f"{a} (misalnya {examples[a]})" for a in lacking)
            lines.append(text)
    return "\n".join(lines) + "\n"


@click.command("explain")
@click.argument("site")
@db_option
@click.option("--run", "run_id", type=int, help="Crawl run to explain (default: the latest that fetched SITE).")
def explain(site: str, db_path: str, run_id: int | None) -> None:
    """Why SITE (a site id, host or URL) is at its e-government stage (Inpres 3/2003): each rule,
    each feature with its evidence, and what the next stage still needs."""
    from storage.db import open_db

    if not Path(db_path).exists():
        raise click.ClickException(f"{db_path}: no such database; run `pantau db migrate` and `pantau crawl` first")
    db = open_db(db_path, readonly=True)
    try:
        row = find_site(db, site)
        unit = next(db.query("select u.name, r.name as region_name from units u left join regions r "
                             "on r.code = u.region_code where u.id = ?", [row["unit_id"]]), None)
        run = run_of_site(db, row["id"], run_id)
        detail, stored = stage_detail(db, row["id"], run["id"])
    except LookupError as exc:
        raise click.ClickException(f"{db_path}: {exc}") from None
    click.echo(explain_text(row, unit, run, detail, stored), nl=False)
