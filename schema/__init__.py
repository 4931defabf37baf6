"""rnkg's data model: ``types.yaml`` declares every node and relationship type once.

>>> from rnkg.schema import load_schema
>>> s = load_schema()
>>> s.node_type_for_id("person:kim-jong-un").name
'Person'
>>> ("Person", "Agreement") in s.relationships["SIGNED"].endpoints
True
"""

from rnkg.schema.model import GraphSchema, NodeType, PropertySpec, RelType, load_schema

__all__ = ["GraphSchema", "NodeType", "PropertySpec", "RelType", "load_schema"]
