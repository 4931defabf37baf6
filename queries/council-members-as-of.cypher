// title: Security Council members on a date
// description: States with a Security Council seat as of a date (permanent seats undated), with the seat.
// param: as_of (date) The day, ISO
// example: as_of=2024-03-28
MATCH (c:Country)-[m:MEMBER_OF]->(o:Organization)
WHERE o.id = 'org:unsc'
  AND (m.date_from IS NULL OR m.date_from <= $as_of)
  AND (m.date_to IS NULL OR m.date_to >= $as_of)
RETURN c.name AS member, m.seat AS seat, m.date_text AS term
ORDER BY seat DESC, member
