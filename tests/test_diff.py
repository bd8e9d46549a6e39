"""What changed between two versions of a portfolio: ``pmgraph diff``, a CI gate on pull requests.

team_a/ is the PMO's files this week, team_a_next/ next week's (tests/fixtures/exchange/): the
Checkout API runs a month longer and changes Project Manager, a RACI level changes, a person comes
and one goes. team_a_next/ is also written in another order, with another prefix and the blank
node elsewhere, which is no change.
"""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run

import pmgraph
from pmgraph.exchange.diff import diff_files, diff_versions

EXCHANGE = Path(__file__).parent / "fixtures" / "exchange"

NEXT_WEEK = [
    "Person 'Nina Patel' (added): + class Person; + name 'Nina Patel'",
    "Person 'Priya Nair' (removed): − class Person; − name 'Priya Nair'",
    "Project 'Checkout API': end date 2024-09-30 → 2024-10-31; "
    "Project Manager Erin Castillo → Jon Park from 2024-05-01 to 2024-10-31; "
    "Grace Liu on Budgeting: RACI Consulted → Informed",
    "Project 'Search Revamp': + depends on Checkout API",
    "4 entities changed: 5 statements removed, 13 added",
]


def test_changes_are_told_by_entity_in_the_domains_words():
    result = run("diff", "team_a", "team_a_next", cwd=EXCHANGE)

    assert result.returncode == 1
    assert result.stdout.splitlines() == NEXT_WEEK
    assert result.stderr == ""


def test_going_back_is_no_handover_but_a_longer_term_and_a_manager_less():
    changes = diff_versions(pmgraph.load(EXCHANGE / "team_a_next"), pmgraph.load(EXCHANGE / "team_a"))

    [checkout_api] = [entity for entity in changes.entities if entity.name == "Checkout API"]
    assert [change.text for change in checkout_api.changes] == [
        "end date 2024-10-31 → 2024-09-30",
        "Project Manager Erin Castillo: end date 2024-04-30 → 2024-09-30",
        "− Project Manager Jon Park (2024-05-01 to 2024-10-31)",
        "Grace Liu on Budgeting: RACI Informed → Consulted",
    ]
    assert (changes.removed_count, changes.added_count) == (13, 5)


def test_json_lists_each_change_with_the_statements_it_stands_for():
    result = run("diff", "team_a", "team_a_next", "--format", "json", cwd=EXCHANGE)
    report = json.loads(result.stdout)

    assert result.returncode == 1
    assert (report["same"], report["removed"], report["added"], report["unchanged"]) == (False, 5, 13, 40)
    assert [(e["entity"], e["kind"], e["name"], e["status"]) for e in report["entities"]] == [
        ("https://example.org/acme/nina-patel", "Person", "Nina Patel", "added"),
        ("https://example.org/acme/priya-nair", "Person", "Priya Nair", "removed"),
        ("https://example.org/acme/checkout-api", "Project", "Checkout API", "changed"),
        ("https://example.org/acme/search-revamp", "Project", "Search Revamp", "changed"),
    ]
    [handover] = [c for c in report["entities"][2]["changes"] if c["text"].startswith("Project Manager")]
    assert handover["removed"] == [
        '<https://example.org/acme/erin-checkout-api> <https://w3id.org/pmgraph#endDate> '
        '"2024-09-30"^^<http://www.w3.org/2001/XMLSchema#date> .'
    ]
    assert len(handover["added"]) == 8  # Erin's new end date and Jon's assignment
    # every statement that went or came is in exactly one change
    changes = [c for e in report["entities"] for c in e["changes"]]
    assert sum(len(c["removed"]) for c in changes) == 5
    assert sum(len(c["added"]) for c in changes) == 13


def test_the_same_data_written_otherwise_is_no_change(tmp_path):
    rewritten = tmp_path / "team_a.trig"
    assert run("merge", "team_a", "--format", "trig", "-o", rewritten, cwd=EXCHANGE).returncode == 0

    result = run("diff", "team_a", rewritten, cwd=EXCHANGE)

    assert (result.returncode, result.stdout, result.stderr) == (
        0,
        "No change: both hold the same 45 statements\n",
        "",
    )


def test_blank_nodes_are_matched_by_what_they_say_not_by_their_labels():
    # team B wrote the same planning-sheet blank node as team A: the merge holds two of them
    merged = EXCHANGE / "expected" / "merged_team_a_team_b.ttl"
    changes = diff_versions(pmgraph.load(EXCHANGE / "team_a"), pmgraph.load(merged))

    assert changes.to_text().splitlines() == [
        "Program 'Search Revamp': + class Program",
        "Project 'Checkout API': + budget 310000; + dcterms:source [name 'PMO planning sheet']; "
        "+ depends on <https://example.org/acme/payments-gateway>; + end date 2024-10-31; "
        "+ Project Manager Jon Park (from 2024-05-01)",
        "2 entities changed: 0 statements removed, 12 added",
    ]


def test_a_missing_version_exits_2_in_one_line():
    result = run("diff", "team_a", "missing.ttl", cwd=EXCHANGE)

    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.splitlines() == ["pmgraph: error: missing.ttl: no such file or directory"]


def test_a_broken_version_exits_2_naming_the_line():
    broken = EXCHANGE.parent / "malformed" / "broken.ttl"

    result = run("diff", broken, "team_a", cwd=EXCHANGE)

    assert result.returncode == 2
    [line] = result.stderr.splitlines()
    assert line.startswith(f"pmgraph: error: {broken}:9: invalid Turtle")


def test_two_files_or_folders_compare_as_their_loaded_graphs():
    """diff_files reads without rdflib: it tells what diff_versions tells of the same data, loaded."""
    hostile = EXCHANGE.parent / "hostile"
    pairs = [("team_a", "team_a_next"), ("team_a_next", "team_a"), ("team_a", "team_b"), ("team_b", "team_b")]
    pairs.append((hostile / "raci_on_checkout_api.ttl", "team_a"))
    for old, new in pairs:
        assert diff_files(EXCHANGE / old, EXCHANGE / new) == diff_versions(
            pmgraph.load(EXCHANGE / old), pmgraph.load(EXCHANGE / new)
        ), (old, new)
