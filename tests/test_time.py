"""Time ("as of D", "known by D") and the path and neighbourhood filters, on both engines and
networkx, on the curated facts."""

from datetime import date

import networkx as nx
import pytest

from rnkg.errors import QueryError
from rnkg.graph.lookup import neighbourhood, neighbourhood_graph
from rnkg.graph.nx import filter_graph, to_networkx
from rnkg.graph.paths import shortest_paths
from rnkg.graph.timeline import FactFilter, known_sources, published_by
from rnkg.schema import load_schema

POE = "org:un-poe-dprk"
TREATY = "agreement:ru-kp-treaty-2024"


# ------------------------------------------------------------------ the rule itself
@pytest.mark.parametrize(("kind", "props", "day", "expected"), [
    ("period", {}, "1900-01-01", True),                                   # no date: always in
    ("period", {"date_from": "2009-06-12", "date_to": "2024-04-30"}, "2024-04-30", True),
    ("period", {"date_from": "2009-06-12", "date_to": "2024-04-30"}, "2024-05-01", False),
    ("period", {"date_from": "2009-06-12", "date_to": "2024-04-30"}, "2009-06-11", False),
    ("period", {"date_from": None, "date_to": "2024-05-31"}, "1990-01-01", True),  # open start
    ("period", {"date_from": "2024-12-04", "date_to": None}, "2030-01-01", True),  # open end
    # an attestation: in from the first day seen, not cut off after it
    ("period", {"seen_from": "2023-09-01", "seen_to": "2023-09-30"}, "2023-08-31", False),
    ("period", {"seen_from": "2023-09-01", "seen_to": "2023-09-30"}, "2025-01-01", True),
    # an event: in from when it happened, for ever after
    ("event", {"date_from": "2024-06-19", "date_to": "2024-06-19"}, "2024-06-18", False),
    ("event", {"date_from": "2024-06-19", "date_to": "2024-06-19"}, "2030-06-18", True),
    ("event", {"date_from": "2023-08-01", "date_to": "2023-10-31"}, "2023-08-15", True),
    ("event", {"date_from": None, "date_to": "2025-09-03"}, "2023-01-01", False),  # end only
    ("event", {"date_from": None, "date_to": "2025-09-03"}, "2025-09-03", True),
])
def test_the_time_rule(kind, props, day, expected):
    assert FactFilter(as_of=date.fromisoformat(day)).in_time(kind, props) is expected


def test_a_month_is_published_by_its_last_day():
    june = {"date_from": "2024-06-01", "date_to": "2024-06-30"}
    assert not published_by(june, date(2024, 6, 29))
    assert published_by(june, date(2024, 6, 30))
    assert not published_by({"undated": "reference work"}, date(2100, 1, 1))


def test_every_curated_source_has_a_publication_date_or_says_why_not(curated):
    sources = [n for n in curated.nodes.values() if n.label == "Source"]
    assert len(sources) > 200
    for node in sources:
        assert (node.date is None) == bool(node.undated), node.id
    assert sum(1 for n in sources if n.undated) <= 11


def test_every_type_declares_how_time_reads():
    schema = load_schema()
    labels, types = schema.period_types()
    assert {"Organization", "Sanction"} <= set(labels) and "Event" not in labels
    assert {"ROLE_IN", "OWNS", "OPERATES", "MEMBER_OF", "PARTY_TO", "MANDATES"} <= set(types)
    assert not {"SIGNED", "CAST_VOTE", "ATTENDED", "SAILED"} & set(types)


def test_bad_filter_values_are_refused(curated_store):
    with pytest.raises(QueryError, match="--as-of: '2024-02-30' is not a day"):
        shortest_paths(curated_store, "country:ru", TREATY, as_of="2024-02-30")
    with pytest.raises(QueryError, match="unknown node type Nation"):
        shortest_paths(curated_store, "country:ru", TREATY, exclude_types=["Nation"])
    with pytest.raises(QueryError, match="unknown status sure"):
        shortest_paths(curated_store, "country:ru", TREATY, statuses=["sure"])
    with pytest.raises(QueryError, match="--limit"):
        shortest_paths(curated_store, "country:ru", TREATY, limit=0)


# ------------------------------------------------------------------ the curated data, both engines
def _neighbour_ids(backend, node_id, **kw):
    return {(n.relationship.type, n.node.id) for n in neighbourhood(backend, node_id, **kw)}


def test_the_panel_of_experts_mandate_holds_until_april_2024(curated_store):
    assert ("ESTABLISHED", POE) in _neighbour_ids(curated_store, "resolution:unsc-1874")
    assert ("ESTABLISHED", POE) in _neighbour_ids(curated_store, "resolution:unsc-1874",
                                                  as_of="2024-01-01")
    assert ("ESTABLISHED", POE) not in _neighbour_ids(curated_store, "resolution:unsc-1874",
                                                      as_of="2024-06-01")
    for day, expected in (("2024-01-01", True), ("2024-06-01", False)):
        assert (POE in to_networkx(curated_store, as_of=day)) is expected


