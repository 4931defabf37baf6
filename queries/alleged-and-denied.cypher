// title: Claims alleged by one party and denied by another
// description: Relationships recorded both as alleged and as denied between the same two parties, with who says what.
MATCH (a)-[x:SUPPLIED]->(b)
WHERE x.status = 'alleged'
MATCH (a)-[y:SUPPLIED]->(b)
WHERE y.status = 'denied'
RETURN a.name AS from_party, b.name AS to_party, x.item AS alleged_item, x.status_by AS alleged_by,
       x.date_text AS alleged_on, y.status_by AS denied_by, y.date_text AS denied_on
ORDER BY alleged_on, denied_on
