// title: Positions of a person over time
// description: Every post a person held (ROLE_IN), with its period as curated and its status.
// param: person (entity) The person: an id, name or alias
// example: person=Sergei Shoigu
MATCH (p:Person)-[r:ROLE_IN]->(b)
WHERE p.id = $person
RETURN r.role AS role, b.name AS in_body, r.date_text AS period, r.status AS status
ORDER BY r.date_from, role
