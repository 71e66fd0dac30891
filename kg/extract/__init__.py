"""Extract stage: run the NLP pipeline on an article and return its records with evidence."""

from kg.extract.extractor import doc_to_extraction, extract_article, extract_articles

__all__ = ["doc_to_extraction", "extract_article", "extract_articles"]
