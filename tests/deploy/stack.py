"""Running the real monitoring stack on loopback for tests: pantau serve, Prometheus, Alertmanager.

Every server gets a free port on 127.0.0.1 and a temporary directory; nothing listens on
another address (Alertmanager's cluster listener is switched off) and no notification
leaves the machine (receivers are replaced by a webhook on loopback).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
TOOLS = ("promtool", "prometheus", "amtool", "prometheus-alertmanager")


def require_tools() -> None:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        pytest.fail(f"{', '.join(missing)} not installed: apt-get install prometheus prometheus-alertmanager "
                    "(.ci/run does it)", pytrace=False)


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(url: str, timeout: float = 10) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def wait_for(check: Callable[[], object], timeout: float, what: str, interval: float = 0.25):
    """Poll ``check`` until it returns something truthy; fail naming ``what`` otherwise."""
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        try:
            result = check()
            if result:
                return result
        except (OSError, ValueError, KeyError) as exc:
            last_error = exc
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what} (last error: {last_error})")


class Process:
    """A child process in its own session, logging to a file, stopped by its pid."""

    def __init__(self, name: str, args: list[str], log_dir: Path, cwd: Path = REPO):
        self.name = name
        self.log_path = log_dir / f"{name}.log"
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen(args, cwd=cwd, stdout=subprocess.PIPE if name == "pantau-serve" else self.log,
                                     stderr=self.log, text=True, start_new_session=True)

    def log_text(self) -> str:
        self.log.flush()
        return self.log_path.read_text(errors="replace")[-4000:]

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
        self.log.close()


def start_exporter(db_path: Path, log_dir: Path, *extra: str) -> tuple[Process, str]:
    """``pantau serve`` on a free port; returns the process and its base URL."""
    process = Process("pantau-serve", [sys.executable, "-m", "crawler.cli", "serve", "--db", str(db_path),
                                       "--listen", "127.0.0.1:0", *extra], log_dir)
    line = process.proc.stdout.readline()
    match = re.search(r"on (http://127\.0\.0\.1:\d+/)metrics", line)
    if not match:
        process.stop()
        raise AssertionError(f"pantau serve did not start: {line!r}\n{process.log_text()}")
    return process, match.group(1)


class WebhookSink:
    """A loopback HTTP server recording Alertmanager's webhook notifications by path."""

    def __init__(self):
        self.received: list[tuple[str, dict]] = []
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                sink.received.append((self.path, json.loads(body)))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def alertmanager_test_config(sink: WebhookSink) -> dict:
    """The shipped alertmanager.yml with its route tree and inhibit rules intact, its waits
    shortened, and every receiver (same names) replaced by a webhook to ``sink``/<receiver>."""
    config = yaml.safe_load((DEPLOY / "alertmanager" / "alertmanager.yml").read_text(encoding="utf-8"))
    config.pop("templates", None)
    config["global"] = {"resolve_timeout": "5m"}

    def shorten(route: dict) -> None:
        for key, value in (("group_wait", "1s"), ("group_interval", "2s"), ("repeat_interval", "1h")):
            if key in route:
                route[key] = value
        for child in route.get("routes", []):
            shorten(child)

    config["route"].update(group_wait="1s", group_interval="2s")
    shorten(config["route"])
    config["receivers"] = [{"name": r["name"], "webhook_configs": [{"url": f"{sink.url}/{r['name']}",
                                                                    "send_resolved": False}]}
                           for r in config["receivers"]]
    return config


def start_alertmanager(work: Path, config: dict) -> tuple[Process, str]:
    port = free_port()
    (work / "alertmanager.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    (work / "am-data").mkdir(exist_ok=True)
    process = Process("alertmanager", [
        "prometheus-alertmanager", f"--config.file={work / 'alertmanager.yml'}",
        f"--storage.path={work / 'am-data'}", f"--web.listen-address=127.0.0.1:{port}",
        "--cluster.listen-address=", "--log.level=warn"], work)
    url = f"http://127.0.0.1:{port}"
    wait_for(lambda: http_get(f"{url}/-/ready", 2)[0] == 200, 30, "Alertmanager to be ready")
    return process, url


def rules_for_test(work: Path) -> Path:
    """The shipped rules with every ``for`` cut to zero: waiting is what promtool's unit tests check."""
    rules = yaml.safe_load((DEPLOY / "prometheus" / "rules" / "pantau.rules.yml").read_text(encoding="utf-8"))
    for group in rules["groups"]:
        group["interval"] = "1s"
        for rule in group["rules"]:
            rule["for"] = "0s"
    path = work / "pantau.rules.yml"
    path.write_text(yaml.safe_dump(rules, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def start_prometheus(work: Path, exporter_url: str, alertmanager_url: str) -> tuple[Process, str]:
    """Prometheus with the shipped scrape config, pointed at the test's exporter and Alertmanager."""
    config = yaml.safe_load((DEPLOY / "prometheus" / "prometheus.yml").read_text(encoding="utf-8"))
    config["global"].update(scrape_interval="1s", evaluation_interval="1s")
    config["rule_files"] = [str(rules_for_test(work))]
    config["alerting"]["alertmanagers"][0]["static_configs"][0]["targets"] = [alertmanager_url.split("//")[1]]
    jobs = {job["job_name"]: job for job in config["scrape_configs"]}
    pantau = jobs["pantau"]
    pantau.update(scrape_interval="1s", scrape_timeout="1s")
    pantau["static_configs"][0]["targets"] = [exporter_url.split("//")[1].rstrip("/")]
    config["scrape_configs"] = [pantau]
    (work / "prometheus.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    port = free_port()
    (work / "tsdb").mkdir(exist_ok=True)
    process = Process("prometheus", [
        "prometheus", f"--config.file={work / 'prometheus.yml'}", f"--storage.tsdb.path={work / 'tsdb'}",
        f"--web.listen-address=127.0.0.1:{port}", "--log.level=warn"], work)
    url = f"http://127.0.0.1:{port}"
    wait_for(lambda: http_get(f"{url}/-/ready", 2)[0] == 200, 60, "Prometheus to be ready")
    return process, url


def prom_query(prometheus_url: str, expr: str) -> dict:
    status, body = http_get(f"{prometheus_url}/api/v1/query?{urllib.parse.urlencode({'query': expr})}")
    return json.loads(body) | {"http_status": status}
