// title: Who said what about something
// description: Comments by people, states and bodies on an event, agreement, resolution or body, in date order.
// param: subject (entity) What was commented on: an id, name or alias = "agreement:ru-kp-treaty-2024"
MATCH (x)-[c:COMMENTED_ON]->(s)
WHERE s.id = $subject
RETURN c.date_text AS date, x.name AS speaker, c.summary AS summary, c.status AS status
ORDER BY c.date_from, speaker, c.rid
