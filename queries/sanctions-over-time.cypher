// title: Sanctions by jurisdiction over time
// description: Designations per issuing state or body and year of listing, with the number of acts and of targets.
MATCH (j)-[:IMPOSED]->(s:Sanction)-[d:DESIGNATED]->(t)
WITH j.name AS jurisdiction, d.date_from.year AS year, s, t
RETURN jurisdiction, year, count(DISTINCT s) AS acts, count(DISTINCT t) AS targets
ORDER BY jurisdiction, year
