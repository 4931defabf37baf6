// title: Everything a source supports
// description: The nodes and relationships that cite a source, with the quote or section cited.
// param: source (string) Source id = "source:s000"
MATCH (n)
WHERE $source IN n.cite_sources
RETURN 'node' AS kind, n.id AS fact, n.name AS name, n.date_text AS date, n.status AS status
UNION ALL
MATCH (a)-[r]->(b)
WHERE $source IN r.cite_sources
RETURN 'relationship' AS kind, r.rid AS fact, a.name + ' → ' + b.name AS name, r.date_text AS date,
       r.status AS status
ORDER BY kind, fact
