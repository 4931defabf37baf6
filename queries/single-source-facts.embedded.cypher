MATCH (a)-[r]->(b)
WHERE r.status = $status AND size(r.cite_sources) = 1
MATCH (s:Source)
WHERE s.id = r.cite_sources[1]
RETURN label(r) AS type, a.name AS from_name, b.name AS to_name, r.date_text AS date,
       s.name AS source, r.rid AS relationship
ORDER BY type, relationship
