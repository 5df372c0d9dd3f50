"""A terminal progress bar for the crawl (rich), on when PANTAU_PROGRESS is set."""

from __future__ import annotations

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from scrapy import signals
from scrapy.exceptions import NotConfigured


class RichProgress:
    """Shows sites whose home page has been answered (or failed) and pages fetched."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.progress = Progress(
            TextColumn("[bold]crawl"), BarColumn(), MofNCompleteColumn(), TextColumn("sites"),
            TextColumn("{task.fields[pages]} pages"), TimeElapsedColumn(), transient=False,
            console=Console(stderr=True),
        )
        self.task = None
        self.pages = 0
        crawler.signals.connect(self.opened, signal=signals.spider_opened)
        crawler.signals.connect(self.scraped, signal=signals.item_scraped)
        crawler.signals.connect(self.closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("PANTAU_PROGRESS"):
            raise NotConfigured
        return cls(crawler)

    def opened(self, spider):
        self.progress.start()
        self.task = self.progress.add_task("crawl", total=None, pages=0)

    def scraped(self, item, response, spider):
        if "kind" not in item:  # documents and links
            return
        self.pages += 1
        total = self.crawler.stats.get_value("pantau/sites")
        advance = 1 if item["kind"] == "home" else 0
        self.progress.update(self.task, total=total, advance=advance, pages=self.pages)

    def closed(self, spider):
        self.progress.stop()
