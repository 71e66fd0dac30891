"""NLP stage: a spaCy pipeline, assembled from ``default.cfg``, with kg's components.

Components (registered with ``@Language.factory``): ``kg_sentences``, ``kg_names``, ``kg_coref``,
``kg_temporal``, ``kg_relations``. Their output lives on ``doc._.kg_clusters``,
``doc._.kg_relations`` and ``doc._.kg_facts`` (see :mod:`kg.nlp.doc_model`).
"""

from kg.nlp.pipeline import DEFAULT_CONFIG, load_pipeline

__all__ = ["DEFAULT_CONFIG", "load_pipeline"]
