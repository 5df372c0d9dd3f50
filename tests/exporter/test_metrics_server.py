"""`pantau serve`: the HTTP side of the exporter, over a real socket on loopback."""

from __future__ import annotations

import gzip
import http.client
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from metrics_fixture import build_metrics_db
from test_metrics import EXPECTED_SAMPLES, samples

import exporter.server as server_module
from exporter.server import make_server

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def served(tmp_path):
    path = build_metrics_db(tmp_path / "pantau.db")
    server = make_server(str(path), "127.0.0.1", 0, max_scrapes=1)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, path
    server.shutdown()
    server.server_close()
    thread.join(5)


def get(server, path: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    conn = http.client.HTTPConnection(*server.server_address[:2], timeout=10)
    conn.request("GET", path, headers=headers or {})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, body


def pantau_part(text: str) -> str:
    """The pantau families of an answer, without the exporter's own process metrics."""
    return text.split("# HELP process_", 1)[0]


def test_metrics_are_streamed_in_the_text_format_with_the_exporters_own_process_metrics(served):
    server, _ = served
    status, headers, body = get(server, "/metrics")
    assert status == 200
    assert headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8"
    assert headers["transfer-encoding"] == "chunked" and "content-encoding" not in headers
    text = body.decode("utf-8")
    assert samples(pantau_part(text)) == EXPECTED_SAMPLES
    assert re.search(r"^process_resident_memory_bytes \S+$", text, flags=re.M)


def test_a_scraper_that_accepts_gzip_gets_the_same_answer_compressed(served):
    server, _ = served
    _, plain_headers, plain = get(server, "/metrics")
    status, headers, body = get(server, "/metrics", {"Accept-Encoding": "gzip"})
    assert status == 200 and headers["content-encoding"] == "gzip"
    assert len(body) < len(plain)
    assert samples(pantau_part(gzip.decompress(body).decode())) == samples(pantau_part(plain.decode()))


def test_healthz_and_the_index_page(served):
    server, _ = served
    assert get(server, "/healthz")[::2] == (200, b"ok\n")
    status, headers, body = get(server, "/")
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert b'<a href="metrics">' in body and b'<a href="healthz">' in body
    assert get(server, "/nothing-here")[0] == 404


def test_a_store_that_disappears_makes_metrics_fail_loudly_and_health_unhealthy(served):
    server, path = served
    path.unlink()
    status, _, body = get(server, "/metrics")
    assert status == 500 and b"no such database" in body
    status, _, body = get(server, "/healthz")
    assert status == 503 and body.startswith(b"unhealthy: ") and b"no such database" in body


def test_a_store_that_cannot_be_queried_is_a_500_with_the_reason(served):
    server, path = served
    import sqlite3

    conn = sqlite3.connect(path)
    conn.execute("drop table scores")
    conn.commit()
    conn.close()
    status, _, body = get(server, "/metrics")
    assert status == 500 and body == b"reading the store failed: no such table: scores\n"


def test_scrapes_beyond_the_limit_wait_then_get_503(served, monkeypatch):
    server, _ = served
    monkeypatch.setattr(server_module, "SCRAPE_WAIT_SECONDS", 0.2)
    assert server.scrape_slots.acquire(timeout=1)  # the one allowed scrape is "in progress"
    try:
        status, _, body = get(server, "/metrics")
    finally:
        server.scrape_slots.release()
    assert (status, body) == (503, b"too many scrapes at once\n")
    assert get(server, "/metrics")[0] == 200


def pantau(*args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "crawler.cli", *args], cwd=REPO, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **kwargs)


def test_pantau_serve_prints_its_address_serves_and_stops_cleanly_on_sigterm(tmp_path):
    path = build_metrics_db(tmp_path / "pantau.db")
    proc = pantau("serve", "--db", str(path), "--listen", "127.0.0.1:0", "--lagging-below", "25")
    try:
        line = proc.stdout.readline()
        match = re.fullmatch(rf"serving {re.escape(str(path))} on http://127\.0\.0\.1:(\d+)/metrics\n", line)
        assert match, line
        conn = http.client.HTTPConnection("127.0.0.1", int(match.group(1)), timeout=10)
        conn.request("GET", "/metrics")
        text = conn.getresponse().read().decode()
        conn.close()
        assert "\npantau_config_lagging_threshold_ratio 0.25\n" in text
        assert '\npantau_unit_lagging{region="15",unit="2"} 0.0\n' in text
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(10) == 0


@pytest.mark.parametrize("args, message", [
    (["--db", "{tmp}/missing.db"], "no such database"),
    (["--listen", "localhost"], "'localhost' is not HOST:PORT"),
    (["--lagging-below", "150"], "150.0 is not in the range 0<=x<=100"),
])
def test_pantau_serve_refuses_what_it_cannot_serve(tmp_path, args, message):
    path = build_metrics_db(tmp_path / "pantau.db")
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    proc = pantau("serve", "--db", str(path), *args)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode != 0 and message in err, err
