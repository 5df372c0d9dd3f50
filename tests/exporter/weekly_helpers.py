"""A store filled row by row for the weekly tests: units, and crawl runs at chosen instants."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from storage.db import open_db

DIMENSIONS = ("availability", "accessibility", "interaction", "freshness")


@dataclass
class Seen:
    """What one crawl run saw of one site."""

    composite: float
    home: str = "ok"  # error class of the home page
    findings: list = field(default_factory=list)  # (check_id, severity, passed, message_id, url, detail)


class Store:
    def __init__(self, path):
        self.path = path
        self.db = open_db(path)
        self.db["regions"].insert_all([
            {"code": "15", "name": "Provinsi Jambi", "kind": "provinsi", "parent": None},
            {"code": "15.71", "name": "Kota Jambi", "kind": "kota", "parent": "15"},
        ])
        self.sites: dict[str, int] = {}

    def unit(self, short: str, name: str, region: str = "15", kind: str = "opd", url: str | None = None) -> int:
        unit_id = self.db["units"].insert({"region_code": region, "name": name, "short_name": short,
                                           "kind": kind}).last_pk
        domain = "jambiprov.go.id" if region == "15" else "jambikota.go.id"
        url = url or f"https://{short}.{domain}/"
        site_id = self.db["sites"].insert({"unit_id": unit_id, "url": url, "host": url.split("/")[2], "role": kind,
                                           "domain_status": "confirmed", "active": 1}).last_pk
        self.sites[short if region == "15" else f"{region}/{short}"] = site_id
        return site_id

    def run(self, at: str, seen: dict[int, Seen]) -> int:
        run_id = self.db["runs"].insert({"kind": "crawl", "started_at": at, "finished_at": at,
                                         "status": "finished"}).last_pk
        for site_id, s in seen.items():
            url = self.db["sites"].get(site_id)["url"]
            self.db["pages"].insert({"run_id": run_id, "site_id": site_id, "url": url, "final_url": url,
                                     "kind": "home", "status": 200 if s.home == "ok" else None,
                                     "error_class": s.home, "fetched_at": at})
            self.db["scores"].insert_all(
                [{"run_id": run_id, "site_id": site_id, "dimension": "composite", "score": s.composite,
                  "scored_at": at}]
                + [{"run_id": run_id, "site_id": site_id, "dimension": d, "score": s.composite, "scored_at": at}
                   for d in DIMENSIONS])
            self.db["findings"].insert_all([
                {"run_id": run_id, "site_id": site_id, "check_id": check, "dimension": check.split(".")[0]
                 if check.split(".")[0] in DIMENSIONS else "freshness", "severity": severity, "passed": int(passed),
                 "message_id": message, "message_en": "en", "evidence_url": evidence, "detail": json.dumps(detail)}
                for check, severity, passed, message, evidence, detail in s.findings])
        return run_id


def down(url: str) -> Seen:
    """A site whose home page refused the connection: the foundation scores it 0."""
    return Seen(0.0, home="connect_refused", findings=[
        ("availability.home", "critical", False, "Situs tidak dapat dihubungi (koneksi ditolak)", url,
         {"error_class": "connect_refused"}),
        ("freshness.newest_content", "high", False, "Tidak ada konten yang dapat diperiksa kebaruannya", url,
         {"no_evidence": True}),
    ])


def healthy(url: str, composite: float = 92.0, age: int = 3, newest: str = "2026-11-15") -> Seen:
    return Seen(composite, findings=[
        ("availability.home", "info", True, "Halaman utama dapat dibuka (HTTP 200)", url, {}),
        ("freshness.newest_content", "info", True, f"Konten terbaru ({age} hari lalu)", url + "berita/1",
         {"age_days": age, "newest": newest}),
    ])


def stale(url: str, age: int, newest: str, composite: float = 80.0) -> Seen:
    return Seen(composite, findings=[
        ("availability.home", "info", True, "Halaman utama dapat dibuka (HTTP 200)", url, {}),
        ("freshness.newest_content", "high", False, f"Konten tidak diperbarui sejak {newest} ({age} hari lalu)",
         url + "berita/lama", {"age_days": age, "newest": newest}),
    ])


class ServerThread:
    """A testbed served on an event loop of its own, in a daemon thread."""

    def __init__(self, world, **ports):
        import asyncio
        import threading

        from testbed.server import start_testbed

        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.testbed = self.call(start_testbed(world, **ports))

    def call(self, coro, timeout: float = 30):
        import asyncio

        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def stop(self) -> None:
        self.call(self.testbed.close())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
        self.loop.close()
