MATCH (j)-[:IMPOSED]->(s:Sanction)-[d:DESIGNATED]->(t)
WITH j.name AS jurisdiction, date_part('year', d.date_from) AS year, s, t
RETURN jurisdiction, year, count(DISTINCT s) AS acts, count(DISTINCT t) AS targets
ORDER BY jurisdiction, year
