"""The baseline of the crawl benchmark: Scrapy downloading a fixed list of URLs, nothing else.

Same concurrency, politeness and resolver as pantau's crawl; no robots, no parsing, no
link following, no items, no storage. Run as a script so it gets its own process and
reactor: ``python -m bench.bare_spider URLS_FILE HOSTS_FILE``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import scrapy
from scrapy.crawler import CrawlerProcess

from crawler.cli_crawl import crawl_settings


class BareSpider(scrapy.Spider):
    name = "bare"

    def __init__(self, urls: list[str], **kwargs):
        super().__init__(**kwargs)
        self.urls = urls

    async def start(self):
        for url in self.urls:
            yield scrapy.Request(url, callback=self.parse, dont_filter=True)

    def parse(self, response):
        return None


def main() -> None:
    urls = Path(sys.argv[1]).read_text().split()
    settings = crawl_settings("/dev/null", {
        "PANTAU_HOSTS_FILE": sys.argv[2],
        "PANTAU_ALLOW_PRIVATE_ADDRESSES": True,
        "ROBOTSTXT_OBEY": False,
        "DOWNLOADER_MIDDLEWARES": {},
        "SPIDER_MIDDLEWARES": {},
        "ITEM_PIPELINES": {},
        "EXTENSIONS": {},
        "AUTOTHROTTLE_START_DELAY": 0.05,
        "LOG_LEVEL": "ERROR",
    })
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(BareSpider)
    process.crawl(crawler, urls=urls)
    process.start()
    print(crawler.stats.get_value("response_received_count", 0))


if __name__ == "__main__":
    main()
