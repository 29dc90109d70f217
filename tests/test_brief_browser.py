"""The Briefing pack page in real Chromium (the session's shared app server): build a pack,
read it on the page, check it with axe, download it as Word and slides and read them back."""

from __future__ import annotations

import pytest
from docx import Document
from pptx import Presentation

from assistant import messages
from tests.a11y import check_page
from tests.browser import chromium, normalise, wait_done

pytestmark = pytest.mark.browser


def download(page, label: str):
    with page.expect_download() as info:
        page.get_by_role("button", name=label).click()
    return info.value


def test_brief_page_builds_and_downloads_a_pack(app_server, axe_report, tmp_path):
    with chromium(tmp_path / "profile") as browser:
        page = browser.new_page()
        page.goto(app_server.url + "brief", timeout=60_000)
        wait_done(page, messages.UI_BRIEF_BUILD)
        page.get_by_label(messages.UI_BRIEF_TOPIC, exact=True).fill("mission washing")
        page.get_by_text(messages.UI_BRIEF_LENGTHS["short"], exact=True).click()
        page.get_by_role("button", name=messages.UI_BRIEF_BUILD).click()
        wait_done(page, messages.PACK_TITLE.format(topic="mission washing"),
                  messages.PACK_REFERENCES, messages.UI_BRIEF_DOWNLOADS["pptx"])
        body = normalise(page.inner_text("body"))
        for title in messages.PACK_SECTIONS.values():
            assert title in body
        assert "mission washing" in body.lower() and "[1]" in body
        assert messages.PACK_PROMPTS_NOTE in body
        check_page(page, "Briefing pack (built)", axe_report)
        page.screenshot(path=str(tmp_path / "brief.png"), full_page=True)

        docx_file = download(page, messages.UI_BRIEF_DOWNLOADS["docx"])
        assert docx_file.suggested_filename == "briefing-pack.docx"
        doc = Document(docx_file.path())
        heads = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
        assert heads[:len(messages.PACK_SECTIONS)] == list(messages.PACK_SECTIONS.values())
        assert heads[-1] == messages.PACK_REFERENCES
        refs = [p.text for p in doc.paragraphs if p.text[:1].isdigit() and ". " in p.text]
        assert refs and refs[0].startswith("1. ")

        slides = Presentation(download(page, messages.UI_BRIEF_DOWNLOADS["pptx"]).path())
        titles = [s.shapes.title.text for s in slides.slides]
        assert titles[0] == messages.PACK_TITLE.format(topic="mission washing")
        assert messages.PACK_SECTIONS["definition"] in titles
        md = download(page, messages.UI_BRIEF_DOWNLOADS["markdown"]).path().read_text()
        assert md.startswith("# " + messages.PACK_TITLE.format(topic="mission washing"))
