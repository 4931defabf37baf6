// title: Sanctions on an entity, by jurisdiction
// description: Every designation that lists an entity (person, company or vessel): the jurisdiction, the act, its authority and the listing date.
// param: entity (entity) The target: an id, name, alias or IMO number
// example: entity=MG-Flot
MATCH (s:Sanction)-[d:DESIGNATED]->(t)
WHERE t.id = $entity
OPTIONAL MATCH (j)-[:IMPOSED]->(s)
RETURN j.name AS jurisdiction, s.name AS sanction, s.authority AS authority,
       d.listed AS listed, d.date_text AS in_force, d.status AS status, d.cite_sources AS sources
ORDER BY jurisdiction, d.date_from, sanction
