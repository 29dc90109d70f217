"""The Streamlit app run in-process by AppTest against real small indexes (see conftest.py)."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assistant import messages
from assistant.settings import PROJECT_ROOT, Settings
from ui.safe import unescape
from ui.style import FOCUS_CSS

APP = str(PROJECT_ROOT / "ui" / "app.py")
TIMEOUT = 240  # the first answer in a process loads the embedding model on 2 slow cores
SCRIPT = "<script>alert(1)</script>"
IMAGE = "![x](http://example.com/x.png)"
HOSTILE_TEXT = (
    "Mission washing test note\n\n"
    f"Mission washing hides business as usual {SCRIPT} behind the language of missions in "
    "government.\n\n"
    f"A mission washed plan looks like this {IMAGE} when an old strategy is relabelled as a "
    "mission.\n"
)


def build_hostile_index(sample_settings: Settings, tmp: Path) -> Settings:
    """The sample index plus one document whose text carries HTML and Markdown payloads.
    Copied, not rebuilt, so only the new document is embedded."""
    from ingest.pipeline import ingest

    settings = sample_settings.model_copy(update={"index_dir": tmp / "index"})
    shutil.copytree(sample_settings.index_dir, settings.index_dir)
    hostile = tmp / "uploads" / "hostile_note.txt"
    hostile.parent.mkdir(parents=True)
    hostile.write_text(HOSTILE_TEXT, encoding="utf-8")
    report = ingest(settings, paths=[hostile], include_corpus=False, progress=False)
    assert not report.failed, report.failed
    return settings


def point_app_at(monkeypatch, settings: Settings, tmp_path: Path) -> None:
    """Settings reach the app through the environment, as in production."""
    monkeypatch.setenv("MISSION_INDEX_DIR", str(settings.index_dir))
    monkeypatch.setenv("MISSION_CORPUS_DIR", str(settings.corpus_dir))
    monkeypatch.setenv("MISSION_FEEDBACK_DB", str(tmp_path / "feedback.sqlite3"))
    monkeypatch.setenv("MISSION_UI_STREAM_DELAY_S", "0")


@pytest.fixture
def app(sample_settings, monkeypatch, tmp_path) -> AppTest:
    point_app_at(monkeypatch, sample_settings, tmp_path)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, at.exception
    return at


def ask(at: AppTest, question: str) -> AppTest:
    at.chat_input[0].set_value(question).run()
    assert not at.exception, at.exception
    return at


def shown_text(at: AppTest) -> str:
    """Everything the page shows as text: Markdown unescaped to what a reader sees."""
    parts = [unescape(m.value) for m in list(at.markdown) + list(at.caption)]
    parts += [t.value for t in at.text]
    return "\n".join(parts)


def last_answer(at: AppTest):
    return at.session_state["turns"][-1]["answer"]


def test_ui_question_with_sources(app):
    ask(app, "What is mission washing?")
    answer = last_answer(app)
    assert answer.citations, answer
    page = shown_text(app)
    assert messages.STATUS_LABELS[answer.status.value] in [b.value for b in app.get("badge")] \
        or messages.STATUS_LABELS[answer.status.value] in page
    first = answer.citations[0]
    assert "[1]" in page  # inline marker in the answer text
    assert first.quote in page and first.title in page and first.publisher in page
    assert messages.UI_SOURCES.format(n=len(answer.citations)) in [e.label for e in app.expander]
    assert "Answered by: extractive" in page
    assert app.chat_message[0].children  # user message first, then the answer
    assert app.text[0].value == "What is mission washing?"


def test_ui_list_answer_renders_as_a_list(app):
    from tests.test_answers import PRINCIPLES_Q, principle_names

    ask(app, PRINCIPLES_Q)
    answer = last_answer(app)
    markdown = "\n".join(unescape(m.value) for m in app.markdown)
    for name in principle_names():  # Markdown list items, not a run-on paragraph
        assert re.search(rf"^- {re.escape(name)}:", markdown, re.MULTILINE), markdown[:2000]
    assert answer.units[0].kind == "list"


def test_ui_not_in_library(app):
    ask(app, "Who won the 2018 World Cup?")
    answer = last_answer(app)
    assert answer.status.value == "not_found"
    page = shown_text(app)
    assert messages.NOT_FOUND in page
    assert messages.UI_NEAREST in [e.label for e in app.expander]
    assert answer.retrieved and answer.retrieved[0].title in page


def test_ui_follow_up_uses_the_conversation(app):
    ask(app, "What did Camden do for its retrofit mission?")
    ask(app, "What about Valencia?")
    turn = app.session_state["turns"][-1]
    assert turn["answer"].question == "What about Valencia?"  # the user's words are kept
    assert turn["query"] == "What did Valencia do for its retrofit mission?"
    assert turn["rule"] == "swap"
    page = shown_text(app)
    assert "searched for: “What did Valencia do for its retrofit mission?”" in page
    assert len(app.chat_message) == 4
    # The new conversation control clears it.
    next(b for b in app.button if b.label == messages.UI_NEW_CONVERSATION).click().run()
    assert app.session_state["turns"] == []


def test_ui_filter_applies_to_next_question(app):
    app.multiselect(key="filter_types").set_value(["blog"]).run()
    ask(app, "How do cities run missions?")
    answer = last_answer(app)
    assert answer.filters == {"type": ["blog"]}
    assert answer.retrieved and all(p.type == "blog" for p in answer.retrieved)
    assert "Filters: type: blog" in shown_text(app)


def test_ui_suggested_question_buttons(app):
    labels = [b.label for b in app.button]
    assert all(q in labels for q in messages.SUGGESTED_QUESTIONS)
    next(b for b in app.button if b.label == messages.SUGGESTED_QUESTIONS[0]).click().run()
    assert app.session_state["turns"][-1]["question"] == messages.SUGGESTED_QUESTIONS[0]


def test_ui_export_and_feedback(app, tmp_path):
    ask(app, "What is market shaping?")
    answer = last_answer(app)
    labels = [d.label for d in app.get("download_button")]
    assert messages.UI_EXPORT_MD in labels and messages.UI_EXPORT_DOCX in labels

    app.feedback[0].set_value(1).run()
    app.text_input(key=f"comment-{app.session_state['turns'][-1]['id']}") \
        .input("Useful for the induction course").run()
    with sqlite3.connect(tmp_path / "feedback.sqlite3") as conn:
        row = conn.execute("SELECT rating, comment, question, answer, sources, user "
                           "FROM feedback").fetchone()
    assert row[0] == 1 and row[1] == "Useful for the induction course"
    assert row[2] == "What is market shaping?" and row[3] == answer.answer
    assert [c["quote"] for c in json.loads(row[4])] == [c.quote for c in answer.citations]
    assert row[5] == "anonymous"  # sign-in off
    # Everyone's feedback is the Admin page's, never on the Ask page.
    assert messages.UI_FEEDBACK_CSV not in [d.label for d in app.get("download_button")]


@pytest.fixture(scope="module")
def hostile_settings(sample_settings, tmp_path_factory) -> Settings:
    return build_hostile_index(sample_settings, tmp_path_factory.mktemp("hostile"))


def test_ui_source_text_is_shown_as_text(hostile_settings, monkeypatch, tmp_path):
    point_app_at(monkeypatch, hostile_settings, tmp_path)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    ask(at, "What does mission washing hide and what does a mission washed plan look like?")
    answer = last_answer(at)
    quotes = " ".join(c.quote + c.passage for c in answer.citations)
    assert SCRIPT in quotes or IMAGE in quotes, "the hostile passage was not cited"
    for element in list(at.markdown) + list(at.caption):
        # Raw payloads never reach Markdown: every < ! [ ( from a document is backslash-escaped,
        # so with the escaped pairs removed no tag, image or link to example.com remains.
        active = re.sub(r"\\.", "", element.value)
        assert "<" not in active and "![" not in active, element.value
        assert "](http://example" not in active, element.value
    page = shown_text(at)
    assert SCRIPT in page or IMAGE in page  # ...and the reader still sees them, literally
    # No st.html anywhere but the app's constant focus stylesheet (ui/style.py).
    assert [h.proto.body for h in at.get("html")] in ([], [FOCUS_CSS])


def test_ui_library_page_lists_and_opens_documents(app, sample_settings):
    app.switch_page("views/library.py").run()
    assert not app.exception, app.exception
    table = app.dataframe[0].value
    assert len(table) == 10 and {"Title", "Type", "Publisher", "Date", "Chunks", "Source"} \
        <= set(table.columns)
    app.text_input(key="library_search").input("cities").run()
    assert "A playbook for taking missions to the next level in cities" in \
        list(app.dataframe[0].value["Title"])
    box = app.selectbox(key="library_open")
    box.select(next(o for o in box.options if "playbook" in o)).run()
    text = shown_text(app)
    assert "Bloomberg Cities" in text and "Greater Manchester" in text


def test_ui_library_search_words_phrase_filters_and_sort(app):
    app.switch_page("views/library.py").run()
    app.text_input(key="library_search").input("community wealth fund").run()
    words = set(app.dataframe[0].value["Title"])
    assert "A playbook for taking missions to the next level in cities" in words
    assert "Matches" in app.dataframe[0].value.columns
    app.toggle(key="library_phrase").set_value(True).run()
    app.text_input(key="library_search").input("Community Wealth Fund").run()
    phrase = set(app.dataframe[0].value["Title"])
    assert phrase and phrase <= words
    app.text_input(key="library_search").input("Wealth Community Fund").run()
    assert not app.dataframe and messages.UI_LIBRARY_EMPTY in [i.value for i in app.info]
    app.toggle(key="library_phrase").set_value(False).run()
    app.text_input(key="library_search").input("").run()
    app.multiselect(key="library_types").set_value(["blog"]).run()
    assert set(app.dataframe[0].value["Type"]) == {"blog"}
    app.selectbox(key="library_sort").set_value("date").run()
    dates = [d for d in app.dataframe[0].value["Date"]]
    assert dates == sorted(dates, reverse=True)


def test_ui_case_studies_page(app, sample_settings):
    from assistant.cases import load_cases

    records = load_cases(sample_settings).cases
    app.switch_page("views/cases.py").run()
    assert not app.exception, app.exception
    assert "ingest/cases.py" not in shown_text(app)
    table = app.dataframe[0].value
    assert len(table) == len(records)
    assert {"Case", "Country", "Level", "Led by", "Year", "Themes", "Documents"} <= \
        set(table.columns)
    assert not {"OECD", "Sweden", "London"} & set(table["Case"])
    app.multiselect(key="cases_country").set_value(["Spain"]).run()
    assert set(app.dataframe[0].value["Country"]) == {"Spain"}
    app.multiselect(key="cases_country").set_value([]).run()
    app.selectbox(key="cases_sort").set_value("name").run()
    names = list(app.dataframe[0].value["Case"])
    assert names == sorted(names, key=str.lower)
    labels = [d.label for d in app.get("download_button")]
    assert messages.UI_CASES_EXPORT_LABELS["csv"] in labels

    # Open one: its fields with citations, and its passages.
    camden = next(c for c in records if c.name.value == "Camden Council's Food Mission")
    app.multiselect(key="cases_selected").set_value([camden.id]).run()
    page = shown_text(app)
    assert camden.country.value in page and camden.challenges[0].value in page
    assert camden.country.evidence[0].title in page
    assert messages.UI_CASES_PASSAGES.format(n=len(camden.passages)) in \
        [e.label for e in app.expander]

    # Compare two: the same fields side by side, each cell cited.
    other = next(c for c in records if c.id != camden.id and c.country.value)
    app.multiselect(key="cases_selected").set_value([camden.id, other.id]).run()
    page = shown_text(app)
    assert messages.UI_CASES_COMPARE in [h.value for h in app.subheader]
    assert other.country.value in page and camden.country.value in page
    labels = [d.label for d in app.get("download_button")]
    assert messages.UI_CASES_EXPORT_LABELS["docx"] in labels

    # Ask about them: retrieval stays inside their documents.
    app.text_input(key="cases_question").input("What did they do with residents?")
    next(b for b in app.get("form_submit_button")
         if b.label == messages.UI_CASES_ASK).click().run()
    assert not app.exception, app.exception
    answer = app.session_state["cases_answer"]
    allowed = set(camden.documents) | set(other.documents)
    assert answer.retrieved and {p.doc_id for p in answer.retrieved} <= allowed
    assert answer.filters.get("doc_id")


def test_ui_add_documents_page(sample_settings, monkeypatch, tmp_path):
    """Upload one text file into a copy of the sample index: progress, per-file result, and
    the limits (a wrong type and a non-http URL are refused with a reason)."""
    settings = sample_settings.model_copy(update={"index_dir": tmp_path / "index"})
    shutil.copytree(sample_settings.index_dir, settings.index_dir)
    point_app_at(monkeypatch, settings, tmp_path)
    monkeypatch.setenv("MISSION_ALLOW_UPLOADS", "true")
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    at.switch_page("views/upload.py").run()
    assert not at.exception, at.exception
    at.file_uploader[0].set_value([
        ("rivertown.txt", b"Rivertown City Council launched the Rivertown Retrofit Mission to "
                          b"retrofit 5,000 homes by 2030.\n",
         "text/plain"),
    ])
    at.text_area[0].input("file:///etc/passwd")
    at.button[0].click().run()
    assert not at.exception, at.exception
    assert any("file:///etc/passwd" in w.value for w in at.warning)
    assert at.get("progress")
    results = at.dataframe[0].value
    assert list(results["Result"]) == ["ingested"] and results["Chunks"][0] >= 1
    assert (settings.uploads_dir / "rivertown.txt").exists()
    cases = {c["name"]["value"] for c in json.loads(settings.cases_path.read_text())["cases"]}
    assert any("Rivertown" in name for name in cases), cases


def test_ui_longer_answers_switch(app):
    question = "How should a city council go about setting a mission?"
    ask(app, question)
    short = last_answer(app)
    app.toggle(key="longer_answers").set_value(True).run()
    ask(app, question)
    longer = last_answer(app)
    app.toggle(key="longer_answers").set_value(False).run()

    def words(answer) -> int:
        return sum(len(c.quote.split()) for c in answer.citations)

    assert words(short) < words(longer)
    assert longer.citations[0].quote == short.citations[0].quote
