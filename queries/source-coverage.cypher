// title: How many facts each source supports
// description: Sources ranked by the relationships and nodes that cite them, with their kind and outlet.
MATCH (s:Source)
OPTIONAL MATCH ()-[r]->()
WHERE s.id IN r.cite_sources
WITH s, count(r) AS relationships
OPTIONAL MATCH (n)
WHERE s.id IN n.cite_sources
WITH s, relationships, count(n) AS nodes
WHERE relationships + nodes > 0
RETURN s.id AS source, s.name AS name, s.kind AS kind, s.outlet AS outlet, relationships, nodes
ORDER BY relationships + nodes DESC, source
LIMIT 25
