"""kg's spaCy components. Importing this package registers their factories."""

from kg.nlp.components import coref, morph, names, relations, segmentation, temporal  # noqa: F401
