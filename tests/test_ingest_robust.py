"""Ingest against the real world: URLs from a loopback server, bad files, random bytes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
import threading

import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from assistant.settings import Settings
from assistant.store import LibraryIndex
from evals.bad_inputs import EXPECTED, HUGE_MB, pdf_bytes, write_bad_inputs
from evals.html_extraction import DATA, run as run_extraction
from ingest.fetch import FetchError, fetch
from ingest.pipeline import ingest
from ingest.readers import READERS, ReaderError, read_file
from ingest.worker import ReaderPool

PAGE = ("<html><head><title>Barcelona data commons</title></head><body><article>"
        "<h1>Barcelona data commons</h1>" + "<p>Barcelona brought technologists into city hall to "
        "govern data for public purpose, such as public transport data.</p>" * 6
        + "</article></body></html>").encode()


class Routes(BaseHTTPRequestHandler):
    hits: dict[str, int] = {}

    def log_message(self, *args):
        pass

    def _send(self, code: int, body: bytes = b"", ctype: str = "text/html", headers=None):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        Routes.hits[self.path] = Routes.hits.get(self.path, 0) + 1
        if self.path == "/page":
            self._send(200, PAGE)
        elif self.path == "/moved":
            self._send(302, headers={"Location": "/page"})
        elif self.path.startswith("/loop"):
            self._send(302, headers={"Location": f"/loop{Routes.hits[self.path]}"})
        elif self.path == "/big":
            self._send(200, b"<p>" + b"x" * 3_000_000 + b"</p>")
        elif self.path == "/image":
            self._send(200, b"\x89PNG....", ctype="image/png")
        elif self.path == "/flaky":
            self._send(503) if Routes.hits[self.path] == 1 else self._send(200, PAGE)
        elif self.path == "/slow":
            time.sleep(3)
            self._send(200, PAGE)
        else:
            self._send(404)


@pytest.fixture(scope="module")
def site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Routes)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def url_settings(tmp_path: Path, **kw) -> Settings:
    base = dict(corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index",
                fetch_allow_private=True, fetch_timeout_s=1.0, fetch_max_mb=1.0, fetch_retries=1)
    return Settings(**(base | kw))


def test_url_is_ingested_with_metadata_and_rebuilds_offline_from_cache(tmp_path, site):
    settings = url_settings(tmp_path)
    report = ingest(settings, include_corpus=False, urls=[f"{site}/moved"], progress=False)
    assert report.count("ingested") == 1, report.results
    state = LibraryIndex.open(settings).documents()[f"{site}/moved"]
    assert state.title == "Barcelona data commons" and state.type == "web_page"
    hits_before = dict(Routes.hits)
    again = ingest(settings.model_copy(update={"index_dir": tmp_path / "index2"}),
                   include_corpus=False, urls=[f"{site}/moved"], progress=False)
    assert again.count("ingested") == 1 and Routes.hits == hits_before  # served from the cache


def test_manifest_url_entries_are_fetched_with_manifest_metadata(tmp_path, site):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "manifest.yaml").write_text(
        "documents:\n"
        f"  - id: barcelona-data\n    url: {site}/page\n    title: Barcelona's data commons\n"
        "    publisher: City of Barcelona\n    type: case_study\n    date: '2019'\n")
    settings = url_settings(tmp_path)
    report = ingest(settings, progress=False)
    assert report.count("ingested") == 1, report.results
    state = LibraryIndex.open(settings).documents()["barcelona-data"]
    assert (state.title, state.publisher, state.type, state.url) == \
           ("Barcelona's data commons", "City of Barcelona", "case_study", f"{site}/page")
    assert list(settings.url_cache_path.glob("*.html"))  # kept beside the corpus for rebuilds


@pytest.mark.parametrize("path, reason", [
    ("/image", "unsupported content type image/png"),
    ("/big", "cap"),
    ("/loop", "redirects"),
    ("/missing", "HTTP 404"),
    ("/slow", "Timeout"),
])
def test_url_guards_give_specific_reasons(tmp_path, site, path, reason):
    with pytest.raises(FetchError) as err:
        fetch(f"{site}{path}", url_settings(tmp_path, fetch_max_redirects=3))
    assert reason in err.value.reason and path in str(err.value)


def test_retry_recovers_from_a_server_error(tmp_path, site):
    assert fetch(f"{site}/flaky", url_settings(tmp_path)).path.read_bytes() == PAGE


def test_private_hosts_and_other_schemes_are_refused_by_default(tmp_path, site):
    strict = url_settings(tmp_path, fetch_allow_private=False)
    for url, reason in [(f"{site}/page", "non-public address"),
                        ("file:///etc/passwd", "only http and https"),
                        ("ftp://example.org/x", "only http and https"),
                        ("http://169.254.169.254/latest/meta-data", "non-public address")]:
        with pytest.raises(FetchError, match=reason):
            fetch(url, strict)
    report = ingest(strict, include_corpus=False, urls=[f"{site}/page"], progress=False)
    assert report.count("failed") == 1 and "non-public" in report.failed[0].reason


@pytest.mark.skipif(not DATA.exists(), reason="../shared/data/html-extraction not present")
def test_html_extraction_f1_on_the_benchmark_pages(tmp_path):
    result = run_extraction(tmp_path)
    assert result["pages"] == 20
    assert result["f1"] >= 0.90, result


def test_bad_inputs_each_get_a_report_entry_and_good_files_survive(tmp_path):
    folder = write_bad_inputs(tmp_path / "inputs")
    settings = Settings(corpus_dir=tmp_path / "none", index_dir=tmp_path / "index",
                        max_file_mb=HUGE_MB)
    report = ingest(settings, [folder], include_corpus=False, progress=False)
    outcomes = {Path(r.source).name: r for r in report.results}
    for name, (outcome, phrase) in EXPECTED.items():
        assert outcomes[name].outcome == outcome, (name, outcomes[name])
        assert phrase in outcomes[name].reason, (name, outcomes[name].reason)
    stored = LibraryIndex.open(settings).documents()
    assert set(stored) == {n for n, (o, _) in EXPECTED.items() if o == "ingested"}
    assert report.summary().startswith("4 ingested, 3 skipped, 6 failed")


def test_cli_exit_status_and_strict(tmp_path):
    folder = write_bad_inputs(tmp_path / "inputs")
    env = dict(os.environ, MISSION_INDEX_DIR=str(tmp_path / "index"),
               MISSION_CORPUS_DIR=str(tmp_path / "none"), MISSION_MAX_FILE_MB=str(HUGE_MB))
    cli = str(Path(sys.executable).parent / "mission-assistant")
    normal = subprocess.run([cli, "ingest", "--no-corpus", "--quiet", str(folder)],
                            capture_output=True, text=True, env=env, timeout=300)
    assert normal.returncode == 0, normal.stderr
    assert "4 ingested, 3 skipped, 6 failed" in normal.stdout
    strict = subprocess.run([cli, "ingest", "--no-corpus", "--strict", str(folder)],
                            capture_output=True, text=True, env=env, timeout=300)
    assert strict.returncode == 1
    assert "encrypted.pdf" in strict.stderr and "OCR is not available" in strict.stderr


GOOD_PDF = pdf_bytes(["A mission report page with text."])


@pytest.fixture(scope="module")
def reader_pool():
    with ReaderPool(timeout_s=20) as pool:
        yield pool


@pytest.mark.parametrize("suffix", sorted(READERS))
@hsettings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.one_of(
    st.binary(max_size=4096),
    st.binary(max_size=64).map(lambda b: GOOD_PDF[: len(GOOD_PDF) // 2] + b),  # truncated PDFs
    st.text(max_size=2000).map(str.encode),
))
def test_readers_survive_random_bytes(tmp_path_factory, reader_pool, suffix, data):
    path = tmp_path_factory.mktemp("fuzz") / f"input{suffix}"
    path.write_bytes(data)
    try:
        docs = reader_pool.read(path)  # in a worker with a time limit: a hang becomes an error
    except ReaderError as err:
        assert err.reason and str(path) in str(err)
    else:
        assert all(d.text.strip() for d in docs)


def sleepy_reader(path):
    """Stands in for a file that makes a reader loop forever."""
    if "hang" in path.name:
        time.sleep(120)
    return read_file(path)


def test_a_reader_that_hangs_is_stopped_and_reported(tmp_path):
    (tmp_path / "hang.txt").write_text("never read")
    (tmp_path / "fine.txt").write_text("fine text")
    with ReaderPool(timeout_s=8, reader=sleepy_reader) as pool:
        started = time.time()
        with pytest.raises(ReaderError, match="longer than 8 s"):
            pool.read(tmp_path / "hang.txt")
        assert time.time() - started < 60
        assert [d.text for d in pool.read(tmp_path / "fine.txt")] == ["fine text"]
