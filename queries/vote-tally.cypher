// title: Votes on DPRK and related matters, counted
// description: Each voting event with the number of states for, against and abstaining as recorded, the vetoes and the outcome as the sources give it.
MATCH (c:Country)-[v:CAST_VOTE]->(e:Event)
WITH e, count(c) AS recorded,
     sum(CASE WHEN v.vote = 'for' THEN 1 ELSE 0 END) AS votes_for,
     sum(CASE WHEN v.vote = 'against' THEN 1 ELSE 0 END) AS votes_against,
     sum(CASE WHEN v.vote = 'abstain' THEN 1 ELSE 0 END) AS abstentions,
     sum(CASE WHEN v.veto = true THEN 1 ELSE 0 END) AS vetoes
RETURN e.date_text AS date, e.name AS vote, e.result AS result, recorded, votes_for,
       votes_against, abstentions, vetoes
ORDER BY e.date_from, vote
