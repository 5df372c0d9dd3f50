"""``pantau testbed serve`` and ``pantau testbed truth``."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner

from testbed.cli import testbed as tb_cli

REPO = Path(__file__).resolve().parents[2]


def test_truth_prints_the_ground_truth_without_ports(small_world_path):
    result = CliRunner().invoke(tb_cli, ["truth", "--world", str(small_world_path)])
    assert result.exit_code == 0, result.output
    truth = json.loads(result.output)
    assert truth["jambiprov.go.id"]["url"] == "https://jambiprov.go.id/"
    assert truth["jambikota.go.id"]["url"] == "http://jambikota.go.id/"
    assert truth["usang.jambiprov.go.id"]["newest_date"] == "2023-09-22"
    assert truth["rusak.jambiprov.go.id"]["newest_date"] is None


def test_truth_of_a_generated_world(tmp_path):
    result = CliRunner().invoke(tb_cli, ["truth", "--generate", "15", "--pages", "10"])
    assert result.exit_code == 0, result.output
    truth = json.loads(result.output)
    assert len(truth) == 15 and all(t["pages"] == 10 for t in truth.values())


def test_a_bad_world_file_is_reported_with_file_and_line(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text('regions:\n  - {code: "15", name: X, kind: pulau, domain: x.go.id}\n')
    result = CliRunner().invoke(tb_cli, ["truth", "--world", str(bad)])
    assert result.exit_code == 1
    assert f"Error: {bad}:2: regions[0].kind: 'pulau' is not one of: provinsi, kabupaten, kota" in result.output


def test_serve_writes_its_files_then_ready_and_stops_cleanly_on_sigterm(small_world_path, tmp_path):
    out = tmp_path / "testbed"
    env = {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    proc = subprocess.Popen(
        [sys.executable, "-c", "from testbed.cli import testbed; testbed()", "serve",
         "--world", str(small_world_path), "--out", str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=tmp_path)
    try:
        deadline = time.monotonic() + 15
        while not (out / "ready").exists():
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "testbed never became ready"
            time.sleep(0.05)
        ready = json.loads((out / "ready").read_text())
        assert ready["pid"] == proc.pid and ready["sites"] == 18
        for name in ("hosts.txt", "registry.csv", "ca.pem", "truth.json"):
            assert (out / name).stat().st_size > 0, name
        assert "127.0.0.1 jambikota.go.id\n" in (out / "hosts.txt").read_text()
        truth = json.loads((out / "truth.json").read_text())
        assert truth["jambikota.go.id"]["url"] == f"http://jambikota.go.id:{ready['http_port']}/"

        import http.client
        conn = http.client.HTTPConnection("127.0.0.1", ready["http_port"], timeout=5)
        conn.request("GET", "/robots.txt", headers={"Host": f"jambikota.go.id:{ready['http_port']}"})
        response = conn.getresponse()
        assert response.status == 200 and response.read().startswith(b"User-agent: *")
        conn.close()
    finally:
        proc.send_signal(signal.SIGTERM)
        stdout, stderr = proc.communicate(timeout=15)
    assert proc.returncode == 0, stderr
    assert "registry: " in stdout and "testbed stopped" in stdout
    assert not (out / "ready").exists()
