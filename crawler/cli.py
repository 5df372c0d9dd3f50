"""The ``pantau`` command line.

Each subcommand group lives beside the code it drives; this module only assembles them.
"""

from __future__ import annotations

import click

from crawler.cli_crawl import crawl, score
from crawler.cli_db import db_group
from crawler.cli_demo import demo
from crawler.cli_explain import explain
from crawler.cli_probe import probe
from crawler.cli_schedule import schedule
from crawler.cli_serve import serve
from crawler.cli_sites import sites
from exporter.cli_report import report
from testbed.cli import testbed


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="pantau")
def main() -> None:
    """pantau watches Indonesian regional-government websites: crawls them, scores them,
    and lists the agencies that lag."""


main.add_command(sites)
main.add_command(crawl)
main.add_command(probe)
main.add_command(score)
main.add_command(report)
main.add_command(testbed)
main.add_command(db_group)
main.add_command(demo)
main.add_command(explain)
main.add_command(serve)
main.add_command(schedule)

if __name__ == "__main__":
    main()
