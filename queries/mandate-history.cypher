// title: Mandate renewals of a body, in order
// description: The resolutions and drafts that renewed, adjusted or would have renewed a body's mandate (the 1718 Panel of Experts by default), with their outcome.
// param: body (entity) The body: an id, name or alias = "org:un-poe-dprk"
MATCH (res:Resolution)-[m:MANDATES]->(o:Organization)
WHERE o.id = $body
RETURN m.date_text AS date, res.name AS resolution, res.symbol AS symbol, m.action AS action,
       m.until AS until, res.outcome AS outcome
ORDER BY m.date_from, resolution
