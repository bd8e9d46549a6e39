"""Hardening: pmgraph treats every input as hostile, reads nothing from the network, loses nothing.

pmgraph reads files from other teams and runs in their CI. Whatever a file holds, every command
that reads it either works or says in one line on stderr which file is wrong, where and why, exits
2, prints no traceback and writes nothing. Parsing, validating and querying fetch nothing: a local
web server records every request, and gets none. Every write is atomic: a write that fails or is
killed half-way leaves the old output as it was. Hypothesis checks round trips through every
syntax, mutated Turtle and hostile query parameters.

The many-case tests run ``pmgraph.cli.main`` in this process, for speed; what only a separate
process shows (exit codes of a killed process, closed pipes, a server in this process) runs the
installed console script.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.server
import io
import json
import os
import resource
import shutil
import signal
import stat
import subprocess
import sys
import threading
from pathlib import Path
from types import SimpleNamespace

import pytest
import rdflib
from conftest import PMGRAPH, one_error_line, run, union
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from rdflib import RDF, RDFS, XSD, BNode, Literal, Namespace, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

import pmgraph
from pmgraph.cli import main
from pmgraph.rdf.limits import (
    MAX_ENTITY_EXPANSION,
    MAX_NESTING,
    entity_expansion,
    json_nesting,
    sparql_nesting,
)

HOSTILE = Path(__file__).parent / "fixtures" / "hostile"
ACME = Path(__file__).parent.parent / "examples" / "acme"
GENERATE = Path(__file__).parent.parent / "bench" / "generate.py"
PREFIX = "acme=https://example.org/acme/"
PM = Namespace("https://w3id.org/pmgraph#")
ACME_NS = "https://example.org/acme/"
AS_ROOT = os.geteuid() == 0
ROOT_READS_ANYTHING = "root reads a file whatever its mode (the tests run as root in CI)"


def run_in_process(*args: object) -> tuple[int, str, str]:
    """Run ``pmgraph.cli.main`` here: the exit code, stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(arg) for arg in args])
    return code, out.getvalue(), err.getvalue()


