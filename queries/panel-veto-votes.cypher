// title: Votes on the Panel of Experts renewal, 28 March 2024
// description: Each Security Council member's vote on the draft that would have extended the 1718 Panel of Experts, with sources.
// param: event (entity) The vote event: an id or name = "event:unsc-veto-2024-03-28"
MATCH (c:Country)-[v:CAST_VOTE]->(e:Event)
WHERE e.id = $event
RETURN c.name AS member, v.vote AS vote, v.veto AS veto, v.seat AS seat,
       e.date_text AS date, v.cite_sources AS sources
ORDER BY vote, member
