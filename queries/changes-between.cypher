// title: What changed between two dates
// description: Facts (nodes and relationships, sources left out) whose date begins within [since, until], in date order.
// param: since (date) First day, ISO
// param: until (date) Last day, ISO
// example: since=2024-06-18
// example: until=2024-06-20
OPTIONAL MATCH (n)
WHERE n.date_from >= $since AND n.date_from <= $until AND NOT n:Source
WITH collect({date: n.date_text, kind: 'node', fact: n.name, status: n.status, id: n.id,
              sort: n.date_from}) AS node_facts
OPTIONAL MATCH (a)-[r]->(b)
WHERE r.date_from >= $since AND r.date_from <= $until
WITH node_facts, collect({date: r.date_text, kind: type(r), fact: a.name + ' -> ' + b.name,
                           status: r.status, id: r.rid, sort: r.date_from}) AS rel_facts
WITH node_facts + rel_facts AS facts
UNWIND facts AS f
WITH f WHERE f.id IS NOT NULL
RETURN f.date AS date, f.kind AS kind, f.fact AS fact, f.status AS status, f.id AS id
ORDER BY f.sort, id