def snapshot(folder: Path) -> dict[str, tuple[str, int]]:
    """Every file below a folder (hidden ones too): its content's digest and its mode."""
    return {
        path.relative_to(folder).as_posix(): (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mode)
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


# --- 1. Bad input, everywhere a path or a value is accepted ---------------------------------------

# kind: (file name, content or how to make it, what the one line says, the line it names)
BAD_RDF_FILES = {
    "missing": ("missing.ttl", None, "no such file or directory", None),
    "folder without RDF": ("team.ttl", "folder", "no RDF file in this folder", None),
    "unreadable": ("locked.ttl", "chmod 000", "permission denied", None),
    "binary garbage": ("binary_garbage.ttl", HOSTILE / "binary_garbage.ttl", "invalid Turtle", 1),
    "syntax error": ("broken.ttl", HOSTILE / "syntax_error_on_line_3.ttl", "invalid Turtle at column 61: . is not a valid RDF object", 3),
    "JSON in a .ttl": ("json.ttl", HOSTILE / "json_in_turtle.ttl", "invalid Turtle at column 1", 1),
    "Turtle in a .rdf": ("turtle.rdf", HOSTILE / "turtle_in_rdfxml.rdf", "invalid RDF/XML", None),
    "unknown extension": ("team.n3", HOSTILE / "unknown_extension.n3", "unknown file extension '.n3'", None),
    "not UTF-8": ("latin1.nt", '<https://e.org/a> <https://e.org/p> "caf\xe9" .\n'.encode("latin-1"), "invalid N-Triples", 1),
    "5 MB garbage word": ("garbage.ttl", b"@prefix acme: <https://example.org/acme/> .\nacme:a acme:p " + b"x" * 5_000_000 + b" .\n", "invalid Turtle at column 15", 2),
    "JSON-LD nested 5000 deep": ("deep.jsonld", b'{"https://e.org/p": ' * 5000 + b'"x"' + b"}" * 5000, f"JSON-LD nested 5000 levels deep; pmgraph reads at most {MAX_NESTING} levels", None),
    "XML entity bomb": ("bomb.rdf", HOSTILE / "xml_entity_bomb.rdf", "its entities expand to 100,000,000 characters", None),
    "external XML entity": ("external.rdf", b'<?xml version="1.0"?><!DOCTYPE rdf:RDF [ <!ENTITY e SYSTEM "http://127.0.0.1:9/e"> ]><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>', "external entity 'e'", None),
    "remote JSON-LD context": ("remote.jsonld", b'{"@context": "http://127.0.0.1:9/context.jsonld", "@id": "https://e.org/a"}', "its @context is a URL", None),
}


def make_bad_file(kind: str, folder: Path) -> Path:
    """Write the hostile input of a kind in `folder` and return its path."""
    name, content, _reason, _line = BAD_RDF_FILES[kind]
    path = folder / name
    if content == "folder":
        path.mkdir()
    elif content == "chmod 000":
        path.write_text("<https://e.org/a> <https://e.org/p> <https://e.org/o> .\n")
        path.chmod(0)
    elif isinstance(content, Path):
        shutil.copyfile(content, path)
    elif content is not None:
        path.write_bytes(content)
    return path


def bad_kinds() -> list[object]:
    return [
        pytest.param(kind, marks=pytest.mark.skipif(AS_ROOT, reason=ROOT_READS_ANYTHING)) if kind == "unreadable" else kind
        for kind in BAD_RDF_FILES
    ]


# Every command that reads RDF files, with its outputs in `out`.
RDF_READERS = {
    "validate": lambda bad, out: ["validate", bad],
    "validate --engine pyshacl": lambda bad, out: ["validate", "--engine", "pyshacl", bad],
    "validate a folder and the file": lambda bad, out: ["validate", ACME, bad],
    "query": lambda bad, out: ["query", "projects-without-manager", bad],
    "overlap": lambda bad, out: ["overlap", bad, "--plot", out / "overlap.png", "--graphml", out / "overlap.graphml"],
    "report": lambda bad, out: ["report", bad, "-o", out / "report.html"],
    "merge": lambda bad, out: ["merge", ACME, bad, "-o", out / "merged.ttl"],
    "diff (old)": lambda bad, out: ["diff", bad, ACME],
    "diff (new)": lambda bad, out: ["diff", ACME, bad],
    "export-raci": lambda bad, out: ["export-raci", bad, "-o", out / "raci.csv"],
    "context": lambda bad, out: ["context", bad],
    "import-raci --data": lambda bad, out: [
        "import-raci", HOSTILE / "raci.csv", "--scope", "acme:checkout-api", "--prefix", PREFIX, "--data", bad, "-o", out / "raci.ttl"
    ],
    "import-assignments --data": lambda bad, out: [
        "import-assignments", HOSTILE / "assignments.csv", "--prefix", PREFIX, "--data", bad, "-o", out / "assignments.ttl"
    ],
}


@pytest.fixture(scope="module")
def bad_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every hostile RDF input, made once (the 5 MB one among them)."""
    folder = tmp_path_factory.mktemp("hostile")
    return {kind: make_bad_file(kind, folder) for kind in BAD_RDF_FILES}


@pytest.mark.parametrize("kind", bad_kinds())
@pytest.mark.parametrize("command", RDF_READERS)
def test_a_bad_rdf_file_is_one_line_exit_2_and_nothing_written(command, kind, bad_files, tmp_path):
    bad = bad_files[kind]
    _name, _content, reason, line = BAD_RDF_FILES[kind]

    code, stdout, stderr = run_in_process(*RDF_READERS[command](bad, tmp_path))

    assert (code, stdout) == (2, "")
    message = one_error_line(stderr)
    where = f"{bad}:{line}: " if line else f"{bad}: "
    assert message.startswith(f"pmgraph: error: {where}"), message
    assert reason in message
    assert len(message) < 400  # the parser's quote of a 5 MB word is cut short
    assert list(tmp_path.iterdir()) == []  # no output, no temporary file


def test_the_installed_command_says_the_same_in_one_line(bad_files):
    result = run("validate", bad_files["syntax error"])

    assert (result.returncode, result.stdout) == (2, "")
    assert one_error_line(result.stderr).startswith(f"pmgraph: error: {bad_files['syntax error']}:3: invalid Turtle")


def test_a_failed_merge_leaves_the_old_output_as_it_was(bad_files, tmp_path):
    output = tmp_path / "merged.ttl"
    output.write_text("# the merge of yesterday\n")

    code, _stdout, stderr = run_in_process("merge", ACME, bad_files["syntax error"], "-o", output)

    assert code == 2 and "invalid Turtle" in one_error_line(stderr)
    assert output.read_text() == "# the merge of yesterday\n"
    assert [path.name for path in tmp_path.iterdir()] == ["merged.ttl"]


@pytest.mark.parametrize("name", ["empty.ttl", "empty.nt", "empty.jsonld", "empty.rdf"])
def test_an_empty_file_is_an_empty_graph(name):
    code, stdout, stderr = run_in_process("validate", HOSTILE / name)

    assert (code, stderr) == (0, "")
    assert stdout.splitlines() == ["0 violations, 0 warnings, 0 info in 1 file", "OK"]


def test_internal_entities_for_namespaces_are_read():
    code, stdout, _stderr = run_in_process("query", HOSTILE / "label_parameter.rq", HOSTILE / "namespace_entities.rdf",
                                           "--param", "label=Checkout API", "--format", "csv")

    assert code == 0
    assert stdout == "thing,label\r\nhttps://example.org/acme/checkout-api,Checkout API\r\n"


@pytest.fixture(scope="module")
def deep_turtle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project whose description nests a blank node 5000 levels deep: valid Turtle."""
    path = tmp_path_factory.mktemp("deep") / "deep.ttl"
    path.write_text(
        "@prefix acme: <https://example.org/acme/> .\n@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "acme:checkout-api rdfs:comment " + "[ rdfs:comment " * 5000 + '"the bottom"' + " ]" * 5000 + " .\n"
    )
    return path


@pytest.mark.parametrize(
    "command",
    [
        ["validate"],
        ["validate", "--engine", "pyshacl"],
        ["query", "projects-without-manager"],
        ["overlap"],
        ["export-raci"],
        ["context"],
    ],
    ids=" ".join,
)
def test_turtle_nested_5000_deep_is_read(command, deep_turtle):
    code, _stdout, stderr = run_in_process(*command, deep_turtle)

    assert (code, stderr) == (0, "")


def test_merge_and_diff_label_a_chain_5000_deep_at_once(deep_turtle, tmp_path):
    # Blank nodes that hang in trees get canonical labels in linear time (RDFC-1.0 and rdflib's
    # canonical graph took hours on this chain).
    merged = tmp_path / "merged.ttl"

    assert run_in_process("merge", deep_turtle, "-o", merged)[0] == 0

    lines = merged.read_text().splitlines()
    assert "acme:checkout-api rdfs:comment _:c14n0 ." in lines
    assert '_:c14n4999 rdfs:comment "the bottom" .' in lines
    assert {f"_:c14n{n} rdfs:comment _:c14n{n + 1} ." for n in range(4999)} <= set(lines)
    assert run_in_process("merge", merged)[1] == merged.read_text()  # the canonical form is its own merge
    assert run_in_process("diff", deep_turtle, merged) == (0, "No change: both hold the same 5001 statements\n", "")


def test_a_5_mb_literal_is_read_and_kept(tmp_path):
    big = tmp_path / "big.ttl"
    big.write_text('@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n<https://example.org/acme/a> rdfs:comment "' + "x" * 5_000_000 + '" .\n')

    assert run_in_process("validate", big)[0] == 0
    assert run_in_process("merge", big, "-o", tmp_path / "merged.ttl")[0] == 0
    assert ("x" * 5_000_000) in (tmp_path / "merged.ttl").read_text()


def test_an_invalid_date_or_decimal_in_the_data_is_a_violation_not_a_parse_error():
    code, stdout, stderr = run_in_process("validate", HOSTILE / "invalid_date_and_decimal.ttl", "--format", "json")

    assert (code, stderr) == (1, "")
    assert sorted((r["severity"], r["focus"], r["path"], r["value"]) for r in json.loads(stdout)["results"]) == [
        ("Violation", f"{ACME_NS}checkout-api", f"{PM}budget", "12O000"),
        ("Violation", f"{ACME_NS}checkout-api", f"{PM}endDate", "2024-02-30"),
        ("Violation", f"{ACME_NS}checkout-api", f"{PM}startDate", "2024-13-45"),
    ]


def test_pyshacl_reports_the_invalid_date_and_decimal_too():
    code, stdout, stderr = run_in_process("validate", "--engine", "pyshacl", HOSTILE / "invalid_date_and_decimal.ttl", "--format", "json")

    assert (code, stderr) == (1, "")
    assert json.loads(stdout)["counts"] == {"Violation": 3, "Warning": 0, "Info": 0}


@pytest.mark.parametrize(
    "engine",
    [
        "pmgraph",
        "pyshacl",  # rdflib's SUM raised TypeError on "half"^^xsd:decimal: the over-allocation warning sums numbers only
    ],
)
def test_an_invalid_allocation_is_a_violation(engine):
    code, stdout, stderr = run_in_process("validate", "--engine", engine, HOSTILE / "invalid_allocation.ttl", "--format", "json")

    assert (code, stderr) == (1, "")
    assert [(r["focus"], r["path"], r["value"]) for r in json.loads(stdout)["results"]] == [
        (f"{ACME_NS}erin-manages-checkout", f"{PM}allocation", "half")
    ]


ROLE = ["--param", "role=pm:ProjectManager"]
SCOPE = ["--param", "scope=acme:checkout-api"]


@pytest.mark.parametrize(
    "args, message",
    [
        ([*ROLE, *SCOPE, "--at", "2024-13-45"], "parameter 'at': '2024-13-45' is not a calendar date (month must be in 1..12)"),
        ([*ROLE, *SCOPE, "--param", "at=2024-02-30"], "parameter 'at': '2024-02-30' is not a calendar date (day is out of range for month)"),
        ([*ROLE, *SCOPE, "--at", "next tuesday"], "parameter 'at': 'next tuesday' is not a date written YYYY-MM-DD"),
        (
            [*ROLE, "--param", "scope=acm:checkout-api"],
            (
                "parameter 'scope': 'acm:checkout-api' is not a prefixed name the data declares: no prefix 'acm' "
                "(did you mean acme:?); write a full IRI in <...> to use it as it is"
            ),
        ),
    ],
)
def test_a_bad_query_value_is_one_line(args, message):
    code, stdout, stderr = run_in_process("query", "role-holders", ACME, *args)

    assert (code, stdout) == (2, "")
    assert one_error_line(stderr) == f"pmgraph: error: {message}"


@pytest.mark.parametrize("command", [["overlap", ACME], ["report", ACME, "-o", "report.html"]], ids=lambda c: c[0])
def test_a_bad_at_date_is_a_usage_error(command, tmp_path):
    # argparse's usage lines come first; the error itself is the last line.
    result = run(*command, "--at", "2024-13-45", cwd=tmp_path)

    assert (result.returncode, result.stdout) == (2, "")
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[-1].endswith("error: argument --at: not a date (YYYY-MM-DD): '2024-13-45'")
    assert list(tmp_path.iterdir()) == []


# Other files than RDF: a query, a CSV file, extra shapes.
def make_other_file(kind: str, folder: Path, suffix: str) -> Path:
    path = folder / f"{kind.replace(' ', '_')}{suffix}"
    if kind == "folder":
        path.mkdir()
    elif kind == "binary":
        path.write_bytes(b"\xff\xfe\x00\x89garbage\x00")
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "unreadable":
        path.write_text("x\n")
        path.chmod(0)
    return path


OTHER_FILE_KINDS = [
    "missing",
    "folder",
    "binary",
    "empty",
    pytest.param("unreadable", marks=pytest.mark.skipif(AS_ROOT, reason=ROOT_READS_ANYTHING)),
]
OTHER_FILE_REASONS = {
    "missing": "no such file or directory",
    "folder": "is a directory",
    "binary": "not UTF-8",
    "empty": "",
    "unreadable": "permission denied",
}


@pytest.mark.parametrize("kind", OTHER_FILE_KINDS)
def test_a_bad_query_file_is_one_line(kind, tmp_path):
    query = make_other_file(kind, tmp_path, ".rq")

    code, stdout, stderr = run_in_process("query", query, ACME)

    assert (code, stdout) == (2, "")
    message = one_error_line(stderr)
    assert message.startswith(f"pmgraph: error: {query}")
    assert OTHER_FILE_REASONS[kind] in message


@pytest.mark.parametrize("command", ["import-raci", "import-assignments"])
@pytest.mark.parametrize("kind", OTHER_FILE_KINDS)
def test_a_bad_csv_file_is_one_line_and_nothing_written(command, kind, tmp_path):
    csv_file = make_other_file(kind, tmp_path, ".csv")
    output = tmp_path / "out" / "imported.ttl"
    output.parent.mkdir()

    code, stdout, stderr = run_in_process(command, csv_file, "--prefix", PREFIX, "-o", output)

    assert (code, stdout) == (2, "")
    message = one_error_line(stderr)
    assert message.startswith(f"pmgraph: error: {csv_file}: ")
    assert OTHER_FILE_REASONS[kind] in message
    assert list(output.parent.iterdir()) == []


def test_a_5_mb_csv_cell_is_one_line(tmp_path):
    csv_file = tmp_path / "raci.csv"
    csv_file.write_text("Responsibility,acme:erin-castillo\nBudgeting," + "A" * 5_000_000 + "\n")

    code, _stdout, stderr = run_in_process("import-raci", csv_file, "--scope", "acme:checkout-api", "--prefix", PREFIX)

    assert code == 2
    assert one_error_line(stderr) == f"pmgraph: error: {csv_file}: not valid CSV: field larger than field limit (131072)"


# Shapes files are read as data files are (pmgraph.load), so they say what data files say.
@pytest.mark.parametrize(
    "kind, reason",
    [
        ("missing", "no such file or directory"),
        ("folder", "is a directory"),
        ("binary", ":1: invalid Turtle at column 1: Invalid UTF-8 character encoding"),
        ("syntax error", ":3: invalid Turtle at column 61: . is not a valid RDF object"),
        ("nested 5000 deep", f": shapes nested 5000 levels deep; pmgraph reads at most {MAX_NESTING} levels"),
    ],
)
def test_a_bad_shapes_file_is_one_line_naming_it(kind, reason, tmp_path, bad_files, deep_turtle):
    shapes = {
        "syntax error": bad_files["syntax error"],
        "nested 5000 deep": deep_turtle,
    }.get(kind) or make_other_file(kind, tmp_path, ".ttl")

    code, stdout, stderr = run_in_process("validate", ACME, "--shapes", shapes)

    assert (code, stdout) == (2, "")
    message = one_error_line(stderr)
    assert message.startswith(f"pmgraph: error: {shapes}")
    assert reason in message


def test_a_missing_relative_shapes_file_is_named_as_given(tmp_path):
    result = run("validate", ACME, "--shapes", "no-such-shapes.ttl", cwd=tmp_path)

    assert result.returncode == 2
    assert one_error_line(result.stderr) == "pmgraph: error: no-such-shapes.ttl: no such file or directory"


@pytest.mark.parametrize("engine", ["pmgraph", "pyshacl"])
def test_shapes_that_break_shacl_for_shacl_are_one_line_naming_the_file(engine, tmp_path):
    shapes = tmp_path / "unusable.ttl"
    shapes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix pm: <https://w3id.org/pmgraph#> .\n"
        '<https://example.org/S> a sh:NodeShape ; sh:targetClass pm:Project ; sh:property [ sh:path pm:budget ; sh:minCount "x" ] .\n'
    )

    result = run("validate", ACME, "--engine", engine, "--shapes", shapes)

    assert result.returncode == 2
    assert one_error_line(result.stderr) == (
        f"pmgraph: error: {shapes}: shape https://example.org/S (property https://w3id.org/pmgraph#budget): "
        'sh:minCount "x" is not well-formed SHACL (SHACL-for-SHACL asks for sh:datatype xsd:integer; sh:maxCount 1)'
    )
    assert result.stdout == ""


