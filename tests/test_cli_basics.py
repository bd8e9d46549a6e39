"""The installed ``pmgraph`` command: version, exit codes and one-line input errors."""

from __future__ import annotations

import importlib.metadata
import json
import sys
from pathlib import Path
from types import SimpleNamespace

from conftest import run

from pmgraph.cli.output import text_report

FIXTURES = Path(__file__).parent / "fixtures"
MALFORMED = FIXTURES / "malformed"
MINIMAL_PROJECT = FIXTURES / "valid" / "minimal_project.ttl"


def test_version_comes_from_the_package_metadata():
    result = run("--version")

    assert (result.returncode, result.stdout, result.stderr) == (
        0,
        f"pmgraph {importlib.metadata.version('pmgraph')}\n",
        "",
    )


def test_python_dash_m_pmgraph_is_the_same_command():
    result = run("-m", "pmgraph", "--version", program=sys.executable)

    assert (result.returncode, result.stdout) == (0, f"pmgraph {importlib.metadata.version('pmgraph')}\n")


def test_a_missing_file_exits_2_with_one_line_naming_it(tmp_path):
    missing = tmp_path / "missing.ttl"

    result = run("validate", missing)

    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == f"pmgraph: error: {missing}: no such file or directory\n"


def test_broken_turtle_exits_2_naming_the_file_and_line():
    result = run("validate", MALFORMED / "broken.ttl")

    assert result.returncode == 2
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("pmgraph: error: ")
    assert "broken.ttl:9: invalid Turtle" in line


def test_binary_garbage_exits_2_without_a_traceback():
    result = run("validate", MALFORMED / "binary.ttl")

    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"pmgraph: error: {MALFORMED / 'binary.ttl'}:1: invalid Turtle at column 1: Invalid UTF-8 character encoding"
    ]


def test_no_command_is_a_usage_error():
    result = run()

    assert result.returncode == 2
    assert "usage: pmgraph" in result.stderr


def test_a_conforming_file_exits_0_and_says_ok():
    result = run("validate", MINIMAL_PROJECT)

    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1] == "OK"
    assert "0 violations" in result.stdout and "in 1 file" in result.stdout


def test_validate_json_follows_the_contract():
    result = run("validate", MINIMAL_PROJECT, "--format", "json")

    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert set(report) == {"conforms", "counts", "results"}
    assert set(report["counts"]) == {"Violation", "Warning", "Info"}
    assert report["counts"]["Violation"] == 0
    for entry in report["results"]:
        assert set(entry) == {"severity", "focus", "path", "value", "message", "shape", "sources"}


def test_text_report_reads_like_a_compilers_errors():
    from pmgraph.validation.validator import Source

    def result(severity, focus, label, message, *sources):
        return SimpleNamespace(severity=severity, focus=focus, focus_label=label, message=message, sources=sources)

    report = SimpleNamespace(
        results=(
            result("Violation", "https://example.org/apollo", "Apollo", "A Project needs a Project Manager.", Source("team/apollo.ttl", 42, 3)),
            result("Warning", "https://example.org/bob", None, "Bob's allocations sum above 1.", Source("team/bob.rdf", 7), Source("hr/bob.ttl", 2, 1)),
            result("Violation", "https://example.org/apollo", "Apollo", "A Project needs an end date."),
        ),
        counts={"Violation": 2, "Warning": 1, "Info": 0},
    )

    assert text_report(report, file_count=3).splitlines() == [
        "team/apollo.ttl:42:3: Violation: A Project needs a Project Manager.",
        "  Apollo <https://example.org/apollo>",
        "team/bob.rdf:7: Warning: Bob's allocations sum above 1.",
        "  <https://example.org/bob>",
        "  also hr/bob.ttl:2:1",
        "Violation: A Project needs an end date.",
        "  Apollo <https://example.org/apollo>",
        "",
        "2 violations, 1 warning, 0 info in 3 files",
        "FAILED",
    ]


def test_text_report_of_a_clean_run():
    report = SimpleNamespace(results=(), counts={"Violation": 0, "Warning": 0, "Info": 0})

    assert text_report(report, file_count=1).splitlines() == ["0 violations, 0 warnings, 0 info in 1 file", "OK"]


def test_every_rule_fixture_validated_together_is_one_report():
    # a value left out of one finding beside a canonicalised value of the same node and property
    # once raised AttributeError while values were restored as the files write them
    result = run("validate", FIXTURES / "rules")
    assert (result.returncode, result.stderr) == (1, "")
    assert result.stdout.splitlines()[-2:] == ["55 violations, 20 warnings, 0 info in 74 files", "FAILED"]