def test_the_2024_treaty_is_in_force_from_december_2024(curated_store):
    def parties(day):
        return sorted(node for typ, node in _neighbour_ids(curated_store, TREATY, as_of=day)
                      if typ == "PARTY_TO")

    assert parties("2025-01-01") == ["country:kp", "country:ru"]
    assert parties("2024-07-01") == []
    g = to_networkx(curated_store, as_of="2024-07-01")
    assert TREATY in g and not g.has_edge("country:ru", TREATY)  # signed, not yet in force
    assert to_networkx(curated_store, as_of="2025-01-01").has_edge("country:ru", TREATY)


def test_a_path_through_2024_facts_does_not_exist_as_of_2023(curated_store):
    a, b = "person:vladimir-putin", "person:kim-jong-un"
    today = shortest_paths(curated_store, a, b, max_hops=2, via=["SIGNED"])
    assert [n.id for n in today[0].nodes] == [a, TREATY, b]
    assert shortest_paths(curated_store, a, b, max_hops=2, via=["SIGNED"], as_of="2024-07-01")
    assert shortest_paths(curated_store, a, b, max_hops=2, via=["SIGNED"], as_of="2023-01-01") == []


def test_as_of_and_known_by_change_the_maia_to_panel_answer(curated_store):
    a, b = "vessel:maia-1", POE
    assert shortest_paths(curated_store, a, b, max_hops=4)
    assert shortest_paths(curated_store, a, b, max_hops=4, as_of="2023-01-01") == []
    assert shortest_paths(curated_store, a, b, max_hops=4, known_by="2023-01-01") == []


def test_known_by_keeps_only_facts_cited_by_sources_published_by_then(curated_store):
    day = date(2024, 1, 1)
    known = known_sources(curated_store, day)
    g = to_networkx(curated_store)
    published = {n for n, a in g.nodes(data=True) if a.get("label") == "Source"
                 and published_by(a, day)}
    assert known == published and known
    kept = {n.relationship.properties["rid"]
            for n in neighbourhood(curated_store, "vessel:maia-1", known_by=day)}
    every = neighbourhood(curated_store, "vessel:maia-1")
    assert kept and len(kept) < len(every)
    for n in every:
        cites_known = bool(set(n.relationship.properties["cite_sources"]) & known)
        assert (n.relationship.properties["rid"] in kept) is cites_known


# ------------------------------------------------------------------ three answers agree
FILTERS = [
    {},
    {"exclude_types": ["Country"]},
    {"as_of": "2024-01-01"},
    {"known_by": "2024-06-30"},
    {"statuses": ["confirmed"]},
    {"as_of": "2025-06-01", "exclude_types": ["Country", "Source"], "exclude": ["org:unsc"]},
]
PAIRS = [
    ("person:kim-jong-un", "vessel:maia-1", 5),
    ("vessel:maia-1", POE, 4),
    ("person:vladimir-putin", "country:kp", 3),
]


def _reference(backend, a, b, **kw):
    filt = FactFilter.build(backend, keep=(a, b), **kw)
    g = filter_graph(to_networkx(backend), backend.schema, filt)
    simple = nx.Graph()
    simple.add_nodes_from(g.nodes)
    simple.add_edges_from((u, v) for u, v in g.edges() if u != v)
    return simple


def test_paths_with_filters_agree_with_networkx_on_both_engines(curated_store):
    checked = 0
    for a, b, hops in PAIRS:
        for kw in FILTERS:
            ref = _reference(curated_store, a, b, **kw)
            try:
                expected = {tuple(p) for p in nx.all_shortest_paths(ref, a, b)}
            except (nx.NetworkXNoPath, nx.NodeNotFound):
                expected = set()
            if expected and len(next(iter(expected))) - 1 > hops:
                expected = set()
            found = shortest_paths(curated_store, a, b, max_hops=hops, all_shortest=True, **kw)
            assert {tuple(n.id for n in p.nodes) for p in found} == expected, (a, b, kw)
            checked += bool(expected)
            for p in found:
                inner = p.nodes[1:-1]
                assert not {n.labels[0] for n in inner} & set(kw.get("exclude_types", ()))
                assert not {n.id for n in inner} & set(kw.get("exclude", ()))
                for fact in [*p.nodes, *p.relationships]:
                    assert fact.properties["status"] in kw.get("statuses", [fact.properties[
                        "status"]])
    assert checked >= 10  # the filters leave paths to compare, not only empty answers