def test_a_query_nested_5000_deep_is_refused_in_one_line(tmp_path):
    query = tmp_path / "deep.rq"
    query.write_text("SELECT ?s WHERE { " + "{ " * 5000 + "?s ?p ?o" + " }" * 5000 + " }\n")

    result = run("query", query, ACME)

    assert (result.returncode, result.stdout) == (2, "")
    assert one_error_line(result.stderr) == f"pmgraph: error: {query} is nested 5001 levels deep; pmgraph reads at most {MAX_NESTING} levels"


def test_a_query_of_ordinary_depth_runs(tmp_path):
    query = tmp_path / "nested.rq"
    query.write_text("SELECT ?s WHERE { " + "{ " * 50 + "?s a <https://w3id.org/pmgraph#Project>" + " }" * 50 + " }\n")

    code, stdout, _stderr = run_in_process("query", query, ACME, "--format", "csv")

    assert code == 0
    assert sorted(stdout.splitlines()) == [
        f"{ACME_NS}{name}" for name in ("checkout-api", "fraud-detection", "mobile-relaunch", "payments-integration")
    ] + ["s"]


# The limits themselves.
def test_json_nesting_counts_brackets_outside_strings():
    assert json_nesting(b'{"a": "[[[{{{", "b": [[1], {"c": "\\"]"}]}') == 3
    assert json_nesting(b'{"a\\\\": "[", "b\\"[": [1]}') == 2  # escaped backslash, escaped quote
    assert json_nesting(b'"x"') == 0
    assert json_nesting(b"[" * 5000) == 5000


