"""Data the case extractor reads as hints, not as a list of cases: what a place is (country,
level of government), words that name an initiative, theme keywords, demonyms.

Nothing here makes a case by itself. A name becomes a case only when a document's structure
(a heading or a list item about it) or a sentence describes an initiative; these tables then
help fill its country and level when the quote names only a city or an agency.
"""

from __future__ import annotations

import re

# name -> (country, level). Level: local | regional | national | international.
GAZETTEER: dict[str, tuple[str, str]] = {
    "Camden": ("United Kingdom", "local"), "Greater Manchester": ("United Kingdom", "regional"),
    "Manchester": ("United Kingdom", "local"), "Bristol": ("United Kingdom", "local"),
    "Glasgow": ("United Kingdom", "local"), "London": ("United Kingdom", "regional"),
    "Scotland": ("United Kingdom", "regional"), "Wales": ("United Kingdom", "regional"),
    "Valencia": ("Spain", "local"), "Barcelona": ("Spain", "local"),
    "Madrid": ("Spain", "local"), "Gipuzkoa": ("Spain", "regional"),
    "Basque Country": ("Spain", "regional"), "Stockholm": ("Sweden", "local"),
    "Lund": ("Sweden", "local"), "Helsinki": ("Finland", "local"), "Espoo": ("Finland", "local"),
    "Amsterdam": ("Netherlands", "local"), "Rotterdam": ("Netherlands", "local"),
    "Copenhagen": ("Denmark", "local"), "Vienna": ("Austria", "local"),
    "Paris": ("France", "local"), "Flanders": ("Belgium", "regional"),
    "Kragujevac": ("Serbia", "local"), "Vinnova": ("Sweden", "national"),
    "Sitra": ("Finland", "national"), "Health Holland": ("Netherlands", "national"),
    "Innovation Fund Denmark": ("Denmark", "national"), "CSIRO": ("Australia", "national"),
    "ENISA": ("Spain", "national"), "CDTI": ("Spain", "national"),
    "Research Council of Norway": ("Norway", "national"), "NASA": ("United States", "national"),
    "European Commission": ("European Union", "international"),
    "European Union": ("European Union", "international"), "EU": ("European Union", "international"),
    "Horizon Europe": ("European Union", "international"),
    "OECD": ("", "international"), "UNDP": ("", "international"),
    "United Nations": ("", "international"),
}
# Nationality words -> country (spaCy tags them NORP; pycountry knows only country names).
DEMONYMS = {
    "British": "United Kingdom", "English": "United Kingdom", "Scottish": "United Kingdom",
    "Welsh": "United Kingdom", "Swedish": "Sweden", "Finnish": "Finland", "Danish": "Denmark",
    "Norwegian": "Norway", "Dutch": "Netherlands", "German": "Germany", "Austrian": "Austria",
    "Spanish": "Spain", "Portuguese": "Portugal", "French": "France", "Italian": "Italy",
    "Belgian": "Belgium", "Slovenian": "Slovenia", "Serbian": "Serbia", "Estonian": "Estonia",
    "Irish": "Ireland", "Australian": "Australia", "Canadian": "Canada", "American": "United States",
    "Korean": "South Korea", "Japanese": "Japan", "Chilean": "Chile", "Brazilian": "Brazil",
    "Vietnamese": "Vietnam", "European": "European Union", "Basque": "Spain", "Emirati": "United Arab Emirates",
}
# Short forms pycountry does not resolve.
COUNTRY_ALIASES = {
    "UK": "United Kingdom", "U.K.": "United Kingdom", "Britain": "United Kingdom",
    "England": "United Kingdom", "Scotland": "United Kingdom", "Wales": "United Kingdom",
    "US": "United States", "USA": "United States", "U.S.": "United States",
    "the United States": "United States", "America": "United States",
    "The Netherlands": "Netherlands", "the Netherlands": "Netherlands", "Holland": "Netherlands",
    "Korea": "South Korea", "South Korea": "South Korea", "Vietnam": "Vietnam",
    "Viet Nam": "Vietnam",
    "UAE": "United Arab Emirates", "EU": "European Union", "European Union": "European Union",
    "Europe": "European Union", "Turkey": "Türkiye", "Russia": "Russian Federation",
}
# Nouns that make a name an initiative ("Circular Plastics Alliance", "Pilot-E scheme").
INITIATIVE_NOUNS = (
    "mission", "missions", "programme", "program", "programs", "programmes", "initiative",
    "initiatives", "lab", "laboratory", "labs", "fund", "alliance", "platform", "network",
    "hub", "toolkit", "kit", "scheme", "pilot", "pilots", "project", "projects", "challenge",
    "prize", "accelerator", "accelerators", "incubator", "committee", "bank",
    "strategy", "plan", "decade", "demonstrations", "environment", "coalition", "collaborative",
    "exchange", "sandbox", "corridors", "cities", "partnership", "policy", "grant", "bootcamp",
    "award",
)
# Verbs that say someone runs an initiative, for organisations and places named alone.
LEAD_VERBS = re.compile(
    r"\b(launch(?:ed|es)?|establish(?:ed|es)?|set up|created?|creating|started|initiated|"
    r"introduced|runs?|running|leads?|led|embarked|adopted|developed|developing|designed|"
    r"working on|worked on|implement(?:s|ed)?|operates?|funds?|funded|hosts?|hosted|coordinat\w+|"
    r"has (?:identified|formally launched|set)|committed to|aims? to|is working)\b", re.I)
