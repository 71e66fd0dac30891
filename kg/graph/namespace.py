"""kg's RDF namespaces, as the graph stage has always imported them: :mod:`kg.namespace`.

The module moved below every stage (:mod:`kg.schema`, :mod:`kg.sparql` and the NLP components
read the ontology too); this name stays so that ``from kg.graph.namespace import KG`` keeps
working.
"""

from kg.namespace import *  # noqa: F401,F403
from kg.namespace import __all__  # noqa: F401
