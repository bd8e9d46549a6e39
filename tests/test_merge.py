"""Two teams send their Turtle files to the PMO, which merges them: ``pmgraph merge``.

Team A (the PMO) and team B (delivery) describe the same portfolio in tests/fixtures/exchange/
and disagree on four points; the merge keeps every statement of both and names the conflicts.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import run, union
from rdflib import XSD, BNode, Graph, URIRef

import pmgraph
from pmgraph.exchange.merge import find_conflicts, merge_files

EXCHANGE = Path(__file__).parent / "fixtures" / "exchange"
CONFLICTS = EXCHANGE / "conflicts"
EXPECTED = EXCHANGE / "expected"
ACME = "https://example.org/acme/"

INPUT_FILES = ["team_a/people.ttl", "team_a/portfolio.ttl", "team_b/people.ttl", "team_b/projects.ttl"]

TEAM_CONFLICTS = [
    (
        "class",
        ("team_a/portfolio.ttl", "team_b/projects.ttl"),
        "Search Revamp <https://example.org/acme/search-revamp> is a Project in team_a/portfolio.ttl "
        "but a Program in team_b/projects.ttl; it cannot be both",
    ),
    (
        "reference",
        ("team_b/projects.ttl",),
        "team_b/projects.ttl refers to <https://example.org/acme/payments-gateway>, which no file declares "
        "(no rdf:type): Project 'Checkout API' depends on it",
    ),
    (
        "role",
        ("team_a/portfolio.ttl", "team_b/projects.ttl"),
        "Project 'Checkout API' has two Project Managers at once: Erin Castillo (2024-01-15 to 2024-09-30, "
        "in team_a/portfolio.ttl) and Jon Park (from 2024-05-01, in team_b/projects.ttl)",
    ),
    (
        "value",
        ("team_a/portfolio.ttl", "team_b/projects.ttl"),
        "Project 'Checkout API' has end date 2024-09-30 in team_a/portfolio.ttl but 2024-10-31 in "
        "team_b/projects.ttl",
    ),
]


@pytest.fixture(scope="module")
def ontology():
    return pmgraph.load_ontology()


@pytest.fixture
def in_exchange(monkeypatch):
    """Work from the fixtures folder, so that files are named team_a/..., as a PMO would see them."""
    monkeypatch.chdir(EXCHANGE)


def test_every_input_triple_is_in_the_merge_as_the_same_terms(in_exchange):
    merged = merge_files("team_a", "team_b")
    written = Graph().parse(data=merged.serialize(), format="turtle")
    inputs = union(pmgraph.load("team_a", "team_b"))

    def without_blank_nodes(graph: Graph) -> set:
        return {t for t in graph if not any(isinstance(term, BNode) for term in t)}

    assert merged.files == tuple(INPUT_FILES)
    assert merged.triple_count == 57
    assert len(written) == 57
    assert without_blank_nodes(written) == without_blank_nodes(inputs)
    checkout_api = URIRef(ACME + "checkout-api")
    budgets = {(str(b), b.datatype) for b in written.objects(checkout_api, URIRef("https://w3id.org/pmgraph#budget"))}
    # the decimal keeps its lexical form, and the integer of the other team is kept beside it
    assert budgets == {("310000", XSD.decimal), ("310000", XSD.integer)}
    assert 'pm:budget "310000"^^xsd:decimal , 310000 ;' in merged.serialize()


def test_the_merged_turtle_is_canonical(in_exchange):
    assert merge_files("team_a", "team_b").serialize() == (EXPECTED / "merged_team_a_team_b.ttl").read_text()


def test_blank_nodes_of_two_files_stay_two_blank_nodes(in_exchange):
    text = merge_files("team_a", "team_b").serialize()

    # both teams wrote `dcterms:source [ rdfs:label "PMO planning sheet" ]` about the Checkout API
    assert 'acme:checkout-api dcterms:source _:c14n0 , _:c14n1 ;' in text
    assert '_:c14n0 rdfs:label "PMO planning sheet" .\n_:c14n1 rdfs:label "PMO planning sheet" .\n' in text


@pytest.mark.parametrize("format", ["turtle", "trig", "nquads"])
def test_the_same_inputs_in_any_order_give_the_same_bytes(in_exchange, format, ontology):
    orders = [
        INPUT_FILES,
        INPUT_FILES[::-1],
        [INPUT_FILES[2], INPUT_FILES[0], INPUT_FILES[3], INPUT_FILES[1]],
        ["team_b", "team_a"],
        ["./team_b/", "team_a/../team_a"],
    ]
    outputs = {merge_files(*order, ontology_graph=ontology).serialize(format) for order in orders}

    assert len(outputs) == 1


def test_trig_keeps_one_named_graph_per_file_named_by_its_relative_path(in_exchange):
    text = merge_files("team_b", "team_a").serialize("trig")

    assert text == (EXPECTED / "merged_team_a_team_b.trig").read_text()
    assert [line for line in text.splitlines() if line.startswith("<file:")] == [
        f"<file:{name}> {{" for name in INPUT_FILES
    ]
    assert str(EXCHANGE) not in text


def test_nquads_say_which_file_every_statement_came_from(in_exchange):
    lines = merge_files("team_a", "team_b").serialize("nquads").splitlines()

    # 57 distinct triples; five are stated by both teams (the Checkout API's class and name, Jon Park)
    assert len(lines) == 62
    assert (
        '<https://example.org/acme/checkout-api> <https://w3id.org/pmgraph#endDate> '
        '"2024-10-31"^^<http://www.w3.org/2001/XMLSchema#date> <file:team_b/projects.ttl> .'
    ) in lines
    assert all(line.endswith(tuple(f"<file:{name}> ." for name in INPUT_FILES)) for line in lines)


def test_the_bytes_do_not_depend_on_where_the_repository_lives(tmp_path, monkeypatch):
    shutil.copytree(EXCHANGE / "team_a", tmp_path / "elsewhere" / "team_a")
    shutil.copytree(EXCHANGE / "team_b", tmp_path / "elsewhere" / "team_b")
    monkeypatch.chdir(tmp_path / "elsewhere")
    moved = merge_files("team_a", "team_b").serialize("trig")
    monkeypatch.chdir(EXCHANGE)

    assert moved == merge_files("team_a", "team_b").serialize("trig")


def test_conflicts_name_both_files(in_exchange):
    conflicts = merge_files("team_b", "team_a").conflicts

    assert [(c.kind, c.files, c.message) for c in conflicts] == TEAM_CONFLICTS
    assert [c.entity for c in conflicts] == [
        ACME + "search-revamp",
        ACME + "payments-gateway",
        ACME + "checkout-api",
        ACME + "checkout-api",
    ]


def test_find_conflicts_reads_the_named_graphs_of_load(in_exchange):
    conflicts = find_conflicts(pmgraph.load("team_a", "team_b"))

    assert [(c.kind, c.files, c.message) for c in conflicts] == TEAM_CONFLICTS


@pytest.mark.parametrize(
    "case",
    ["handover", "budget_written_differently", "feature_and_deliverable"],
)
def test_what_two_files_may_both_say_is_no_conflict(in_exchange, case):
    assert merge_files(CONFLICTS / f"{case}_a.ttl", CONFLICTS / f"{case}_b.ttl").conflicts == ()


def test_a_short_form_is_open_ended_and_a_broader_role_counts_as_its_core_role(in_exchange):
    [conflict] = merge_files(CONFLICTS / "short_form_manager_a.ttl", CONFLICTS / "short_form_manager_b.ttl").conflicts

    assert conflict.kind == "role"
    assert conflict.message == (
        "Program 'Checkout Modernisation' has two Program Managers at once: Marcus Reed (no dates, in "
        "conflicts/short_form_manager_a.ttl) and Nina Patel (from 2025-01-01, in conflicts/short_form_manager_b.ttl)"
    )


def test_two_managers_in_one_file_are_for_validate_not_for_merge(in_exchange):
    assert merge_files(CONFLICTS / "two_managers_in_one_file.ttl").conflicts == ()


def test_the_command_writes_the_merge_and_warns_of_each_conflict(tmp_path):
    out = tmp_path / "merged.ttl"

    result = run("merge", "team_b", "team_a", "-o", out, cwd=EXCHANGE)

    assert result.returncode == 0
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        *(f"pmgraph: warning: {message}" for _, _, message in TEAM_CONFLICTS),
        f"pmgraph: merged 4 files: 57 triples, 4 conflicts -> {out}",
    ]
    assert out.read_text() == (EXPECTED / "merged_team_a_team_b.ttl").read_text()
    assert [path.name for path in tmp_path.iterdir()] == ["merged.ttl"]  # no temporary file left


def test_the_command_writes_trig_to_stdout_without_an_output():
    result = run("merge", "team_a", "team_b", "--format", "trig", cwd=EXCHANGE)

    assert result.returncode == 0
    assert result.stdout == (EXPECTED / "merged_team_a_team_b.trig").read_text()


def test_check_prints_the_conflicts_exits_1_and_writes_nothing(tmp_path):
    out = tmp_path / "merged.ttl"

    result = run("merge", "--check", "team_a", "team_b", "-o", out, cwd=EXCHANGE)

    assert result.returncode == 1
    assert result.stdout.splitlines() == [message for _, _, message in TEAM_CONFLICTS] + ["4 conflicts in 4 files"]
    assert result.stderr == ""
    assert not out.exists()


def test_check_exits_0_when_the_files_agree():
    result = run("merge", "--check", "team_a", cwd=EXCHANGE)

    assert (result.returncode, result.stdout, result.stderr) == (0, "0 conflicts in 2 files\n", "")


def test_the_output_may_be_one_of_the_inputs(tmp_path):
    shutil.copytree(EXCHANGE / "team_a", tmp_path / "team_a")
    shutil.copytree(EXCHANGE / "team_b", tmp_path / "team_b")
    everything = tmp_path / "team_a" / "portfolio.ttl"

    result = run("merge", "team_a", "team_b", "-o", everything, cwd=tmp_path)

    assert result.returncode == 0
    assert everything.read_text() == (EXPECTED / "merged_team_a_team_b.ttl").read_text()
    # the canonical form is its own merge
    assert run("merge", everything, cwd=tmp_path).stdout == everything.read_text()


def test_a_bad_input_leaves_the_old_output_untouched(tmp_path):
    out = tmp_path / "merged.ttl"
    out.write_text("# last week's merge\n")
    broken = EXCHANGE.parent / "malformed" / "broken.ttl"

    result = run("merge", "team_a", broken, "-o", out, cwd=EXCHANGE)

    assert result.returncode == 2
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith(f"pmgraph: error: {broken}:9: invalid Turtle")
    assert out.read_text() == "# last week's merge\n"
    assert [path.name for path in tmp_path.iterdir()] == ["merged.ttl"]


def test_an_output_that_cannot_be_written_is_one_line(tmp_path):
    out = tmp_path / "missing-folder" / "merged.ttl"

    result = run("merge", "team_a", "-o", out, cwd=EXCHANGE)

    assert result.returncode == 2
    assert result.stderr.splitlines() == [f"pmgraph: error: {out}: no such file or directory"]


def test_literals_keep_their_lexical_form_through_the_merge(tmp_path):
    source = tmp_path / "budgets.ttl"
    source.write_text(
        "@prefix pm: <https://w3id.org/pmgraph#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        '<https://example.org/a> pm:budget "310000"^^xsd:decimal , "0310000"^^xsd:integer , 1.50 .\n'
    )

    result = run("merge", source, cwd=tmp_path)

    # 0310000 is "0310000"^^xsd:integer and 1.50 is "1.50"^^xsd:decimal, in Turtle's short forms
    assert result.stdout.splitlines()[-1] == '<https://example.org/a> pm:budget 0310000 , 1.50 , "310000"^^xsd:decimal .'


def test_the_conflicts_of_a_merge_are_those_find_conflicts_finds_in_its_dataset(in_exchange):
    """merge_files finds conflicts without an rdflib copy of the data; find_conflicts reads its dataset."""
    for paths in (("team_a", "team_b"), ("team_b/projects.ttl",), ("team_b",), (CONFLICTS,)):
        merged = merge_files(*paths)
        assert merged.conflicts == find_conflicts(merged.dataset), paths
        assert merged.triple_count == len(union(merged.dataset)), paths


def test_output_to_a_named_pipe_is_written_into_not_replaced(tmp_path: Path) -> None:
    """``-o /dev/null`` or ``-o a-pipe``: the output goes through the pipe, which stays a pipe (never renamed over)."""
    import os
    import stat
    import threading

    acme = Path(__file__).resolve().parents[1] / "examples" / "acme"
    pipe = tmp_path / "merged.ttl"
    os.mkfifo(pipe)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()))
    reader.start()
    result = run("merge", acme, "-o", pipe)
    reader.join(timeout=60)
    assert result.returncode == 0, result.stderr
    assert stat.S_ISFIFO(os.stat(pipe).st_mode)
    assert received[0].decode() == run("merge", acme).stdout
    assert sorted(path.name for path in tmp_path.iterdir()) == ["merged.ttl"]  # no temporary file left
