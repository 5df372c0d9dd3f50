import sys
from pathlib import Path

# The top-level packages (crawler, spiders, checks, ...) and tests.sitefarm import from the repo root.
ROOT = Path(__file__).resolve().parents[1]
for path in (ROOT, ROOT / "tests"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))
