"""The benchmark (bench/run.py) runs end to end, and every row of its table carries a figure.

Speed itself is never asserted here (a timed test fails on a busy machine): the table of docs/benchmarks.md
comes from a run of the benchmark. This only keeps the benchmark working, on a small portfolio.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).parent.parent / "bench" / "run.py"
FIGURE = r"\d+\.\d\d s, \d+ MB"  # a measured cell: seconds and peak memory


def test_the_benchmark_table_has_a_measured_figure_in_each_row(tmp_path):
    table = tmp_path / "table.md"
    subprocess.run(
        [sys.executable, str(BENCH), "--sizes", "3000", "--cap", "120", "--pyshacl-up-to", "0", "--out", str(table)],
        check=True, capture_output=True, timeout=600,
    )
    rows = [line.split(" | ") for line in table.read_text().splitlines()[2:]]
    by_baseline = {(row[1], row[4]): row for row in rows[1:]}
    assert all(row[0] == "| 3,000" for row in rows[1:])
    # load, beside rdflib's parser and pyoxigraph's own loader, strict and lenient, each with a ratio
    for baseline in ("rdflib parse", "pyoxigraph Store.load", "pyoxigraph Store.load, lenient"):
        row = by_baseline[("load", baseline)]
        assert re.fullmatch(FIGURE, row[2]) and re.fullmatch(FIGURE, row[3]), row
        assert re.fullmatch(r"\d+\.\dx \|", row[5]), row
    assert re.fullmatch(FIGURE, by_baseline[("validate", "pySHACL")][2])
    assert by_baseline[("validate", "pySHACL")][3] == "not run"  # (--pyshacl-up-to 0)
    for query in ("people-with-concurrent-roles", "projects-without-manager", "overdue-projects"):
        row = by_baseline[(f"query {query}", "rdflib SPARQL")]
        assert re.fullmatch(FIGURE, row[2]) and re.fullmatch(FIGURE, row[3]), row
    for analysis in ("roles", "people"):
        assert re.fullmatch(FIGURE, by_baseline[(f"overlap --{analysis}", "—")][2])
    # merge and diff beside pyoxigraph's own load of what they read; the Python API on
    # pmgraph.load's dataset beside the same work from the file; each with a ratio
    for what, baseline in (
        ("merge", "pyoxigraph Store.load of the file"),
        ("diff FILE FILE", "pyoxigraph Store.load of both"),
        ("pmgraph.validate(pmgraph.load(FILE))", "pmgraph validate FILE"),
        ("pmgraph.role_overlap(pmgraph.load(FILE))", "role_overlap(Organisation.open(FILE))"),
        ("validate, findings placed", "validate, not placed"),  # the cost of ValidationResult.sources
    ):
        row = by_baseline[(what, baseline)]
        assert re.fullmatch(FIGURE, row[2]) and re.fullmatch(FIGURE, row[3]), row
        assert re.fullmatch(r"\d+\.\dx \|", row[5]), row
    # the organisation's rules: what they add to validate beside pmgraph's own rules, and pmgraph shacl
    added = by_baseline[("validate --shapes org rules: time added", "pmgraph's own rules (validate minus load); target: no more")]
    assert re.fullmatch(FIGURE, added[2]) and re.fullmatch(FIGURE, added[3]), added
    checks = by_baseline[("org rules' checks, one thread", "pmgraph's own rules' checks, one thread")]
    assert re.fullmatch(FIGURE, checks[2]) and re.fullmatch(FIGURE, checks[3]), checks
    assert re.fullmatch(FIGURE, by_baseline[("shacl --shapes org rules", "pySHACL, same rules")][2])
    jena = [row for row in rows if row[4].startswith("Jena shacl")]
    # where Jena is installed, its results are pmgraph's (the row says how many)
    assert all(re.match(r"Jena shacl \(same [\d,]+ results", row[4]) for row in jena), jena


def test_the_benchmark_refuses_zero_rounds_in_one_line():
    ran = subprocess.run([sys.executable, str(BENCH), "--rounds", "0"], capture_output=True, text=True, timeout=60)
    assert ran.returncode == 2 and ran.stdout == ""
    assert ran.stderr.splitlines()[-1] == "run.py: error: argument --rounds: expected a whole number of 1 or more, not '0'"


def test_the_servers_table_has_a_figure_in_each_cell():
    # bench/servers.py starts an Oxigraph server and a Virtuoso as the tests do (tests/sparql_servers.py)
    import pytest
    from sparql_servers import ISQL, OXIGRAPH, VIRTUOSO

    if None in (OXIGRAPH, VIRTUOSO, ISQL):
        pytest.skip("the Oxigraph server or Virtuoso is not installed")
    ran = subprocess.run(
        [sys.executable, str(BENCH.parent / "servers.py"), "--sizes", "3000", "--cap", "120"],
        check=True, capture_output=True, text=True, timeout=900,
    )
    rows = [line.split(" | ") for line in ran.stdout.split("\n\n")[-1].splitlines()[2:]]
    assert [row[1] for row in rows] == [
        "read the file / push", "validate", "rule 6", "query people-with-concurrent-roles",
        "query projects-without-manager", "query overdue-projects", "overlap --roles", "overlap --people",
    ]
    for row in rows:
        assert row[0] == "| 3,000"
        cells = [*row[2:-1], row[-1].removesuffix(" |")]
        assert all(re.fullmatch(r"\d+\.\d\d s", cell) for cell in cells), row


def test_the_benchmark_times_import_assignments_beside_reading_the_csv(tmp_path):
    table = tmp_path / "table.md"
    subprocess.run(
        [sys.executable, str(BENCH), "--sizes", "--assignments", "1000", "--cap", "120", "--out", str(table)],
        check=True, capture_output=True, timeout=600,
    )
    row = next(line for line in table.read_text().splitlines() if "import-assignments" in line).split(" | ")
    assert row[0] == "| 1,000" and row[4] == "csv.reader over the file", row
    assert re.fullmatch(FIGURE, row[2]) and re.fullmatch(FIGURE, row[3]), row
    assert re.fullmatch(r"\d+x \|", row[5]), row


def test_the_org_rules_rows_take_the_place_of_their_own_in_a_table(tmp_path):
    # --only-org-rules --out: the rows measured replace the same rows of the table, the others stay
    table = tmp_path / "results.md"
    table.write_text(
        "| triples | what | pmgraph | baseline | baseline is | speed-up |\n|---:|---|---:|---:|---|---:|\n"
        "| 3,000 | load | 0.10 s, 40 MB | 0.30 s, 40 MB | rdflib parse | 3.0x |\n"
        "| 3,000 | shacl --shapes org rules | 9.99 s, 1 MB | not run | pySHACL, same rules | — |\n"
        "| 30,000 | load | 0.20 s, 50 MB | 0.90 s, 60 MB | rdflib parse | 4.5x |\n\nOn SPARQL servers: none.\n"
    )
    subprocess.run(
        [sys.executable, str(BENCH), "--only-org-rules", "--sizes", "3000", "--cap", "120", "--pyshacl-up-to", "0",
         "--rounds", "1", "--out", str(table)],
        check=True, capture_output=True, timeout=600,
    )
    lines = table.read_text().splitlines()
    rows = [line.split(" | ") for line in lines[2:] if line.startswith("|")]
    whats = [row[1] for row in rows if row[0] == "| 3,000"]
    # (a second shacl row where Jena is installed)
    assert whats[:4] == ["load", "validate --shapes org rules: time added", "org rules' checks, one thread", "shacl --shapes org rules"]
    assert set(whats[4:]) <= {"shacl --shapes org rules"} and rows[len(whats)][:2] == ["| 30,000", "load"]
    assert len(rows) == len(whats) + 1 and lines[-2:] == ["", "On SPARQL servers: none."]
    assert re.fullmatch(FIGURE, rows[3][2]) and rows[3][3:5] == ["not run", "pySHACL, same rules"]
    assert rows[0][2] == "0.10 s, 40 MB" and "9.99 s" not in table.read_text()
