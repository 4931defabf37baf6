"""The facts review of December 2026 (shared/research/facts-review.md), settled in the curated
data: each test reads, on the loaded store of each engine, a fact the review found wrong (E1-E7)
or doubtful (D1-D19), or a name a lookup must resolve. Each failed on the data before the fix."""

from datetime import date

import pytest

from rnkg.graph.lookup import resolve_entity

# A relationship holds on day $d when its validity (date_from..date_to, either end open) covers it.
COVERS = ("(r.date_from IS NULL OR r.date_from <= $d) "
          "AND (r.date_to IS NULL OR r.date_to >= $d)")


def _rows(backend, cypher, **params):
    return backend.query(cypher, params).records()


# ------------------------------------------------------------------ errors E1-E7

def test_e1_resolution_2680_renewed_the_panel_until_30_april_2024(loaded):
    rows = _rows(loaded, """
        MATCH (r:Resolution)-[m:MANDATES]->(o:Organization {id: 'org:un-poe-dprk'})
        WHERE m.action = 'renews'
        RETURN r.id AS r, r.date_from AS adopted, m.until AS until, m.cite_sources AS src
        ORDER BY m.date_from""")
    last = rows[-1]
    assert (last["r"], last["adopted"], last["until"]) == (
        "resolution:unsc-2680", date(2023, 3, 23), date(2024, 4, 30))
    assert "source:un-sc15240" in last["src"]
    res_2627 = [r for r in rows if r["r"] == "resolution:unsc-2627"]
    assert [r["until"] for r in res_2627] == [date(2023, 4, 30)]


def test_e2_the_s004_us_officials_edge_starts_at_the_us_not_at_kirby(loaded):
    rows = _rows(loaded, """
        MATCH (x)-[c:COMMENTED_ON]->(e:Event {id: 'event:vostochny-summit-2023'})
        WHERE $s IN c.cite_sources
        RETURN x.id AS who, c.status_by AS by""", s="source:s004")
    assert [r["who"] for r in rows] == ["country:us"]
    assert rows[0]["by"] == ["country:us"]


def test_e3_the_angara_is_nk_pros_identification_the_voyage_the_us_allegation(loaded):
    sailed = _rows(loaded, """
        MATCH (:Vessel {id: 'vessel:angara'})-[s:SAILED]->(:Voyage {id: $v})
        RETURN s.status AS status, s.status_by AS by""", v="voyage:angara-2023-09-najin-dunay")
    assert sailed == [{"status": "reported", "by": ["org:nk-pro"]}]
    route = _rows(loaded, """
        MATCH (:Voyage {id: $v})-[p:FROM_PORT|TO_PORT]->(:Place)
        RETURN p.status AS status, p.status_by AS by""", v="voyage:angara-2023-09-najin-dunay")
    assert len(route) == 2
    assert all(r == {"status": "alleged", "by": ["country:us"]} for r in route), route


def test_e4_nk_pro_named_the_four_ships_of_the_32_trips(loaded):
    rows = _rows(loaded, """
        MATCH (v:Vessel)-[s:SAILED]->(:Voyage {id: 'voyage:shuttle-fleet-2024-02-rajin-russia'})
        RETURN v.id AS ship, s.status_by AS by, s.cite_sources AS src ORDER BY ship""")
    assert [r["ship"] for r in rows] == [
        "vessel:angara", "vessel:lady-r", "vessel:maia-1", "vessel:maria"]
    for r in rows:
        assert r["by"] == ["org:nk-pro"]
        assert "source:ansa-20240302" in r["src"], r


def test_e5_choe_son_hui_was_dprk_foreign_minister_on_15_january_2024(loaded):
    rows = _rows(loaded, f"""
        MATCH (p:Person)-[r:ROLE_IN]->(:Organization {{id: 'org:kp-mfa'}})
        WHERE r.role = 'Minister of Foreign Affairs' AND {COVERS}
        RETURN p.id AS who, r.date_from AS since""", d=date(2024, 1, 15))
    assert rows == [{"who": "person:choe-son-hui", "since": date(2022, 6, 1)}]


