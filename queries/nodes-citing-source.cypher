// title: Nodes a source supports
// description: Every node that cites a source, with its status and date (says who? the other way round).
// param: source (entity) The source: an id, title or alias
// example: source=source:s003
MATCH (n)
WHERE $source IN n.cite_sources
RETURN n.id AS node, n.name AS name, n.date_text AS date, n.status AS status
ORDER BY node