def test_sparql_nesting_counts_brackets_outside_strings_iris_and_comments():
    text = 'SELECT * WHERE { ?s <https://e.org/p(> "((" . FILTER(?s != \'\'\'{{\'\'\') } # ((((\n'

    assert sparql_nesting(text) == 2


def test_entity_expansion_refuses_self_reference_and_parameter_entities():
    with pytest.raises(ValueError, match="its entity 'a' refers to itself"):
        entity_expansion(b'<!DOCTYPE r [ <!ENTITY a "&b;"> <!ENTITY b "&a;"> ]><r>&a;</r>')
    with pytest.raises(ValueError, match="parameter entity '%p'"):
        entity_expansion(b'<!DOCTYPE r [ <!ENTITY % p "x"> ]><r/>')
    assert entity_expansion((HOSTILE / "xml_entity_bomb.rdf").read_bytes()) == 10**8 > MAX_ENTITY_EXPANSION


# A reader that goes away early: ``pmgraph ... | head -1``.
@pytest.mark.parametrize(
    "command",
    [
        ["validate", ACME, "--format", "json"],
        ["query", "projects-without-manager", ACME],
        ["merge", ACME],
        ["context"],
        ["export-raci", HOSTILE / "raci_on_checkout_api.ttl", "--scope", "acme:checkout-api", "--prefix", PREFIX],
        ["overlap", ACME],
        ["diff", ACME, HOSTILE / "raci_on_checkout_api.ttl"],
    ],
    ids=lambda command: command[0],
)
def test_a_closed_pipe_ends_quietly_with_141(command):
    process = subprocess.Popen([PMGRAPH, *map(str, command)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.close()  # the reader has gone before pmgraph writes

    code = process.wait(timeout=300)
    stderr = process.stderr.read().decode()
    process.stderr.close()

    assert (code, stderr) == (141, "")


def test_head_1_shows_the_first_line_and_no_traceback():
    result = subprocess.run(
        f"'{PMGRAPH}' validate '{ACME}' --format turtle | head -1", shell=True, check=False, capture_output=True, text=True, timeout=300
    )

    assert result.stdout == "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
    assert result.stderr == ""


# --- 2. No network unless asked ---------------------------------------------------------------------


@pytest.fixture
def web():
    """A web server on 127.0.0.1 that answers everything and records every request."""
    requests: list[str] = []

    class Recorder(http.server.BaseHTTPRequestHandler):
        def answer(self) -> None:
            requests.append(f"{self.command} {self.path}")
            body = b'{"@context": {"label": "http://www.w3.org/2000/01/rdf-schema#label"}}'
            self.send_response(200)
            self.send_header("Content-Type", "application/ld+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_PUT = do_HEAD = answer

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield SimpleNamespace(url=f"http://127.0.0.1:{server.server_address[1]}", requests=requests)
    server.shutdown()
    server.server_close()


def files_that_point_at(url: str, folder: Path) -> Path:
    """A portfolio whose files import, link to and declare DTDs on the server: all read offline."""
    folder.mkdir()
    (folder / "imports.ttl").write_text(
        f"@prefix owl: <http://www.w3.org/2002/07/owl#> .\n@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        f"@prefix remote: <{url}/vocabulary#> .\n"
        f"<https://example.org/acme/portfolio-data> a owl:Ontology ; owl:imports <{url}/x.ttl> , remote: ;\n"
        f"    rdfs:seeAlso <{url}/see-also> .\n"
    )
    (folder / "dtd.rdf").write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF SYSTEM "{url}/rdf.dtd">\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#">\n'
        f'  <rdf:Description rdf:about="https://example.org/acme/checkout-api"><rdfs:seeAlso rdf:resource="{url}/api"/></rdf:Description>\n'
        "</rdf:RDF>\n"
    )
    shutil.copyfile(ACME / "people.ttl", folder / "people.ttl")
    return folder


@pytest.mark.parametrize(
    "command",
    [
        ["validate"],
        ["validate", "--engine", "pyshacl"],
        ["query", "projects-without-manager"],
        ["overlap", "--people"],
        ["merge"],
        ["context"],
        ["export-raci"],
    ],
    ids=" ".join,
)
def test_reading_files_that_point_at_a_server_fetches_nothing(command, web, tmp_path):
    folder = files_that_point_at(web.url, tmp_path / "portfolio")

    result = run(*command, folder)

    assert result.returncode in (0, 1), result.stderr
    assert web.requests == []


def test_owl_imports_in_extra_shapes_are_not_followed(web, tmp_path):
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(
        f"@prefix owl: <http://www.w3.org/2002/07/owl#> .\n@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        f"<https://example.org/acme/shapes> a owl:Ontology ; owl:imports <{web.url}/shapes.ttl> .\n"
        "<https://example.org/acme/shapes#PersonShape> a sh:NodeShape ; sh:targetClass <https://w3id.org/pmgraph#Person> .\n"
    )

    result = run("validate", ACME, "--shapes", shapes)

    assert result.returncode == 0, result.stderr
    assert web.requests == []


REFUSED_REFERENCES = {
    "external.rdf": (
        (
            '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [ <!ENTITY e SYSTEM "{url}/e"> ]>\n'
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#">\n'
            '  <rdf:Description rdf:about="https://example.org/acme/a"><rdfs:label>&e;</rdfs:label></rdf:Description>\n</rdf:RDF>\n'
        ),
        "RDF/XML refused: it declares the external entity 'e' (SYSTEM ...); pmgraph never reads external entities",
    ),
    "context.jsonld": (
        '{{"@context": "{url}/ctx.jsonld", "@id": "https://example.org/acme/a", "label": "A"}}',
        "invalid JSON-LD: its @context is a URL, and pmgraph never fetches anything: write the context in the file",
    ),
    "contexts.jsonld": (
        '{{"@context": [{{"@vocab": "https://example.org/"}}, "{url}/ctx.jsonld"], "@id": "https://example.org/acme/a", "label": "A"}}',
        "invalid JSON-LD: its @context is a URL, and pmgraph never fetches anything: write the context in the file",
    ),
    "import.jsonld": (
        '{{"@context": {{"@version": 1.1, "@import": "{url}/ctx.jsonld"}}, "@id": "https://example.org/acme/a", "label": "A"}}',
        "invalid JSON-LD: its @context is a URL, and pmgraph never fetches anything: write the context in the file",
    ),
}


@pytest.mark.parametrize("command", [["validate"], ["query", "projects-without-manager"]], ids=lambda c: c[0])
@pytest.mark.parametrize("name", REFUSED_REFERENCES)
def test_remote_contexts_and_external_entities_are_refused_not_fetched(name, command, web, tmp_path):
    template, reason = REFUSED_REFERENCES[name]
    path = tmp_path / name
    path.write_text(template.format(url=web.url))

    result = run(*command, path)

    assert (result.returncode, result.stdout) == (2, "")
    assert one_error_line(result.stderr) == f"pmgraph: error: {path}: {reason}"
    assert web.requests == []


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_rdflib_itself_would_fetch_a_remote_context(web, tmp_path):
    # Why pmgraph parses JSON-LD with pyoxigraph, never rdflib: this is the request it never makes.
    path = tmp_path / "context.jsonld"
    path.write_text(REFUSED_REFERENCES["context.jsonld"][0].format(url=web.url))

    rdflib.Graph().parse(path, format="json-ld")

    assert web.requests == ["GET /ctx.jsonld"]


def test_service_is_refused_unless_allowed(web, tmp_path):
    query = tmp_path / "remote.rq"
    query.write_text(f"SELECT ?s WHERE {{ SERVICE <{web.url}/sparql> {{ ?s ?p ?o }} }}\n")

    refused = run("query", query, ACME)

    assert (refused.returncode, refused.stdout) == (2, "")
    assert one_error_line(refused.stderr) == (
        f"pmgraph: error: {query} calls another SPARQL endpoint (SERVICE); "
        "pmgraph runs such a query only when allowed (--allow-service, or allow_service=True)"
    )
    assert web.requests == []

    run("query", query, ACME, "--allow-service")  # asked: the server is called (it answers nonsense)

    assert len(web.requests) == 1 and web.requests[0].endswith("/sparql")


@pytest.mark.parametrize(
    "kind",
    [
        "binary garbage",
        "syntax error",
        "external XML entity",
        "remote JSON-LD context",
        "JSON-LD nested 5000 deep",  # would crash pyoxigraph's parser
        "XML entity bomb",  # 10^8 characters would be expanded and sent
    ],
)
def test_push_reads_every_file_before_sending_anything(kind, bad_files, web):
    bad = bad_files[kind]

    result = run("push", bad, "--endpoint", f"{web.url}/query")

    assert (result.returncode, result.stdout) == (2, "")
    assert one_error_line(result.stderr).startswith(f"pmgraph: error: {bad}")
    assert web.requests == []


# --- 3. No data loss ---------------------------------------------------------------------------------


def test_validate_query_and_the_other_readers_never_change_an_input(tmp_path):
    inputs = tmp_path / "inputs"
    shutil.copytree(ACME, inputs)
    for name in ("namespace_entities.rdf", "raci_on_checkout_api.ttl", "label_parameter.rq"):
        shutil.copyfile(HOSTILE / name, inputs / name)
    pmgraph.dump(pmgraph.load(ACME / "people.ttl"), inputs / "people.jsonld", format="json-ld")
    pmgraph.dump(pmgraph.load(ACME / "portfolio.ttl"), inputs / "portfolio.trig", format="trig")
    before = snapshot(inputs)

    for command in (
        ["validate", inputs],
        ["validate", inputs, "--format", "turtle"],
        ["validate", "--engine", "pyshacl", inputs / "people.jsonld", "--format", "json"],  # pySHACL is slow
        ["query", "role-holders", inputs, "--param", "scope=acme:checkout-api", "--param", "role=pm:ProjectManager"],
        ["query", inputs / "label_parameter.rq", inputs, "--param", "label=Checkout API"],
        ["overlap", inputs],
        ["diff", inputs, ACME],
        ["context", inputs],
        ["export-raci", inputs],
        ["merge", inputs, "--check"],
    ):
        assert run_in_process(*command)[0] in (0, 1), command

    assert snapshot(inputs) == before


def limit_file_size(size: int) -> None:
    """In the child, before pmgraph starts: files may not grow beyond `size` bytes; no core file."""
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


NO_BYTECODE = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}  # only pmgraph's output is written

# Every command that writes a file, and the file it writes.
WRITERS = {
    "merge -o": (["merge", ACME, "-o", "{out}"], "merged.ttl"),
    "report -o": (["report", ACME, "-o", "{out}"], "report.html"),
    "overlap --plot": (["overlap", ACME, "--roles", "--plot", "{out}"], "overlap.png"),
    "overlap --graphml": (["overlap", ACME, "--graphml", "{out}"], "overlap.graphml"),
    "export-raci -o": (["export-raci", HOSTILE / "raci_on_checkout_api.ttl", "--scope", "acme:checkout-api", "--prefix", PREFIX, "-o", "{out}"], "raci.csv"),
    "import-raci -o": (["import-raci", HOSTILE / "raci.csv", "--scope", "acme:checkout-api", "--prefix", PREFIX, "-o", "{out}"], "raci.ttl"),
    "import-assignments -o": (["import-assignments", HOSTILE / "assignments.csv", "--prefix", PREFIX, "-o", "{out}"], "assignments.ttl"),
    "docs -o": (["docs", "-o", "{folder}"], "index.html"),
}


@pytest.mark.parametrize("writer", WRITERS)
def test_a_write_that_fails_half_way_leaves_the_old_output(writer, tmp_path):
    # The kernel refuses to let any file grow beyond 32 bytes, as a full disk would: the write fails
    # part-way, pmgraph says so in one line, and the old output is still whole.
    template, name = WRITERS[writer]
    output = tmp_path / name
    output.write_text("old output\n")
    args = [str(arg).format(out=output, folder=tmp_path) for arg in template]

    result = run(*args, preexec_fn=lambda: limit_file_size(32), env=NO_BYTECODE)

    assert result.returncode == 2
    message = one_error_line(result.stderr)
    assert message.startswith("pmgraph: error: ") and message.endswith(": file too large")
    assert output.read_text() == "old output\n"
    assert [path.name for path in tmp_path.iterdir()] == [name]  # no temporary file left


@pytest.mark.parametrize("writer", ["report -o", "overlap --plot"])
def test_a_full_disk_as_matplotlib_builds_its_font_cache_is_still_one_line(writer, tmp_path):
    # matplotlib builds its font cache on first use, and runs fc-list, which builds fontconfig's.
    # Fresh caches for both, as on a new machine: neither can be saved, so each run builds them
    # again, and what matplotlib and fc-list say of it must not come with pmgraph's one line.
    fonts = tmp_path / "fonts.conf"
    fonts.write_text(
        f'<?xml version="1.0"?>\n<fontconfig><dir>/usr/share/fonts</dir><cachedir>{tmp_path / "fontconfig"}</cachedir></fontconfig>\n'
    )
    env = {**NO_BYTECODE, "MPLCONFIGDIR": str(tmp_path / "matplotlib"), "FONTCONFIG_FILE": str(fonts)}
    template, name = WRITERS[writer]
    (tmp_path / "out").mkdir()
    args = [str(arg).format(out=tmp_path / "out" / name) for arg in template]

    for _ in range(2):
        result = run(*args, preexec_fn=lambda: limit_file_size(32), env=env)

        assert result.returncode == 2
        assert one_error_line(result.stderr).endswith(": file too large")


@pytest.mark.parametrize("writer", WRITERS)
def test_a_write_that_succeeds_replaces_the_old_output_whole(writer, tmp_path):
    template, name = WRITERS[writer]
    output = tmp_path / name
    output.write_text("old output\n")
    args = [str(arg).format(out=output, folder=tmp_path) for arg in template]

    code, _stdout, stderr = run_in_process(*args)

    assert code == 0, stderr
    assert output.read_bytes() != b"old output\n" and output.stat().st_size > 32
    assert [path.name for path in tmp_path.iterdir()] == [name]


@pytest.mark.parametrize("writer", WRITERS)
def test_a_write_keeps_the_mode_of_the_file_it_replaces(writer, tmp_path):
    template, name = WRITERS[writer]
    output = tmp_path / name
    output.write_text("old output\n")
    output.chmod(0o640)
    args = [str(arg).format(out=output, folder=tmp_path) for arg in template]

    code, _stdout, stderr = run_in_process(*args)

    assert code == 0, stderr
    assert output.read_bytes() != b"old output\n"
    assert stat.S_IMODE(output.stat().st_mode) == 0o640


def test_a_new_output_gets_the_mode_the_umask_gives(tmp_path):
    output = tmp_path / "merged.ttl"

    result = run("merge", ACME, "-o", output, preexec_fn=lambda: os.umask(0o027))

    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(output.stat().st_mode) == 0o640


def test_docs_that_cannot_be_written_leave_no_folder_behind(tmp_path):
    result = run("docs", "-o", tmp_path / "site" / "docs", preexec_fn=lambda: limit_file_size(32), env=NO_BYTECODE)

    assert result.returncode == 2
    assert one_error_line(result.stderr).endswith(": file too large")
    assert list(tmp_path.iterdir()) == []


@pytest.fixture(scope="module")
def generated_portfolio(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated portfolio (bench/generate.py): a merge of it writes some hundred kilobytes."""
    path = tmp_path_factory.mktemp("generated") / "portfolio.nt"
    subprocess.run([sys.executable, GENERATE, "--triples", "3000", "-o", path], check=True, capture_output=True, timeout=300)
    return path


# pmgraph's own main(), in a child process that dies by a signal: no cleanup of any kind runs.
KILLED_MID_WRITE = """
import signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_DFL)  # Python ignores it; by default the kernel kills
from pmgraph.cli import main
sys.exit(main(sys.argv[1:]))
"""
KILLED_AT = """
import os, signal, sys
from pmgraph.cli import main

def kill(event, args):  # an audit hook: Python calls it as a file is opened, renamed...
    if event == sys.argv[1] and (event != "open" or "x" in str(args[1])):
        os.kill(os.getpid(), signal.SIGKILL)

sys.addaudithook(kill)
sys.exit(main(sys.argv[2:]))
"""


def left_behind(folder: Path, name: str) -> list[str]:
    """What a killed write leaves beside its output: only hidden, clearly named temporary files."""
    others = sorted(path.name for path in folder.iterdir() if path.name != name)
    assert all(other.startswith(f".{name}.") and other.endswith(".tmp") for other in others), others
    return others


def killed_merge(script: list[str], portfolio: Path, folder: Path, **options: object) -> tuple[int, Path]:
    """Merge `portfolio` over yesterday's output in a child that `script` makes die: its exit code, the output."""
    output = folder / "merged.ttl"
    output.write_text("# the merge of yesterday\n")
    result = subprocess.run(
        [sys.executable, "-c", *script, "merge", portfolio, "-o", output],
        check=False, capture_output=True, timeout=300, env=NO_BYTECODE, **options,
    )
    return result.returncode, output


def test_a_merge_killed_in_the_middle_of_writing_leaves_the_old_output(generated_portfolio, tmp_path):
    code, output = killed_merge([KILLED_MID_WRITE], generated_portfolio, tmp_path, preexec_fn=lambda: limit_file_size(16384))

    assert code == -signal.SIGXFSZ  # killed by the kernel after 16 KB, no cleanup run
    assert output.read_text() == "# the merge of yesterday\n"
    [temporary] = left_behind(tmp_path, "merged.ttl")
    assert (tmp_path / temporary).stat().st_size == 16384
    # A folder of RDF files skips hidden files: the leftover is never read as data.
    assert pmgraph.rdf.reading.rdf_files(tmp_path) == [output]


def test_a_merge_killed_as_it_opens_its_temporary_file_leaves_the_old_output(generated_portfolio, tmp_path):
    code, output = killed_merge([KILLED_AT, "open"], generated_portfolio, tmp_path)

    assert code == -signal.SIGKILL
    assert output.read_text() == "# the merge of yesterday\n"
    assert left_behind(tmp_path, "merged.ttl") == []


def test_a_merge_killed_just_before_the_rename_leaves_the_old_output(generated_portfolio, tmp_path):
    code, output = killed_merge([KILLED_AT, "os.rename"], generated_portfolio, tmp_path)

    assert code == -signal.SIGKILL
    assert output.read_text() == "# the merge of yesterday\n"
    [temporary] = left_behind(tmp_path, "merged.ttl")
    merged = run_in_process("merge", generated_portfolio)[1]
    assert (tmp_path / temporary).read_text() == merged  # complete, but it never took the output's name


# --- 4. Property-based and fuzz tests ----------------------------------------------------------------

# Small budgets keep the suite fast; no example database is written in the repository.
FUZZ = settings(deadline=None, database=None)
FORMATS = {"turtle": ".ttl", "nt": ".nt", "trig": ".trig", "nquads": ".nq", "json-ld": ".jsonld", "xml": ".rdf"}

texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=24)  # any character a file can hold
local_names = st.text(st.sampled_from("abcxyz019-_.~éß中😀"), min_size=1, max_size=8)
entities = local_names.map(lambda name: URIRef(ACME_NS + name))
# Language tags are case-insensitive and pyoxigraph writes them in lower case (RDF 1.1 allows it).
labels = st.builds(lambda text, lang: Literal(text, lang=lang), texts, st.sampled_from([None, "en", "fr-ca", "de-1996", "zh-hant-tw"]))
dates = st.builds(lambda day, zone: day.isoformat() + zone, st.dates(), st.sampled_from(["", "Z", "+02:00", "-11:30"]))
decimals = st.from_regex(r"\A[+-]?(\d{1,6}(\.\d{0,3})?|\.\d{1,3})\Z")  # "+01.50", ".5", "7.", "-0"


