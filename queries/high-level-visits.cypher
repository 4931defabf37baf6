// title: High-level visits in both directions
// description: Visits and summits held in Russia or the DPRK (not their parts), in time order, with the direction and the visitors from the other side.
MATCH (e:Event)-[:HELD_AT]->(p:Place)
WHERE e.kind IN ['visit', 'summit'] AND p.country IN ['RU', 'KP']
  AND NOT EXISTS { MATCH (e)-[:PART_OF]->(:Event) }
WITH DISTINCT e, p.country AS host
MATCH (v:Person)-[:ATTENDED]->(e)
MATCH (v)-[:NATIONAL_OF]->(c:Country)
WHERE c.iso2 IN ['RU', 'KP'] AND c.iso2 <> host
WITH e, host, collect(DISTINCT v.name) AS visitors
RETURN e.date_text AS date, e.name AS visit,
       CASE host WHEN 'RU' THEN 'DPRK to Russia' ELSE 'Russia to the DPRK' END AS direction,
       visitors
ORDER BY e.date_from, visit
