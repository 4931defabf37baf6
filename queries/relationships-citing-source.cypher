// title: Relationships a source supports
// description: Every relationship that cites a source, with both ends, its status and date.
// param: source (entity) The source: an id, title or alias
// example: source=source:s003
MATCH (a)-[r]->(b)
WHERE $source IN r.cite_sources
RETURN a.name AS from_name, r.rid AS relationship, b.name AS to_name, r.date_text AS date,
       r.status AS status
ORDER BY relationship
