"""robots.txt obedience that holds when many requests wait for one robots.txt.

Scrapy 2.14 to 2.19 share one Deferred among the requests waiting for a host's
robots.txt; only the first waiters get the parser, the rest receive None and pass as
allowed. An audit seeds home, sitemap, feed and API requests of a site at once, which
is exactly that case. Here every waiter gets its own Deferred.
"""

from __future__ import annotations

from scrapy import signals
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request
from scrapy.http.request import NO_CALLBACK
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred

# Sent with the robots.txt response (or failure) so the pipeline can store it as a page.
robots_fetched = object()


class RobotsPerWaiterMiddleware(RobotsTxtMiddleware):
    def __init__(self, crawler):
        super().__init__(crawler)
        self._waiters: dict[str, list[Deferred]] = {}

    async def robot_parser(self, request: Request):
        url = urlparse_cached(request)
        netloc = url.netloc
        if netloc in self._parsers:
            return self._parsers[netloc]
        if netloc in self._waiters:
            waiter: Deferred = Deferred()
            self._waiters[netloc].append(waiter)
            return await maybe_deferred_to_future(waiter)

        self._waiters[netloc] = []
        robots_request = Request(
            f"{url.scheme}://{netloc}/robots.txt",
            priority=self.DOWNLOAD_PRIORITY,
            meta={"dont_obey_robotstxt": True, **_site_meta(request)},
            callback=NO_CALLBACK,
        )
        parser = None
        try:
            response = await self.crawler.engine.download_async(robots_request)
        except Exception as exc:
            self._stats.inc_value(f"robotstxt/exception_count/{type(exc).__name__}")
            await self._announce(robots_request, None, exc)
        else:
            self._stats.inc_value("robotstxt/response_count")
            self._stats.inc_value(f"robotstxt/response_status_count/{response.status}")
            if response.status < 400:
                parser = self._parserimpl.from_crawler(self.crawler, response.body)
                await self.crawler.signals.send_catch_log_async(
                    signal=signals.robots_parsed, robotparser=parser, request=request
                )
            await self._announce(robots_request, response, None)
        self._stats.inc_value("robotstxt/request_count")
        self._parsers[netloc] = parser
        for waiter in self._waiters.pop(netloc):
            waiter.callback(parser)
        return parser

    def process_request_2(self, rp, request: Request) -> None:
        try:
            super().process_request_2(rp, request)
        except IgnoreRequest:
            raise IgnoreRequest("robots_forbidden: disallowed by robots.txt") from None

    async def _announce(self, request, response, failure) -> None:
        await self.crawler.signals.send_catch_log_async(
            signal=robots_fetched, request=request, response=response, failure=failure
        )


def _site_meta(request: Request) -> dict:
    return {k: v for k, v in request.meta.items() if k == "site_id"}
