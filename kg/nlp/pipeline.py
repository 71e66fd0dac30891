"""Assemble kg's spaCy pipeline: a statistical base (kg's shipped English pipeline by default,
or any installed spaCy pipeline) with kg's rule components on top."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.util import registry
from thinc.api import Config

import kg.nlp.components  # noqa: F401  (registers kg's factories)
import kg.nlp.doc_model  # noqa: F401  (registers the ._ extensions)
import kg.nlp.labels  # noqa: F401  (registers Span._.kg_kind)

DEFAULT_CONFIG = "default.cfg"
KG_COMPONENTS = ("kg_sentences", "kg_names", "kg_coref", "kg_temporal", "kg_relations")
#: the pipeline trained by ``training/train.py`` and shipped inside the package
SHIPPED_MODEL = "kg_en_news"
#: ``model="blank"``: no statistical base, only kg's tokenizer and rules
BLANK = "blank"
SENTENCE_SOURCES = ("rules", "model")


def _config(config_path: str | Path | None) -> Config:
    if config_path is None:
        text = resources.files("kg.nlp").joinpath(DEFAULT_CONFIG).read_text(encoding="utf-8")
        return Config().from_str(text)
    path = Path(config_path)
    if not path.is_file():
        raise FileNotFoundError(f"pipeline config not found: {path}")
    return Config().from_disk(path)


def shipped_model_path() -> Path:
    """Where kg's own trained pipeline lives (package data)."""
    return Path(str(resources.files("kg.nlp").joinpath("models", SHIPPED_MODEL)))


def _resolve(model: str | Path) -> str | Path:
    if str(model) == SHIPPED_MODEL:
        path = shipped_model_path()
        if not (path / "config.cfg").is_file():
            raise OSError(f"kg's shipped pipeline is missing from {path}; "
                          "reinstall kg or run training/train.py")
        return path
    return model


def load_pipeline(model: str | Path | None = None, config_path: str | Path | None = None) -> Language:
    """Return kg's NLP pipeline.

    Args:
        model: the statistical base: ``None`` for ``$KG_MODEL`` if set, else the config's ``[kg] base`` (by default
            kg's shipped pipeline ``kg_en_news``), ``"blank"`` for none (kg's rules on a
            blank English tokenizer), or any installed spaCy pipeline name or path
            (``"en_core_web_sm"``). kg's components run on top of it and read its entity
            labels through :func:`kg.nlp.labels.entity_kind`.
        config_path: a kg pipeline config (default: the shipped ``default.cfg``).

    The base keeps its tagger, parser, NER and lemmatizer, but gets kg's tokenizer (hyphenated
    words stay whole). With ``[kg] sentences = "rules"`` kg's sentence splitter runs before
    the parser (which keeps those boundaries); with ``"model"`` the parser decides alone.

    Raises:
        OSError: the model is not installed or not a valid path.
        FileNotFoundError: ``config_path`` does not exist.
        ValueError: the config is invalid.
    """
    cfg = _config(config_path)
    settings = dict(cfg.get("kg", {}))
    if model is None:
        model = os.environ.get("KG_MODEL") or settings.get("base") or SHIPPED_MODEL
    if str(model) == BLANK:
        blank = cfg.copy()
        blank.pop("kg", None)
        return spacy.util.load_model_from_config(blank, auto_fill=True, validate=True)
    sentences = settings.get("sentences", "rules")
    if sentences not in SENTENCE_SOURCES:
        raise ValueError(f"[kg] sentences must be one of {SENTENCE_SOURCES}, not {sentences!r}")
    try:
        nlp = spacy.load(_resolve(model), exclude=list(settings.get("exclude", [])))
    except OSError as exc:
        raise OSError(f"spaCy pipeline {str(model)!r} is not installed or not a valid path: {exc}") from exc
    tokenizer = cfg["nlp"].get("tokenizer")
    if tokenizer is not None:
        nlp.tokenizer = registry.resolve({"t": tokenizer})["t"](nlp)
    has_sents = any(n in nlp.pipe_names for n in ("parser", "senter", "sentencizer"))
    for name in KG_COMPONENTS:
        comp = dict(cfg["components"].get(name, {}))
        factory = comp.pop("factory", name)
        if name == "kg_sentences":
            if has_sents and sentences == "model":
                continue
            # the parser keeps boundaries set before it; a senter or sentencizer overwrites them
            splitters = [n for n in nlp.pipe_names if n in ("senter", "sentencizer")]
            where = ({"before": "parser"} if "parser" in nlp.pipe_names
                     else {"after": splitters[-1]} if splitters else {})
            nlp.add_pipe(factory, name=name, config=comp, **where)
            continue
        nlp.add_pipe(factory, name=name, config=comp)
    return nlp
