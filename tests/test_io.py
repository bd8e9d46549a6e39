"""Reading RDF files into a dataset, one named graph per file, and writing them back."""

from __future__ import annotations

import logging
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.namespace import XSD

from pmgraph.errors import InputError

from pmgraph.rdf.reading import load, rdf_files
from pmgraph.rdf.writing import dump

FIXTURES = Path(__file__).parent / "fixtures"
MALFORMED = FIXTURES / "malformed"
EX = "https://example.org/"

PREFIXES = """\
@prefix ex: <https://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def named_graphs(dataset: Dataset) -> dict[str, int]:
    """Map each named graph's IRI to its number of triples, the default graph left out."""
    return {
        str(graph.identifier): len(graph)
        for graph in dataset.graphs()
        if graph.identifier != URIRef("urn:x-rdflib:default")
    }


def test_load_a_file_puts_its_triples_in_a_graph_named_by_its_uri(tmp_path):
    path = write(tmp_path / "apollo.ttl", PREFIXES + "ex:apollo ex:label 'Apollo' ; ex:phase 'build' .\n")

    dataset = load(path)

    assert named_graphs(dataset) == {path.as_uri(): 2}
    assert len(dataset) == 2  # default_union: the dataset sees every triple
    assert (URIRef(EX + "apollo"), URIRef(EX + "label"), Literal("Apollo")) in dataset


def test_load_accepts_relative_paths_and_names_graphs_by_absolute_uri(tmp_path, monkeypatch):
    write(tmp_path / "apollo.ttl", PREFIXES + "ex:apollo ex:label 'Apollo' .\n")
    monkeypatch.chdir(tmp_path)

    dataset = load("apollo.ttl")

    assert named_graphs(dataset) == {(tmp_path / "apollo.ttl").as_uri(): 1}


def test_load_a_folder_gives_one_named_graph_per_file(tmp_path):
    apollo = write(tmp_path / "apollo.ttl", PREFIXES + "ex:apollo ex:label 'Apollo' .\n")
    gemini = write(tmp_path / "team" / "gemini.nt", f"<{EX}gemini> <{EX}label> \"Gemini\" .\n")
    empty = write(tmp_path / "empty.ttl", "")
    write(tmp_path / "notes.txt", "not RDF, not read")
    write(tmp_path / ".hidden" / "old.ttl", "not read either")

    dataset = load(tmp_path)

    assert named_graphs(dataset) == {apollo.as_uri(): 1, gemini.as_uri(): 1, empty.as_uri(): 0}
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert [int(row[0]) for row in dataset.query(query)] == [2]


def test_rdf_files_walks_folders_sorted_and_lists_each_file_once(tmp_path):
    b = write(tmp_path / "b.ttl", "")
    a = write(tmp_path / "sub" / "a.trig", "")
    c = write(tmp_path / "c.jsonld", "")

    assert rdf_files(tmp_path) == [b, c, a]
    assert rdf_files(c, tmp_path) == [c, b, a]


def test_blank_nodes_of_two_files_stay_distinct(tmp_path):
    text = PREFIXES + "_:alice ex:label 'Alice' .\n[] ex:label 'anonymous' .\n"
    write(tmp_path / "one.ttl", text)
    write(tmp_path / "two.ttl", text)  # the very same content, labels and all
    write(tmp_path / "three.ttl", PREFIXES + "_:alice ex:label 'Alice' .\n")

    dataset = load(tmp_path)

    subjects = set(dataset.subjects())
    assert len(subjects) == 5
    assert all(isinstance(subject, BNode) for subject in subjects)


def test_blank_node_ids_are_the_same_from_one_load_to_the_next(tmp_path):
    write(tmp_path / "team.ttl", PREFIXES + "ex:apollo ex:team [ ex:label 'Team' ] .\n")

    assert set(load(tmp_path).objects()) == set(load(tmp_path).objects())


