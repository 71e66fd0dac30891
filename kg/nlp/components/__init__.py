"""kg's spaCy components. Importing this package registers their factories."""

from kg.nlp.components import coref, names, relations, segmentation, temporal  # noqa: F401
