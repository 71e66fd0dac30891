"""Assemble kg's spaCy pipeline from a config file, optionally on top of an installed model."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import spacy
from spacy.language import Language
from thinc.api import Config

import kg.nlp.components  # noqa: F401  (registers kg's factories)
import kg.nlp.doc_model  # noqa: F401  (registers the ._ extensions)

DEFAULT_CONFIG = "default.cfg"
KG_COMPONENTS = ("kg_sentences", "kg_names", "kg_coref", "kg_temporal", "kg_relations")


def _config(config_path: str | Path | None) -> Config:
    if config_path is None:
        text = resources.files("kg.nlp").joinpath(DEFAULT_CONFIG).read_text(encoding="utf-8")
        return Config().from_str(text)
    path = Path(config_path)
    if not path.is_file():
        raise FileNotFoundError(f"pipeline config not found: {path}")
    return Config().from_disk(path)


def load_pipeline(model: str | None = None, config_path: str | Path | None = None) -> Language:
    """Return kg's NLP pipeline.

    With no ``model``, a blank English pipeline built from ``config_path`` (default: the
    shipped ``default.cfg``). With ``model`` (an installed spaCy package name or a path), that
    pipeline is loaded and kg's components are added after it, reusing its sentence
    boundaries when it has a parser or senter.
    """
    cfg = _config(config_path)
    if model is None:
        return spacy.util.load_model_from_config(cfg, auto_fill=True, validate=True)
    try:
        nlp = spacy.load(model, exclude=["lemmatizer"])
    except OSError as exc:
        raise OSError(f"spaCy pipeline {model!r} is not installed or not a valid path: {exc}") from exc
    has_sents = any(n in nlp.pipe_names for n in ("parser", "senter", "sentencizer"))
    for name in KG_COMPONENTS:
        if name == "kg_sentences" and has_sents:
            continue
        settings = dict(cfg["components"].get(name, {}))
        factory = settings.pop("factory", name)
        nlp.add_pipe(factory, name=name, config=settings)
    return nlp
