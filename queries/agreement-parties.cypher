// title: Agreements and their parties
// description: Every agreement with its kind, date, entry into force and lapse, and the states party to it.
MATCH (a:Agreement)
OPTIONAL MATCH (c:Country)-[:PARTY_TO]->(a)
WITH a, collect(c.name) AS parties
RETURN a.name AS agreement, a.kind AS kind, a.date_text AS date, a.in_force_from AS in_force_from,
       a.in_force_to AS in_force_to, parties, a.status AS status
ORDER BY a.date_from, agreement
