"""The SSRF guard switched on: exactly one loopback test host is permitted (site.test:PORT,
mapped to 127.0.0.1 by settings.fetch_resolve); every redirect hop elsewhere private is
refused with the hop and the reason, before any connection is made."""

from __future__ import annotations

import pytest

from assistant.settings import Settings
from ingest.fetch import FetchError, fetch
from ingest.guard import AddressGuard, GuardedBackend, HostRefused


@pytest.fixture
def guarded(crawl_site, tmp_path) -> Settings:
    overrides = crawl_site.settings_overrides()
    overrides["fetch_resolve"] = {**overrides["fetch_resolve"], "internal.test": "10.11.12.13"}
    return Settings(corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index",
                    fetch_allow_private=False, **overrides)


def test_the_permitted_host_is_fetched_at_the_pinned_address(crawl_site, guarded):
    mark = crawl_site.mark()
    got = fetch(crawl_site.url("/posts/wework"), guarded)
    assert got.status == 200 and got.path.read_bytes().startswith(b"<!DOCTYPE html>")
    (request,) = crawl_site.since(mark)
    assert request.host == f"site.test:{crawl_site.port}"  # the name kept, the address mapped
    again = fetch(crawl_site.url("/posts/wework"), guarded, revalidate=True)
    assert again.status == 304 and again.not_modified and again.path == got.path
    assert crawl_site.since(mark)[-1].conditional


@pytest.mark.parametrize("target, refused_host, kind", [
    ("http://127.0.0.1:{other}/", "127.0.0.1", "loopback"),  # another loopback port
    ("http://site.test:{other}/", "site.test", "loopback"),  # the permitted name, other port
    ("http://169.254.169.254/latest/meta-data/", "169.254.169.254", "link-local"),
    ("http://localhost:{port}/posts/wework", "localhost", "loopback"),
    ("http://internal.test/admin", "internal.test", "private"),  # a name resolving to 10.x
])
def test_a_redirect_to_a_private_address_is_refused_at_its_hop(crawl_site, guarded, target,
                                                               refused_host, kind):
    target = target.format(port=crawl_site.port, other=crawl_site.port + 1)
    mark = crawl_site.mark()
    with pytest.raises(FetchError) as err:
        fetch(crawl_site.url(f"/hop/?{target}"), guarded)
    reason = err.value.reason
    assert reason.startswith(f"redirect hop 1 to {target} refused: ")
    assert f"host {refused_host} resolves to a non-public address" in reason and kind in reason
    assert "MISSION_FETCH_PRIVATE_HOSTS" in reason
    # Only the permitted first hop reached the server: the refused hop never connected.
    assert [r.path for r in crawl_site.since(mark)] == [f"/hop/?{target}"]


def test_loopback_by_address_is_refused_even_on_the_same_server(crawl_site, guarded):
    mark = crawl_site.mark()
    with pytest.raises(FetchError, match="127.0.0.1 resolves to a non-public address"):
        fetch(f"http://127.0.0.1:{crawl_site.port}/posts/wework", guarded)
    assert crawl_site.since(mark) == []


def test_the_backend_checks_the_address_it_connects_to(guarded):
    """The check and the connection use one resolution: the address refused is the one the
    connection would have used (no second DNS lookup to rebind)."""
    guard = AddressGuard(guarded)
    assert [str(a) for a in guard.addresses("internal.test", 80)] == ["10.11.12.13"]
    with pytest.raises(HostRefused, match="10.11.12.13, private"):
        GuardedBackend(guard).connect_tcp("internal.test", 80, timeout=1)
    with pytest.raises(HostRefused, match="does not resolve"):
        GuardedBackend(guard).connect_tcp("no-such-host.invalid", 80, timeout=1)
