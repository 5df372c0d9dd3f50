"""The exporter's HTTP server: ``/metrics``, ``/healthz`` and a small index page.

Each scrape reads the store afresh through ``PantauCollector`` and streams the text
format as it is read (chunked, gzip when the scraper asks for it): the answer is never
held whole, only the label text of each site and a batch of lines. At most ``max_scrapes``
scrapes run at once; a scraper that would exceed that waits, then gets 503.
The exporter's own process metrics (memory, CPU, open files) follow pantau's families.
"""

from __future__ import annotations

import logging
import threading
import zlib
from html import escape
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.metadata import PackageNotFoundError, version
from urllib.parse import urlsplit

from prometheus_client import CollectorRegistry, PlatformCollector, ProcessCollector, generate_latest

from exporter.metrics import PantauCollector, SchemaError, connect, render

logger = logging.getLogger(__name__)

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
GZIP_LEVEL = 1  # the answer is large and compresses well even at the fastest level
SCRAPE_WAIT_SECONDS = 30


def pantau_version() -> str:
    try:
        return version("pantau")
    except PackageNotFoundError:
        return "unknown"


INDEX = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>pantau exporter</title></head>
<body>
<h1>pantau exporter</h1>
<p>Metrics of the websites pantau watches, read from its store at every scrape.</p>
<ul>
<li><a href="metrics">/metrics</a>: Prometheus text format</li>
<li><a href="healthz">/healthz</a>: 200 when the store can be read</li>
</ul>
<p>pantau {version} &middot; store: {db}</p>
</body>
</html>
"""


class ExporterServer(ThreadingHTTPServer):
    """A threading HTTP server that owns the collector and the scrape limit."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], collector: PantauCollector, max_scrapes: int = 2):
        super().__init__(address, ExporterHandler)
        self.collector = collector
        self.scrape_slots = threading.BoundedSemaphore(max_scrapes)
        self.process_registry = CollectorRegistry()
        ProcessCollector(registry=self.process_registry)
        PlatformCollector(registry=self.process_registry)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}/"


class ChunkedWriter:
    """HTTP/1.1 chunked transfer encoding, optionally gzip-compressed."""

    def __init__(self, wfile, gzip: bool):
        self.wfile = wfile
        self.compressor = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 31) if gzip else None

    def _chunk(self, data: bytes) -> None:
        if data:
            self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))

    def write(self, text: str) -> None:
        data = text.encode("utf-8")
        self._chunk(self.compressor.compress(data) if self.compressor else data)

    def close(self) -> None:
        if self.compressor:
            self._chunk(self.compressor.flush())
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()


class ExporterHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: ExporterServer
    server_version = f"pantau-exporter/{pantau_version()}"

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        path = urlsplit(self.path).path
        if path == "/metrics":
            self.metrics()
        elif path == "/healthz":
            self.healthz()
        elif path == "/":
            page = INDEX.format(version=escape(pantau_version()), db=escape(str(self.server.collector.db_path)))
            self.send_text(HTTPStatus.OK, page, "text/html; charset=utf-8")
        else:
            self.send_text(HTTPStatus.NOT_FOUND, "not found; try /metrics\n")

    def send_text(self, status: HTTPStatus, text: str, content_type: str = "text/plain; charset=utf-8") -> None:
        body = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def healthz(self) -> None:
        try:
            conn = connect(self.server.collector.db_path)
            try:
                conn.execute("select 1 from sites limit 1").fetchall()
            finally:
                conn.close()
        except Exception as exc:  # any reason the store cannot be read makes the exporter unhealthy
            self.send_text(HTTPStatus.SERVICE_UNAVAILABLE, f"unhealthy: {exc}\n")
            return
        self.send_text(HTTPStatus.OK, "ok\n")

    def metrics(self) -> None:
        if not self.server.scrape_slots.acquire(timeout=SCRAPE_WAIT_SECONDS):
            self.send_text(HTTPStatus.SERVICE_UNAVAILABLE, "too many scrapes at once\n")
            return
        try:
            self._stream_metrics()
        finally:
            self.server.scrape_slots.release()

    def _stream_metrics(self) -> None:
        families = self.server.collector.iter_families(lazy=True)
        try:
            # Open the store before answering, so a broken store is a 500 and not a cut-off 200.
            first = next(families)
        except SchemaError as exc:
            logger.error("scrape failed: %s", exc)
            self.send_text(HTTPStatus.INTERNAL_SERVER_ERROR, f"{exc}\n")
            return
        except Exception as exc:  # sqlite3 errors and the like: still an answer, not a dropped connection
            logger.exception("scrape failed")
            self.send_text(HTTPStatus.INTERNAL_SERVER_ERROR, f"reading the store failed: {exc}\n")
            return
        gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", CONTENT_TYPE)
        self.send_header("Transfer-Encoding", "chunked")
        if gzip:
            self.send_header("Content-Encoding", "gzip")
        self.end_headers()
        out = ChunkedWriter(self.wfile, gzip)

        def all_families():
            yield first
            yield from families

        try:
            for piece in render(all_families()):
                out.write(piece)
            out.write(generate_latest(self.server.process_registry).decode("utf-8"))
            out.close()
        except (BrokenPipeError, ConnectionResetError):
            logger.info("the scraper went away before the answer was complete")
            self.close_connection = True
        except Exception:
            # Headers are gone: drop the connection so the scraper records a failed scrape.
            logger.exception("scrape failed while streaming")
            self.close_connection = True
        finally:
            families.close()

    def log_message(self, format: str, *args) -> None:  # noqa: A002 (http.server's signature)
        logger.debug("%s " + format, self.address_string(), *args)


def make_server(db_path: str, host: str = "127.0.0.1", port: int = 9717, settings=None,
                max_scrapes: int = 2) -> ExporterServer:
    """An exporter server bound to ``host:port`` (port 0 picks a free one); call ``serve_forever()``."""
    return ExporterServer((host, port), PantauCollector(db_path, settings), max_scrapes=max_scrapes)
