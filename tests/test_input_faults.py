"""Inputs a hostile or unlucky user gives: many prefixes, named pipes, link loops, odd file names,
terms longer than the parser reads. Each is read in time linear in its size, or refused in one
line naming the file (and the line), exit 2.
"""

from __future__ import annotations

import os
import shutil

import pytest
import rdflib
from conftest import REPO, one_line_error, run

import pmgraph
from pmgraph.rdf.prefixes import NamespaceIndex, bind_prefixes

MANY = 200_000  # prefixes: quadratic handling took minutes at 20,000 (merge 56 s), hours at this


@pytest.fixture(scope="module")
def many_prefixes(tmp_path_factory):
    """Two versions of a file declaring 200,000 prefixes, its 50 people in the last namespace."""
    folder = tmp_path_factory.mktemp("prefixes")
    declared = "".join(f"@prefix p{i}: <https://example.org/ns{i}/> .\n" for i in range(MANY))
    header = declared + "@prefix pm: <https://w3id.org/pmgraph#> .\n@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
    last = f"p{MANY - 1}"
    for version, name in (("a", "Erin"), ("b", "Erin Castillo")):
        people = "".join(f'{last}:person{i} a pm:Person ; rdfs:label "{name} {i}" .\n' for i in range(50))
        (folder / f"{version}.ttl").write_text(header + people)
    return folder


