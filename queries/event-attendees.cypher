// title: Who attended an event, in what role
// description: The people, states and bodies recorded at an event (the Vostochny summit by default), with their role and sources.
// param: event (entity) The event: an id or name = "event:vostochny-summit-2023"
MATCH (x)-[r:ATTENDED]->(e:Event)
WHERE e.id = $event
RETURN x.name AS attendee, r.role AS role, r.status AS status, r.cite_sources AS sources
ORDER BY attendee
