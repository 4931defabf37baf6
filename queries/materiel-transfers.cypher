// title: Transfers of materiel in each direction
// description: Every recorded supply (arms, goods, troops, workers) between the parties, by direction, with its status, who says so and when.
MATCH (a)-[r:SUPPLIED]->(b)
RETURN a.name + ' -> ' + b.name AS direction, r.date_text AS date, r.item AS item,
       r.status AS status, r.status_by AS by
ORDER BY direction, r.date_from, r.rid
