// title: Provisions of an agreement
// description: The articles of an agreement as the graph records them, and the earlier provision each one mirrors.
// param: agreement (entity) The agreement: an id, name or alias = "agreement:ru-kp-treaty-2024"
MATCH (p:Provision)-[:PART_OF]->(a:Agreement)
WHERE a.id = $agreement
OPTIONAL MATCH (p)-[:MIRRORS]->(q:Provision)
RETURN p.article AS article, p.name AS provision, p.summary AS summary, q.name AS mirrors
ORDER BY p.id
