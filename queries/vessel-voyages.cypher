// title: Voyages of a vessel
// description: Every documented voyage of a vessel with its ports, dates, precision, status and sources.
// param: vessel (entity) The vessel: an id, name, alias or IMO number
// example: vessel=Maia-1
MATCH (v:Vessel)-[:SAILED]->(y:Voyage)
WHERE v.id = $vessel
OPTIONAL MATCH (y)-[:FROM_PORT]->(a:Place)
OPTIONAL MATCH (y)-[:TO_PORT]->(b:Place)
RETURN y.name AS voyage, a.name AS from_port, b.name AS to_port,
       y.date_text AS date, y.date_precision AS precision, y.status AS status,
       y.cite_sources AS sources
ORDER BY y.date_from, voyage
