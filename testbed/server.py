"""The testbed: every site of a world served by aiohttp on the loopback interface.

Sites keep their go.id names; the crawler resolves them with the hosts file the testbed
writes. One plain-HTTP listener serves every ``tls: none`` site and one HTTPS listener per
TLS variant serves the rest, each routing on the Host header. ``down`` sites point at a
port that is bound but never listens (a real ECONNREFUSED); ``nxdomain`` sites are left
out of the hosts file and ``dns_error`` sites are written to it as ``SERVFAIL``.
``blackhole`` sites point at a listener whose one-place accept queue is kept full, so the
kernel drops every new SYN and connecting times out; ``tls_broken`` sites point at a port
that speaks plain HTTP where a TLS handshake is expected.
"""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import hashlib
import io
import json
import re
import socket
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from functools import cached_property
from pathlib import Path
from typing import Any

from aiohttp import web

from testbed import a11y, content
from testbed.content import Links, SiteModel
from testbed.tls import HTTPS_VARIANTS, build_tls
from testbed.world import CONTENT_HIDING_FAULTS, SiteSpec, World, load_world, region_short_name

__all__ = ["Testbed", "TestbedSite", "AccessRecord", "start_testbed", "load_world", "world_truth",
           "REGISTRY_COLUMNS"]

REGISTRY_COLUMNS = ("region_code", "region_name", "region_kind", "region_parent", "unit_name", "unit_short",
                    "unit_kind", "url", "role", "domain_status")
_HTML = "text/html; charset=UTF-8"
ACCESS_LOG_LIMIT = 200_000  # a long demo keeps the newest half once this many requests are logged
REDIRECT_CHAIN_HOPS = 30  # a redirect_chain site redirects this many times before its home page
HSTS_VALUE = "max-age=31536000; includeSubDomains"
_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes = b""


@dataclass
class TestbedSite:
    """One site as the crawler sees it: its registry identity and where it is served."""

    __test__ = False  # not a pytest class

    host: str
    url: str
    role: str
    region_code: str
    region_name: str
    region_kind: str
    region_parent: str
    unit_name: str
    unit_short: str
    unit_kind: str
    tls: str
    fault: str
    port: int
    spec: SiteSpec = field(repr=False)

    @property
    def resolvable(self) -> bool:
        return self.spec.resolvable

    def registry_row(self) -> dict[str, str]:
        return {
            "region_code": self.region_code,
            "region_name": self.region_name,
            "region_kind": self.region_kind,
            "region_parent": self.region_parent,
            "unit_name": self.unit_name,
            "unit_short": self.unit_short,
            "unit_kind": self.unit_kind,
            "url": self.url,
            "role": self.role,
            "domain_status": "confirmed",
        }


@dataclass(frozen=True)
class AccessRecord:
    listener: str  # http | valid | expired | self_signed | wrong_host
    host: str
    method: str
    path: str  # path with query string
    status: int
    user_agent: str


# --- one site's behaviour -------------------------------------------------------------------


