// title: Who held which post in a state or body on a date
// description: Roles (ROLE_IN) in a state or body that hold as of a date (the `--as-of` rule): a term that covers the day, or, for a role only attested, seen on or before it; undated roles always.
// param: body (entity) The state or body: an id, name or alias
// param: as_of (date) The day, ISO
// example: body=org:kp-mfa
// example: as_of=2024-01-15
MATCH (p:Person)-[r:ROLE_IN]->(b)
WHERE b.id = $body
  AND (r.date_from IS NULL OR r.date_from <= $as_of)
  AND (r.date_to IS NULL OR r.date_to >= $as_of)
  AND (r.date_from IS NOT NULL OR r.date_to IS NOT NULL OR r.seen_from IS NULL
       OR r.seen_from <= $as_of)
RETURN p.name AS person, r.role AS role, r.date_text AS period, r.seen_text AS seen,
       r.status AS status
ORDER BY role, person
