"""Scrapy settings for pantau's audit crawl.

Polite and bounded by default. Everything pantau adds is prefixed ``PANTAU_``;
the CLI overrides a few per run (database, run scope, testbed allowances).
"""

BOT_NAME = "pantau"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

USER_AGENT = "pantau/0.1 (+https://github.com/pantau; audit of public go.id websites)"

# Politeness: two requests at a time per host, adaptive delay.
CONCURRENT_REQUESTS = 64
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

# Bounds.
DEPTH_LIMIT = 3
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 0
DOWNLOAD_TIMEOUT = 20
DNS_TIMEOUT = 10
REDIRECT_MAX_TIMES = 10
RETRY_ENABLED = True
RETRY_TIMES = 1
# A site that stays down is a finding, not an error of pantau's: log it quietly.
RETRY_GIVE_UP_LOG_LEVEL = "INFO"
PANTAU_MAX_PAGES_PER_SITE = 30
PANTAU_MAX_DOCUMENTS_PER_SITE = 60
PANTAU_MAX_STYLESHEETS_PER_SITE = 10
PANTAU_MAX_BODY_STORED = 2 * 1024 * 1024

# An auditor must see outages as they are: no HTTP cache (it serves stale 200s
# when a server fails), no cookies (and so no public-suffix download by tldextract).
HTTPCACHE_ENABLED = False
COOKIES_ENABLED = False
HTTPERROR_ALLOW_ALL = True
METAREFRESH_ENABLED = True

# Nothing but http(s); no remote control, no telnet console.
DOWNLOAD_HANDLERS = {"data": None, "file": None, "s3": None, "ftp": None}
REMOTE_CONTROL_ENABLED = False
TELNETCONSOLE_ENABLED = False

# Certificates are judged by pantau itself (crawler.tls) so a broken certificate is
# a finding while the site's content is still audited.
DOWNLOAD_VERIFY_CERTIFICATES = False

ROBOTSTXT_OBEY = True
ROBOTSTXT_PARSER = "scrapy.robotstxt.ProtegoRobotParser"

TWISTED_DNS_RESOLVER = "crawler.resolver.GuardedResolver"
# A hosts file (``127.0.0.1 name`` lines) that replaces DNS entirely: names it does
# not list do not resolve. Used to point go.id names at a local testbed.
PANTAU_HOSTS_FILE = None
# Loopback, private and link-local addresses are refused unless this is set.
PANTAU_ALLOW_PRIVATE_ADDRESSES = False
# Extra CA certificates (PEM) trusted when judging certificate chains.
PANTAU_CA_FILE = None

DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.middlewares.robots.RobotsPerWaiterMiddleware": 100,
    "crawler.middlewares.scope.RegistryScopeMiddleware": 50,
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "crawler.middlewares.redirect.AuditRedirectMiddleware": 600,
}
SPIDER_MIDDLEWARES = {
    "crawler.middlewares.budget.SitePageBudgetMiddleware": 800,
}
ITEM_PIPELINES = {
    "crawler.pipelines.SQLitePipeline": 300,
}
EXTENSIONS = {
    "crawler.progress.RichProgress": 500,
}
PANTAU_PROGRESS = False

LOG_LEVEL = "INFO"
