// title: Every veto and who cast it
// description: Each veto in the graph: the permanent member, the vote, what it was about, and the sources.
MATCH (c:Country)-[v:CAST_VOTE]->(e:Event)
WHERE v.veto = true
OPTIONAL MATCH (e)-[:ABOUT]->(x)
WITH c, v, e, collect(x.name) AS about
RETURN e.date_text AS date, c.name AS vetoed_by, e.name AS vote, about, e.document AS document,
       v.cite_sources AS sources
ORDER BY e.date_from, vetoed_by