INITIATIVE_WORD = re.compile(r"\b(" + "|".join(INITIATIVE_NOUNS) + r")\b", re.I)

THEMES: dict[str, tuple[str, ...]] = {
    "climate and net zero": ("climate", "carbon", "net zero", "net-zero", "emission",
                             "decarbon", "climate-neutral", "climate neutral"),
    "energy": ("energy", "renewable", "hydrogen", "electric", "power"),
    "housing and buildings": ("housing", "homes", "retrofit", "estates", "buildings",
                              "construction"),
    "health and care": ("health", "cancer", "patient", "medicine", "hospital", "dementia",
                        "genomic", "care"),
    "food": ("food", "meal", "nutrition", "agri", "protein", "diet"),
    "mobility and transport": ("mobility", "transport", "traffic", "street", "vehicle",
                               "ferries", "cycling"),
    "digital, data and AI": ("digital", "data", " ai ", "artificial intelligence",
                             "supercomput", "cyber", "technology"),
    "environment and nature": ("plastic", "circular", "biodiversity", "nature", "environment",
                               "waste", "soil", "ocean", "water"),
    "economy and jobs": ("economy", "economic", "jobs", "business", "wealth", "industry",
                         "smes", "entrepreneur", "investment", "loans"),
    "procurement and markets": ("procurement", "tender", "marketplace", "purchas"),
    "public sector innovation": ("public sector", "civil servant", "public administration",
                                 "public servants", "government innovation", "experimentation",
                                 "foresight", "portfolio"),
    "education and skills": ("school", "education", "skills", "training", "students", "youth",
                             "young"),
    "community and participation": ("citizen", "community", "residents", "participat",
                                    "co-creat", "cocreat", "engagement"),
    "space": ("space", "moon", "nasa"),
}

# Concept words that headings and lead-ins use for ideas, not names.
CONCEPTS = set("""public private partnerships partnership innovation innovations portfolio
portfolios mission missions governance approach approaches model models framework frameworks
strategy strategies policy policies collaboration co-creation cocreation engagement
stakeholder stakeholders system systems thinking change transformation challenges challenge
key principles role roles data digital climate health future futures foresight anticipatory
adaptive enhancement-oriented mission-oriented trust leadership culture capacity capabilities
skills evaluation impact metrics funding investment learning experimentation citizens
citizen participation civil society regulation regulatory sandboxes sandbox market shaping
fixing quadruple helix triple design ecosystem ecosystems tools methods resources case
studies study examples example practice practices success factors lessons overview goals
activities structure vision directionality risk rewards growth science technology
organisational organizational silos dilemma bright side and of the for in a an to with on
from beyond vs vs. towards toward by as using its their new local regional national
international global dedicated targeted anchor anchoring accelerated transformative ambitious
societal green bold big clear specific successful effective existing multiple several four five
three two one first second third current future-ready mission-driven purpose-driven
biggest main major central multi-stakeholder cross-disciplinary contribution engagement
transition transitions demonstration demonstrations other different various""".split())
STOPWORDS = {"of", "for", "and", "the", "de", "on", "in", "to", "by", "a", "an", "at", "&",
              "del", "la", "le", "van", "von", "s"}
GENERIC_ACRONYMS = {"STI", "SMEs", "SME", "IP", "AI", "COVID-19", "ICT", "R&D", "LMICs",
                     "PPPs", "PPP", "MVP", "EU", "UN", "SDGs", "SDG", "IoT", "GDP", "CEO", "NGO",
                     "NGOs", "ST&I", "OECD", "OPSI", "UK", "US", "USA", "UAE"}
