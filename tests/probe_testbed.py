"""A testbed world served from a background thread, for prober and census tests.

``served_world(world, out_dir)`` starts the world on 127.0.0.1, writes hosts.txt,
registry.csv and ca.pem to ``out_dir`` (not truth.json: a 548-site truth takes long to
compute and these tests do not read it) and stops the server on exit.
"""

from __future__ import annotations

import asyncio
import contextlib
import csv
import io
import subprocess
import sys
import threading
from pathlib import Path

from testbed.server import REGISTRY_COLUMNS, Testbed, start_testbed
from testbed.world import World

REPO = Path(__file__).resolve().parents[1]


@contextlib.contextmanager
def served_world(world: World, out_dir: Path):
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    testbed: Testbed = asyncio.run_coroutine_threadsafe(start_testbed(world), loop).result(60)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / "hosts.txt").write_text(testbed.hosts_file_text(), encoding="utf-8")
        (out_dir / "ca.pem").write_bytes(testbed.ca_cert_pem)
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=REGISTRY_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(testbed.registry_rows())
        (out_dir / "registry.csv").write_text(buffer.getvalue(), encoding="utf-8")
        yield testbed
    finally:
        asyncio.run_coroutine_threadsafe(_shutdown(testbed), loop).result(30)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()


async def _shutdown(testbed: Testbed) -> None:
    await testbed.close()
    # Handlers still sleeping for a slow site are cancelled, not left pending at exit.
    tasks = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


def pantau(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """The real command line, in a child process."""
    return subprocess.run([sys.executable, "-m", "crawler.cli", *args], cwd=REPO, capture_output=True, text=True,
                          timeout=timeout)


def pantau_here(*args: str) -> subprocess.CompletedProcess:
    """The real command line run in this process (no interpreter start-up), with the same
    result shape as ``pantau``."""
    from click.testing import CliRunner

    from crawler.cli import main

    result = CliRunner().invoke(main, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return subprocess.CompletedProcess(args, result.exit_code, result.stdout, result.stderr)
