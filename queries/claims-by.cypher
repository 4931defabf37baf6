// title: Claims a person, state or body made
// description: Every fact whose status_by names the claimant (stated, alleged, denied, assessed or reported by it), nodes and relationships, in date order.
// param: claimant (entity) Who: an id, name or alias
// example: claimant=John Kirby
OPTIONAL MATCH (n)
WHERE $claimant IN n.status_by
WITH collect({date: n.date_text, status: n.status, kind: 'node', fact: n.name, id: n.id,
              sort: n.date_from}) AS node_claims
OPTIONAL MATCH (a)-[r]->(b)
WHERE $claimant IN r.status_by
WITH node_claims, collect({date: r.date_text, status: r.status, kind: type(r),
                            fact: a.name + ' -> ' + b.name, id: r.rid, sort: r.date_from}) AS rel_claims
WITH node_claims + rel_claims AS claims
UNWIND claims AS c
WITH c WHERE c.id IS NOT NULL
RETURN c.date AS date, c.status AS status, c.kind AS kind, c.fact AS fact, c.id AS id
ORDER BY c.sort, id
