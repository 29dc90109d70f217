"""A small publisher's site on loopback for the crawler's tests: one per test session.

Served by http.server in a thread at 127.0.0.1 and reached as http://site.test:PORT through
settings.fetch_resolve (no /etc/hosts entry needed), with exactly that host:port permitted to
be private. Pages are real saved articles from ../shared/data/html-extraction (their own links
and canonical tags removed) plus generated index pages, robots.txt with a disallowed path and
a crawl-delay, a sitemap index, an Atom feed with a tracking-parameter link, a PDF report, a
print view and a mirror of one article, a redirect chain and loop, a slow page, an oversized
page, a script-only shell page and out-of-scope links. Every 200 carries an ETag and
Last-Modified and If-None-Match gets 304. Each request is logged with its time and status.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import textwrap
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import lxml.html

from evals.tune.near_duplicates import print_view
from tests.conftest import SHARED

HOST = "site.test"
CRAWL_DELAY_S = 0.15  # robots.txt Crawl-delay; the tests' own crawl_delay_s (0.05) is lower
EXTRACTION = SHARED / "data" / "html-extraction"
# slug -> id in ground-truth.jsonl: five short articles, so the index stays tiny.
ARTICLES = {
    "moon-map": "359fee228518d55b921194561e9ca88e428df81940246f8fac7a75398377daea",
    "star-trek": "785affa2c34e6e4844ef080e98e1a1e532eeeb671bdacebfb9e98ad7320ff382",
    "wework": "1ace8c85aaee21b9d4505eca506d50c4721c29db62848b567a9703bfe0583892",
    "yovanovitch": "8380689f358c1e3a0f6fca6e11ed13e5304a74060139f7a584347db213950446",
    "oil": "57d46c9d751e3fd3ffaf3ede7ac20cebd30eacb5ea78e1a6aa0a72059244e7ca",
}
REPORT_TEXT = (
    "Rivertown retrofit mission: annual report 2024. "
    "The Rivertown retrofit mission insulated 4,200 homes in 2024, using a public heat "
    "pump procurement that pooled demand across twelve housing associations. "
    "The mission board measured a 31 percent fall in household heating bills."
)
LAST_MODIFIED = "Mon, 18 Nov 2024 10:00:00 GMT"
# Other names for the same server whose robots.txt answers with an error (RFC 9309 cases).
ROBOTS_STATUS = {"norobots.test": 404, "brokenrobots.test": 503}


def _ground_truth(article_id: str) -> str:
    for line in (EXTRACTION / "ground-truth.jsonl").open(encoding="utf-8"):
        row = json.loads(line)
        if row["id"] == article_id:
            return row["articleBody"]
    raise KeyError(article_id)


def _article(article_id: str, canonical: str = "") -> bytes:
    """A saved page with its links, scripts and canonical tags removed (they point at the
    original publisher), optionally with our own canonical link."""
    tree = lxml.html.fromstring((EXTRACTION / "html" / f"{article_id}.html").read_bytes())
    for element in tree.xpath("//script|//link[@rel='canonical']|//link[@rel='alternate']"):
        element.getparent().remove(element)
    for anchor in tree.xpath("//a[@href]"):
        del anchor.attrib["href"]
    if canonical:
        head = tree.find("head")
        head.append(lxml.html.fromstring(f'<link rel="canonical" href="{canonical}">'))
    return lxml.html.tostring(tree, encoding="utf-8", doctype="<!DOCTYPE html>")


def _page(title: str, body: str) -> bytes:
    return (f"<!DOCTYPE html><html><head><title>{title}</title></head>"
            f"<body>{body}</body></html>").encode()


def _pdf() -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle("Rivertown retrofit mission annual report 2024")
    y = 800
    for sentence in re.split(r"(?<=\.) ", REPORT_TEXT):
        for line in textwrap.wrap(sentence, 90):
            pdf.drawString(50, y, line)
            y -= 16
    pdf.save()
    return buffer.getvalue()


@dataclass
class Logged:
    at: float  # time.monotonic() when the request arrived
    path: str
    status: int
    host: str
    conditional: bool


@dataclass
class CrawlSite:
    port: int = 0
    resources: dict = field(default_factory=dict)  # path -> (status, content type, body)
    log: list[Logged] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def base(self) -> str:
        return f"http://{HOST}:{self.port}"

    def url(self, path: str) -> str:
        return self.base + path

    def settings_overrides(self) -> dict:
        """Settings that point the crawler at this site, and only it, with the guard on."""
        return {"fetch_resolve": {HOST: "127.0.0.1"},
                "fetch_private_hosts": (f"{HOST}:{self.port}",),
                "fetch_timeout_s": 1.0, "fetch_max_mb": 1.0, "fetch_retries": 0,
                "crawl_delay_s": 0.05, "crawl_ingest_batch": 3}

    def settings_env(self) -> dict[str, str]:
        """The same, as environment variables for another process (the CLI, the app)."""
        return {f"MISSION_{k.upper()}": v if isinstance(v, str) else json.dumps(v)
                for k, v in self.settings_overrides().items()}

    def mark(self) -> int:
        """Position in the log, to look at the requests made after it."""
        with self.lock:
            return len(self.log)

    def since(self, mark: int) -> list[Logged]:
        with self.lock:
            return list(self.log[mark:])

    def set(self, path: str, body: bytes, ctype: str = "text/html") -> None:
        self.resources[path] = (200, ctype, body)

    def build(self) -> None:
        b = self.base
        robots = (f"User-agent: *\nDisallow: /private/\nCrawl-delay: {CRAWL_DELAY_S}\n\n"
                  f"Sitemap: {b}/sitemap_index.xml\n")
        self.set("/robots.txt", robots.encode(), "text/plain")
        self.set("/sitemap_index.xml", (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<sitemap><loc>{b}/sitemap-posts.xml</loc></sitemap>"
            f"<sitemap><loc>{b}/sitemap-reports.xml</loc></sitemap></sitemapindex>").encode(),
            "application/xml")
        urlset = ('<?xml version="1.0" encoding="UTF-8"?>'
                  '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{}</urlset>')
        self.set("/sitemap-posts.xml", urlset.format("".join(
            f"<url><loc>{b}{p}</loc></url>" for p in
            ["/posts/moon-map", "/posts/star-trek", "/posts/wework", "/private/draft"])).encode(),
            "application/xml")
        self.set("/sitemap-reports.xml", urlset.format(
            f"<url><loc>{b}/reports/</loc></url>").encode(), "application/xml")
        self.set("/feed.xml", (
            '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f'<title>Site test</title><link href="{b}/feed.xml" rel="self"/>'
            + "".join(f'<entry><title>{t}</title><link href="{b}{p}"/></entry>' for t, p in [
                ("WeWork", "/posts/wework?utm_source=rss&amp;utm_medium=feed"),
                ("Yovanovitch", "/posts/yovanovitch"), ("Oil", "/posts/oil")])
            + "</feed>").encode(), "application/atom+xml")
        links = "".join(f'<li><a href="{p}">{t}</a></li>' for p, t in [
            ("/posts/", "All posts"), ("/reports/", "Reports"),
            ("/redirect-chain", "Moved post"), ("/loop-a", "Loop"), ("/slow", "Slow page"),
            ("/big", "Big page"), ("/js-app", "Our app"), ("/tag/news", "News tag"),
            ("/private/secret", "Private"), ("http://elsewhere.test/page", "Elsewhere"),
            ("/posts/moon-map/print", "Print the moon map"),
            ("/mirror/moon-map", "Moon map (mirror)")])
        self.set("/", _page("Site test", '<link rel="alternate" type="application/atom+xml" '
                            f'href="/feed.xml"><h1>Site test</h1><ul>{links}</ul>'))
        self.set("/posts/", _page("Posts", "<ul>" + "".join(
            f'<li><a href="/posts/{slug}">{slug}</a></li>' for slug in ARTICLES) + "</ul>"))
        for slug, article_id in ARTICLES.items():
            self.set(f"/posts/{slug}", _article(article_id))
        moon_text = _ground_truth(ARTICLES["moon-map"])
        self.set("/posts/moon-map/print", print_view(moon_text).encode())
        self.set("/mirror/moon-map", _article(ARTICLES["moon-map"],
                                              canonical=f"{b}/posts/moon-map"))
        self.set("/reports/", _page("Reports", '<h1>Reports</h1><p><a href="/files/'
                                    'rivertown-2024.pdf">Rivertown retrofit mission annual '
                                    'report 2024</a></p>'))
        self.set("/files/rivertown-2024.pdf", _pdf(), "application/pdf")
        self.set("/js-app", _page("Our app", '<div id="root"></div><noscript>You need to '
                                  'enable JavaScript to run this app.</noscript>'
                                  '<script src="/static/app.js"></script>'))
        self.set("/big", b"<html><body><p>" + b"x" * 3_000_000 + b"</p></body></html>")
        self.set("/tag/news", _page("News", "<p>tag page</p>"))
        self.set("/private/secret", _page("Secret", "<p>secret</p>"))
        self.set("/private/draft", _page("Draft", "<p>draft</p>"))


class _Handler(BaseHTTPRequestHandler):
    site: CrawlSite

    def log_message(self, *args):
        pass

    def _log(self, status: int) -> None:
        with self.site.lock:
            self.site.log.append(Logged(self.arrived, self.path, status,
                                        self.headers.get("Host", ""),
                                        "If-None-Match" in self.headers))

    def _send(self, status: int, body: bytes = b"", ctype: str = "text/html",
              headers: dict | None = None) -> None:
        self._log(status)
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (the slow and the oversized page): that is the point

    def do_GET(self):
        self.arrived = time.monotonic()
        path = urlsplit(self.path).path
        host = self.headers.get("Host", "").split(":")[0]
        if host in ROBOTS_STATUS and path == "/robots.txt":  # hosts with a robots.txt problem
            return self._send(ROBOTS_STATUS[host], b"robots", "text/plain")
        redirects = {"/redirect-chain": "/r/2", "/r/2": "/posts/oil",
                     "/loop-a": "/loop-b", "/loop-b": "/loop-a"}
        if path in redirects:
            return self._send(301 if path == "/redirect-chain" else 302,
                              headers={"Location": redirects[path]})
        if path == "/slow":
            time.sleep(2.0)  # longer than the tests' fetch_timeout_s
            return self._send(200, _page("Slow", "<p>finally</p>"))
        if path.startswith("/hop/"):  # /hop/<anything> redirects to the query's target
            return self._send(302, headers={"Location": urlsplit(self.path).query})
        resource = self.site.resources.get(path)
        if resource is None:
            return self._send(404, b"not found", "text/plain")
        status, ctype, body = resource
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        if self.headers.get("If-None-Match") == etag:
            return self._send(304, headers={"ETag": etag})
        self._send(status, body, ctype, {"ETag": etag, "Last-Modified": LAST_MODIFIED})


def start_site() -> tuple[CrawlSite, ThreadingHTTPServer]:
    site = CrawlSite()
    handler = type("SiteHandler", (_Handler,), {"site": site})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    site.port = server.server_address[1]
    site.build()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return site, server
