"""Findings say where their author can act: the file, line and column of the statements they are about.

The same project (no Project Manager, a budget of -5) is written in every syntax pmgraph reads
(tests/fixtures/sources/apollo.*); each finding names the line where the file states it, in the
Python API and in every output format (text, json, github, sarif), and no line where the data
came from somewhere that cannot say (an on-disk store, an rdflib graph, a blank node).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
import rdflib

import pmgraph
from pmgraph.validation.validator import Source, validate
from conftest import run

FIXTURES = Path(__file__).parent / "fixtures"
SOURCES = FIXTURES / "sources"
SARIF_SCHEMA = json.loads((FIXTURES / "sarif" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
BUDGET = "https://w3id.org/pmgraph#budget"
APOLLO = "https://example.org/sources/apollo"


def places(report: pmgraph.ValidationReport) -> dict[str, list[tuple[str, int, int | None]]]:
    """Each finding about Apollo, by its path (``type`` when it has none), with its places."""
    return {
        ("budget" if r.path == BUDGET else "type"): [(Path(s.file).name, s.line, s.column) for s in r.sources]
        for r in report.results
        if r.focus == APOLLO
    }


@pytest.mark.parametrize(
    "name, budget, typed",
    [
        pytest.param("apollo.ttl", (10, 5), (6, 1), id="Turtle"),
        pytest.param("apollo.trig", (11, 9), (8, 9), id="TriG"),
        pytest.param("apollo.nt", (4, 1), (5, 3), id="N-Triples"),
        pytest.param("apollo.nq", (4, 1), (5, 3), id="N-Quads"),
        pytest.param("apollo.rdf", (9, None), (5, None), id="RDF/XML: the line only"),
        pytest.param("apollo.jsonld", (10, 7), (10, 7), id="JSON-LD: the node's @id"),
    ],
)
def test_every_syntax_places_each_finding_on_its_statement(name, budget, typed):
    file = SOURCES / name

    report = validate(pmgraph.Organisation.open(file))

    assert places(report) == {"budget": [(name, *budget)], "type": [(name, *typed)]}
    assert all(s.file == str(file) for r in report.results for s in r.sources)


@pytest.mark.parametrize("engine", ["pmgraph", "pyshacl"])
def test_data_that_pmgraph_load_read_keeps_its_places_with_both_engines(engine):
    report = validate(pmgraph.load(SOURCES / "apollo.ttl"), engine=engine)

    assert places(report) == {"budget": [("apollo.ttl", 10, 5)], "type": [("apollo.ttl", 6, 1)]}


def test_n_triples_with_tabs_are_parsed_again_for_their_lines(tmp_path):
    file = tmp_path / "apollo.nt"
    file.write_text((SOURCES / "apollo.nt").read_text().replace("> <", ">\t<"))

    assert places(validate(pmgraph.Organisation.open(file))) == {
        "budget": [("apollo.nt", 4, None)], "type": [("apollo.nt", 5, None)],
    }


def test_the_offending_value_is_placed_among_several(tmp_path):
    file = tmp_path / "apollo.ttl"
    file.write_text(
        (SOURCES / "apollo.ttl").read_text().replace("    pm:budget -5 .", "    pm:budget 100 ;\n    pm:budget -5 .")
    )

    negative = [r for r in validate(pmgraph.Organisation.open(file)).results if r.path == BUDGET and r.value == "-5"]

    assert [r.sources for r in negative] == [(Source(str(file), 11, 5),)]


def test_a_node_typed_in_two_files_is_placed_in_both(tmp_path):
    (tmp_path / "a.ttl").write_text((SOURCES / "apollo.ttl").read_text())
    (tmp_path / "b.ttl").write_text("\n\n<https://example.org/sources/apollo> a <https://w3id.org/pmgraph#Project> .\n")

    report = validate(pmgraph.Organisation.open(tmp_path))

    assert places(report)["type"] == [("a.ttl", 6, 1), ("b.ttl", 3, 1)]


def test_no_place_is_invented(tmp_path):
    # an rdflib graph not read from files, a blank node, an on-disk store: no line to give
    graph = rdflib.Graph().parse(SOURCES / "apollo.ttl")
    assert places(validate(graph)) == {"budget": [], "type": []}
    blank = validate(FIXTURES / "rules" / "project_as_blank_node.ttl")
    assert [r.sources for r in blank.results if r.focus.startswith("_:")] == [()]

    store = tmp_path / "team.store"
    assert run("push", SOURCES / "apollo.ttl", "--store", store).returncode == 0
    result = run("validate", "--store", store, "--format", "json")
    assert result.returncode == 1, result.stderr
    assert [r["sources"] for r in json.loads(result.stdout)["results"]] == [[], []]


def test_text_reads_like_a_compilers_errors():
    result = run("validate", "tests/fixtures/sources/apollo.ttl", cwd=Path(__file__).parents[1])

    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines() == [
        "tests/fixtures/sources/apollo.ttl:10:5: Violation: A budget must be a number that is not negative, such as 500000 or 125000.50",
        "  Apollo <https://example.org/sources/apollo>",
        "tests/fixtures/sources/apollo.ttl:6:1: Violation: Project 'Apollo' has no Project Manager",
        "  Apollo <https://example.org/sources/apollo>",
        "",
        "2 violations, 0 warnings, 0 info in 1 file",
        "FAILED",
    ]


def test_json_results_carry_their_sources():
    result = run("validate", SOURCES / "apollo.rdf", "--format", "json")

    sources = [entry["sources"] for entry in json.loads(result.stdout)["results"]]
    assert sources == [
        [{"file": str(SOURCES / "apollo.rdf"), "line": 9, "column": None}],
        [{"file": str(SOURCES / "apollo.rdf"), "line": 5, "column": None}],
    ]


def test_github_format_is_one_workflow_command_per_finding():
    result = run("validate", "tests/fixtures/sources/apollo.ttl", "--format", "github", cwd=Path(__file__).parents[1])

    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines() == [
        "::error file=tests/fixtures/sources/apollo.ttl,line=10,col=5,title=BudgetShape::"
        "A budget must be a number that is not negative, such as 500000 or 125000.50 (Apollo <https://example.org/sources/apollo>)",
        "::error file=tests/fixtures/sources/apollo.ttl,line=6,col=1,title=ProjectHasManagerShape::"
        "Project 'Apollo' has no Project Manager (Apollo <https://example.org/sources/apollo>)",
        "2 violations, 0 warnings, 0 info in 1 file",
        "FAILED",
    ]


def test_github_commands_escape_what_the_runner_unescapes():
    from pmgraph.render.findings import github_annotations

    result = pmgraph.ValidationResult(
        "Warning", "https://e.org/x", None, None, "50% done,\r\nnext: y", "https://e.org/s#Shape", None,
        (Source("a,b:c%.ttl", 1),),
    )
    report = pmgraph.ValidationReport(True, (result,), {"Violation": 0, "Warning": 1, "Info": 0})

    assert github_annotations(report) == [
        "::warning file=a%2Cb%3Ac%25.ttl,line=1,title=Shape::50%25 done,%0D%0Anext: y (<https://e.org/x>)"
    ]


def test_sarif_follows_the_official_schema_and_places_each_result(tmp_path):
    result = run("validate", "tests/fixtures/sources/", "--format", "sarif", cwd=Path(__file__).parents[1])

    assert result.returncode == 1, result.stderr
    log = json.loads(result.stdout)
    jsonschema.validate(log, SARIF_SCHEMA)
    run_ = log["runs"][0]
    rules = [rule["id"] for rule in run_["tool"]["driver"]["rules"]]
    assert rules == ["https://w3id.org/pmgraph/shapes#BudgetShape", "https://w3id.org/pmgraph/shapes#ProjectHasManagerShape"]
    budget = run_["results"][0]
    assert (budget["ruleId"], budget["ruleIndex"], budget["level"]) == (rules[0], 0, "error")
    located = [
        (loc["physicalLocation"]["artifactLocation"]["uri"], loc["physicalLocation"]["region"]) for loc in budget["locations"]
    ]
    assert located == [
        ("tests/fixtures/sources/apollo.jsonld", {"startLine": 10, "startColumn": 7}),
        ("tests/fixtures/sources/apollo.nq", {"startLine": 4, "startColumn": 1}),
        ("tests/fixtures/sources/apollo.nt", {"startLine": 4, "startColumn": 1}),
        ("tests/fixtures/sources/apollo.rdf", {"startLine": 9}),
        ("tests/fixtures/sources/apollo.trig", {"startLine": 11, "startColumn": 9}),
        ("tests/fixtures/sources/apollo.ttl", {"startLine": 10, "startColumn": 5}),
    ]


def test_sarif_of_a_conforming_file_has_no_result():
    result = run("validate", FIXTURES / "valid" / "minimal_project.ttl", "--format", "sarif")

    assert result.returncode == 0, result.stderr
    log = json.loads(result.stdout)
    jsonschema.validate(log, SARIF_SCHEMA)
    assert log["runs"][0]["results"] == []


@pytest.mark.parametrize("block_bytes", [1, 50, 1000])
def test_lines_are_counted_across_the_blocks_a_large_file_is_read_in(block_bytes, monkeypatch):
    import pmgraph.rdf.places

    monkeypatch.setattr(pmgraph.rdf.places, "BLOCK_BYTES", block_bytes)

    assert places(validate(pmgraph.Organisation.open(SOURCES / "apollo.nt"))) == {
        "budget": [("apollo.nt", 4, 1)], "type": [("apollo.nt", 5, 3)],
    }


def test_a_report_reads_the_same_on_every_run_but_for_blank_node_labels():
    """Blank nodes get new labels on every run: they break only the last ties of the order, so
    findings about blank nodes come in the order of their messages, and two runs differ only in
    the labels (a CI diffing two reports sees no churn)."""
    rules = Path(__file__).parent / "fixtures" / "rules"
    results = validate(pmgraph.Organisation.open(rules)).results
    about_blank_nodes = [
        (["Violation", "Warning", "Info"].index(r.severity), r.shape, r.path or "", r.message)
        for r in results if r.focus.startswith("_:")
    ]
    assert len(set(about_blank_nodes)) >= 2  # findings of different rules about blank nodes
    assert about_blank_nodes == sorted(about_blank_nodes)
    runs = [run("validate", rules) for _ in range(2)]
    assert [r.returncode for r in runs] == [1, 1]
    first, second = (re.sub(r"_:[0-9a-f]+", "_:", r.stdout) for r in runs)
    assert first == second
    assert runs[0].stdout != runs[1].stdout  # the labels themselves do change
