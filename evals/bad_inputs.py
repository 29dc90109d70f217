"""The bad-input table: one real file per kind of trouble, ingested beside good files.

`python -m evals.bad_inputs` writes evals/results/bad-inputs.md; tests/test_ingest_robust.py
builds the same folder and asserts each outcome.
"""

from __future__ import annotations

import io
import sys
import tempfile
from pathlib import Path

from pypdf import PdfWriter
from reportlab.pdfgen import canvas

GOOD_TEXT = ("Vinnova runs challenge-driven innovation programmes. Agencies, firms and researchers "
             "work towards one mission with shared goals and a shared budget.\n")


def pdf_bytes(pages: list[str], draw_text: bool = True) -> bytes:
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer)
    for text in pages:
        if draw_text:
            c.drawString(50, 800, text)
        else:
            c.rect(50, 700, 200, 80, fill=1)  # a "scan": marks on the page, no text layer
        c.showPage()
    c.save()
    return buffer.getvalue()


# name -> (expected outcome, phrase the reason must contain)
EXPECTED = {
    "good.txt": ("ingested", ""),
    "good.pdf": ("ingested", ""),
    "corrupt.pdf": ("failed", "corrupt"),
    "encrypted.pdf": ("failed", "encrypted"),
    "scanned.pdf": ("failed", "OCR is not available"),
    "zero.txt": ("failed", "empty file"),
    "binary.txt": ("failed", "binary data"),
    "cp1252.txt": ("ingested", ""),
    "latin1.txt": ("ingested", ""),
    "huge.txt": ("skipped", "over the"),
    "scripts.html": ("failed", "no readable text"),
    "second-copy-of-good.txt": ("skipped", "duplicate of"),
    "slides.pptx": ("skipped", "unsupported file type"),
}
HUGE_MB = 1.0  # the cap the table is produced with (max_file_mb)


def write_bad_inputs(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "good.txt").write_text(GOOD_TEXT)
    (folder / "good.pdf").write_bytes(pdf_bytes(["Greater Manchester retrofits homes as a mission."]))
    (folder / "corrupt.pdf").write_bytes(b"%PDF-1.7\n1 0 obj <<<< broken >>\nstartxref 999\n%%EOF")
    writer = PdfWriter(clone_from=io.BytesIO(pdf_bytes(["A locked mission report."])))
    writer.encrypt("secret")
    with open(folder / "encrypted.pdf", "wb") as fh:
        writer.write(fh)
    (folder / "scanned.pdf").write_bytes(pdf_bytes(["", ""], draw_text=False))
    (folder / "zero.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 64)
    (folder / "cp1252.txt").write_bytes(
        "Camden\u2019s \u201cmissions\u201d \u2013 community wealth for every resident.\n".encode("cp1252"))
    (folder / "latin1.txt").write_bytes(
        "Val\u00e8ncia: missi\u00f3 clim\u00e0tica, neutralitat el 2030, amb la ciutadania.\n".encode("latin-1"))
    (folder / "huge.txt").write_text("mission " * int(HUGE_MB * 1e6 / 8 + 1000))
    (folder / "scripts.html").write_text(
        "<html><head><script>var a=1;</script></head><body><script>document.write('x')</script>"
        "<noscript></noscript></body></html>")
    (folder / "second-copy-of-good.txt").write_text(GOOD_TEXT)
    (folder / "slides.pptx").write_bytes(b"PK\x03\x04 not really slides")
    return folder


def table(results) -> str:
    lines = ["| file | outcome | reason | what was done |", "|---|---|---|---|"]
    for r in sorted(results, key=lambda r: Path(r.source).name):
        lines.append(f"| {Path(r.source).name} | {r.outcome} | {r.reason or '-'} | "
                     f"{r.action or ('indexed, ' + str(r.chunks) + ' chunks')} |")
    return "\n".join(lines)


def main() -> int:
    from assistant.settings import Settings
    from ingest.pipeline import ingest

    with tempfile.TemporaryDirectory() as tmp:
        folder = write_bad_inputs(Path(tmp) / "inputs")
        settings = Settings(corpus_dir=Path(tmp) / "empty", index_dir=Path(tmp) / "index",
                            max_file_mb=HUGE_MB)
        report = ingest(settings, [folder], include_corpus=False, progress=False)
    out = Path(__file__).parent / "results" / "bad-inputs.md"
    out.write_text(
        "# Bad inputs: what ingest does with each\n\n"
        "Produced by `python -m evals.bad_inputs` (files built by evals/bad_inputs.py, real "
        f"readers, real Chroma, size cap {HUGE_MB:g} MB). Summary line: `{report.summary()}`.\n\n"
        + table(report.results) + "\n")
    print(out.read_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
