// title: Signatories of the 2024 treaty
// description: Who signed the treaty, when, in what capacity, and which sources say so.
// param: agreement (entity) The agreement: an id, name or alias = "agreement:ru-kp-treaty-2024"
MATCH (p:Person)-[s:SIGNED]->(a:Agreement)
WHERE a.id = $agreement
RETURN p.name AS signatory, s.capacity AS capacity, s.date_text AS date,
       a.name AS agreement, s.cite_sources AS sources
ORDER BY signatory
