// title: Ratification chain of an agreement
// description: Each step of ratification or approval of an agreement, by whom, in date order.
// param: agreement (entity) The agreement: an id, name or alias = "agreement:ru-kp-treaty-2024"
MATCH (x)-[r:RATIFIED]->(a:Agreement)
WHERE a.id = $agreement
RETURN r.date_text AS date, x.name AS by, r.step AS step, r.status AS status,
       r.cite_sources AS sources
ORDER BY r.date_from, by, step