def test_a_file_with_200k_prefixes_validates(many_prefixes):
    result = run("validate", many_prefixes / "a.ttl", timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "OK"


def test_a_query_on_200k_prefixes_writes_iris_short(many_prefixes, tmp_path):
    query = tmp_path / "people.rq"
    query.write_text("PREFIX pm: <https://w3id.org/pmgraph#>\nSELECT ?who WHERE { ?who a pm:Person } ORDER BY ?who")
    result = run("query", query, many_prefixes / "a.ttl", timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[2] == f"p{MANY - 1}:person0"
    assert result.stdout.splitlines()[-1] == "(50 rows)"


def test_a_query_on_a_store_with_200k_prefixes_writes_iris_short(many_prefixes, tmp_path):
    pushed = run("push", many_prefixes / "a.ttl", "--store", tmp_path / "store", timeout=120)
    assert pushed.returncode == 0, pushed.stderr
    result = run("query", "people-with-concurrent-roles", "--store", tmp_path / "store", timeout=120)
    assert result.returncode == 0, result.stderr
    query = tmp_path / "people.rq"
    query.write_text("PREFIX pm: <https://w3id.org/pmgraph#>\nSELECT ?who WHERE { ?who a pm:Person } ORDER BY ?who")
    result = run("query", query, "--store", tmp_path / "store", timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[2] == f"p{MANY - 1}:person0"


def test_merge_of_200k_prefixes_declares_those_used(many_prefixes, tmp_path):
    result = run("merge", many_prefixes / "a.ttl", many_prefixes / "b.ttl", "-o", tmp_path / "merged.ttl", timeout=120)
    assert result.returncode == 0, result.stderr
    declared = [line for line in (tmp_path / "merged.ttl").read_text().splitlines() if line.startswith("@prefix")]
    assert f"@prefix p{MANY - 1}: <https://example.org/ns{MANY - 1}/> ." in declared
    assert len(declared) == 4  # rdf:, rdfs:, pm: and the people's


def test_diff_of_200k_prefixes(many_prefixes):
    result = run("diff", many_prefixes / "a.ttl", many_prefixes / "b.ttl", timeout=120)
    assert result.returncode == 1, result.stderr  # changes found
    assert result.stdout.splitlines()[-1] == "50 entities changed: 50 statements removed, 50 added"


def test_load_binds_every_prefix(many_prefixes):
    prefixes = dict(pmgraph.load(many_prefixes / "a.ttl").namespaces())
    assert str(prefixes[f"p{MANY - 1}"]) == f"https://example.org/ns{MANY - 1}/"
    assert len([prefix for prefix in prefixes if prefix.startswith("p") and prefix[1:].isdigit()]) == MANY


BINDINGS = [
    [("ex", "https://example.org/"), ("ex", "https://example.com/"), ("ex", "https://example.net/")],
    [("ex", "https://example.org/"), ("other", "https://example.org/")],
    [("ex", "https://example.org/"), ("ex1", "https://example.com/"), ("ex", "https://example.com/")],
    [("", "https://example.org/"), ("", "https://example.com/")],
    [("ex", "https://example.org/"), ("ex", "https://example.org/")],
    [("xsd", "https://example.org/xsd#"), ("rdf", "https://example.org/")],
]


@pytest.mark.parametrize("bindings", BINDINGS)
@pytest.mark.parametrize(("replace", "override"), [(False, True), (True, True), (False, False)])
def test_bind_prefixes_binds_as_rdflib_does(bindings, replace, override):
    expected, got = rdflib.Dataset(), rdflib.Dataset()
    for prefix, namespace in bindings:
        expected.bind(prefix, namespace, override=override, replace=replace)
    bind_prefixes(got, bindings, replace=replace, override=override)
    assert list(got.namespaces()) == list(expected.namespaces())


def test_the_namespace_index_finds_the_longest_namespace_first():
    index = NamespaceIndex([("a", "https://e.org/"), ("b", "https://e.org/x/"), ("c", "https://e.org/x/"), ("d", "urn:")])
    assert list(index.namespaces_of("https://e.org/x/y")) == ["https://e.org/x/", "https://e.org/"]
    assert index.prefixes["https://e.org/x/"] == ["b", "c"]
    assert list(index.namespaces_of("https://e.org")) == []


# --- Files that are not regular files ---------------------------------------------------------


@pytest.fixture
def team_with_a_pipe(tmp_path):
    """The example organisation's folder, with a named pipe called ``pipe.ttl`` in it."""
    folder = tmp_path / "acme"
    shutil.copytree(REPO / "examples" / "acme", folder)
    os.mkfifo(folder / "pipe.ttl")
    return folder


def test_validate_skips_a_named_pipe_in_a_folder(team_with_a_pipe):
    result = run("validate", team_with_a_pipe, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-2:] == ["0 violations, 0 warnings, 0 info in 4 files", "OK"]


def test_merge_skips_a_named_pipe_in_a_folder(team_with_a_pipe, tmp_path):
    result = run("merge", team_with_a_pipe, "-o", tmp_path / "merged.ttl", timeout=60)
    assert result.returncode == 0, result.stderr
    assert "merged 4 files" in result.stderr


def test_push_skips_a_named_pipe_in_a_folder(team_with_a_pipe, tmp_path):
    result = run("push", team_with_a_pipe, "--store", tmp_path / "store", timeout=60)
    assert result.returncode == 0, result.stderr
    assert "pmgraph: replaced 5 graphs at " + str(tmp_path / "store") in result.stderr.splitlines()  # 4 files, the ontology


@pytest.mark.parametrize("command", ["validate", "merge", "push"])
def test_a_named_pipe_given_by_name_is_one_line(command, tmp_path):
    os.mkfifo(tmp_path / "pipe.ttl")
    extra = {"validate": [], "merge": ["-o", tmp_path / "out.ttl"], "push": ["--store", tmp_path / "store"]}[command]
    result = run(command, tmp_path / "pipe.ttl", *extra, timeout=60)
    assert one_line_error(result) == (
        f"pmgraph: error: {tmp_path / 'pipe.ttl'}: not a regular file but a named pipe (FIFO); pmgraph reads files and folders"
    )
    assert not (tmp_path / "out.ttl").exists() and not (tmp_path / "store").exists()


# --- Messages ------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["validate", "merge"])
def test_a_link_to_itself_is_a_symbolic_link_loop(command, tmp_path):
    (tmp_path / "self.ttl").symlink_to("self.ttl")
    result = run(command, "self.ttl", *(["-o", "out.ttl"] if command == "merge" else []), cwd=tmp_path)
    assert one_line_error(result) == "pmgraph: error: self.ttl: symbolic link loop (a link that leads back to itself)"


def test_a_link_loop_in_a_folder_is_named(tmp_path):
    folder = tmp_path / "team"
    folder.mkdir()
    (folder / "loop.ttl").symlink_to("loop.ttl")
    result = run("validate", "team", cwd=tmp_path)
    assert one_line_error(result) == "pmgraph: error: team/loop.ttl: symbolic link loop (a link that leads back to itself)"


@pytest.mark.parametrize("command", ["validate", "merge", "query"])
def test_a_file_name_with_a_newline_stays_on_one_line(command, tmp_path):
    (tmp_path / "team\nA.ttl").write_text("garbage\n")
    arguments = {"validate": [], "merge": ["-o", "out.ttl"], "query": []}[command]
    result = run(*(["query", "people-with-concurrent-roles"] if command == "query" else [command]), "team\nA.ttl", *arguments, cwd=tmp_path)
    assert one_line_error(result) == (
        "pmgraph: error: team\\nA.ttl:1: invalid Turtle at column 1: garbage is not a valid subject or graph name"
    )


def test_a_missing_file_name_with_a_newline_stays_on_one_line(tmp_path):
    result = run("validate", "no\nsuch.ttl", cwd=tmp_path)
    assert one_line_error(result) == "pmgraph: error: no\\nsuch.ttl: no such file or directory"


def test_an_output_name_with_a_newline_stays_on_one_line(tmp_path):
    result = run("merge", REPO / "examples" / "acme", "-o", "merged\n.ttl", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == "pmgraph: merged 4 files: 337 triples, 0 conflicts -> merged\\n.ttl\n"


LONG = 17 * 1024 * 1024  # over the parser's 16 MiB per term


@pytest.fixture(scope="module")
def long_terms(tmp_path_factory):
    """Files whose second (or only) statement holds a literal, an IRI or an XML text of 17 MiB."""
    folder = tmp_path_factory.mktemp("long")
    text = "x" * LONG
    (folder / "literal.ttl").write_text(
        f'@prefix ex: <https://example.org/> .\nex:a ex:p "short" .\nex:a ex:q """{text}""" .\n'
    )
    (folder / "literal.nt").write_text(
        f'<https://example.org/a> <https://example.org/p> "short" .\n<https://example.org/a> <https://example.org/q> "{text}" .\n'
    )
    (folder / "iri.ttl").write_text(f"\n\n<https://example.org/a> <https://example.org/p> <https://example.org/{text}> .\n")
    (folder / "text.rdf").write_text(
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="https://example.org/">\n'
        f'<rdf:Description rdf:about="https://example.org/a">\n<ex:p>{text}</ex:p></rdf:Description></rdf:RDF>\n'
    )
    return folder


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("literal.ttl", "literal.ttl:3: a literal of 17.0 MiB"),
        ("literal.nt", "literal.nt:2: a literal of 17.0 MiB"),
        ("iri.ttl", "iri.ttl:3: an IRI of 17.0 MiB"),
    ],
)
@pytest.mark.parametrize("command", ["validate", "merge", "query", "push"])
def test_a_term_over_16_mib_is_the_parsers_limit_with_file_and_line(command, name, message, long_terms, tmp_path):
    extra = {"validate": [], "merge": ["-o", tmp_path / "out.ttl"], "query": [], "push": ["--store", tmp_path / "store"]}
    arguments = ["query", "people-with-concurrent-roles"] if command == "query" else [command]
    result = run(*arguments, name, *extra[command], cwd=long_terms)
    assert one_line_error(result) == f"pmgraph: error: {message}: longer than the RDF parser's limit of 16 MiB per term"
    assert not (tmp_path / "out.ttl").exists() and not (tmp_path / "store").exists()


def test_an_xml_text_over_16_mib_is_refused_by_merge_with_its_line(long_terms, tmp_path):
    """The RDF/XML parser reads it, but merge keeps statements as N-Triples, which it could not read again."""
    result = run("merge", "text.rdf", "-o", tmp_path / "out.ttl", cwd=long_terms)
    assert one_line_error(result) == (
        "pmgraph: error: text.rdf:3: a text of 17.0 MiB: longer than the RDF parser's limit of 16 MiB per term"
    )
