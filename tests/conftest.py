import sys
from pathlib import Path

# The top-level packages (crawler, spiders, checks, ...) and tests.sitefarm import from the repo root.
ROOT = Path(__file__).resolve().parents[1]
for path in (ROOT, ROOT / "tests"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))


import datetime as dt  # noqa: E402
import json  # noqa: E402

import pytest  # noqa: E402


@pytest.fixture(scope="session")
def default_world(tmp_path_factory):
    """One crawl of the whole default Jambi world (12 pages a site), scored by the real
    ``pantau crawl``, shared by every test that judges the pipeline against truth.json.
    Tests read it; none writes to it."""
    from crawler.cli_demo import start_testbed, stop_testbed
    from sitefarm import run_pantau
    from storage.db import open_db

    out = tmp_path_factory.mktemp("jambi")
    testbed_dir = out / "testbed"
    testbed_dir.mkdir()
    proc = start_testbed(testbed_dir)
    try:
        db_path = out / "pantau.db"
        imported = run_pantau("sites", "import", str(testbed_dir / "registry.csv"), "--db", str(db_path))
        assert imported.returncode == 0, imported.stderr
        crawled = run_pantau(
            "crawl", "--db", str(db_path), "--hosts-file", str(testbed_dir / "hosts.txt"),
            "--ca-file", str(testbed_dir / "ca.pem"), "--allow-private", "--no-progress", "--max-pages", "12",
            "--set", "AUTOTHROTTLE_ENABLED=False", "--set", "LOG_LEVEL=ERROR", timeout=900)
        assert crawled.returncode == 0, crawled.stdout + crawled.stderr
    finally:
        stop_testbed(proc)
    db = open_db(db_path)
    run_id = db.execute("select max(id) from runs").fetchone()[0]
    finished = db.execute("select finished_at from runs where id = ?", [run_id]).fetchone()[0]
    yield {"db": db, "db_path": db_path, "run_id": run_id,
           "truth": json.loads((testbed_dir / "truth.json").read_text()),
           "sites": {row["host"]: row for row in db.query("select * from sites")},
           "today": dt.date.fromisoformat(finished[:10])}
