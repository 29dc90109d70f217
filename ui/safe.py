"""Showing untrusted text (document passages, titles, uploads) without letting it act.

Streamlit renders st.markdown as Markdown (plus emoji shortcodes, :color[] directives and
$LaTeX$), and source text is written by whoever wrote the document. Escaping every ASCII
punctuation character with a backslash is valid CommonMark and turns all of those constructs
into literal text: `![x](http://…)` cannot load an image, `<script>` stays characters, `[1]`
stays a bracketed number. Nothing here uses unsafe_allow_html, anywhere.
"""

from __future__ import annotations

import re
import string
from urllib.parse import quote, urlparse

_PUNCT = re.compile("([" + re.escape(string.punctuation) + "])")
_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*$")
_SPACES = re.compile(r"[ \t\r\f\v]+")


def md(text: str) -> str:
    """Markdown that displays `text` literally (single line breaks kept as line breaks)."""
    text = _SPACES.sub(" ", str(text or ""))
    lines = [_line(line.strip()) for line in text.split("\n")]
    # Two trailing spaces = a hard line break; blank lines stay paragraph breaks.
    return "  \n".join(lines)


def _line(line: str) -> str:
    heading = _HEADING.match(line)
    if heading:  # a document's own heading: keep it visible as bold text, never as markup
        return "**" + _escape(heading.group(1)) + "**"
    return _escape(line)


def _escape(text: str) -> str:
    return _PUNCT.sub(r"\\\1", text)


def md_inline(text: str) -> str:
    """Like md() but on one line (for titles, captions, labels)."""
    return md(" ".join(str(text or "").split()))


def md_delta(text: str) -> str:
    """One streamed piece of model output, escaped but with its spacing kept (pieces such as
    " the" are concatenated by st.write_stream)."""
    return _escape(str(text or "").replace("\n", " "))


def unescape(text: str) -> str:
    """The literal text a reader sees for escaped Markdown (used by tests)."""
    return re.sub(r"\\(.)", r"\1", text.replace("  \n", "\n"))


def safe_url(url: str) -> str:
    """An http(s) link safe to put inside Markdown link syntax, or '' (no javascript:, data:,
    or characters that would end the link early)."""
    url = (url or "").strip()
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        return ""
    return quote(url, safe=":/?#@!$&'*+,;=%~-._")


def link(label: str, url: str) -> str:
    """A Markdown link with an escaped label, or just the label when the URL is unsafe."""
    target = safe_url(url)
    return f"[{md_inline(label)}]({target.replace('(', '%28').replace(')', '%29')})" if target \
        else md_inline(label)


def highlight_spans(passage: str, spans: list[tuple[int, int]]) -> str:
    """The passage as Markdown with the quoted spans highlighted (everything escaped). Each
    line keeps its own line, so a quoted list stays readable."""
    out, pos = [], 0
    for start, end in sorted(spans):
        if start < pos or end <= start:
            continue
        out.append(md(passage[pos:start]))
        quoted = [f":orange-background[**{md_inline(x)}**]" if x.strip() else ""
                  for x in passage[start:end].split("\n")]
        out.append("  \n".join(quoted))
        pos = end
    out.append(md(passage[pos:]))
    return " ".join(x for x in out if x).strip()


def highlight(passage: str, quote_text: str) -> str:
    """The passage as Markdown with the quoted sentence highlighted (both escaped)."""
    at = passage.find(quote_text) if quote_text else -1
    if at < 0:
        return md(passage)
    before, after = passage[:at], passage[at + len(quote_text):]
    marked = f":orange-background[**{md_inline(quote_text)}**]"
    return f"{md(before)} {marked} {md(after)}".strip()
