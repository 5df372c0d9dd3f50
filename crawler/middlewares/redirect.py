"""Redirects that are never silently lost.

Scrapy's redirected requests pass the duplicate filter again, so a chain that comes
back to a URL already requested (``/`` -> ``/login`` -> ``/``) vanishes without a
trace. Here redirected requests skip the filter, and a chain that revisits one of its
own URLs fails at once as a redirect loop.
"""

from __future__ import annotations

from scrapy.downloadermiddlewares.redirect import RedirectMiddleware

from crawler.errors import Outcome
from crawler.middlewares.scope import Refused


class AuditRedirectMiddleware(RedirectMiddleware):
    def _redirect(self, redirected, request, reason):
        chain = [*request.meta.get("redirect_urls", []), request.url]
        if redirected.url in chain:
            self.crawler.stats.inc_value("redirect/loop")
            raise Refused(Outcome.REDIRECT_LOOP, " -> ".join([*chain, redirected.url]))
        redirected = super()._redirect(redirected, request, reason)
        redirected.dont_filter = True
        return redirected
