"""The systemd units and the documents say what the code does."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from stack import DEPLOY, REPO, require_tools

from crawler.cli_serve import serve
from exporter.metrics import FAMILIES, metric_names

SYSTEMD = DEPLOY / "systemd"
DOCS = REPO / "docs"


def unit_values(path: Path, key: str) -> list[str]:
    """Every value of ``key`` in a unit file, continuation lines joined; an empty value resets."""
    text = re.sub(r"\\\n\s*", " ", path.read_text(encoding="utf-8"))
    return [m.group(1).strip() for m in re.finditer(rf"^{key}=(.*)$", text, flags=re.M)]


def verify(unit_dir: Path, unit: str) -> subprocess.CompletedProcess:
    return subprocess.run(["systemd-analyze", "verify", unit], cwd=unit_dir, capture_output=True, text=True,
                          timeout=60)


@pytest.fixture(scope="module", autouse=True)
def tools():
    require_tools()
    if shutil.which("systemd-analyze") is None:
        pytest.fail("systemd-analyze not installed (package systemd)", pytrace=False)


def test_the_exporter_unit_is_valid_and_runs_pantau_serve_with_options_it_accepts(tmp_path):
    unit = SYSTEMD / "pantau-exporter.service"
    (exec_start,) = unit_values(unit, "ExecStart")
    program, *args = shlex.split(exec_start)
    assert program == "/srv/pantau/.venv/bin/pantau" and args[0] == "serve"
    serve.make_context("serve", args[1:])  # raises on an option `pantau serve` does not know
    environment = dict(v.split("=", 1) for v in unit_values(unit, "Environment"))
    assert set(environment) == {"PANTAU_DB", "PANTAU_LAGGING_BELOW", "PANTAU_STALE_AFTER_DAYS"}
    assert {p.envvar for p in serve.params if p.envvar} >= set(environment)
    # systemd's own check, with the program where this checkout has it.
    local = tmp_path / unit.name
    local.write_text(unit.read_text().replace("/srv/pantau/.venv/bin/pantau", str(REPO / ".venv" / "bin" / "pantau")))
    result = verify(tmp_path, unit.name)
    assert (result.returncode, result.stderr) == (0, ""), result.stderr


@pytest.mark.parametrize("service, program", [
    ("prometheus.service", "prometheus"),
    ("prometheus-alertmanager.service", "prometheus-alertmanager"),
])
def test_the_drop_ins_fit_debians_units_and_use_flags_the_programs_have(tmp_path, service, program):
    debian = Path("/lib/systemd/system") / service
    assert debian.exists(), f"{debian}: install Debian's {program} package"
    shutil.copy(debian, tmp_path / service)
    (tmp_path / f"{service}.d").mkdir()
    drop_in = SYSTEMD / f"{service}.d" / "pantau.conf"
    shutil.copy(drop_in, tmp_path / f"{service}.d" / "pantau.conf")
    result = verify(tmp_path, service)
    assert (result.returncode, result.stderr) == (0, ""), result.stderr
    starts = unit_values(drop_in, "ExecStart")
    assert starts[0] == ""  # replaces Debian's ExecStart instead of adding a second one
    shown = subprocess.run([program, "--help"], capture_output=True, text=True)
    help_text = shown.stdout + shown.stderr
    for flag in re.findall(r"(--[a-z.-]+)=", starts[1]):
        assert f"{flag}=" in help_text, flag
    assert "127.0.0.1:" in starts[1]


def test_the_alertmanager_drop_in_renders_the_config_it_starts_with():
    drop_in = SYSTEMD / "prometheus-alertmanager.service.d" / "pantau.conf"
    (pre,) = unit_values(drop_in, "ExecStartPre")
    python, script, source, dest = shlex.split(pre)
    assert Path(script).name == "render_config.py" and (DEPLOY / "alertmanager" / Path(script).name).exists()
    assert Path(source).name == "alertmanager.yml"
    assert f"--config.file={dest}" in unit_values(drop_in, "ExecStart")[1]
    credentials = {v.split(":")[0] for v in unit_values(drop_in, "LoadCredential")}
    config = (DEPLOY / "alertmanager" / "alertmanager.yml").read_text(encoding="utf-8")
    placeholders = set(re.findall(r"\$\{secret(?:_path)?:(\w+)\}", "\n".join(
        line for line in config.splitlines() if not line.lstrip().startswith("#"))))
    assert placeholders == credentials == {"telegram_bot_token", "smtp_password"}


def test_every_metric_family_is_documented_with_its_labels():
    doc = (DOCS / "metrics.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `(pantau_\w+)` \|\s*([^|]*?)\s*\|", doc, flags=re.M))
    assert list(rows) == metric_names()
    for spec in FAMILIES:
        assert [label.strip() for label in rows[spec.name].split(",") if label.strip()] == list(spec.labels)


def test_every_serve_option_is_documented():
    doc = (DOCS / "metrics.md").read_text(encoding="utf-8")
    for param in serve.params:
        if param.name == "help":
            continue
        assert f"| `{param.opts[0]}` |" in doc, param.opts[0]
        if param.envvar:
            assert f"`{param.envvar}`" in doc, param.envvar
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "`pantau serve`" in readme and "docs/deployment.md" in readme


def test_the_deployment_guide_names_every_file_it_installs():
    guide = (DOCS / "deployment.md").read_text(encoding="utf-8")
    for path in ("deploy/systemd/pantau-exporter.service", "deploy/prometheus/",
                 "deploy/systemd/prometheus.service.d/pantau.conf", "deploy/alertmanager/",
                 "deploy/systemd/prometheus-alertmanager.service.d/pantau.conf", "deploy/grafana/provisioning/",
                 "deploy/grafana/dashboards/*.json"):
        assert f"`{path}`" in guide, path
        assert list(REPO.glob(path.rstrip("/"))), path


def test_the_check_ids_the_runbooks_name_exist():
    from checks import CHECKS

    named = set(re.findall(r"`((?:availability|accessibility|interaction|freshness)\.\w+)`",
                           (DOCS / "runbooks.md").read_text(encoding="utf-8")))
    assert named and named <= set(CHECKS), named - set(CHECKS)
