MATCH (e:Event)
WHERE e.kind IN ['visit', 'summit'] AND NOT EXISTS { MATCH (e)-[:PART_OF]->(:Event) }
OPTIONAL MATCH (e)-[:HELD_AT]->(p:Place)
OPTIONAL MATCH (e)<-[:PART_OF]-(:Event)-[:HELD_AT]->(q:Place)
WITH e, p.country AS own, q.country AS part, count(*) AS n
ORDER BY n DESC, part SKIP 0
WITH e, own, collect(coalesce(part, own, '')) AS parts
WITH DISTINCT e, coalesce(own, parts[1]) AS host
WHERE host IN ['RU', 'KP']
MATCH (v:Person)-[:ATTENDED]->(e)
MATCH (v)-[:NATIONAL_OF]->(c:Country)
WHERE c.iso2 IN ['RU', 'KP'] AND c.iso2 <> host
WITH e, host, collect(DISTINCT v.name) AS visitors
RETURN e.date_text AS date, e.name AS visit,
       CASE host WHEN 'RU' THEN 'DPRK to Russia' ELSE 'Russia to the DPRK' END AS direction,
       visitors
ORDER BY e.date_from, visit
