// title: Owners and operators of a vessel
// description: Who owns or operates a vessel, over which dates, and the sanctions on each of them.
// param: vessel (entity) The vessel: an id, name, alias or IMO number
// example: vessel=Lady R
MATCH (o)-[r:OWNS|OPERATES]->(v:Vessel)
WHERE v.id = $vessel
OPTIONAL MATCH (s:Sanction)-[:DESIGNATED]->(o)
WITH o, r, collect(s.name) AS sanctions
RETURN o.name AS company, type(r) AS link, r.date_text AS period, r.seen_text AS seen, r.status AS status, sanctions
ORDER BY r.date_from, company, link