def test_e5_matsegora_was_ambassador_from_december_2014_until_his_death(loaded):
    rows = _rows(loaded, """
        MATCH (:Person {id: 'person:alexander-matsegora'})-[r:ROLE_IN]->(:Organization)
        RETURN r.date_from AS since, r.date_to AS until""")
    assert rows == [{"since": date(2014, 12, 1), "until": date(2025, 12, 6)}]


def test_e5_no_role_is_stored_as_a_single_attestation_month(loaded):
    """A role dated by one attested month or day reads as a one-month term: only the few kept
    closed on purpose (their term began just before; each says so in its note) remain."""
    rows = [r for r in _rows(loaded, """
        MATCH (p:Person)-[r:ROLE_IN]->()
        RETURN p.id AS who, r.date_text AS d, r.date_precision AS prec, r.note AS note""")
        if r["d"] and "/" not in r["d"] and r["prec"] in ("day", "month")]
    assert {r["who"] for r in rows} == {
        "person:abdulla-shahid", "person:dennis-francis", "person:mark-rutte",
        "person:pak-thae-song"}
    assert all("kept closed" in r["note"] for r in rows), rows


def test_e6_mg_flot_owned_and_operated_maia_1_during_the_2023_24_shuttle(loaded):
    for day in (date(2023, 10, 15), date(2024, 2, 12)):
        for rel in ("OWNS", "OPERATES"):
            rows = _rows(loaded, f"""
                MATCH (o:Organization)-[r:{rel}]->(:Vessel {{id: 'vessel:maia-1'}})
                WHERE {COVERS}
                RETURN o.id AS o""", d=day)
            assert rows == [{"o": "org:mg-flot"}], (rel, day)


def test_e7_the_diplomat_is_cited_where_s002_names_it(loaded):
    rows = _rows(loaded, "MATCH (o:Organization {id: 'org:the-diplomat'}) "
                         "RETURN o.cite_quotes AS quotes")
    assert any("pour Le Diplomate" in q for q in rows[0]["quotes"]), rows


# ------------------------------------------------------------------ doubts D1-D19

def test_d2_rok_designated_lady_r_and_angara_then_maia_1_and_maria(loaded):
    rows = _rows(loaded, """
        MATCH (:Country {id: 'country:kr'})-[:IMPOSED]->(s:Sanction)-[d:DESIGNATED]->(v:Vessel)
        RETURN d.date_from AS listed, v.id AS ship ORDER BY listed, ship""")
    assert [(r["listed"], r["ship"]) for r in rows] == [
        (date(2024, 4, 2), "vessel:angara"), (date(2024, 4, 2), "vessel:lady-r"),
        (date(2024, 5, 24), "vessel:maia-1"), (date(2024, 5, 24), "vessel:maria")]


def test_d8_the_s003_denials_are_denials_with_a_date(loaded):
    rows = _rows(loaded, """
        MATCH ()-[r]->()
        WHERE $q IN r.cite_quotes
        RETURN r.status AS status, r.date_to AS by_then""",
        q="Les deux États ont catégoriquement nié toute implication dans des livraisons d'armes.")
    assert len(rows) == 3
    assert all(r["status"] == "denied" and r["by_then"] == date(2023, 9, 12) for r in rows), rows


def test_d11_car_reported_dprk_weapons_to_the_council_on_28_june_2024(loaded):
    rows = _rows(loaded, """
        MATCH (:Country {id: 'country:kp'})-[s:SUPPLIED]->(:Country {id: 'country:ru'})
        WHERE s.rid = $rid
        RETURN s.date_to AS d, s.status_by AS by""", rid="country:kp-SUPPLIED->country:ru#car-2024")
    assert rows == [{"d": date(2024, 6, 28), "by": ["org:conflict-armament-research"]}]


