"""The Case studies page in real Chromium (the session's shared app server): filter, open a
case, compare two, download the comparison and the sources and parse them back."""

from __future__ import annotations

import csv
import io

import bibtexparser
import pytest

from assistant import messages
from assistant.cases import load_cases
from tests.browser import chromium, normalise, wait_done

pytestmark = pytest.mark.browser


def pick(page, label: str, option: str) -> None:
    """Choose `option` in the multiselect labelled `label`."""
    box = page.locator("[data-testid='stMultiSelect']").filter(has_text=label)
    box.locator("input").click()
    page.keyboard.type(option)
    page.get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")


def download(page, label: str) -> str:
    with page.expect_download() as info:
        # The comparison's buttons come after the ones for the whole table.
        page.get_by_role("button", name=label).last.click()
    return info.value.path().read_text(encoding="utf-8")


def test_cases_page_in_chromium(browser_settings, app_server, tmp_path):
    records = load_cases(browser_settings).cases
    camden = next(c for c in records if c.name.value == "Camden Council's Food Mission")
    other = next(c for c in records if c.country.value and c.id != camden.id
                 and c.country.value != camden.country.value)

    with chromium(tmp_path / "profile") as browser:
        page = browser.new_page()
        page.goto(app_server.url + "cases", timeout=60_000)
        wait_done(page, messages.UI_CASES_COUNT.format(shown=len(records), total=len(records)))

        # Filter by name: the count follows.
        search = page.get_by_label(messages.UI_CASES_SEARCH)
        search.fill("Camden")
        search.press("Enter")
        camdens = [c for c in records if "camden" in " ".join(
            [c.name.value, *c.aliases, c.organisation.value, c.place.value,
             c.country.value]).lower()]
        wait_done(page, messages.UI_CASES_COUNT.format(shown=len(camdens), total=len(records)))
        search.fill("")
        search.press("Enter")
        wait_done(page, messages.UI_CASES_COUNT.format(shown=len(records), total=len(records)))

        # Open one case: its fields, their sources, its passages.
        pick(page, messages.UI_CASES_OPEN, camden.name.value)
        # The passages' expander is drawn after the fields: wait for it too, or a loaded
        # machine reads the page before it is there.
        wait_done(page, camden.challenges[0].value, camden.country.evidence[0].title,
                  messages.UI_CASES_PASSAGES.format(n=len(camden.passages)))
        body = normalise(page.inner_text("body"))
        assert camden.organisation.value in body
        assert messages.UI_CASES_PASSAGES.format(n=len(camden.passages)) in body
        page.screenshot(path=str(tmp_path / "case.png"), full_page=True)

        # Compare two side by side, then download the comparison and the sources.
        pick(page, messages.UI_CASES_OPEN, other.name.value)
        wait_done(page, messages.UI_CASES_COMPARE, other.country.value)
        page.screenshot(path=str(tmp_path / "compare.png"), full_page=True)
        md = download(page, messages.UI_CASES_EXPORT_LABELS["markdown"])
        assert camden.name.value.split()[0] in md and "| **Country** |" in md
        rows = list(csv.DictReader(io.StringIO(
            download(page, messages.UI_CASES_EXPORT_LABELS["csv"]))))
        assert {r["id"] for r in rows} == {camden.id, other.id}
        library = bibtexparser.parse_string(
            download(page, messages.UI_CASES_EXPORT_LABELS["bibtex"]),
            append_middleware=[bibtexparser.middlewares.LatexDecodingMiddleware()])
        assert not library.failed_blocks
        assert {e.fields_dict["title"].value for e in library.entries} >= {camden.name.evidence[0]
                                                                           .title}
    print(f"screenshots: {tmp_path / 'case.png'} {tmp_path / 'compare.png'}")
