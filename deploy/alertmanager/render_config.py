#!/usr/bin/env python3
"""Write Alertmanager's runtime configuration with its secrets filled in from files.

    render_config.py SOURCE DEST --secrets-dir DIR

In SOURCE (outside comment lines), ``${secret:NAME}`` becomes the content of ``DIR/NAME`` (without its trailing
newline) and ``${secret_path:NAME}`` becomes that file's absolute path; relative
``templates`` globs are made absolute against SOURCE's directory so DEST can live
elsewhere (a tmpfs runtime directory). DEST is written with mode 0600, atomically.
A placeholder whose file is missing or empty is an error and DEST is left alone.

Only the standard library: it runs as ``ExecStartPre`` of Alertmanager's unit.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
from pathlib import Path

PLACEHOLDER = re.compile(r"\$\{(secret|secret_path):([A-Za-z0-9_.-]+)\}")
TEMPLATES_BLOCK = re.compile(r"^templates:\n((?:[ \t]+-[^\n]*\n)+)", re.MULTILINE)


class RenderError(Exception):
    pass


def fill_secrets(text: str, secrets_dir: Path) -> str:
    def replace(match: re.Match) -> str:
        kind, name = match.groups()
        path = (secrets_dir / name).resolve()
        if not path.is_file():
            raise RenderError(f"secret {name!r}: no file {path}")
        if kind == "secret_path":
            return str(path)
        value = path.read_text(encoding="utf-8").rstrip("\r\n")
        if not value:
            raise RenderError(f"secret {name!r}: {path} is empty")
        if any(c in value for c in "\"\\\n"):
            raise RenderError(f"secret {name!r}: {path} holds a quote, backslash or line break")
        return value

    # Comment lines may mention the placeholders; only values are filled.
    return "".join(line if line.lstrip().startswith("#") else PLACEHOLDER.sub(replace, line)
                   for line in text.splitlines(keepends=True))


def absolute_templates(text: str, base: Path) -> str:
    """Make each relative path in the top-level ``templates:`` list absolute against ``base``."""
    def fix_block(block: re.Match) -> str:
        lines = []
        for line in block.group(1).splitlines(keepends=True):
            indent, _, value = line.partition("-")
            path = value.strip().strip("'\"")
            if path and not path.startswith("/"):
                path = str((base / path).resolve())
            lines.append(f'{indent}- "{path}"\n')
        return "templates:\n" + "".join(lines)

    return TEMPLATES_BLOCK.sub(fix_block, text)


def render(source: Path, secrets_dir: Path) -> str:
    text = source.read_text(encoding="utf-8")
    return absolute_templates(fill_secrets(text, secrets_dir), source.resolve().parent)


def write_private(dest: Path, text: str) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("dest", type=Path)
    parser.add_argument("--secrets-dir", type=Path, default=Path(os.environ.get("CREDENTIALS_DIRECTORY", ".")),
                        help="directory of secret files (default: $CREDENTIALS_DIRECTORY)")
    args = parser.parse_args(argv)
    try:
        write_private(args.dest, render(args.source, args.secrets_dir))
    except (RenderError, OSError) as exc:
        print(f"render_config: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
