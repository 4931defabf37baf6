// title: Facts resting on a single source
// description: Relationships of a given status that cite exactly one source, with that source: the first to re-check.
// param: status (string) A status: confirmed, stated, alleged, denied, assessed or reported = "alleged"
MATCH (a)-[r]->(b)
WHERE r.status = $status AND size(r.cite_sources) = 1
MATCH (s:Source)
WHERE s.id = r.cite_sources[0]
RETURN type(r) AS type, a.name AS from_name, b.name AS to_name, r.date_text AS date,
       s.name AS source, r.rid AS relationship
ORDER BY type, relationship
