MATCH (o)-[r:OWNS|OPERATES]->(v:Vessel)
WHERE v.id = $vessel
OPTIONAL MATCH (s:Sanction)-[:DESIGNATED]->(o)
WITH o, r, collect(s.name) AS sanctions
RETURN o.name AS company, label(r) AS link, r.date_text AS period, r.seen_text AS seen, r.status AS status, sanctions
ORDER BY r.date_from, company, link
