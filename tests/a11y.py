"""Accessibility checks for the real-browser tests: axe-core (bundled by the PyPI package
axe-playwright-python) with the WCAG 2.0, 2.1 and 2.2 A and AA rules, a per-page report for
evals/results/accessibility.md, and keyboard-focus helpers.

A violation whose cause is inside Streamlit and that the theme or configuration cannot fix
may be listed in JUSTIFIED with a specific reason; the report shows it under that reason and
the tests accept it. Everything else fails the test.
"""

from __future__ import annotations

import platform
import subprocess
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
REPORT = Path(__file__).resolve().parent.parent / "evals" / "results" / "accessibility.md"

# rule id -> (a CSS fragment every offending node's selector contains, why it is accepted)
JUSTIFIED: dict[str, tuple[str, str]] = {}


@dataclass
class PageResult:
    name: str
    url: str
    violations: list[dict]
    passes: int
    incomplete: int

    def unjustified(self) -> list[dict]:
        return [v for v in self.violations if not _justified(v)]


def _justified(violation: dict) -> bool:
    rule = JUSTIFIED.get(violation["id"])
    if not rule:
        return False
    return all(rule[0] in " ".join(map(str, n["target"])) for n in violation["nodes"])


@dataclass
class Report:
    pages: list[PageResult] = field(default_factory=list)
    checks: list[tuple[str, str]] = field(default_factory=list)  # (what, outcome)

    def write(self, path: Path = REPORT) -> None:
        from axe_playwright_python.base import AXE_SCRIPT

        axe_version = AXE_SCRIPT.split("axe v", 1)[1].split()[0] if "axe v" in AXE_SCRIPT \
            else "?"
        chromium = subprocess.run(["/usr/bin/chromium", "--version"], capture_output=True,
                                  text=True).stdout.strip()
        with open("/proc/loadavg") as f:
            load = f.read().split()[0]
        lines = [
            "# Accessibility: axe-core per page, keyboard and reflow checks",
            "",
            f"Written by the browser tests (`tests/test_ui_accessibility.py`, "
            f"`tests/test_ui_roles_browser.py`) on "
            f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC; axe-core {axe_version} "
            f"(axe-playwright-python) in {chromium or 'Chromium'}, {platform.machine()}, "
            f"load average {load}. Rules: WCAG 2.0, 2.1 and 2.2 A and AA "
            f"(`{', '.join(WCAG_TAGS)}`).",
            "",
            "| page | violations | justified | rules passed | needs review |",
            "|---|---|---|---|---|",
        ]
        for p in self.pages:
            lines.append(f"| {p.name} | {len(p.unjustified())} | "
                         f"{len(p.violations) - len(p.unjustified())} | {p.passes} | "
                         f"{p.incomplete} |")
        lines += ["", "\"Needs review\" are axe's incomplete results: items it could not decide "
                  "automatically (usually colour contrast over an overlapping element); they are "
                  "not violations.", ""]
        for p in self.pages:
            if not p.violations:
                continue
            lines += [f"## {p.name}", ""]
            for v in p.violations:
                why = JUSTIFIED.get(v["id"], ("", ""))[1] if _justified(v) else "NOT JUSTIFIED"
                lines.append(f"- `{v['id']}` ({v['impact']}): {v['help']} — "
                             f"{len(v['nodes'])} node(s), e.g. `{v['nodes'][0]['target']}`. "
                             f"{why}")
            lines.append("")
        if self.checks:
            lines += ["## Keyboard, focus and reflow", ""]
            lines += [f"- {what}: {outcome}" for what, outcome in self.checks]
            lines.append("")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines), encoding="utf-8")