def test_named_graphs_in_trig_stay_apart_inside_the_files_graph(tmp_path):
    path = write(
        tmp_path / "plans.trig",
        PREFIXES + "ex:apollo ex:label 'Apollo' .\n"
        "ex:plan2024 { ex:apollo ex:phase 'build' . }\n"
        "<https://example.org/ns#plan2025> { ex:apollo ex:phase 'run' . }\n"
        "_:draft { ex:apollo ex:phase 'idea' . }\n",
    )

    graphs = named_graphs(load(path))

    uri = path.as_uri()
    assert graphs.pop(uri) == 1
    assert graphs.pop(f"{uri}#graph=https://example.org/plan2024") == 1
    assert graphs.pop(f"{uri}#graph=https://example.org/ns%23plan2025") == 1
    [(draft, size)] = graphs.items()
    assert draft.startswith(f"{uri}#graph=_:") and size == 1


def test_literals_keep_their_lexical_form_and_datatype(tmp_path):
    path = write(
        tmp_path / "budgets.ttl",
        PREFIXES + 'ex:apollo ex:budget "310000"^^xsd:decimal ; ex:cap "500000"^^xsd:integer ;\n'
        '  ex:code "01"^^xsd:integer ; ex:rate 1.50 ; ex:ratio 1e3 ; ex:bad "abc"^^xsd:integer ;\n'
        '  ex:label "Apollo"@en , "plain" .\n',
    )
    expected = {
        "budget": ("310000", XSD.decimal),
        "cap": ("500000", XSD.integer),
        "code": ("01", XSD.integer),
        "rate": ("1.50", XSD.decimal),
        "ratio": ("1e3", XSD.double),
        "bad": ("abc", XSD.integer),
    }

    dataset = load(path)

    for name, (lexical, datatype) in expected.items():
        literal = dataset.value(URIRef(EX + "apollo"), URIRef(EX + name))
        assert (str(literal), literal.datatype) == (lexical, datatype)
    labels = set(dataset.objects(URIRef(EX + "apollo"), URIRef(EX + "label")))
    assert labels == {Literal("Apollo", lang="en"), Literal("plain")}
    for format in ("turtle", "nt", "trig", "nquads", "json-ld", "xml"):
        written = write(tmp_path / "out" / f"budgets.{format}", dump(dataset, format=format))
        rdf_format = {"turtle": "ttl", "nt": "nt", "trig": "trig", "nquads": "nq", "json-ld": "jsonld"}
        read_back = {
            quad.predicate.value.removeprefix(EX): (quad.object.value, quad.object.datatype.value)
            for quad in pyoxigraph.parse(
                path=written,
                format=pyoxigraph.RdfFormat.from_extension(rdf_format.get(format, "rdf")),
            )
            if quad.predicate.value.removeprefix(EX) in expected
        }
        assert read_back == {name: (lexical, str(dt)) for name, (lexical, dt) in expected.items()}, format


def test_an_ill_typed_literal_is_kept_without_a_logged_traceback(tmp_path, caplog):
    path = write(tmp_path / "bad.ttl", PREFIXES + 'ex:apollo ex:budget "a lot"^^xsd:decimal .\n')

    with caplog.at_level(logging.DEBUG):
        dataset = load(path)

    assert caplog.records == []
    assert dataset.value(URIRef(EX + "apollo"), URIRef(EX + "budget")).ill_typed


def test_dump_writes_sorted_and_the_same_bytes_each_time(tmp_path):
    write(tmp_path / "b.ttl", PREFIXES + "ex:b ex:label 'B' .\n_:x ex:label 'X' .\n")
    write(tmp_path / "a.ttl", PREFIXES + "ex:a ex:label 'A' .\n")

    first = dump(load(tmp_path), format="nt")

    assert first == dump(load(tmp_path), format="nt")
    assert first.splitlines()[0] == f'<{EX}a> <{EX}label> "A" .'


def test_dump_to_a_path_replaces_the_file_and_leaves_no_temporary_file(tmp_path):
    source = write(tmp_path / "in" / "apollo.ttl", PREFIXES + "ex:apollo ex:label 'Apollo' .\n")
    target = write(tmp_path / "out" / "merged.ttl", "old content")

    assert dump(load(source), target) is None

    assert target.read_text() == "@prefix ex: <https://example.org/> .\nex:apollo ex:label \"Apollo\" .\n"
    assert [path.name for path in target.parent.iterdir()] == ["merged.ttl"]


