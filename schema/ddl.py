"""DDL derived from the schema: LadybugDB tables, Neo4j constraints and indexes.

>>> from rnkg.schema import load_schema
>>> s = load_schema()
>>> ladybug_ddl(s)[0].startswith("CREATE NODE TABLE IF NOT EXISTS Country(id STRING PRIMARY KEY")
True
>>> neo4j_ddl(s)[0]
'CREATE CONSTRAINT rnkg_country_id IF NOT EXISTS FOR (n:Country) REQUIRE n.id IS UNIQUE'
"""

from __future__ import annotations

from rnkg.schema.model import REL_KEY, GraphSchema

HASH_COLUMN = "_hash"
"""Each stored row's content hash, written by a load (graph/loadplan.py); the leading
underscore keeps it out of every output."""

LADYBUG_TYPES = {
    "string": "STRING",
    "text": "STRING",
    "int": "INT64",
    "float": "DOUBLE",
    "bool": "BOOL",
    "date": "DATE",
    "string[]": "STRING[]",
}


def ladybug_ddl(schema: GraphSchema) -> list[str]:
    """``CREATE NODE TABLE`` / ``CREATE REL TABLE`` statements, nodes first."""
    out = []
    for label in schema.nodes:
        cols = schema.node_columns(label)
        body = ", ".join(
            f"{name} {LADYBUG_TYPES[typ]}" + (" PRIMARY KEY" if name == "id" else "")
            for name, typ in cols.items()
        ) + f", {HASH_COLUMN} STRING"
        out.append(f"CREATE NODE TABLE IF NOT EXISTS {label}({body})")
    for name, rt in schema.relationships.items():
        ends = ", ".join(f"FROM {a} TO {b}" for a, b in rt.endpoints)
        rel_cols = ", ".join(f"{c} {LADYBUG_TYPES[t]}" for c, t in schema.rel_columns(name).items())
        out.append(f"CREATE REL TABLE IF NOT EXISTS {name}({ends}, {rel_cols}, "
                   f"{HASH_COLUMN} STRING)")
    return out


def ladybug_expected_columns(schema: GraphSchema) -> dict[str, dict[str, str]]:
    """Table name -> column name -> LadybugDB type, to compare with an existing store."""
    out = {
        label: {c: LADYBUG_TYPES[t] for c, t in schema.node_columns(label).items()}
        | {HASH_COLUMN: "STRING"}
        for label in schema.nodes
    }
    for name in schema.relationships:
        out[name] = {c: LADYBUG_TYPES[t] for c, t in schema.rel_columns(name).items()}
        out[name][HASH_COLUMN] = "STRING"
    return out


def neo4j_ddl(schema: GraphSchema) -> list[str]:
    """Uniqueness constraints on every node id; indexes on names and relationship keys.

    A full-text index over every label's name, aliases and folded search keys serves lookups
    by any name (``db.index.fulltext.queryNodes('rnkg_names', 'poutine')``).
    """
    out = []
    for label in schema.nodes:
        low = label.lower()
        out.append(
            f"CREATE CONSTRAINT rnkg_{low}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE"
        )
    for label in schema.nodes:
        low = label.lower()
        out.append(f"CREATE INDEX rnkg_{low}_name IF NOT EXISTS FOR (n:{label}) ON (n.name)")
    labels = "|".join(schema.nodes)
    out.append(f"CREATE FULLTEXT INDEX rnkg_names IF NOT EXISTS FOR (n:{labels}) "
               "ON EACH [n.name, n.aliases, n.search_keys]")
    for name in schema.relationships:
        out.append(
            f"CREATE INDEX rnkg_{name.lower()}_{REL_KEY} IF NOT EXISTS "
            f"FOR ()-[r:{name}]-() ON (r.{REL_KEY})"
        )
    return out
