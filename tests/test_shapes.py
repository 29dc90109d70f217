"""Question shapes (assistant/answer/shapes.py): one group of cases per shape, the split of
several-part questions, and the preferences each shape gives to units."""

from __future__ import annotations

import pytest

from assistant.answer.shapes import Shape, fit, outline_answers, plan


def shape_of(question: str) -> list[str]:
    return [p.shape.value for p in plan(question).parts]


@pytest.mark.parametrize("question", [
    "What is mission washing?",
    "What does market shaping mean?",
    "Define the quadruple helix model",
    "What was Vinnova's street mission in Sweden?",
])
def test_definition(question):
    assert shape_of(question) == ["definition"]
    assert plan(question).parts[0].subject


@pytest.mark.parametrize("question,focus", [
    ("What are the key principles of mission-oriented innovation?", "principles"),
    ("Which criteria make a good mission?", "criteria"),
    ("What are the main challenges in implementing missions?", "challenges"),
    ("List the steps for setting a mission", "steps"),
    ("What roles do government, business and citizens play in missions?", "roles"),
])
def test_list(question, focus):
    part = plan(question).parts[0]
    assert part.shape is Shape.list and part.focus == focus


@pytest.mark.parametrize("question", [
    "How should a city council go about setting a mission?",
    "How can procurement support a mission?",
    "What can a city council do to start a mission?",
])
def test_how(question):
    assert shape_of(question) == ["how"]


@pytest.mark.parametrize("question", [
    "Why does storytelling matter for missions?",
    "What is the reason missions fail?",
])
def test_why(question):
    assert shape_of(question) == ["why"]


@pytest.mark.parametrize("question,subject", [
    ("What did Camden do?", "Camden"),
    ("How did Vinnova involve school children in missions?", "Vinnova"),
    ("Tell me about Health Holland", "Health Holland"),
    ("Give an example of market shaping", "market shaping"),
])
def test_case(question, subject):
    part = plan(question).parts[0]
    assert part.shape is Shape.case and part.subject == subject


@pytest.mark.parametrize("question", [
    "How many people took part in the co-creation bootcamp?",
    "How much did the European Commission propose for missions?",
    "What percentage of soils should be healthy?",
    "When was Vision Zero Cancer established?",
])
def test_number(question):
    assert shape_of(question) == ["number"]


@pytest.mark.parametrize("question,sides", [
    ("Compare Camden and Greater Manchester", ["Camden", "Greater Manchester"]),
    ("What is the difference between market fixing and market shaping?",
     ["market fixing", "market shaping"]),
    ("How does market shaping differ from market fixing?", ["market shaping", "market fixing"]),
])
def test_comparison_covers_both_sides(question, sides):
    p = plan(question)
    assert p.shape == "comparison"
    assert [part.subject for part in p.parts] == sides


def test_two_part_question_resolves_the_pronoun():
    p = plan("What is mission washing and how can it be avoided?")
    assert p.shape == "multi_part"
    assert [part.shape for part in p.parts] == [Shape.definition, Shape.how]
    assert p.parts[1].asked == "how can it be avoided"  # shown to the user as asked
    assert p.parts[1].text == "how can mission washing be avoided"  # searched for


def test_two_questions_in_one():
    p = plan("What challenges do missions face? How can they be overcome?")
    assert [part.shape for part in p.parts] == [Shape.list, Shape.how]
    assert "challenges" in p.parts[1].text


def test_general_question_stays_one_part():
    assert shape_of("Mission governance in the Netherlands") == ["general"]
    assert shape_of("What is the role of the state in missions?") == ["general"]


def test_shapes_prefer_the_unit_kind_they_need():
    principles = plan("What are the key principles of mission-oriented innovation?").parts[0]
    assert fit(principles, "list", "several principles:") > fit(principles, "sentence", "x")
    camden = plan("What did Camden do?").parts[0]
    assert fit(camden, "sentence", "Camden Council set up a fund.") > 0
    assert fit(camden, "sentence", "Valencia set up a fund.") < 0
    count = plan("How many organizations are in the governance structure?").parts[0]
    terms = {"organ", "govern", "structur"}
    assert fit(count, "sentence", "with 17 organizations in the board", terms=terms) > \
        fit(count, "sentence", "97 partners invest", terms=terms) > \
        fit(count, "sentence", "no figure here", terms=terms)
    case = plan("What did the Royal Academy of Engineering do?").parts[0]
    assert fit(case, "list", "UK (Royal Academy of Engineering):\nRole: ...") > \
        fit(case, "sentence", "The Royal Academy of Engineering works with engineers.")
    washing = plan("What is mission washing?").parts[0]
    assert fit(washing, "sentence", "Mission washing is when old work is relabelled.") > \
        fit(washing, "sentence", "Avoid mission washing.")


def test_the_heading_says_which_aspect_a_unit_covers():
    how = plan("How can trust be built between public and private partners?").parts[0]
    text = "Trust between partners takes years to build."
    under = {h: fit(how, "list", text, f"Building Trust > {h}")
             for h in ("Strategies for Building Trust", "Challenges in Building Trust",
                       "Challenges and Solutions", "Background")}
    assert under["Strategies for Building Trust"] > under["Background"] > \
        under["Challenges in Building Trust"]
    assert under["Challenges and Solutions"] == under["Background"]
    # Asked about problems, a heading naming them is not held against a unit.
    asked = plan("How can the challenges of building trust be overcome?").parts[0]
    assert fit(asked, "list", text, "Challenges in Building Trust") >= \
        fit(asked, "list", text, "Background")
    why = plan("Why does trust matter for missions?").parts[0]
    assert fit(why, "sentence", text, "Why Trust is Essential") > \
        fit(why, "sentence", text, "Barriers to Trust")


def test_sub_headings_answer_only_the_list_their_section_names():
    trends = plan("What are the key trends the report identifies?").parts[0]
    lessons = plan("What did Natural Resources Wales learn from the tool?").parts[0]
    assert outline_answers(trends, "Report > Key Trends")
    assert not outline_answers(lessons, "Tool > Practical Application: Wales and Lund")
    assert not outline_answers(plan("How should a council set a mission?").parts[0],
                               "Setting Missions > Steps")


def test_a_list_without_its_lead_in_carries_its_citation_on_its_first_item():
    from assistant.answer.layout import answer_lines, to_text
    from assistant.types import Answer, AnswerUnit

    answer = Answer(question="q", status="answered", answer="", units=[AnswerUnit(
        n=1, kind="list", part=0, role="direct", text="", items=["First", "Second"],
        doc_id="d")])
    assert to_text(answer_lines(answer)).splitlines() == ["- First [1]", "- Second"]