def typed(lexical: str, datatype: URIRef) -> Literal:
    return Literal(lexical, datatype=datatype, normalize=False)


@st.composite
def portfolios(draw: st.DrawFn) -> rdflib.Graph:
    """A small portfolio: projects, people, role assignments (some blank nodes), odd literals."""
    graph = rdflib.Graph()
    graph.bind("acme", ACME_NS)
    graph.bind("pm", PM)
    projects = draw(st.lists(entities, min_size=1, max_size=3, unique=True))
    people = draw(st.lists(entities, min_size=1, max_size=3, unique=True))
    for project in projects:
        graph.add((project, RDF.type, PM.Project))
        graph.add((project, RDFS.label, draw(labels)))
        graph.add((project, PM.startDate, typed(draw(dates), XSD.date)))
        graph.add((project, PM.endDate, typed(draw(dates), XSD.date)))
        graph.add((project, PM.budget, typed(draw(decimals), XSD.decimal)))
    for person in people:
        graph.add((person, RDF.type, PM.Person))
        graph.add((person, RDFS.label, draw(labels)))
        graph.add((draw(st.sampled_from(projects)), PM.projectManager, person))
    for _ in range(draw(st.integers(0, 3))):
        assignment = draw(st.one_of(entities, st.builds(BNode)))
        graph.add((assignment, RDF.type, PM.RoleAssignment))
        graph.add((assignment, PM.agent, draw(st.sampled_from(people))))
        graph.add((assignment, PM.role, draw(st.sampled_from([PM.ProjectManager, PM.ProductOwner]))))
        graph.add((assignment, PM.scope, draw(st.sampled_from(projects))))
        graph.add((assignment, PM.allocation, typed(draw(decimals), XSD.decimal)))
        graph.add((assignment, RDFS.comment, draw(labels)))
    return graph


