"""Scrapy spiders of pantau."""
