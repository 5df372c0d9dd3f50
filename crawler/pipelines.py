"""Write what the audit spider yields into SQLite.

One writer: this pipeline. It opens the run row when the spider opens, buffers items
and writes them in batches inside transactions, stores robots.txt responses announced
by the robots middleware, and closes the run with Scrapy's stats.
"""

from __future__ import annotations

import hashlib
import json
import zlib

from crawler.classify import classify_failure, classify_status
from crawler.middlewares.robots import robots_fetched
from storage.db import open_db, utcnow

BATCH = 200


class SQLitePipeline:
    def __init__(self, crawler, db_path: str):
        self.crawler = crawler
        self.db_path = db_path
        self.buffers: dict[str, list[dict]] = {"pages": [], "documents": [], "links": []}
        crawler.signals.connect(self.on_robots_fetched, signal=robots_fetched)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler, crawler.settings.get("PANTAU_DB"))

    def open_spider(self, spider=None):
        spider = spider or self.crawler.spider
        self.db = open_db(self.db_path)
        settings = self.crawler.settings
        recorded = {k: settings.get(k) for k in (
            "DEPTH_LIMIT", "PANTAU_MAX_PAGES_PER_SITE", "PANTAU_MAX_DOCUMENTS_PER_SITE",
            "CONCURRENT_REQUESTS_PER_DOMAIN", "DOWNLOAD_TIMEOUT", "ROBOTSTXT_OBEY",
            "PANTAU_HOSTS_FILE", "PANTAU_ALLOW_PRIVATE_ADDRESSES")}
        self.run_id = self.db["runs"].insert(
            {"kind": "crawl", "started_at": utcnow(), "status": "running",
             "settings": json.dumps(recorded, default=str)}
        ).last_pk
        spider.run_id = self.run_id

    def process_item(self, item, spider=None):
        kind = item.pop("_type")
        item["run_id"] = self.run_id
        if kind == "page":
            text = item.pop("text", None)
            item["body"] = zlib.compress(text.encode("utf-8")) if text else None
            if item.get("tls") is not None:
                item["tls"] = json.dumps(item["tls"])
            self.buffers["pages"].append(item)
        elif kind == "document":
            self.buffers["documents"].append(item)
        elif kind == "link":
            self.buffers["links"].append(item)
        if sum(len(b) for b in self.buffers.values()) >= BATCH:
            self.flush()
        return item

    def flush(self) -> None:
        with self.db.conn:
            for table, rows in self.buffers.items():
                if not rows:
                    continue
                if table == "links":
                    self.db[table].insert_all(rows)
                else:
                    # A URL reached twice in one run (e.g. through a redirect) keeps its first record.
                    self.db[table].insert_all(rows, ignore=True, alter=False)
                rows.clear()

    def on_robots_fetched(self, request, response, failure):
        site_id = request.meta.get("site_id")
        if site_id is None:
            return
        row = {"_type": "page", "site_id": site_id, "url": request.url, "final_url": request.url,
               "kind": "robots", "depth": 0, "fetched_at": utcnow()}
        if response is not None:
            body = response.body or b""
            row.update(
                final_url=response.url, status=response.status,
                error_class=classify_status(response.status).value, bytes=len(body),
                content_type=(response.headers.get(b"Content-Type") or b"").decode("latin-1") or None,
                content_hash=hashlib.sha256(body).hexdigest() if body else None,
                text=body.decode("utf-8", "replace") if response.status < 400 else None,
            )
        else:
            outcome, detail = classify_failure(failure, request.meta)
            row.update(error_class=outcome.value, error_detail=detail[:500])
        self.process_item(row)

    def close_spider(self, spider=None):
        self.flush()
        stats = self.crawler.stats.get_stats()
        self.db["runs"].update(
            self.run_id,
            {"finished_at": utcnow(), "status": "finished", "stats": json.dumps(stats, default=str)},
        )
        self.db.close()
