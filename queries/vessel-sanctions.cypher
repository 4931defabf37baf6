// title: Sanctions on a vessel and on its owners and operators
// description: Designations that list a vessel, or the companies that own or operate it, by jurisdiction and date.
// param: vessel (entity) The vessel: an id, name, alias or IMO number
// example: vessel=Maia-1
MATCH (v:Vessel) WHERE v.id = $vessel
MATCH (s:Sanction)-[d:DESIGNATED]->(t)
WHERE t.id = v.id OR EXISTS { MATCH (t)-[:OWNS|OPERATES]->(v) }
RETURN t.name AS target, s.name AS sanction, s.authority AS authority,
       d.date_text AS date, d.status AS status, d.cite_sources AS sources
ORDER BY d.date_from, target