def test_dump_keeps_each_files_graph_in_trig_and_merges_them_in_turtle(tmp_path):
    apollo = write(tmp_path / "apollo.ttl", PREFIXES + "ex:apollo ex:label 'Apollo' .\n")
    write(tmp_path / "copy.ttl", PREFIXES + "ex:apollo ex:label 'Apollo' .\n")
    dataset = load(tmp_path)

    quads = list(pyoxigraph.parse(dump(dataset, format="trig"), format=pyoxigraph.RdfFormat.TRIG))
    triples = list(pyoxigraph.parse(dump(dataset), format=pyoxigraph.RdfFormat.TURTLE))

    assert sorted(quad.graph_name.value for quad in quads) == [apollo.as_uri(), (tmp_path / "copy.ttl").as_uri()]
    assert len(triples) == 1


def test_dump_refuses_an_unknown_format():
    with pytest.raises(ValueError, match="unknown RDF format 'n3'.*turtle"):
        dump(Dataset(), format="n3")


def test_broken_turtle_names_the_file_and_line():
    with pytest.raises(InputError) as caught:
        load(MALFORMED / "broken.ttl")

    error = caught.value
    assert (error.path, error.line) == (str(MALFORMED / "broken.ttl"), 9)
    assert str(error) == (
        f"{MALFORMED / 'broken.ttl'}:9: invalid Turtle at column 1: A dot is expected at the end of statements"
    )


def test_prose_in_a_turtle_file_is_an_input_error_on_line_1():
    with pytest.raises(InputError, match=r"not_turtle\.ttl:1: invalid Turtle"):
        load(MALFORMED / "not_turtle.ttl")


def test_binary_garbage_is_an_input_error_not_a_crash():
    with pytest.raises(InputError) as caught:
        load(MALFORMED / "binary.ttl")

    assert str(caught.value) == (
        f"{MALFORMED / 'binary.ttl'}:1: invalid Turtle at column 1: Invalid UTF-8 character encoding"
    )


def test_a_missing_file_is_an_input_error(tmp_path):
    missing = tmp_path / "missing.ttl"

    with pytest.raises(InputError) as caught:
        load(missing)

    assert str(caught.value) == f"{missing}: no such file or directory"
    assert caught.value.line is None


def test_an_unreadable_file_is_an_input_error(tmp_path, monkeypatch):
    path = write(tmp_path / "secret.ttl", "")

    def refuse(self):
        raise PermissionError(13, "Permission denied", str(self))

    # Tests may run as root, for whom no file is unreadable: refuse the read itself.
    monkeypatch.setattr(Path, "read_bytes", refuse)

    with pytest.raises(InputError) as caught:
        load(path)

    assert str(caught.value) == f"{path}: permission denied"


def test_a_file_with_an_unknown_extension_is_refused(tmp_path):
    notes = write(tmp_path / "notes.txt", "")

    with pytest.raises(InputError, match=r"notes\.txt: unknown file extension '\.txt'; .*\.ttl"):
        load(notes)


def test_a_folder_without_rdf_files_is_refused(tmp_path):
    write(tmp_path / "notes.txt", "")

    with pytest.raises(InputError, match="no RDF file in this folder"):
        load(tmp_path)


def test_an_rdf_xml_error_without_a_line_still_names_the_file(tmp_path):
    path = write(tmp_path / "team.rdf", "<team><member>Alice</member></team>\n")

    with pytest.raises(InputError, match=r"team\.rdf: invalid RDF/XML"):
        load(path)


def test_input_error_is_one_line_and_pickles():
    import pickle

    error = InputError("team.ttl", "invalid Turtle:\n  unexpected\tend", line=4)

    assert str(error) == "team.ttl:4: invalid Turtle: unexpected end"
    assert str(pickle.loads(pickle.dumps(error))) == str(error)


