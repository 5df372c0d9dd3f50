"""Uptime per site over 24 hours, 7 and 30 days, and its latency percentiles, from probes.

Uptime is the share of a site's probes in the window whose outcome is ``ok`` (or
``oversized``: the server answered). Probes come at a steady interval (``pantau probe
--every``), so the share of probes is the share of time. Latency is ``total_ms`` of the
successful probes of the latency window, as nearest-rank percentiles (p50, p95), computed
inside SQLite so a month of five-minute probes of 25,000 sites never crosses into Python.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import sqlite_utils

WINDOWS: dict[str, dt.timedelta] = {
    "24h": dt.timedelta(hours=24),
    "7d": dt.timedelta(days=7),
    "30d": dt.timedelta(days=30),
}
WINDOW_LABELS = {"24h": "24 jam", "7d": "7 hari", "30d": "30 hari"}
_UP = "('ok', 'oversized')"


@dataclass
class SiteUptime:
    site_id: int
    url: str
    region_code: str
    region_name: str
    unit_name: str
    probes: dict[str, int] = field(default_factory=dict)  # window -> probes in it
    up: dict[str, int] = field(default_factory=dict)  # window -> successful probes
    p50_ms: float | None = None
    p95_ms: float | None = None

    def uptime(self, window: str) -> float | None:
        """Percent of the window's probes that succeeded; None without probes."""
        probes = self.probes.get(window, 0)
        return 100.0 * self.up.get(window, 0) / probes if probes else None


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).replace(microsecond=0).isoformat()


def uptime(db: sqlite_utils.Database, now: dt.datetime, latency_window: str = "24h",
           region: str | None = None, site_ids: list[int] | None = None) -> list[SiteUptime]:
    """Uptime of every active site in every window of ``WINDOWS`` ending at ``now``, worst
    30-day uptime first; p50/p95 latency over ``latency_window``. ``region`` 15 takes 15.xx."""
    if latency_window not in WINDOWS:
        raise ValueError(f"unknown window {latency_window!r} (expected one of: {', '.join(WINDOWS)})")
    where, params = ["s.active = 1"], {}
    if region:
        where.append("(r.code = :region OR r.code LIKE :region || '.%')")
        params["region"] = region
    if site_ids:
        where.append(f"s.id IN ({', '.join(str(int(i)) for i in site_ids)})")
    sites = {row["id"]: SiteUptime(row["id"], row["url"], row["code"], row["region_name"], row["unit_name"])
             for row in db.query(f"""
                SELECT s.id, s.url, r.code, r.name AS region_name, u.name AS unit_name
                FROM sites s JOIN units u ON u.id = s.unit_id JOIN regions r ON r.code = u.region_code
                WHERE {' AND '.join(where)} ORDER BY s.id""", params)}
    end = _iso(now)
    for name, length in WINDOWS.items():
        bounds = {"start": _iso(now - length), "end": end}
        for row in db.query(f"""
                SELECT site_id, COUNT(*) AS probes, SUM(error_class IN {_UP}) AS up FROM probes
                WHERE probed_at > :start AND probed_at <= :end GROUP BY site_id""", bounds):
            site = sites.get(row["site_id"])
            if site is not None:
                site.probes[name], site.up[name] = row["probes"], row["up"]
    bounds = {"start": _iso(now - WINDOWS[latency_window]), "end": end}
    for row in db.query(f"""
            WITH ranked AS (
                SELECT site_id, total_ms,
                       ROW_NUMBER() OVER (PARTITION BY site_id ORDER BY total_ms) AS rank,
                       COUNT(*) OVER (PARTITION BY site_id) AS n
                FROM probes
                WHERE probed_at > :start AND probed_at <= :end AND error_class IN {_UP}
                  AND total_ms IS NOT NULL)
            SELECT site_id,
                   MAX(CASE WHEN rank = (n * 50 + 99) / 100 THEN total_ms END) AS p50,
                   MAX(CASE WHEN rank = (n * 95 + 99) / 100 THEN total_ms END) AS p95
            FROM ranked GROUP BY site_id""", bounds):
        site = sites.get(row["site_id"])
        if site is not None:
            site.p50_ms, site.p95_ms = row["p50"], row["p95"]
    order = list(WINDOWS)[::-1]

    def worst_first(site: SiteUptime) -> tuple:
        return tuple(101.0 if site.uptime(w) is None else site.uptime(w) for w in order) + (site.site_id,)

    return sorted(sites.values(), key=worst_first)


def _pct(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.1f}%".replace(".", ",")


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{round(value)} ms"


def render(rows: list[SiteUptime], now: dt.datetime, latency_window: str = "24h") -> str:
    """A plain-text table in Indonesian, worst first."""
    header = ("Kode", "Pemda", "Unit", "URL", *(WINDOW_LABELS[w] for w in WINDOWS),
              f"p50 ({WINDOW_LABELS[latency_window]})", f"p95 ({WINDOW_LABELS[latency_window]})")
    body = [(r.region_code, r.region_name, r.unit_name, r.url, *(_pct(r.uptime(w)) for w in WINDOWS),
             _ms(r.p50_ms), _ms(r.p95_ms)) for r in rows]
    widths = [max(len(str(row[i])) for row in [header, *body]) for i in range(len(header))]
    right = {i for i in range(4, len(header))}
    lines = [f"Ketersediaan situs (uptime) sampai {now.astimezone(dt.timezone.utc):%Y-%m-%d %H:%M} UTC, "
             f"terburuk lebih dulu", ""]
    for row in [header, *body]:
        cells = [f"{row[i]:>{widths[i]}}" if i in right else f"{row[i]:<{widths[i]}}" for i in range(len(row))]
        lines.append("  ".join(cells).rstrip())
    lines += ["", f"{len(rows)} situs; uptime = bagian pemeriksaan yang berhasil dalam jendela waktu, "
                  "latensi = waktu muat halaman utama pada pemeriksaan yang berhasil."]
    return "\n".join(lines) + "\n"
