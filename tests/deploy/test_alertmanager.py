"""Alertmanager side of the deployment: the shipped configuration, its routing, its Indonesian
notification templates and the secrets it never contains."""

from __future__ import annotations

import json
import re
import stat
import subprocess
import sys

import pytest
import yaml
from stack import DEPLOY, require_tools

ALERTMANAGER = DEPLOY / "alertmanager"
CONFIG = ALERTMANAGER / "alertmanager.yml"
RENDER = ALERTMANAGER / "render_config.py"


@pytest.fixture(scope="module", autouse=True)
def tools():
    require_tools()


def amtool(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["amtool", *args], capture_output=True, text=True, timeout=60)


@pytest.fixture
def secrets(tmp_path):
    folder = tmp_path / "credentials"
    folder.mkdir()
    (folder / "telegram_bot_token").write_text("110201543:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw\n")
    (folder / "smtp_password").write_text("rahasia\n")
    return folder


def render(source, dest, secrets_dir) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(RENDER), str(source), str(dest), "--secrets-dir", str(secrets_dir)],
                          capture_output=True, text=True, timeout=30)


def test_the_shipped_config_is_valid_and_holds_no_secret():
    result = amtool("check-config", str(CONFIG))
    assert result.returncode == 0 and "SUCCESS" in result.stdout, result.stdout + result.stderr
    config = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    tokens = [c["bot_token"] for r in config["receivers"] for c in r.get("telegram_configs", [])]
    assert tokens and set(tokens) == {"${secret:telegram_bot_token}"}
    assert config["global"]["smtp_auth_password_file"] == "${secret_path:smtp_password}"
    assert not re.search(r"auth_password:|\d{6,}:[A-Za-z0-9_-]{20,}", CONFIG.read_text(encoding="utf-8"))


@pytest.mark.parametrize("labels, receivers", [
    # The lag alert: the Sekda's secretariat, then on to the pemda's own Diskominfo.
    (["alertname=PantauOpdLagging", "region=15.71", "unit=3"], "sekretariat-daerah,diskominfo-jambi"),
    # Outside the pemda routes the secretariat alone (a matched child route replaces the default).
    (["alertname=PantauOpdLagging", "region=16", "unit=40"], "sekretariat-daerah"),
    (["alertname=PantauSiteDown", "region=15.02", "unit=7", "site=70"], "diskominfo-jambi"),
    (["alertname=PantauSiteDown", "region=15", "unit=1", "site=10"], "diskominfo-jambi"),
    (["alertname=PantauSiteDown", "region=16", "unit=40", "site=400"], "diskominfo-pusat"),
    (["alertname=PantauSiteDown", "region=150", "unit=40", "site=400"], "diskominfo-pusat"),
    (["alertname=PantauExporterDown", "job=pantau"], "operator"),
    (["alertname=PantauCrawlNotRun"], "operator"),
])
def test_alerts_are_routed_to_the_right_people(labels, receivers):
    result = amtool("config", "routes", "test", f"--config.file={CONFIG}", *labels)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == receivers


def test_notifications_are_grouped_by_region_and_unit():
    route = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))["route"]
    assert route["group_by"] == ["region", "unit"]
    lag = next(r for r in route["routes"] if r["matchers"] == ['alertname="PantauOpdLagging"'])
    assert lag["group_by"] == ["region"] and lag["continue"] is True


def test_render_fills_secrets_from_files_into_a_private_valid_config(tmp_path, secrets):
    dest = tmp_path / "run" / "alertmanager.yml"
    result = render(CONFIG, dest, secrets)
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(dest.stat().st_mode) == 0o600
    config = yaml.safe_load(dest.read_text(encoding="utf-8"))
    tokens = {c["bot_token"] for r in config["receivers"] for c in r.get("telegram_configs", [])}
    assert tokens == {"110201543:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"}
    assert config["global"]["smtp_auth_password_file"] == str(secrets / "smtp_password")
    assert config["templates"] == [str(ALERTMANAGER / "templates" / "*.tmpl")]
    checked = amtool("check-config", str(dest))
    assert checked.returncode == 0 and " - 1 templates" in checked.stdout, checked.stdout + checked.stderr


@pytest.mark.parametrize("prepare, message", [
    (lambda d: (d / "telegram_bot_token").unlink(), "secret 'telegram_bot_token': no file"),
    (lambda d: (d / "telegram_bot_token").write_text("\n"), "secret 'telegram_bot_token':"),
    (lambda d: (d / "telegram_bot_token").write_text('abc"def'), "holds a quote, backslash or line break"),
    (lambda d: (d / "smtp_password").unlink(), "secret 'smtp_password': no file"),
])
def test_render_refuses_missing_or_unsafe_secrets_and_leaves_no_file(tmp_path, secrets, prepare, message):
    prepare(secrets)
    dest = tmp_path / "run" / "alertmanager.yml"
    result = render(CONFIG, dest, secrets)
    assert result.returncode == 1 and message in result.stderr, result.stderr
    assert not dest.exists()


def test_the_indonesian_templates_render_a_notification(tmp_path):
    data = {"status": "firing", "receiver": "diskominfo-jambi", "groupLabels": {"region": "15", "unit": "2"},
            "commonLabels": {"alertname": "PantauSiteDown", "region": "15", "unit": "2",
                             "unit_name": "Dinas Pendidikan & Kebudayaan"},
            "commonAnnotations": {}, "externalURL": "http://127.0.0.1:9093",
            "alerts": [{"status": "firing", "labels": {"alertname": "PantauSiteDown"},
                        "annotations": {"summary": "Situs disdik.jambiprov.go.id tidak dapat diakses",
                                        "description": "Lebih dari 15 menit <tanpa> jawaban.",
                                        "runbook_url": "https://example.invalid/runbooks.md#pantausitedown"},
                        "startsAt": "2026-11-23T10:00:00Z", "endsAt": "0001-01-01T00:00:00Z",
                        "generatorURL": "", "fingerprint": "1"}]}
    data_file = tmp_path / "data.json"
    data_file.write_text(json.dumps(data))
    glob = str(ALERTMANAGER / "templates" / "*.tmpl")

    def template(text: str, kind: str = "text") -> str:
        result = amtool("template", "render", f"--template.glob={glob}", f"--template.text={text}",
                        f"--template.data={data_file}", f"--template.type={kind}")
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    assert template('{{ template "pantau.subject" . }}') == (
        "[pantau AKTIF] 1 peringatan: Dinas Pendidikan & Kebudayaan")
    message = template('{{ template "pantau.telegram.message" . }}')
    assert message.startswith("<b>[pantau AKTIF] 1 peringatan: Dinas Pendidikan &amp; Kebudayaan</b>")
    assert "<b>Situs disdik.jambiprov.go.id tidak dapat diakses</b>" in message
    assert "Lebih dari 15 menit &lt;tanpa&gt; jawaban." in message
    assert '<a href="https://example.invalid/runbooks.md#pantausitedown">Panduan penanganan</a>' in message
    html = template('{{ template "pantau.email.html" . }}', "html")
    assert '<html lang="id">' in html and "Lebih dari 15 menit &lt;tanpa&gt; jawaban." in html