@pytest.mark.parametrize("syntax", FORMATS)
@settings(FUZZ, max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(portfolio=portfolios())
def test_a_portfolio_round_trips_through_every_syntax(syntax, portfolio, tmp_path):
    path = tmp_path / f"portfolio{FORMATS[syntax]}"

    pmgraph.dump(portfolio, path, format=syntax)
    read = union(pmgraph.load(path))

    if not isomorphic(read, portfolio):
        _both, lost, added = graph_diff(to_isomorphic(portfolio), to_isomorphic(read))
        pytest.fail(f"{syntax}: lost {sorted(lost)}, added {sorted(added)}")


def test_a_language_tag_is_read_in_lower_case(tmp_path):
    path = tmp_path / "label.ttl"
    path.write_text('<https://example.org/acme/a> <http://www.w3.org/2000/01/rdf-schema#label> "Caf\\u00e9"@fr-CA .\n')

    assert set(union(pmgraph.load(path)).objects()) == {Literal("Café", lang="fr-ca")}


VALID_TURTLE = (HOSTILE / "invalid_date_and_decimal.ttl").read_bytes() + (ACME / "people.ttl").read_bytes()
mutations = st.lists(
    st.tuples(
        st.sampled_from(["flip", "delete", "insert"]),
        st.floats(0, 1, exclude_max=True),
        st.one_of(st.binary(min_size=1, max_size=3), st.sampled_from([b"[", b"(", b'"', b"<", b">", b".", b";", b"\\", b"^^", b"_:", b"@", b'"""', b"\x00", b"\xff"])),
    ),
    min_size=1,
    max_size=6,
)


def mutate(content: bytes, changes: list[tuple[str, float, bytes]]) -> bytes:
    data = bytearray(content)
    for change, where, what in changes:
        at = int(where * len(data))
        if change == "flip" and data:
            data[at] ^= what[0] or 1
        elif change == "delete":
            del data[at : at + len(what)]
        else:
            data[at:at] = what
    return bytes(data)


@settings(FUZZ, max_examples=100)
@given(changes=mutations)
def test_mutated_turtle_never_gives_a_traceback(changes, tmp_path_factory):
    path = tmp_path_factory.mktemp("mutated") / "mutated.ttl"
    path.write_bytes(mutate(VALID_TURTLE, changes))

    for command in (["validate", path], ["query", "projects-without-manager", path, "--format", "json"]):
        code, stdout, stderr = run_in_process(*command)
        event(f"{command[0]} exit {code}")

        assert code in (0, 1, 2)
        assert "Traceback" not in stdout + stderr
        if code == 2:
            assert one_error_line(stderr).startswith(f"pmgraph: error: {path}")
        else:
            assert stderr == ""  # nor any warning of the libraries underneath


THINGS = pmgraph.load(HOSTILE / "things_with_labels.ttl")
LABELS = sorted(str(label) for label in THINGS.objects(None, RDFS.label))
THINGS_BY_LABEL = {str(label): str(thing) for thing, label in THINGS.subject_objects(RDFS.label)}
sparql_looking = st.sampled_from(['" } UNION { ?thing ?p ?label } #', "x' . ?s ?p ?o", "<https://example.org/acme/apollo>", "\\u0022", "?label", "acme:apollo"])
parameter_values = st.one_of(st.sampled_from(LABELS), sparql_looking, texts, st.builds(lambda a, b: a + b, sparql_looking, texts))


def bindings(stdout: str) -> list[dict[str, str]]:
    return [{name: term["value"] for name, term in row.items()} for row in json.loads(stdout)["results"]["bindings"]]


@settings(FUZZ, max_examples=80)
@given(value=parameter_values)
def test_a_literal_parameter_never_changes_the_query(value):
    code, stdout, _stderr = run_in_process(
        "query", HOSTILE / "label_parameter.rq", HOSTILE / "things_with_labels.ttl", "--param", f"label={value}", "--format", "json"
    )

    assert code in (0, 2)
    if code == 0:  # the rows of exactly that literal: one thing, or none
        expected = [{"thing": THINGS_BY_LABEL[value], "label": value}] if value in THINGS_BY_LABEL else []
        assert bindings(stdout) == expected


def iri_readings(value: str) -> set[str]:
    """What an IRI parameter may stand for: the text, the text in <...>, or a prefixed name expanded."""
    namespaces = {name: str(namespace) for name, namespace in THINGS.namespaces()}
    namespaces.setdefault("pm", str(PM))
    prefix, _colon, local = value.partition(":")
    return {value, value[1:-1]} | ({namespaces[prefix] + local} if prefix in namespaces else set())


@settings(FUZZ, max_examples=80)
@given(value=st.one_of(parameter_values, st.sampled_from(["acme:café", "<https://example.org/acme/two-lines>", "acme:apollo> . ?s ?p ?o . <x"])))
def test_an_iri_parameter_never_changes_the_query(value):
    code, stdout, stderr = run_in_process(
        "query", HOSTILE / "thing_parameter.rq", HOSTILE / "things_with_labels.ttl", "--param", f"thing={value}", "--format", "json"
    )

    assert code in (0, 2)
    if code == 2:
        assert one_error_line(stderr).startswith("pmgraph: error: parameter 'thing': ")
        return
    rows = bindings(stdout)
    assert len({row["thing"] for row in rows}) <= 1  # one IRI was bound
    for row in rows:
        assert row["thing"] in iri_readings(value)
        assert THINGS_BY_LABEL[row["label"]] == row["thing"]


@pytest.mark.parametrize("value", ["acme:50%", "<https://example.org/acme/a[1]>", "acme:apollo\x7f"])
def test_an_iri_parameter_that_pyoxigraph_refuses_is_one_line(value):
    code, stdout, stderr = run_in_process(
        "query", HOSTILE / "thing_parameter.rq", HOSTILE / "things_with_labels.ttl", "--param", f"thing={value}"
    )

    assert (code, stdout) == (2, "")
    assert one_error_line(stderr).startswith(f"pmgraph: error: parameter 'thing': {value!r} is not an IRI")