@pytest.mark.parametrize(("start", "type_", "end"), [
    ("person:oleg-kozhemyako", "SUPPLIED", "country:kp"),        # D12, one TASS item
    ("org:mg-flot", "BASED_IN", "place:dagestan"),               # D13, 'per shipping databases'
    ("sanction:jp-202405", "DESIGNATED", "org:mg-flot"),         # D14, the owner inferred
])
def test_d12_to_d14_single_or_inferred_sources_are_reported_not_confirmed(loaded, start,
                                                                          type_, end):
    rows = _rows(loaded, f"MATCH (a {{id: $a}})-[r:{type_}]->(b {{id: $b}}) "
                         "RETURN r.status AS status, r.status_by AS by", a=start, b=end)
    assert len(rows) == 1
    assert rows[0]["status"] == "reported" and rows[0]["by"], rows


def test_d16_the_2000_treaty_and_the_2000_2001_declarations_have_signatories(loaded):
    rows = _rows(loaded, """
        MATCH (p:Person)-[s:SIGNED]->(a:Agreement)
        WHERE a.id IN $ids
        RETURN a.id AS agreement, p.id AS signer, s.date_from AS signed
        ORDER BY agreement, signer""",
        ids=["agreement:ru-kp-treaty-2000", "agreement:ru-kp-decl-2000",
             "agreement:ru-kp-decl-2001"])
    assert [(r["agreement"], r["signer"], r["signed"]) for r in rows] == [
        ("agreement:ru-kp-decl-2000", "person:kim-jong-il", date(2000, 7, 19)),
        ("agreement:ru-kp-decl-2000", "person:vladimir-putin", date(2000, 7, 19)),
        ("agreement:ru-kp-decl-2001", "person:kim-jong-il", date(2001, 8, 4)),
        ("agreement:ru-kp-decl-2001", "person:vladimir-putin", date(2001, 8, 4)),
        ("agreement:ru-kp-treaty-2000", "person:igor-ivanov", date(2000, 2, 9))]


@pytest.mark.parametrize("day", [date(2022, 5, 26), date(2023, 6, 1), date(2024, 3, 28)])
def test_d17_the_council_had_fifteen_members_each_year(loaded, day):
    rows = _rows(loaded, f"""
        MATCH (c:Country)-[r:MEMBER_OF]->(:Organization {{id: 'org:unsc'}})
        WHERE {COVERS}
        RETURN r.seat AS seat, count(c) AS n ORDER BY seat""", d=day)
    assert rows == [{"seat": "elected", "n": 10}, {"seat": "permanent", "n": 5}]


def test_d17_every_elected_voter_held_a_seat_on_the_day_of_the_vote(loaded):
    votes = _rows(loaded, """
        MATCH (c:Country)-[v:CAST_VOTE]->(e:Event)
        WHERE v.seat = 'elected'
        RETURN c.id AS c, e.date_from AS d""")
    assert len(votes) >= 20
    missing = []
    for v in votes:
        seats = _rows(loaded, f"""
            MATCH (:Country {{id: $c}})-[r:MEMBER_OF]->(:Organization {{id: 'org:unsc'}})
            WHERE {COVERS} RETURN count(r) AS n""", c=v["c"], d=v["d"])
        if seats[0]["n"] != 1:
            missing.append(v)
    assert missing == []


# ------------------------------------------------------------------ names (review item 6)

@pytest.mark.parametrize(("text", "expected"), [
    ("북한", "country:kp"),
    ("Vostochny", "place:vostochny-cosmodrome"),
    ("보스토치니 우주기지", "place:vostochny-cosmodrome"),
    ("Vostochny port", "place:vostochny-port"),
    ("MID", "org:ru-mfa"),
    ("라브로프", "person:sergei-lavrov"),
    ("마이아-1", "vessel:maia-1"),
    ("전문가 패널", "org:un-poe-dprk"),
    ("Washington", "country:us"),
])
def test_names_resolve_to_the_entity_the_seeds_mean(loaded, text, expected):
    assert resolve_entity(loaded, text).id == expected
