"""Unit tests of the UI's pure modules: follow-up rewrite, safe text, export, feedback,
filters, uploads, case extraction and document text. No Streamlit run needed."""

from __future__ import annotations

import csv
import io
import json
import re

import docx
import pytest

from assistant.conversation import rewrite, standalone_question
from assistant.library import drop_overlap
from assistant.settings import Settings
from assistant.types import Answer, AnswerStatus, Citation
from assistant.export import conversation as export
from assistant.export.text import md_export
from ui import feedback, uploads
from assistant.cases import CaseField, CaseRecord, CaseSet
from ui.filters import NO_MATCH, build_filters, case_documents, describe
from ui.safe import highlight, link, md, safe_url, unescape

CAMDEN = "What did Camden do for its retrofit mission?"


@pytest.mark.parametrize("history, question, query, rule", [
    ([CAMDEN], "What about Valencia?", "What did Valencia do for its retrofit mission?", "swap"),
    ([CAMDEN], "And Greater Manchester?",
     "What did Greater Manchester do for its retrofit mission?", "swap"),
    ([CAMDEN], "How was it funded?", "How was it funded? Camden retrofit mission", "carry"),
    ([CAMDEN], "What is market shaping?", "What is market shaping?", "standalone"),
    ([CAMDEN], "What did Barcelona do?", "What did Barcelona do?", "standalone"),
    ([], "What about Valencia?", "What about Valencia?", "standalone"),
    (["How did Vinnova and Sweden fund missions?"], "What about ENISA?",
     "How did ENISA fund missions?", "swap"),
    (["What is mission washing?"], "What about market shaping?",
     "What about market shaping? mission washing", "carry"),
])
def test_ui_follow_up_rewrite(history, question, query, rule):
    assert rewrite(history, question) == (query, rule)
    assert standalone_question(history, question) == query


def test_ui_follow_up_uses_latest_question():
    history = [CAMDEN, "What is mission washing?"]
    assert rewrite(history, "Why does it matter?").query == \
        "Why does it matter? mission washing"


HOSTILE = "Plans <script>alert(1)</script> look like ![x](http://example.com/x.png) $x$ :red[y]"


def test_ui_safe_markdown_is_literal():
    escaped = md(HOSTILE)
    assert unescape(escaped) == HOSTILE
    active = re.sub(r"\\.", "", escaped)  # what Markdown could still interpret
    assert not set(active) & set("<>![]()$:*_`")
    quote = "look like ![x](http://example.com/x.png)"
    marked = highlight(HOSTILE, quote)
    assert ":orange-background[**" in marked and "<" not in re.sub(r"\\.", "", marked)
    assert md("### Heading\ntext") == "**Heading**  \ntext"


def test_ui_links_only_http():
    assert safe_url("javascript:alert(1)") == "" and safe_url("data:text/html,x") == ""
    assert link("t", "javascript:alert(1)") == "t"
    assert link("A (b)", "https://x.org/a(b) c") == "[A \\(b\\)](https://x.org/a%28b%29%20c)"


def answer(question="What is mission washing?") -> Answer:
    cite = Citation(n=1, doc_id="d1", chunk_id="d1#0001", title="Missions <b>guide</b>",
                    publisher="OPSI", type="talk_summary", date="2024-05-01",
                    location="video 00:01:02", url="https://www.youtube.com/watch?v=a&t=62s",
                    quote="Mission washing rebrands old work as ![x](http://example.com/x.png).",
                    passage="Intro. Mission washing rebrands old work as "
                            "![x](http://example.com/x.png).")
    return Answer(question=question, status=AnswerStatus.answered,
                  answer=f"{cite.quote} [1]", citations=[cite], mode="extractive",
                  filters={"type": ["blog"]})


