"""What the three pack formats share: the "about" line (sources, date, options), reference
lines, and byte-stable Office files (zip entries dated with the pack's generation date, not
the time of saving, so the same pack gives the same bytes)."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

from assistant import messages
from assistant.export.conversation import reference
from assistant.export.references import Reference
from assistant.packs.model import Item, Pack

__all__ = ["about", "reference", "further", "item_text", "stable_zip", "fixed_time"]


def about(pack: Pack) -> str:
    o = pack.options
    parts = [f"type={', '.join(o.types)}" if o.types else "",
             f"publisher={', '.join(o.publishers)}" if o.publishers else "",
             f"years={o.year_min}-{o.year_max}" if o.year_min or o.year_max else ""]
    parts = [p for p in parts if p]
    if not o.include_cases:
        parts.append("case studies left out")
    return messages.PACK_ABOUT.format(
        date=f"{pack.generated:%d %B %Y}", docs=len(pack.references), audience=o.audience,
        length=o.length, filters=messages.PACK_FILTERS.format(filters="; ".join(parts))
        if parts else "")


def further(ref: Reference) -> str:
    """Title. Publisher. Date. Link (plus "not quoted" for an uncited further source)."""
    text = ". ".join(p.strip().rstrip(".") for p in (ref.title, ref.publisher, ref.date)
                     if p and p.strip())
    text = f"{text}. {ref.url}" if ref.url else f"{text}."
    return text if ref.cited else f"{text} ({messages.PACK_NOT_QUOTED})"


def item_text(item: Item) -> str:
    """The quote with its marker; a case fact leads with its fixed label."""
    label = f"{item.label}: " if item.label else ""
    return f"{label}{item.text.strip()} [{item.n}]"


def fixed_time(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, 0, 0)


def stable_zip(data: bytes, day: date) -> bytes:
    """Rewrite an Office file's zip with every entry dated `day` (same order, same content)."""
    out = io.BytesIO()
    stamp = fixed_time(day).timetuple()[:6]
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()