def axe(page, name: str, report: Report) -> PageResult:
    """Run axe on the page as it is now and add the result to the report."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS},
                                       "resultTypes": ["violations", "incomplete"]})
    response = results.response
    result = PageResult(name, page.url, response["violations"], len(response["passes"]),
                        len(response["incomplete"]))
    report.pages.append(result)
    return result


def describe(violations: list[dict]) -> str:
    return "\n".join(f"{v['id']} ({v['impact']}): {v['help']}; "
                     + "; ".join(f"{n['target']} {n.get('failureSummary', '')[:200]}"
                                 for n in v["nodes"][:4])
                     for v in violations)


# The focused element and what its focus changes on screen. Streamlit marks focus in several
# ways (an outline, a box shadow on a wrapper, a background tint on navigation links), so the
# check compares the look of the element and its three nearest ancestors focused and blurred,
# and names the properties that change.
FOCUS_JS = """async () => {
  // Widgets built with React (Base Web) restyle on the next render, not at once.
  const settle = () => new Promise(r => setTimeout(r, 120));
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const props = ['outlineStyle', 'outlineWidth', 'outlineColor', 'boxShadow',
                 'backgroundColor', 'borderColor', 'textDecorationLine', 'color'];
  const chain = []; for (let e = el, i = 0; e && i < 7; e = e.parentElement, i++) chain.push(e);
  const look = () => chain.map(e => { const s = getComputedStyle(e);
                                      return props.map(p => s[p]); });
  await settle();
  const focusedLook = look();
  el.blur();
  await settle();
  const blurredLook = look();
  el.focus();  // back where the keyboard left it, so the next Tab goes on from here
  await settle();
  const changed = [];
  focusedLook.forEach((vals, i) => vals.forEach((v, j) => {
    if (v !== blurredLook[i][j]) changed.push(props[j] + (i ? ' (ancestor ' + i + ')' : '')
                                            + ': ' + v);
  }));
  return {tag: el.tagName.toLowerCase(), role: el.getAttribute('role') || '',
          label: (el.getAttribute('aria-label') || el.innerText || el.value || '').trim()
                 .slice(0, 80), testid: (el.closest('[data-testid]') || el).dataset.testid || '',
          ring: changed.join('; ')};
}"""


def focused(page) -> dict | None:
    return page.evaluate(FOCUS_JS)


def tab_to(page, matches, limit: int = 120, key: str = "Tab") -> dict:
    """Press Tab until `matches(focused_info)` holds; returns that element's info. Every stop
    on the way must show a focus indicator (WCAG 2.4.7)."""
    seen = []
    for stop in range(1, limit + 1):
        page.keyboard.press(key)
        info = focused(page)
        if info is None:
            continue
        seen.append(info)
        assert info["ring"], f"no visible focus on {info}"
        if matches(info):
            return {**info, "stops": stop, "label": " ".join(info["label"].split())}
    raise AssertionError(f"not reached in {limit} tabs; focus went through: "
                         + " | ".join(f"{i['tag']}/{i['testid']}/{i['label'][:30]}"
                                      for i in seen[-25:]))


# Text that sticks out of the viewport at this width, outside containers that scroll on their
# own (tables, code), i.e. text that would need horizontal scrolling of the page.
OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.textContent.trim()) continue;
    const el = node.parentElement;
    // Skipped: tables and code scroll in their own box (allowed by WCAG 1.4.10), and the
    // collapsed sidebar is an off-canvas drawer, not content to scroll to.
    if (!el || el.closest('[data-testid="stDataFrame"], pre, [aria-hidden="true"]')) continue;
    const drawer = el.closest('[data-testid="stSidebar"]');
    if (drawer && drawer.getBoundingClientRect().right <= 1) continue;
    const s = getComputedStyle(el);
    if (s.visibility === 'hidden' || s.display === 'none') continue;
    const range = document.createRange(); range.selectNodeContents(node);
    for (const r of range.getClientRects()) {
      if (r.width > 0 && (r.right > width + 1 || r.left < -1)) {
        out.push(node.textContent.trim().slice(0, 60) + ' @' + Math.round(r.right)); break; }
    }
  }
  return {width, scrollWidth: document.documentElement.scrollWidth, overflowing: out};
}"""


def overflow(page) -> dict:
    return page.evaluate(OVERFLOW_JS)


NARROW = {"width": 320, "height": 900}


def check_page(page, name: str, report: Report) -> None:
    """axe on the page once Streamlit has finished its run (elements left from the previous
    run are drawn faded, which axe would rightly flag): no violation JUSTIFIED does not
    explain."""
    from tests.browser import wait_done

    wait_done(page)
    page.wait_for_timeout(300)  # let a late rerun start, then wait for it too
    wait_done(page)
    result = axe(page, name, report)
    assert not result.unjustified(), f"{name}:\n{describe(result.unjustified())}"


def check_reflow(page, name: str, report: Report) -> None:
    """At 320 CSS pixels wide (WCAG 1.4.10) the page does not scroll sideways and no text
    sticks out of the viewport; the viewport is put back afterwards."""
    before = page.viewport_size
    page.set_viewport_size(NARROW)
    page.wait_for_timeout(600)  # Streamlit re-lays out (the sidebar collapses) on resize
    measured = overflow(page)
    page.set_viewport_size(before)
    page.wait_for_timeout(300)
    report.checks.append((f"reflow at 320 px, {name}",
                          f"page width {measured['width']} px, document scroll width "
                          f"{measured['scrollWidth']} px, {len(measured['overflowing'])} text "
                          "pieces outside the viewport"))
    assert measured["scrollWidth"] <= measured["width"], (name, measured)
    assert not measured["overflowing"], (name, measured)
