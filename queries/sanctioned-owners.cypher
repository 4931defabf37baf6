// title: Vessels whose owner or operator is sanctioned
// description: Each vessel owned or operated by a sanctioned person or company: the owner, who sanctioned it and since when.
MATCH (o)-[r:OWNS|OPERATES]->(v:Vessel)
MATCH (s:Sanction)-[d:DESIGNATED]->(o)
OPTIONAL MATCH (j)-[:IMPOSED]->(s)
RETURN v.name AS vessel, o.name AS owner_or_operator, type(r) AS link, r.date_text AS link_date, r.seen_text AS link_seen,
       j.name AS jurisdiction, s.name AS sanction, d.listed AS listed, d.date_text AS in_force
ORDER BY vessel, owner_or_operator, link, d.date_from, sanction
