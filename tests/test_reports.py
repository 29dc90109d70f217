"""Eval reports carry no absolute path of the machine they ran on (evals/report.py)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from assistant.settings import PROJECT_ROOT
from evals.report import portable


def test_paths_in_reports_are_portable():
    tmp = Path(tempfile.gettempdir()) / "idx_x"
    got = portable({"index_dir": tmp, "corpus": PROJECT_ROOT.parent / "shared" / "data" / "opsi",
                    "out": [str(PROJECT_ROOT / "evals" / "results"), str(Path.home() / "c")],
                    "n": 3})
    assert got == {"index_dir": "$TMPDIR/idx_x", "corpus": "../shared/data/opsi",
                   "out": ["evals/results", "~/c"], "n": 3}


def test_committed_reports_name_no_machine_path():
    roots = {str(PROJECT_ROOT), str(PROJECT_ROOT.parent), tempfile.gettempdir(), str(Path.home())}
    roots = {r for r in roots if len(r) > 1}
    for report in (PROJECT_ROOT / "evals" / "results").glob("*.[mj]*"):
        if report.suffix not in (".md", ".json"):
            continue
        text = report.read_text()
        assert not [r for r in roots if r + "/" in text], report.name