def test_ui_export_markdown_has_quotes_and_references():
    text = export.to_markdown([answer(), answer("What about Camden?")])
    assert text.startswith("# Mission-oriented government")
    assert "## 1. What is mission washing?" in text and "## 2. What about Camden?" in text
    assert "> [1] Mission washing rebrands old work as \\!\\[x\\](http" in text
    assert "### References" in text
    assert ("1. Missions \\<b\\>guide\\</b\\>. OPSI. 2024-05-01. video 00:01:02. "
            "https://www.youtube.com/watch?v=a&t=62s") in text
    assert "![x](" not in text and "<b>" not in text  # inert if rendered


def test_ui_export_docx_parses_back():
    data = export.to_docx([answer()])
    doc = docx.Document(io.BytesIO(data))
    paragraphs = [(p.style.name, p.text) for p in doc.paragraphs]
    texts = [t for _, t in paragraphs]
    assert "1. What is mission washing?" in texts
    assert ("Quote", "[1] " + answer().citations[0].quote) in paragraphs
    assert "References" in texts
    assert any(t.startswith("1. Missions <b>guide</b>. OPSI. 2024-05-01") and
               t.endswith("https://www.youtube.com/watch?v=a&t=62s") for t in texts)


def test_ui_feedback_store_and_csv(tmp_path):
    path = tmp_path / "fb.sqlite3"
    feedback.record(path, "t1", answer(), 1, "", "What is mission washing?")
    feedback.record(path, "t1", answer(), 0, "=HYPERLINK(\"x\")", "What is mission washing?")
    feedback.record(path, "t2", answer("Other?"), 1)
    rows = feedback.rows(path)
    assert [r["turn_id"] for r in rows] == ["t1", "t2"]  # one row per answer, updated
    assert rows[0]["rating"] == 0 and rows[0]["comment"].startswith("=HYPERLINK")
    assert json.loads(rows[0]["sources"])[0]["quote"] == answer().citations[0].quote
    parsed = list(csv.DictReader(io.StringIO(feedback.to_csv(path))))
    assert parsed[0]["comment"].startswith("'=")  # not a live spreadsheet formula
    assert parsed[1]["question"] == "Other?"


def test_ui_filters_from_sidebar_values():
    docs = [{"doc_id": "a", "type": "case_study", "date": "2021"},
            {"doc_id": "b", "type": "blog", "date": "2024"}]
    cases = CaseSet(cases=[CaseRecord(id="camden", name=CaseField(value="Camden food mission"),
                                      documents=["b"])])
    filters, shown = build_filters(["blog"], [], (2020, 2024), (2020, 2024))
    assert filters.types == ("blog",) and filters.year_min is None  # full range: no filter
    assert shown == {"type": ["blog"]}
    filters, shown = build_filters([], ["Nesta"], (2021, 2023), (2020, 2024), True,
                                   case_documents(docs, cases))
    assert filters.doc_ids == ("a", "b") and (filters.year_min, filters.year_max) == (2021, 2023)
    assert shown == {"publisher": ["Nesta"], "year": [2021, 2023], "case_studies_only": True}
    assert describe(shown) == "publisher: Nesta; year 2021–2023; case studies only"
    assert build_filters(cases_only=True)[0].doc_ids == (NO_MATCH,)


def test_ui_upload_checks(tmp_path):
    settings = Settings(index_dir=tmp_path / "index")
    assert uploads.safe_name("../../etc/pass wd.PDF") == "pass_wd.pdf"
    assert uploads.check_file(settings, "a.exe", 10)
    assert uploads.check_file(settings, "a.pdf", int(settings.upload_max_mb * 1e6) + 1)
    assert uploads.check_file(settings, "a.md", 10) == ""
    assert uploads.check_url("file:///etc/passwd") and uploads.check_url("https://x.org") == ""
    first = uploads.save(settings, "a.txt", b"one")
    second = uploads.save(settings, "a.txt", b"two")
    assert first.parent == settings.uploads_dir and first != second
    assert uploads.save(settings, "a.txt", b"one") == first


def test_ui_drop_overlap():
    assert drop_overlap("One two three. Four five six seven.", "Four five six seven. Eight.") \
        == "Eight."
    assert drop_overlap("abc", "Completely new text here.") == "Completely new text here."
