"""Data package: kg's OWL ontology (kg.ttl) and SHACL shapes (shapes.ttl)."""
