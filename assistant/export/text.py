"""Escaping for Markdown files people read raw: only characters that start links, images, HTML,
emphasis, code or headings are escaped, so a file stays readable and inert if rendered."""

from __future__ import annotations

import re

_EXPORT = re.compile(r"([\\`*_\[\]<>!#|~$])")


def md_export(text: str) -> str:
    """Escape for a Markdown file: readable raw, inert when rendered."""
    return _EXPORT.sub(r"\\\1", " ".join(str(text or "").split()))
