WITH CASE $script WHEN 'cyrillic' THEN '.*[Ѐ-ӿ].*' WHEN 'hangul' THEN '.*[가-힣ᄀ-ᇿ].*'
       WHEN 'latin' THEN '.*[A-Za-z].*' END AS pattern
MATCH (n:Person|Organization|Place|Vessel)
WHERE n.country IN ['RU', 'KP'] OR n.flag IN ['RU', 'KP']
   OR EXISTS { MATCH (n)-[:NATIONAL_OF]->(c:Country) WHERE c.iso2 IN ['RU', 'KP'] }
WITH n, pattern
WHERE NOT n.name =~ pattern AND NOT any(a IN n.aliases WHERE a =~ pattern)
RETURN label(n) AS type, n.id AS id, n.name AS name, n.aliases AS aliases
ORDER BY type, id
