// title: Propositions alleged by one party and denied by another
// description: One row per proposition (the from, type, to triple) that is both alleged and denied: who alleges, who denies, the first date of each and how many records of each.
MATCH (a)-[x]->(b)
WHERE x.status = 'alleged'
UNWIND x.status_by AS who
WITH a, b, type(x) AS type, collect(DISTINCT who) AS alleged_by,
     min(x.date_from) AS first_alleged, count(DISTINCT x.rid) AS allegations
MATCH (a)-[y]->(b)
WHERE y.status = 'denied' AND type(y) = type
UNWIND y.status_by AS who
WITH a, b, type, alleged_by, first_alleged, allegations, collect(DISTINCT who) AS denied_by,
     min(y.date_from) AS first_denied, count(DISTINCT y.rid) AS denials
RETURN a.name AS from_party, type, b.name AS to_party, alleged_by, first_alleged, allegations,
       denied_by, first_denied, denials
ORDER BY from_party, type, to_party
