"""Hand-written claims about real corpus paragraphs, used both to choose the support threshold
(tests/fakes/support_study.py) and to test the verifier. Positives paraphrase or condense what
the paragraph says, the way an LLM answer does; negatives are on-topic claims the paragraph
does not make (the "fabricated claim with a real citation" case)."""

from __future__ import annotations

from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def paragraph(rel_path: str, starts_with: str) -> str:
    """The corpus paragraph (one line of the file) that starts with `starts_with`."""
    for line in (CORPUS / rel_path).read_text(encoding="utf-8").splitlines():
        if line.strip().startswith(starts_with):
            return line.strip()
    raise LookupError(f"{rel_path}: no paragraph starts with {starts_with!r}")


# (file, paragraph start, [supported claims], [unsupported claims])
CASES = [
    ("seeds/001_90c229dbe2879bfb.txt", "The new government has committed", [
        "The government has pledged to be mission-driven, concentrating on five areas: growth, "
        "the NHS, clean energy, safer streets and opportunity.",
        "Committees and boards chaired by the prime minister will oversee the missions.",
        "The missions are backed by strong central leadership and outside expertise.",
    ], [
        "The missions will be funded by a new wealth tax on large corporations.",
        "Each mission has an independent regulator with legal enforcement powers.",
        "Missions were first tried in Whitehall during the 1990s and abandoned.",
    ]),
    ("seeds/001_90c229dbe2879bfb.txt", "To succeed, government will need", [
        "Government needs three roles: driving public service innovation, shaping markets and "
        "using collective intelligence to make better decisions.",
        "Delivering missions requires strong foundations and a cultural change in Whitehall.",
    ], [
        "Government should privatise public services to deliver the missions faster.",
        "Civil servants will be paid bonuses tied to mission targets.",
    ]),
    ("seeds/003_8f7f1693dd71a2ea.txt", "For instance, in Greater Manchester", [
        "Greater Manchester's mission includes retrofitting hundreds of thousands of homes and "
        "thousands of public buildings.",
        "Instead of a short-term target for units delivered, the city was encouraged to focus "
        "on total capacity, the net impact of retrofitting.",
        "The approach leaves room for experimentation and systemic change in local construction.",
    ], [
        "Greater Manchester banned gas boilers in all new homes.",
        "The retrofit programme was cancelled after the mayor lost the election.",
        "Manchester's mission is mainly about reducing traffic congestion in the city centre.",
    ]),
    ("seeds/003_8f7f1693dd71a2ea.txt", "Mazzucato proposes leaving behind", [
        "Mazzucato argues governments should move away from short-term gains and quick-hit "
        "performance indicators.",
        "Cities could adopt budgeting frameworks covering longer periods so a new government "
        "does not halt work in progress.",
    ], [
        "Mazzucato says cities should set annual performance targets for every department.",
        "Mazzucato recommends that cities borrow heavily to fund their missions.",
    ]),
    ("seeds/003_8f7f1693dd71a2ea.txt", "For instance, in Valencia, Spain", [
        "Valencia's climate-neutrality mission includes an alliance with local companies and "
        "academia.",
        "Greater Manchester uses challenge groups, cross-sector partnerships on efforts such as "
        "low-carbon buildings.",
    ], [
        "Valencia built a new metro line to cut emissions.",
        "Spain's national government forced Valencia to adopt the mission.",
    ]),
    ("seeds/000_c1bfdc396474f115.txt", "To achieve tangible outcomes for the missions", [
        "Porosity, through secondments, talent exchange and cross-sector mentoring, must be "
        "central to policy and delivery.",
        "Private and not-for-profit sectors should offer skills and talent to government.",
    ], [
        "Secondments between sectors are already widespread across Whitehall.",
        "The government plans to cut the size of the civil service by a third.",
    ]),
    ("seeds/002_0a47f12bf97b6036.txt", "Labour has set five missions", [
        "Labour's missions include kickstarting economic growth and making Britain a clean "
        "energy superpower.",
        "One of Labour's missions is building an NHS fit for the future.",
    ], [
        "Labour's missions include abolishing university tuition fees.",
        "Labour has set a mission to double the defence budget.",
    ]),
]