def test_kim_to_maia_without_countries(curated_store):
    (p,) = shortest_paths(curated_store, "person:kim-jong-un", "vessel:maia-1", max_hops=5,
                          exclude_types=["Country"])
    assert all(n.labels[0] != "Country" for n in p.nodes)
    around = shortest_paths(curated_store, "person:kim-jong-un", "vessel:maia-1", max_hops=5,
                            exclude_types=["Country"], exclude=[p.nodes[2].id])
    assert all(p.nodes[2].id not in [n.id for n in q.nodes] for q in around)


def test_limit_gives_shortest_then_near_shortest_in_order(curated_store):
    a, b = "vessel:maia-1", "vessel:lady-r"
    paths = shortest_paths(curated_store, a, b, max_hops=3, limit=8)
    assert len(paths) == 8
    keys = [(len(p.relationships), [n.id for n in p.nodes],
             [r.properties["rid"] for r in p.relationships]) for p in paths]
    assert keys == sorted(keys) and len({str(k) for k in keys}) == 8
    assert len(paths[-1].relationships) > len(paths[0].relationships)  # near-shortest too
    ref = _reference(curated_store, a, b)
    shortest = {tuple(p) for p in nx.all_shortest_paths(ref, a, b)}
    assert {tuple(n.id for n in p.nodes) for p in paths
            if len(p.relationships) == len(paths[0].relationships)} == shortest
    for p in paths:
        ids = [n.id for n in p.nodes]
        assert len(set(ids)) == len(ids) and nx.is_path(ref, ids)
    assert shortest_paths(curated_store, a, b, max_hops=3) == paths[:1]


def test_neighbourhood_graph_matches_networkx(curated_store):
    for centre, kw in (("vessel:maia-1", {"hops": 2}),
                       ("vessel:maia-1", {"hops": 2, "types": ["OWNS", "OPERATES",
                                                                "LINKED_TO"]}),
                       (TREATY, {"hops": 1, "as_of": "2024-07-01"}),
                       (POE, {"hops": 2, "known_by": "2024-06-30"})):
        g = neighbourhood_graph(curated_store, centre, **kw)
        ref = to_networkx(curated_store, as_of=kw.get("as_of"), known_by=kw.get("known_by"))
        if kw.get("types"):
            ref.remove_edges_from([(u, v, k) for u, v, k, t in ref.edges(keys=True, data="type")
                                   if t not in kw["types"]])
        expected = nx.ego_graph(ref, centre, radius=kw["hops"], undirected=True)
        assert set(g.nodes) == set(expected.nodes), (centre, kw)
        assert {k for *_, k in g.edges(keys=True)} <= {k for *_, k in expected.edges(keys=True)}
    assert not neighbourhood_graph(curated_store, TREATY, hops=1, as_of="2024-07-01").has_edge(
        "country:ru", TREATY)


# ------------------------------------------------------------------ attestations (seen)
def _rel(backend, node_id, rel_type, other, **kw):
    return [n.relationship for n in neighbourhood(backend, node_id, **kw)
            if n.relationship.type == rel_type and n.node.id == other]


def test_an_attested_ownership_is_in_from_first_seen_and_never_cut_off(curated_store):
    (owns,) = _rel(curated_store, "vessel:maia-1", "OWNS", "org:mg-flot")
    assert owns.properties["seen_text"] == "2023-10/2025-09-03"
    assert "date_from" not in owns.properties and "date_to" not in owns.properties
    assert _rel(curated_store, "vessel:maia-1", "OWNS", "org:mg-flot", as_of="2026-06-01")
    assert _rel(curated_store, "vessel:maia-1", "OWNS", "org:mg-flot", as_of="2024-01-01")
    assert not _rel(curated_store, "vessel:maia-1", "OWNS", "org:mg-flot", as_of="2023-09-30")


def test_roles_as_of_a_day_read_terms_and_attestations_apart(curated_store):
    # a real term (E's correction: foreign minister from June 2022)
    assert _rel(curated_store, "person:choe-son-hui", "ROLE_IN", "org:kp-mfa", as_of="2024-01-15")
    # an attestation (the summit's guest list, Sept 2023): in from then on
    assert _rel(curated_store, "person:kim-yo-jong", "ROLE_IN", "org:wpk", as_of="2025-06-01")
    assert not _rel(curated_store, "person:kim-yo-jong", "ROLE_IN", "org:wpk", as_of="2023-08-31")
    # a real end: Kang Sun Nam succeeded in Oct 2024
    assert _rel(curated_store, "person:kang-sun-nam", "ROLE_IN", "org:kp-mod", as_of="2024-01-01")
    assert not _rel(curated_store, "person:kang-sun-nam", "ROLE_IN", "org:kp-mod",
                    as_of="2024-11-01")


def test_no_attestation_is_left_stored_as_a_term(curated):
    for rel in curated.relationships.values():
        record = rel.record
        if record.type in ("ROLE_IN", "OWNS", "OPERATES", "MEMBER_OF") and record.date:
            assert "attestation" not in record.note.lower(), (record.rid, record.note)
