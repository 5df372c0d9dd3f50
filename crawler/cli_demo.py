"""``pantau demo``: the whole pipeline on the local testbed, in one command."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import click

# The testbed is on loopback: no need to wait a second between requests to warm up.
TESTBED_CRAWL_SETTINGS = {"AUTOTHROTTLE_START_DELAY": 0.05, "DOWNLOAD_TIMEOUT": 10, "LOG_LEVEL": "ERROR"}


def start_testbed(out_dir: Path, world: str | None = None, timeout: float = 60.0,
                  extra_args: tuple[str, ...] = ()) -> subprocess.Popen:
    """Start ``pantau testbed serve`` in a child process and wait until it is ready."""
    ready = out_dir / "ready"
    ready.unlink(missing_ok=True)
    cmd = [sys.executable, "-m", "crawler.cli", "testbed", "serve", "--out", str(out_dir)]
    if world:
        cmd += ["--world", world]
    cmd += list(extra_args)
    log = open(out_dir / "testbed.log", "w")
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + timeout
    while not ready.exists():
        if proc.poll() is not None:
            raise click.ClickException(f"the testbed exited with code {proc.returncode}; see {log.name}")
        if time.monotonic() > deadline:
            stop_testbed(proc)
            raise click.ClickException(f"the testbed was not ready within {timeout:.0f} s; see {log.name}")
        time.sleep(0.1)
    return proc


def stop_testbed(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


@click.command()
@click.option("--out", "out_dir", default="var/demo", show_default=True, type=click.Path(file_okay=False),
              help="Directory for the testbed files, the database and the report.")
@click.option("--world", type=click.Path(exists=True, dir_okay=False), help="World file (default: Jambi).")
@click.option("--max-pages", type=int, default=30, show_default=True, help="Page budget per site.")
def demo(out_dir, world, max_pages):
    """Start the testbed, crawl and score it, and print the lag list (fresh database each time)."""
    from crawler.cli_crawl import run_crawl
    from crawler.registry import import_file
    from crawler.score import score_run
    from exporter.lag import write_lag_report
    from storage.db import open_db

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    db_path = out / "pantau.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)

    testbed_dir = out / "testbed"
    testbed_dir.mkdir(exist_ok=True)
    click.echo(f"starting the testbed ({world or 'default Jambi world'}) ...")
    proc = start_testbed(testbed_dir, world)
    try:
        db = open_db(db_path)
        result = import_file(db, testbed_dir / "registry.csv")
        db.close()
        click.echo(f"registry: {result}")
        settings = {
            **TESTBED_CRAWL_SETTINGS,
            "PANTAU_HOSTS_FILE": str((testbed_dir / "hosts.txt").resolve()),
            "PANTAU_CA_FILE": str((testbed_dir / "ca.pem").resolve()),
            "PANTAU_ALLOW_PRIVATE_ADDRESSES": True,
            "PANTAU_MAX_PAGES_PER_SITE": max_pages,
            "PANTAU_PROGRESS": sys.stderr.isatty(),
        }
        click.echo("crawling ...")
        run_id = run_crawl(str(db_path), settings)
    finally:
        stop_testbed(proc)
    db = open_db(db_path)
    scored = score_run(db, run_id)
    click.echo(f"scored {scored} sites of run {run_id}")
    report_path = write_lag_report(db, run_id=run_id, out_dir=out / "reports", console=True, top=25)
    click.echo(f"database: {db_path.resolve()}")
    click.echo(f"report:   {Path(report_path).resolve()}")
