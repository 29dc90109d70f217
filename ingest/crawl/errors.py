"""The crawl's one error type: a reason a user can act on (bad source list, bad URL)."""


class CrawlError(ValueError):
    pass
