"""Scrapy middlewares that keep the audit crawl correct, bounded and in scope."""
