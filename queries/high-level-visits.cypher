// title: High-level visits in both directions
// description: Visits and summits in Russia or the DPRK (not their parts), in time order, with the direction and the visitors from the other side. A trip without a place of its own is hosted where most of its parts were held.
MATCH (e:Event)
WHERE e.kind IN ['visit', 'summit'] AND NOT EXISTS { MATCH (e)-[:PART_OF]->(:Event) }
OPTIONAL MATCH (e)-[:HELD_AT]->(p:Place)
OPTIONAL MATCH (e)<-[:PART_OF]-(:Event)-[:HELD_AT]->(q:Place)
WITH e, p.country AS own, q.country AS part, count(*) AS n
ORDER BY n DESC, part SKIP 0
WITH e, own, collect(coalesce(part, own, '')) AS parts
WITH DISTINCT e, coalesce(own, parts[0]) AS host
WHERE host IN ['RU', 'KP']
MATCH (v:Person)-[:ATTENDED]->(e)
MATCH (v)-[:NATIONAL_OF]->(c:Country)
WHERE c.iso2 IN ['RU', 'KP'] AND c.iso2 <> host
WITH e, host, collect(DISTINCT v.name) AS visitors
RETURN e.date_text AS date, e.name AS visit,
       CASE host WHEN 'RU' THEN 'DPRK to Russia' ELSE 'Russia to the DPRK' END AS direction,
       visitors
ORDER BY e.date_from, visit