class SiteResponder:
    """Answers requests for one site: faults first, then its pages. Pure apart from caching."""

    def __init__(self, world: World, spec: SiteSpec, links: Links):
        self.world = world
        self.spec = spec
        self.links = links
        self._cache: dict[str, Reply] = {}

    @cached_property
    def model(self) -> SiteModel:
        return content.build_site(self.world, self.spec)

    def respond(self, method: str, path: str, query: Mapping[str, str],
                headers: Mapping[str, str] | None = None) -> Reply:
        headers = headers or {}
        reply = self._fault_reply(method, path)
        if reply is None:
            key = method + " " + path + "?" + "&".join(f"{k}={v}" for k, v in sorted(query.items()))
            reply = self._cache.get(key)
            if reply is None:
                reply = self._route(method, path, query)
                if len(self._cache) < 2000:
                    self._cache[key] = reply
            reply = _conditional(reply, headers)
        return reply

    # faults ---------------------------------------------------------------------------------

    def _fault_reply(self, method: str, path: str) -> Reply | None:
        fault = self.spec.fault
        base = self._base_headers()
        if fault == "http_500":
            body = (b"<!DOCTYPE html><html><head><title>500 Internal Server Error</title></head><body>"
                    b"<h1>Internal Server Error</h1><p>A Database Error Occurred: Unable to connect to your "
                    b"database server using the provided settings.</p></body></html>\n")
            return Reply(500, {**base, "Content-Type": _HTML}, body)
        if fault == "http_403":
            body = (b"<html><head><title>403 Forbidden</title></head><body><center><h1>403 Forbidden</h1>"
                    b"</center><hr><center>nginx</center></body></html>\n")
            return Reply(403, {**base, "Content-Type": _HTML}, body)
        if fault == "redirect_loop":
            target = "/beranda" if path == "/" else "/"
            return Reply(302, {**base, "Location": target, "Content-Type": _HTML}, b"")
        if fault == "empty_body":
            return Reply(200, {**base, "Content-Type": _HTML}, b"")
        if fault == "parked":
            body = content.PARKED_HTML.format(host=self.spec.host).encode()
            return Reply(200, {"Server": "nginx", "Content-Type": _HTML}, body)
        if fault == "defaced" and path in ("/", "/index.php"):
            body = content.DEFACED_HTML.format(host=self.spec.host).encode()
            return Reply(200, {**base, "Content-Type": _HTML}, body)
        if fault == "redirect_chain":
            hop = path.removeprefix("/lompat/")
            hop_number = int(hop) if path.startswith("/lompat/") and hop.isdigit() else 0
            if hop_number < REDIRECT_CHAIN_HOPS:
                return Reply(302, {**base, "Location": f"/lompat/{hop_number + 1}", "Content-Type": _HTML}, b"")
            return self._html(content.page_home(self.model, self.links))
        if fault == "http_404_home" and path in ("/", "/index.php"):
            return self._html(content.page_not_found(self.model), status=404)
        return None

    # routing --------------------------------------------------------------------------------

    def _base_headers(self) -> dict[str, str]:
        return {"Server": content.server_header(self.world, self.spec)}

    def _headers(self, content_type: str, last_modified: dt.datetime | None = None,
                 body: bytes | None = None) -> dict[str, str]:
        model = self.model
        headers = {"Server": model.server, "Content-Type": content_type}
        if model.powered_by and content_type.startswith("text/html"):
            headers["X-Powered-By"] = model.powered_by
        if last_modified is not None and not self.spec.dates_only_in_pdfs:
            headers["Last-Modified"] = content.http_date(last_modified)
        if body is not None and last_modified is not None:
            headers["ETag"] = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        if model.wordpress and content_type.startswith("text/html"):
            headers["Link"] = f'<{self.links.absolute(self.spec.host, "/wp-json/")}>; rel="https://api.w.org/"'
        return headers

    def _html(self, parts: content.PageParts, status: int = 200,
              last_modified: dt.datetime | None = None) -> Reply:
        body = content.render_html(self.model, self.links, parts)
        return Reply(status, self._headers(_HTML, last_modified, body), body)

    def _redirect(self, location: str, status: int = 301) -> Reply:
        return Reply(status, {"Server": self.model.server, "Location": location, "Content-Type": _HTML}, b"")

    def _route(self, method: str, path: str, query: Mapping[str, str]) -> Reply:
        model = self.model
        if method not in ("GET", "HEAD"):
            if method == "POST" and path in ("/kontak/kirim", "/admin/login"):
                return self._redirect("/kontak?terkirim=1", 303)
            return Reply(405, {"Server": model.server, "Allow": "GET, HEAD", "Content-Type": "text/plain"},
                         b"Method Not Allowed\n")
        if path == "/robots.txt":
            return Reply(200, self._headers("text/plain; charset=UTF-8"), content.render_robots(model, self.links))
        if path == "/sitemap.xml":
            return Reply(200, self._headers("application/xml; charset=UTF-8"),
                         content.render_sitemap(model, self.links))
        if model.wordpress:
            reply = self._route_wordpress(path, query)
            if reply is not None:
                return reply
        elif path == "/rss.xml" and not self.spec.dates_only_in_pdfs:
            body = content.render_feed(model, self.links)
            return Reply(200, self._headers("application/rss+xml; charset=UTF-8", model.newest_moment, body), body)
        if path.startswith("/assets/css/"):
            return Reply(200, self._headers("text/css"), content.render_css())
        if path == a11y.ANTHEM_PATH and a11y.active(self.spec):
            return Reply(200, self._headers("audio/wav"), a11y.anthem_wav())
        if path.startswith(("/assets/img/", "/wp-content/uploads/")) and path.endswith((".png", ".jpg", ".gif")):
            return Reply(200, self._headers("image/gif"), content.PIXEL_GIF)
        doc = model.document_by_path(path)
        if doc is not None:
            body = content.render_pdf(doc)
            headers = self._headers("application/pdf", doc.uploaded, body)
            headers["Content-Disposition"] = f'inline; filename="{doc.file}"'
            return Reply(200, headers, body)
        if path == "/berita":
            return self._news_list(query)
        item = model.news_by_path(path)
        if item is not None:
            return self._html(content.page_article(model, item), last_modified=item.modified)
        if path == "/agenda/kalender" and self.spec.calendar_trap:
            return self._calendar(query)
        if path == "/cari":
            return self._html(content.page_search(model, query.get("q", "")))
        if path == "/":
            return self._html(content.page_home(model, self.links))
        if path in model.pages:
            return self._html(content.page_static(model, self.links, model.pages[path]))
        if path.endswith("/") and path.rstrip("/") in model.pages:
            return self._redirect(path.rstrip("/"))
        if any(path.startswith(p) or path == p.rstrip("/") for p in self.spec.robots_disallow):
            return self._html(content.page_internal(model, path))
        return self._html(content.page_not_found(model), status=404)

    def _news_list(self, query: Mapping[str, str]) -> Reply:
        raw = query.get("page", "1")
        page = int(raw) if raw.isdigit() else 0
        if not 1 <= page <= self.model.list_pages:
            return self._html(content.page_not_found(self.model), status=404)
        return self._html(content.page_news_list(self.model, page))

    def _calendar(self, query: Mapping[str, str]) -> Reply:
        match = _MONTH_RE.match(query.get("bulan", ""))
        today = self.model.today
        year, month = (int(match[1]), int(match[2])) if match else (today.year, today.month)
        if not (1 <= month <= 12 and 1 < year < 9999):
            return self._html(content.page_not_found(self.model), status=404)
        return self._html(content.page_calendar(self.model, year, month))

    def _route_wordpress(self, path: str, query: Mapping[str, str]) -> Reply | None:
        model = self.model
        if path == "/" and query.get("p", "").isdigit():
            for item in model.news:
                if item.post_id == int(query["p"]):
                    return self._redirect(item.path)
            return self._html(content.page_not_found(model), status=404)
        if path == "/feed":
            return self._redirect("/feed/")
        if path == "/feed/":
            body = content.render_feed(model, self.links)
            return Reply(200, self._headers("application/rss+xml; charset=UTF-8", model.newest_moment, body), body)
        if path in ("/wp-json", "/wp-json/"):
            return self._json(content.render_wp_index(model, self.links))
        if path == "/wp-json/wp/v2/posts":
            return self._wp_posts(query)
        match = re.fullmatch(r"/wp-json/wp/v2/posts/(\d+)", path)
        if match:
            for item in model.news:
                if item.post_id == int(match[1]):
                    return self._json(json.dumps(content.wp_post(model, self.links, item)).encode())
            return self._wp_error(404, "rest_post_invalid_id", "ID pos tidak valid.")
        if path.startswith("/wp-json/"):
            return self._wp_error(404, "rest_no_route", "Tidak ada rute yang cocok dengan URL dan metode permintaan.")
        return None

    def _json(self, body: bytes, status: int = 200, extra: dict[str, str] | None = None) -> Reply:
        headers = self._headers("application/json; charset=UTF-8")
        headers.update(extra or {})
        return Reply(status, headers, body)

    def _wp_error(self, status: int, code: str, message: str) -> Reply:
        return self._json(json.dumps({"code": code, "message": message, "data": {"status": status}}).encode(),
                          status)

    def _wp_posts(self, query: Mapping[str, str]) -> Reply:
        def number(name: str, default: int) -> int | None:
            raw = query.get(name, str(default))
            return int(raw) if raw.isdigit() else None

        per_page, page = number("per_page", 10), number("page", 1)
        if per_page is None or not 1 <= per_page <= 100:
            return self._wp_error(400, "rest_invalid_param", "Parameter tidak valid: per_page")
        if page is None or page < 1:
            return self._wp_error(400, "rest_invalid_param", "Parameter tidak valid: page")
        items = list(self.model.news)
        if query.get("orderby") == "modified":
            items.sort(key=lambda n: n.modified, reverse=True)
        if query.get("order") == "asc":
            items.reverse()
        total = len(items)
        pages = max(1, -(-total // per_page))
        if page > pages:
            return self._wp_error(400, "rest_post_invalid_page_number",
                                  "Jumlah halaman yang diminta lebih besar dari jumlah halaman yang tersedia.")
        chunk = items[(page - 1) * per_page:page * per_page]
        body = json.dumps([content.wp_post(self.model, self.links, n) for n in chunk], ensure_ascii=False).encode()
        return self._json(body, extra={"X-WP-Total": str(total), "X-WP-TotalPages": str(pages)})


def _conditional(reply: Reply, headers: Mapping[str, str]) -> Reply:
    """Answer 304 when the client's validators still match, as a real server would."""
    if reply.status != 200:
        return reply
    etag = reply.headers.get("ETag")
    inm = headers.get("If-None-Match")
    if etag and inm:
        if etag in [t.strip() for t in inm.split(",")] or inm.strip() == "*":
            return Reply(304, {k: v for k, v in reply.headers.items() if k != "Content-Type"})
        return reply
    lm = reply.headers.get("Last-Modified")
    ims = headers.get("If-Modified-Since")
    if lm and ims:
        try:
            if parsedate_to_datetime(lm) <= parsedate_to_datetime(ims):
                return Reply(304, {k: v for k, v in reply.headers.items() if k != "Content-Type"})
        except (TypeError, ValueError):
            pass
    return reply


# --- the whole testbed -----------------------------------------------------------------------


def default_base_urls(world: World) -> dict[str, str]:
    """Base URLs without ports, for a truth computed without a running server."""
    return {s.host: f"{s.scheme}://{s.host}/" for s in world.sites}


def site_truth(world: World, spec: SiteSpec, model: SiteModel, links: Links) -> dict[str, Any]:
    base = links.base(spec.host)
    newest = model.newest_moment.date().isoformat()
    return {
        "url": base,
        "role": spec.role,
        "region_code": spec.region.code,
        "unit_short": spec.unit_short,
        "fault": spec.fault,
        "tls": spec.tls,
        "resolvable": spec.resolvable,
        "slow_ms": spec.slow_ms,
        "newest_date": None if spec.fault in CONTENT_HIDING_FAULTS else newest,
        "content_newest_date": newest,
        "robots_disallow": content.robots_disallowed(model),
        "calendar_trap": spec.calendar_trap,
        "wordpress": spec.wordpress,
        "features": list(spec.features),
        "email": model.email if spec.has("email") else None,
        "email_style": spec.email_style,
        "phone": model.phone if spec.has("phone") else None,
        "a11y_defects": list(spec.a11y_defects),
        "today_widget": spec.today_widget,
        "dates_only_in_pdfs": spec.dates_only_in_pdfs,
        "footer_copyright_year": spec.footer_copyright_year or model.newest.year,
        "date_style": spec.date_style,
        "pages": len(model.html_paths),
        "html_paths": list(model.html_paths),
        "sitemap": links.absolute(spec.host, "/sitemap.xml"),
        "feed": links.absolute(spec.host, "/feed/" if spec.wordpress else "/rss.xml"),
        "news": len(model.news),
        "documents": [d.truth(base) for d in model.documents],
    }


def world_truth(world: World, base_urls: dict[str, str] | None = None,
                models: dict[str, SiteModel] | None = None) -> dict[str, dict[str, Any]]:
    """Ground truth per host; without ``base_urls`` the URLs carry no port."""
    links = Links(world, base_urls or default_base_urls(world))
    models = models or {}
    return {s.host: site_truth(world, s, models.get(s.host) or content.build_site(world, s), links)
            for s in world.sites}


def _bound_socket(host: str, port: int, listen: bool) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    if listen:
        sock.listen(512)
        sock.setblocking(False)
    return sock


class Testbed:
    """A running testbed. Create it with :func:`start_testbed`; ``await close()`` when done."""

    __test__ = False

    def __init__(self, world: World, host: str):
        self.world = world
        self.host = host
        self.sites: list[TestbedSite] = []
        self.http_port = 0
        self.tls_ports: dict[str, int] = {}
        self.down_port: int | None = None
        self.ca_cert_pem = b""
        self.access_log: list[AccessRecord] = []
        self._runners: list[web.BaseRunner] = []
        self._down_socket: socket.socket | None = None
        self.blackhole_port: int | None = None
        self.broken_tls_port: int | None = None
        self._blackhole_sockets: list[socket.socket] = []
        self._raw_servers: list[asyncio.AbstractServer] = []
        self._responders: dict[str, SiteResponder] = {}
        self._routes: dict[str, dict[str, SiteResponder]] = {}
        self.links: Links | None = None

    # public API ---------------------------------------------------------------------------

    def site(self, host: str) -> TestbedSite:
        for site in self.sites:
            if site.host == host:
                return site
        raise KeyError(host)

    def responder(self, host: str) -> SiteResponder:
        return self._responders[host]

    def hosts_file_text(self) -> str:
        lines = [f"{self.host} {s.host}\n" for s in self.sites if s.resolvable]
        lines += [f"SERVFAIL {s.host}\n" for s in self.sites if s.fault == "dns_error"]
        return "".join(lines)

    def registry_rows(self) -> list[dict[str, str]]:
        """One row per site, and a row without URL for each pemda that runs no portal."""
        rows = [s.registry_row() for s in self.sites]
        with_portal = {s.region_code for s in self.sites if s.role == "portal"}
        for region in self.world.regions:
            if region.code in with_portal:
                continue
            prefix = {"provinsi": "Pemerintah Provinsi", "kabupaten": "Pemerintah Kabupaten",
                      "kota": "Pemerintah Kota"}[region.kind]
            rows.append({"region_code": region.code, "region_name": region.name, "region_kind": region.kind,
                         "region_parent": region.parent or "", "unit_name": f"{prefix} {region_short_name(region)}",
                         "unit_short": "portal", "unit_kind": "portal", "url": "", "role": "",
                         "domain_status": ""})
        return rows

    def truth(self) -> dict[str, dict[str, Any]]:
        return {s.host: site_truth(self.world, s.spec, self._responders[s.host].model, self.links)
                for s in self.sites}

    def write_files(self, out_dir: str | Path) -> dict[str, Path]:
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        paths = {"hosts": out / "hosts.txt", "registry": out / "registry.csv", "ca": out / "ca.pem",
                 "truth": out / "truth.json"}
        paths["hosts"].write_text(self.hosts_file_text(), encoding="utf-8")
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=REGISTRY_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(self.registry_rows())
        paths["registry"].write_text(buffer.getvalue(), encoding="utf-8")
        paths["ca"].write_bytes(self.ca_cert_pem)
        paths["truth"].write_text(json.dumps(self.truth(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        return paths

    async def close(self) -> None:
        for runner in self._runners:
            await runner.cleanup()
        self._runners.clear()
        if self._down_socket is not None:
            self._down_socket.close()
            self._down_socket = None
        for server in self._raw_servers:
            server.close()
            await server.wait_closed()
        self._raw_servers.clear()
        for sock in self._blackhole_sockets:
            sock.close()
        self._blackhole_sockets.clear()

    async def __aenter__(self) -> Testbed:
        return self

    async def __aexit__(self, *exc) -> None:
        await self.close()

    # serving ------------------------------------------------------------------------------

    def _handler(self, listener: str):
        routes = self._routes.setdefault(listener, {})

        async def handle(request: web.BaseRequest) -> web.StreamResponse:
            host = (request.host or "").lower()
            host = host.rsplit(":", 1)[0] if not host.endswith("]") else host
            responder = routes.get(host)
            if responder is None:
                reply = Reply(421, {"Server": "nginx", "Content-Type": "text/plain"},
                              b"421 Misdirected Request: unknown host\n")
            else:
                if responder.spec.slow_ms:
                    await asyncio.sleep(responder.spec.slow_ms / 1000)
                if listener == "http" and responder.spec.https_redirect:
                    reply = Reply(301, {"Server": "nginx", "Content-Type": "text/html",
                                        "Location": self.links.absolute(host, request.path_qs)}, b"")
                else:
                    reply = responder.respond(request.method, request.path, request.query, request.headers)
                    if listener != "http" and responder.spec.hsts:
                        reply = Reply(reply.status, {**reply.headers, "Strict-Transport-Security": HSTS_VALUE},
                                      reply.body)
            if len(self.access_log) >= ACCESS_LOG_LIMIT:
                del self.access_log[: ACCESS_LOG_LIMIT // 2]
            self.access_log.append(AccessRecord(listener, host, request.method, request.path_qs, reply.status,
                                                request.headers.get("User-Agent", "")))
            return web.Response(status=reply.status, headers=reply.headers, body=reply.body)

        return handle

    async def _serve(self, listener: str, sock: socket.socket, ssl_context=None) -> None:
        server = web.Server(self._handler(listener), access_log=None)
        runner = web.ServerRunner(server, shutdown_timeout=0.5)
        await runner.setup()
        self._runners.append(runner)
        await web.SockSite(runner, sock, ssl_context=ssl_context).start()


def _blackhole(testbed: Testbed, host: str) -> int:
    """A port where TCP handshakes never complete: its accept queue holds one connection
    (ours, never accepted), so the kernel drops every later SYN and clients time out."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind((host, 0))
    sock.listen(0)
    filler = socket.create_connection(sock.getsockname(), timeout=5)
    testbed._blackhole_sockets += [sock, filler]
    return sock.getsockname()[1]


_PLAIN_HTTP_400 = (b"HTTP/1.1 400 Bad Request\r\nServer: nginx\r\nContent-Type: text/html\r\n"
                   b"Content-Length: 50\r\nConnection: close\r\n\r\n"
                   b"<html><body><h1>400 Bad Request</h1></body></html>")


async def _answer_plain_http(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """What a port configured for plain HTTP says to a TLS ClientHello."""
    try:
        await asyncio.wait_for(reader.read(4096), 5)
        writer.write(_PLAIN_HTTP_400)
        await writer.drain()
    except (OSError, asyncio.TimeoutError):
        pass
    finally:
        writer.close()


async def start_testbed(world: World, *, host: str = "127.0.0.1", http_port: int = 0,
                        tls_ports: Mapping[str, int] | None = None, down_port: int = 0) -> Testbed:
    """Start serving ``world`` on ``host``. Ports are chosen free unless given."""
    testbed = Testbed(world, host)
    tls_ports = dict(tls_ports or {})
    sockets: list[socket.socket] = []
    try:
        http_sock = _bound_socket(host, http_port, listen=True)
        sockets.append(http_sock)
        testbed.http_port = http_sock.getsockname()[1]
        variants_needed = sorted({s.tls for s in world.sites if s.tls != "none"},
                                 key=HTTPS_VARIANTS.index)
        hosts_by_variant = {v: [s.host for s in world.sites if s.tls == v] for v in variants_needed}
        material = build_tls(hosts_by_variant)
        testbed.ca_cert_pem = material.ca_cert_pem
        tls_socks = {}
        for variant in variants_needed:
            tls_socks[variant] = _bound_socket(host, tls_ports.get(variant, 0), listen=True)
            sockets.append(tls_socks[variant])
            testbed.tls_ports[variant] = tls_socks[variant].getsockname()[1]
        if any(s.fault == "down" for s in world.sites):
            testbed._down_socket = _bound_socket(host, down_port, listen=False)
            testbed.down_port = testbed._down_socket.getsockname()[1]
        if any(s.fault == "blackhole" for s in world.sites):
            testbed.blackhole_port = _blackhole(testbed, host)
        if any(s.fault == "tls_broken" for s in world.sites):
            broken = _bound_socket(host, 0, listen=True)
            sockets.append(broken)
            testbed.broken_tls_port = broken.getsockname()[1]
            testbed._raw_servers.append(await asyncio.start_server(_answer_plain_http, sock=broken))

        base_urls: dict[str, str] = {}
        for spec in world.sites:
            if spec.fault == "down":
                port = testbed.down_port
            elif spec.fault == "blackhole":
                port = testbed.blackhole_port
            elif spec.fault == "tls_broken":
                port = testbed.broken_tls_port
            elif spec.tls == "none":
                port = testbed.http_port
            else:
                port = testbed.tls_ports[spec.tls]
            base_urls[spec.host] = f"{spec.scheme}://{spec.host}:{port}/"
        testbed.links = Links(world, base_urls)
        for spec in world.sites:
            url = base_urls[spec.host]
            if spec.https_redirect:
                url = f"http://{spec.host}:{testbed.http_port}/"
            region = spec.region
            testbed.sites.append(TestbedSite(
                host=spec.host, url=url, role=spec.role, region_code=region.code, region_name=region.name,
                region_kind=region.kind, region_parent=region.parent or "", unit_name=spec.unit_name,
                unit_short=spec.unit_short, unit_kind=spec.role, tls=spec.tls, fault=spec.fault,
                port=int(url.rsplit(":", 1)[1].rstrip("/")), spec=spec))
            responder = SiteResponder(world, spec, testbed.links)
            testbed._responders[spec.host] = responder
            if spec.fault not in ("down", "nxdomain", "blackhole", "dns_error", "tls_broken"):
                listener = "http" if spec.tls == "none" else spec.tls
                testbed._routes.setdefault(listener, {})[spec.host] = responder
                if spec.https_redirect:
                    testbed._routes.setdefault("http", {})[spec.host] = responder

        await testbed._serve("http", http_sock)
        for variant, sock in tls_socks.items():
            await testbed._serve(variant, sock, material.contexts[variant])
    except BaseException:
        await testbed.close()
        for sock in sockets:
            sock.close()
        raise
    return testbed
