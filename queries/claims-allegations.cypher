// title: Allegations of transfers, with accusers, evidence and denials
// description: One row per alleged transfer (SUPPLIED): the parties, what was transferred, who alleges it (status_by) and when, the evidence the allegation rests on, its sources, and every denial of a transfer between the same parties, with who denied it, when and on what evidence.
MATCH (a)-[x:SUPPLIED]->(b)
WHERE x.status = 'alleged'
OPTIONAL MATCH (a)-[y:SUPPLIED]->(b)
WHERE y.status = 'denied'
WITH a, b, x, collect(CASE WHEN y IS NULL THEN NULL ELSE
       {denied_by: y.status_by, denied_on: y.date_text, evidence: y.evidence} END) AS denials
RETURN a.name AS from_party, b.name AS to_party, x.item AS item, x.status_by AS alleged_by,
       x.date_text AS alleged_on, x.evidence AS evidence, x.cite_sources AS sources,
       size(denials) AS denial_count, denials, x.rid AS relationship
ORDER BY x.date_from, relationship
