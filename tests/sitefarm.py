"""A small real HTTP server on loopback for crawler tests, and a way to crawl it.

Each test describes a site as a dict of path -> (status, content type, body) and gets
back every path the server was asked for, so a test can prove what was *not* fetched.
"""

from __future__ import annotations

import asyncio
import inspect
import socket
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

from aiohttp import web

from storage.db import open_db

REPO = Path(__file__).resolve().parents[1]


@dataclass
class FarmSite:
    host: str
    routes: dict  # path (with query) -> (status, content_type, body) or callable(request) -> Response
    hits: list[str] = field(default_factory=list)


class SiteFarm:
    """One aiohttp server on 127.0.0.1 routing by Host header to FarmSites."""

    def __init__(self, sites: list[FarmSite]):
        self.sites = {s.host: s for s in sites}
        self.port = free_port()
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self):
        asyncio.set_event_loop(self.loop)
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self.handle)
        self.runner = web.AppRunner(app, access_log=None)
        self.loop.run_until_complete(self.runner.setup())
        self.loop.run_until_complete(web.TCPSite(self.runner, "127.0.0.1", self.port).start())
        self.ready.set()
        self.loop.run_forever()

    async def handle(self, request: web.Request) -> web.StreamResponse:
        site = self.sites.get(request.host.split(":")[0])
        if site is None:
            return web.Response(status=421, text="unknown host")
        target = request.path_qs
        site.hits.append(target)
        route = site.routes.get(target) or site.routes.get(request.path)
        if route is None:
            return web.Response(status=404, text="Halaman tidak ditemukan")
        if callable(route):
            result = route(request)  # may raise web.HTTPFound and friends, as real handlers do
            return await result if inspect.isawaitable(result) else result
        status, content_type, body = route
        return web.Response(status=status, content_type=content_type, text=body)

    def __enter__(self):
        self.thread.start()
        self.ready.wait(10)
        return self

    def __exit__(self, *exc):
        asyncio.run_coroutine_threadsafe(self.runner.cleanup(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)

    def url(self, host: str, path: str = "/") -> str:
        return f"http://{host}:{self.port}{path}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def register_sites(db_path: Path, urls: list[str], region: str = "15") -> list[int]:
    """Put a region, one unit per URL and the sites into a fresh database."""
    from urllib.parse import urlsplit

    db = open_db(db_path)
    db["regions"].upsert({"code": region, "name": "Provinsi Uji", "kind": "provinsi", "parent": None}, pk="code")
    ids = []
    for n, url in enumerate(urls):
        unit_id = db["units"].insert({"region_code": region, "name": f"Dinas Uji {n}", "short_name": f"uji{n}",
                                      "kind": "opd"}).last_pk
        ids.append(db["sites"].insert({"unit_id": unit_id, "url": url, "host": urlsplit(url).hostname,
                                       "role": "opd", "domain_status": "confirmed", "active": 1}).last_pk)
    db.close()
    return ids


def run_pantau(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run the real ``pantau`` command line in a child process (Scrapy's reactor runs once per process)."""
    return subprocess.run([sys.executable, "-m", "crawler.cli", *args], cwd=REPO, capture_output=True,
                          text=True, timeout=timeout)


def crawl(db_path: Path, hosts_file: Path, *extra: str, allow_private: bool = True) -> subprocess.CompletedProcess:
    args = ["crawl", "--db", str(db_path), "--hosts-file", str(hosts_file), "--no-progress", "--no-score",
            "--set", "AUTOTHROTTLE_START_DELAY=0.01", "--set", "LOG_LEVEL=WARNING", *extra]
    if allow_private:
        args.append("--allow-private")
    result = run_pantau(*args)
    assert result.returncode == 0, result.stdout + result.stderr
    return result
