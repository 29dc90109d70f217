"""The crawler's rules without the index: the source list, robots.txt as RFC 9309 says (on the
loopback site), URL scope, the command line's errors and --strict, and the direction of
imports (the core never imports the stages above it)."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.settings import PROJECT_ROOT, Settings
from ingest.crawl import CrawlError
from ingest.crawl.politeness import Politeness, Robots
from ingest.crawl.scope import canonical, kind_of, out_of_scope
from ingest.crawl.sources import load_sources, select, site_source
from ingest.crawl.state import CrawlState


def test_the_curated_source_list_loads():
    sources = load_sources(PROJECT_ROOT / "corpus" / "sources.yaml")
    assert len(sources) >= 7
    names = {s.name for s in sources}
    assert {"oecd-opsi", "ucl-iipp", "nesta", "eu-missions", "vinnova"} <= names
    for source in sources:
        assert source.publisher and source.include and source.max_pages
        assert all(u.startswith("https://") for u in source.start)
        assert source.hosts and not any("site.test" in h for h in source.hosts)


@pytest.mark.parametrize("yaml_text, expected", [
    ("sources: [{name: a, publisher: P, start: ['https://a.org/'], include: ['(']}]",
     "source 1 (a) include: Value error, bad regular expression '('"),
    ("sources: [{name: a, start: ['https://a.org/']}]", "source 1 (a) publisher: Field required"),
    ("sources: [{name: a, publisher: P, start: ['ftp://a.org/']}]", "is not an http(s) URL"),
    ("sources: [{name: a, publisher: P, start: ['https://a.org/'], type: novel}]",
     "source 1 (a) type: Input should be"),
    ("documents: []", "expected a top-level 'sources:' list"),
    ("sources: [{name: a, publisher: P, start: ['https://a.org/']},"
     " {name: a, publisher: Q, start: ['https://b.org/']}]", "duplicate source name 'a'"),
])
def test_a_bad_source_list_names_the_file_the_source_and_the_field(tmp_path, yaml_text, expected):
    path = tmp_path / "sources.yaml"
    path.write_text(yaml_text)
    with pytest.raises(CrawlError) as err:
        load_sources(path)
    assert str(path) in str(err.value) and expected in str(err.value)


def test_selecting_an_unknown_source_lists_the_known_ones():
    sources = load_sources(PROJECT_ROOT / "corpus" / "sources.yaml")
    with pytest.raises(CrawlError, match="no source named nope; known: oecd-opsi"):
        select(sources, ["nope"])


def test_urls_get_one_spelling_and_a_scope():
    assert canonical("HTTP://Site.test:80/a/?utm_source=x&fbclid=1&b=2#top") == \
        "http://site.test/a/?b=2"
    assert canonical("mailto:someone@example.org") is None
    assert (kind_of("https://a.org/r.PDF"), kind_of("https://a.org/x.jpg"),
            kind_of("https://a.org/post/v1.2-update")) == ("pdf", None, "page")
    source = site_source("https://a.org/missions/", include=["/missions/"], exclude=["/tag/"])
    assert out_of_scope(source, "https://a.org/missions/x", "page", True) == ""
    assert "include" in out_of_scope(source, "https://a.org/about", "page", True)
    assert "exclude" in out_of_scope(source, "https://a.org/missions/tag/x", "page", True)
    # A PDF linked from an in-scope page is in scope wherever it lives...
    assert out_of_scope(source, "https://cdn.a-files.net/report.pdf", "pdf", True) == ""
    # ...but not when a sitemap lists it on another host.
    assert "host" in out_of_scope(source, "https://cdn.a-files.net/report.pdf", "pdf", False)


def test_robots_rules_match_as_rfc_9309_says():
    """Longest match wins and Allow wins a tie; the group for our product token replaces '*'
    (urllib.robotparser takes the first matching line and would disallow /a/b/c)."""
    robots = Robots("a.org", 200, "User-agent: *\nDisallow: /a\nAllow: /a/b\n\n"
                    "User-agent: mission-assistant\nDisallow: /a\nAllow: /a/b\nCrawl-delay: 3\n",
                    0.0)
    assert robots.can_fetch("https://a.org/a/b/c", "mission-assistant")
    assert not robots.can_fetch("https://a.org/a/x", "mission-assistant")
    assert robots.crawl_delay("mission-assistant") == 3.0


@pytest.fixture
def polite_settings(crawl_site, tmp_path) -> Settings:
    overrides = crawl_site.settings_overrides()
    hosts = ("norobots.test", "brokenrobots.test")
    overrides["fetch_resolve"] = {**overrides["fetch_resolve"], **{h: "127.0.0.1" for h in hosts}}
    overrides["fetch_private_hosts"] += tuple(f"{h}:{crawl_site.port}" for h in hosts)
    return Settings(corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index", **overrides)


def test_robots_status_codes_and_cache(crawl_site, polite_settings):
    state = CrawlState(polite_settings.crawl_state_path)
    polite = Politeness(polite_settings, state)
    site = crawl_site.url
    assert polite.refusal(site("/private/x")) == ("robots", "disallowed by robots.txt")
    assert polite.refusal(site("/posts/wework")) == ("", "")
    assert polite.delay(site("/")) == 0.15  # robots.txt's Crawl-delay beats the setting (0.05)
    # 4xx: no rules, everything allowed; 5xx: unreachable, the whole host disallowed.
    assert polite.refusal(f"http://norobots.test:{crawl_site.port}/any") == ("", "")
    outcome, reason = polite.refusal(f"http://brokenrobots.test:{crawl_site.port}/any")
    assert outcome == "robots" and "HTTP 503" in reason and "disallowed for now" in reason
    # Cached in the crawl state: a second crawl within the cache age does not ask again, a
    # failure (5xx) is asked again, and an expired copy is fetched anew.
    mark = crawl_site.mark()
    again = Politeness(polite_settings, state)
    again.refusal(site("/posts/wework"))
    again.refusal(f"http://brokenrobots.test:{crawl_site.port}/any")
    assert [(r.host.split(":")[0], r.path) for r in crawl_site.since(mark)] == \
        [("brokenrobots.test", "/robots.txt")]
    stale = Politeness(polite_settings.model_copy(update={"crawl_robots_cache_h": 1e-9}), state)
    stale.refusal(site("/posts/wework"))
    assert [r.path for r in crawl_site.since(mark)][-1] == "/robots.txt"
    state.close()


def test_one_crawl_per_index_at_a_time(tmp_path):
    from ingest.crawl.runner import _exclusive, crawl

    settings = Settings(corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index")
    held = _exclusive(settings.crawl_state_path.with_suffix(".lock"))
    try:
        with pytest.raises(CrawlError, match="another crawl is running on"):
            crawl(settings, [site_source("https://a.org/")])
    finally:
        held.close()


def _cli(args: list[str], env: dict) -> subprocess.CompletedProcess:
    cli = Path(sys.executable).parent / "mission-assistant"
    return subprocess.run([str(cli), "crawl", *args], env={**os.environ, **env},
                          capture_output=True, text=True, timeout=300)


def test_cli_reports_bad_source_lists_in_one_line(tmp_path):
    bad = tmp_path / "sources.yaml"
    bad.write_text("sources: [{name: a, start: ['https://a.org/']}]")
    result = _cli(["--sources", str(bad)], {"MISSION_INDEX_DIR": str(tmp_path / "index")})
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == \
        f"Error: {bad}: source 1 (a) publisher: Field required"


def test_cli_table_summary_and_strict(crawl_site, tmp_path):
    env = {**crawl_site.settings_env(), "MISSION_INDEX_DIR": str(tmp_path / "index"),
           "MISSION_CORPUS_DIR": str(tmp_path / "corpus")}
    result = _cli([crawl_site.url("/slow"), "--include", "/slow$", "--strict"], env)
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert any(line.split()[0] == "failed" and crawl_site.url("/slow") in line
               and "Timeout" in line for line in lines)
    assert any(line.split()[0] == "discovery" and "robots.txt" in line for line in lines)
    assert lines[-1].startswith("5 URLs:") and "1 failed" in lines[-1]
    assert "Crawling" in result.stderr  # the progress bar
    without_strict = _cli([crawl_site.url("/slow"), "--include", "/slow$", "--quiet"], env)
    assert without_strict.returncode == 0 and without_strict.stdout.count("\n") == 1


def test_the_core_imports_no_stage_above_it():
    """assistant/ is the core: it never imports ingest/, ui/, evals/ or cli/."""
    above = {"ingest", "ui", "evals", "cli"}
    offenders = []
    for path in sorted((PROJECT_ROOT / "assistant").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else []
            offenders += [f"{path.relative_to(PROJECT_ROOT)}: {n}" for n in names
                          if n.split(".")[0] in above]
    assert offenders == []