# A large file is loaded leniently while a child process parses it strictly (pmgraph.rdf.syntax_check).
# Here the files are made "large" by lowering the threshold: the triples and the errors must be
# exactly those of a strict load.
REFUSED_ALIKE = {
    "iri.nt": (
        '<https://e.org/a> <https://e.org/p> "x" .\n<https://e.org/b c> <https://e.org/p> "y" .\n',
        "iri.nt:2: invalid N-Triples at column 1: Invalid IRI code point ' '",
    ),
    "language.ttl": (
        '@prefix e: <https://e.org/> .\ne:a e:p "x"@en-x-toolongtagggggggggg .\n',
        "language.ttl:2: invalid Turtle at column 13: A subtag may be eight characters in length at maximum",
    ),
    "percent.nt": (
        '<https://e.org/a> <https://e.org/p> <ht%tp://x> .\n',
        "percent.nt:1: invalid N-Triples at column 37: Invalid IRI percent encoding '%tp'",
    ),
    "syntax.ttl": (
        '@prefix e: <https://e.org/> .\ne:a e:p "x" ;\n e:q .\n',
        "syntax.ttl:3: invalid Turtle at column 6: . is not a valid RDF object",
    ),
}


@pytest.mark.parametrize("name", sorted(REFUSED_ALIKE))
def test_a_large_file_is_refused_as_a_strict_load_refuses_it(tmp_path, monkeypatch, name):
    from pmgraph.rdf import syntax_check
    from pmgraph.rdf.reading import load_store

    text, expected = REFUSED_ALIKE[name]
    path = write(tmp_path / name, text)
    with pytest.raises(InputError) as strict:
        load_store(path)
    monkeypatch.setattr(syntax_check, "CHECK_APART_FROM_BYTES", 0)
    with pytest.raises(InputError) as apart:
        load_store(path)
    assert str(apart.value) == str(strict.value) == f"{path}{expected.removeprefix(name)}"


@pytest.mark.parametrize(
    "python",
    [
        pytest.param("/bin/false", id="the child exits 1 at once"),
        pytest.param("/nonexistent/python", id="no Python to start"),
    ],
)
def test_a_large_file_is_still_checked_when_the_checking_process_fails(tmp_path, monkeypatch, python):
    from pmgraph.rdf import syntax_check
    from pmgraph.rdf.reading import load_store

    text, expected = REFUSED_ALIKE["iri.nt"]
    path = write(tmp_path / "iri.nt", text)
    monkeypatch.setattr(syntax_check, "CHECK_APART_FROM_BYTES", 0)
    monkeypatch.setattr(syntax_check.sys, "executable", python)
    with pytest.raises(InputError, match="iri.nt:2: invalid N-Triples at column 1: Invalid IRI code point"):
        load_store(path)


def test_a_large_file_loads_the_same_triples_as_a_strict_load(tmp_path, monkeypatch):
    from pmgraph.rdf import syntax_check
    from pmgraph.rdf.reading import load_store

    path = write(
        tmp_path / "data.ttl",
        PREFIXES + '<rel#a> ex:p "été"@FR , "01"^^xsd:decimal , <../up> ; ex:q [ ex:r ( 1 2 ) ] .\n',
    )

    def statements(store: pyoxigraph.Store) -> tuple[list[str], int]:
        """The statements without blank nodes (named at random on load), and how many have one."""
        named = [str(q) for q in store if not any(isinstance(t, pyoxigraph.BlankNode) for t in (q.subject, q.object))]
        return sorted(named), len(store) - len(named)

    strict = statements(load_store(path))
    monkeypatch.setattr(syntax_check, "CHECK_APART_FROM_BYTES", 0)
    assert statements(load_store(path)) == strict
    assert strict[1] == 6 and len(strict[0]) == 3


def test_a_large_file_is_checked_by_the_child_process_itself(tmp_path, monkeypatch):
    # With the in-process fallback made blind, only the child's own parse can find the error.
    from pmgraph.rdf import syntax_check
    from pmgraph.rdf.reading import load_store

    text, expected = REFUSED_ALIKE["iri.nt"]
    path = write(tmp_path / "iri.nt", text)
    monkeypatch.setattr(syntax_check, "CHECK_APART_FROM_BYTES", 0)
    monkeypatch.setattr(syntax_check, "_strict_parse", lambda *arguments: None)
    with pytest.raises(InputError, match="iri.nt:2: invalid N-Triples at column 1: Invalid IRI code point"):
        load_store(path)
