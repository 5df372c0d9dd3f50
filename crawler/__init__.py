"""pantau's crawler: CLI, Scrapy settings, middlewares, pipelines and scoring glue."""
