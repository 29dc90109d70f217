"""Politeness: robots.txt as RFC 9309 says, and a per-host clock between requests.

Parsing and matching (longest match, Allow wins ties, * and $ wildcards, the group for our
product token) is Protego's, Scrapy's RFC 9309 parser; urllib.robotparser takes the first
matching rule instead and knows no wildcards. What RFC 9309 says about fetching the file is
ours: 2xx is parsed (first 500 KiB), 4xx allows everything, 5xx or an unreachable host
disallows everything for now (asked again next crawl), and a copy is reused at most
settings.crawl_robots_cache_h (<= 24) hours. One request at a time overall (the crawl is a
single loop), so there is never more than one connection per host.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from urllib.parse import urlparse

from protego import Protego

from assistant.settings import Settings
from ingest.crawl.state import CrawlState
from ingest.fetch import ANY_TYPE, FetchError, fetch

ROBOTS_PARSE_LIMIT = 500 * 1024  # RFC 9309 2.5: parse at least 500 KiB; ignore the rest


@dataclass
class Robots:
    host: str
    status: int  # HTTP status of robots.txt; 0 when the host was unreachable
    body: str
    fetched_at: float
    note: str = ""

    def __post_init__(self):
        self.rules = Protego.parse(self.body) if 200 <= self.status < 300 else None

    def can_fetch(self, url: str, agent: str) -> bool:
        if self.rules is not None:
            return self.rules.can_fetch(url, agent)
        return 400 <= self.status < 500  # unavailable: allowed; unreachable: disallowed

    def crawl_delay(self, agent: str) -> float:
        return float(self.rules.crawl_delay(agent) or 0) if self.rules is not None else 0.0

    def sitemaps(self) -> list[str]:
        return list(self.rules.sitemaps) if self.rules is not None else []

    def why_not(self) -> str:
        if self.rules is not None:
            return "disallowed by robots.txt"
        return f"robots.txt unreachable ({self.note}): the host is treated as disallowed for now"


class RobotsRefused(FetchError):
    """A request robots.txt does not allow (raised from a redirect hop too)."""


def robots_url(url: str) -> str:
    parsed = urlparse(url)
    return f"{parsed.scheme}://{parsed.netloc}/robots.txt"


class Politeness:
    """Robots rules per host (cached in the crawl state) and the wait before each request."""

    def __init__(self, settings: Settings, state: CrawlState, sleep=time.sleep):
        self.settings = settings
        self.state = state
        self.sleep = sleep
        self.agent = settings.crawl_robots_agent
        self._robots: dict[str, Robots] = {}
        self._last_request: dict[str, float] = {}

    def robots(self, url: str) -> Robots:
        host = urlparse(url).netloc.lower()
        if host in self._robots:
            return self._robots[host]
        max_age = self.settings.crawl_robots_cache_h * 3600
        cached = self.state.robots(host)
        if cached and time.time() - cached[2] < max_age and cached[0] != 0:
            robots = Robots(host, cached[0], cached[1], cached[2], note="cached")
        else:
            robots = self._fetch_robots(url, host)
        self._robots[host] = robots
        return robots

    def _fetch_robots(self, url: str, host: str) -> Robots:
        where = robots_url(url)
        try:
            got = fetch(where, self.settings, revalidate=True, types=ANY_TYPE,
                        cache_dir=self.settings.crawl_cache_path, before_hop=self.wait,
                        after_hop=self.ended)
            body = got.path.read_bytes()[:ROBOTS_PARSE_LIMIT].decode("utf-8", "replace")
            robots = Robots(host, 200, body, time.time())
        except FetchError as exc:
            if exc.status and 400 <= exc.status < 500:
                robots = Robots(host, exc.status, "", time.time(), note=f"HTTP {exc.status}")
            else:  # 5xx, timeout, refused: unreachable, so disallowed; not cached across runs
                robots = Robots(host, 0, "", time.time(), note=exc.reason)
        self.state.save_robots(host, robots.status, robots.body, robots.fetched_at)
        return robots

    def delay(self, url: str) -> float:
        return max(self.settings.crawl_delay_s, self.robots(url).crawl_delay(self.agent))

    def refusal(self, url: str) -> tuple[str, str]:
        """('', '') when `url` may be fetched now, else (outcome, reason)."""
        robots = self.robots(url)
        if not robots.can_fetch(url, self.agent):
            return "robots", robots.why_not()
        asked = robots.crawl_delay(self.agent)
        if asked > self.settings.crawl_max_delay_s:
            return "robots", (f"robots.txt asks for a crawl-delay of {asked:g} s, above "
                              f"MISSION_CRAWL_MAX_DELAY_S ({self.settings.crawl_max_delay_s:g} s)")
        return "", ""

    def ready_at(self, url: str) -> float:
        """Monotonic time at which the host of `url` may be asked again."""
        host = urlparse(url).netloc.lower()
        last = self._last_request.get(host)
        if last is None:
            return 0.0
        # Only what is known: scheduling never fetches a robots.txt itself.
        delay = self.delay(url) if host in self._robots else self.settings.crawl_delay_s
        return last + delay

    def wait(self, url: str) -> None:
        """Called before every request (each redirect hop and retry): sleep until the host's
        delay has passed since its previous request ended, then note this one."""
        host = urlparse(url).netloc.lower()
        last = self._last_request.get(host)
        if last is not None:
            delay = self.delay(url) if host in self._robots else self.settings.crawl_delay_s
            remaining = last + delay - time.monotonic()
            if remaining > 0:
                self.sleep(remaining)
        self._last_request[host] = time.monotonic()

    def ended(self, url: str) -> None:
        """after_hop: the delay counts from the end of a response, so a slow answer (or
        network latency) never brings two requests closer than the delay at the server."""
        self._last_request[urlparse(url).netloc.lower()] = time.monotonic()

    def gate(self, url: str) -> None:
        """before_hop for documents: robots.txt applies to every hop, redirects included."""
        outcome, reason = self.refusal(url)
        if outcome:
            raise RobotsRefused(url, f"{reason} ({url})")
        self.wait(url)
