"""Pieces of the Case studies page: one case with its cited fields and passages, a side-by-side
comparison, and a question scoped to chosen cases. Document text goes through ui.safe."""

from __future__ import annotations

import streamlit as st

from assistant import messages
from assistant.cases import FIELD_LABELS, CaseField, CaseRecord, comparison, scoped_filters
from assistant.export import CASE_EXPORTS, export_cases
from ui import render
from ui.safe import link, md, md_inline, safe_url


def cite(field: CaseField) -> str:
    """'Title · location' links for the quotes a value comes from (escaped)."""
    out = []
    for e in field.evidence:
        where = " · ".join(x for x in (e.title or e.doc_id, e.location) if x)
        out.append(link(where, e.url) if safe_url(e.url) else md_inline(where))
    return "; ".join(out)


def value_block(field: CaseField, quote_too: bool = True) -> None:
    st.markdown(md_inline(field.value))
    for e in field.evidence:
        bits = [cite(CaseField(value=field.value, evidence=[e]))]
        if quote_too and e.quote != field.value:
            bits.append("“" + md_inline(e.quote) + "”")
        if e.basis:
            bits.append(md_inline(f"({e.basis})"))
        st.caption(" — ".join(bits))


def case_detail(case: CaseRecord) -> None:
    st.subheader(md_inline(case.name.value), anchor=False)
    if case.name.evidence:
        st.caption(cite(case.name))
    st.caption(md_inline(messages.UI_CASES_FOUND_BY.format(
        how=", ".join(case.found_by), docs=len(case.documents))))
    for name, label in FIELD_LABELS.items():
        fields = case.fields(name)
        if not fields:
            continue
        st.markdown(f"**{md_inline(label)}**")
        for f in fields:
            value_block(f, quote_too=name not in ("goal", "actions", "results", "challenges",
                                                  "lessons"))
    with st.expander(messages.UI_CASES_PASSAGES.format(n=len(case.passages))):
        for p in case.passages:
            with st.container(border=True):
                st.markdown(f"**{link(p.title or p.doc_id, p.url)}**")
                if p.section:
                    st.caption(md_inline(p.section))
                st.markdown(md(p.text))


def compare(cases: list[CaseRecord]) -> None:
    """The same fields in columns, each cell with its citation."""
    st.subheader(messages.UI_CASES_COMPARE, anchor=False)
    head = st.columns([1] + [2] * len(cases))
    for col, case in zip(head[1:], cases):
        col.markdown(f"**{md_inline(case.name.value)}**")
        col.caption(cite(case.name))
    for row in comparison(cases):
        cols = st.columns([1] + [2] * len(cases), border=True)
        cols[0].markdown(f"**{md_inline(row['label'])}**")
        for col, fields in zip(cols[1:], row["cells"]):
            with col:
                if not fields:
                    st.caption(messages.CASES_NOT_GIVEN)
                for f in fields:
                    st.markdown(md_inline(f.value))
                    st.caption(cite(f))


def downloads(cases: list[CaseRecord], formats: tuple[str, ...], key: str) -> None:
    cols = st.columns(len(formats))
    for col, fmt in zip(cols, formats):
        _, suffix, mime = CASE_EXPORTS[fmt]
        col.download_button(messages.UI_CASES_EXPORT_LABELS[fmt], export_cases(fmt, cases),
                            file_name=f"mission-cases.{suffix}", mime=mime,
                            key=f"{key}-{fmt}", width="stretch")


def ask_about(cases: list[CaseRecord], assistant) -> None:
    """A question answered only from the documents of the chosen cases."""
    with st.form("cases-ask", clear_on_submit=False):
        question = st.text_input(messages.UI_CASES_ASK, key="cases_question",
                                 placeholder=messages.UI_CASES_ASK_PLACEHOLDER)
        asked = st.form_submit_button(messages.UI_CASES_ASK)
    if asked and question.strip():
        with st.spinner(messages.UI_SEARCHING):
            answer = assistant.ask(question.strip(), scoped_filters(cases))
        st.session_state["cases_answer"] = answer
    answer = st.session_state.get("cases_answer")
    if answer is not None:
        st.caption(md_inline(messages.UI_CASES_ASK_SCOPE.format(
            docs=len({d for c in cases for d in c.documents}),
            names=", ".join(c.name.value for c in cases))))
        render.status_badge(answer)
        render.answer_text(answer)
        render.sources(answer)
