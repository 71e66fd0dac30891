"""``kg serve``: a read-only SPARQL 1.1 Protocol endpoint over a kg store or an RDF file.

>>> server = SparqlServer("archive", port=0)      # doctest: +SKIP
>>> server.start(); print(server.url)             # doctest: +SKIP
>>> server.close()                                # doctest: +SKIP
"""

from kg.serve.server import ServerConfig, SparqlServer, serve

__all__ = ["ServerConfig", "SparqlServer", "serve"]
