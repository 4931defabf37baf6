"""rnkg: a sourced, typed knowledge graph of the Russia–North Korea relationship.

The repository root is this package: ``rnkg.schema`` declares the data model,
``rnkg.loaders`` reads and validates fact files, ``rnkg.graph`` writes and queries
the graph on LadybugDB (embedded) or Neo4j, ``rnkg.queries`` holds saved Cypher
queries, ``rnkg.cli`` is the ``rnkg`` command and ``rnkg.api`` the Python front door:

>>> import rnkg
>>> rnkg.open is rnkg.api.open
True
"""

from rnkg.api import Graph, open

__all__ = ["Graph", "open"]
__version__ = "0.1.0"
