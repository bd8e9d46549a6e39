"""pmgraph.load's dataset: an rdflib Dataset over a pyoxigraph store that the operations query as it is.

The dataset must behave as the plain rdflib Dataset that load() used to build (every statement, every
literal as written, blank nodes named alike), and validation and the analyses must give on it what
they give on the same files opened as an Organisation, without changing it.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import RDFS, XSD

import pmgraph
from pmgraph.organisation import Organisation
from pmgraph.rdf.reading import load
from pmgraph.rdf.store import OxigraphStore

EXAMPLES = Path(__file__).parent.parent / "examples" / "acme"
EX = "https://example.org/"
XSD_IRI = str(XSD)

# Literals a pyoxigraph store would hold in another form, and one it holds as written.
NOT_AS_HELD = [
    ("1.50", "decimal"),
    ("01", "integer"),
    ("1E3", "double"),
    ("1", "boolean"),
    ("05", "int"),
    ("2024-01-05T10:00:00.000Z", "dateTime"),
    ("1.5", "decimal"),
]


def n_triples(literals: list[tuple[str, str]], subject: str = f"<{EX}a>") -> str:
    return "".join(f'{subject} <{EX}p> "{lexical}"^^<{XSD_IRI}{datatype}> .\n' for lexical, datatype in literals)


def quads(dataset: Dataset) -> set[tuple]:
    return set(dataset.quads((None, None, None, None)))


def plain_copy(dataset: Dataset) -> Dataset:
    """The same statements in a plain rdflib Dataset (rdflib's memory store)."""
    plain = Dataset(default_union=True)
    for graph in dataset.graphs():
        plain.graph(graph.identifier)
    plain.addN((s, p, o, plain.graph(g) if g is not None else plain.default_graph) for s, p, o, g in dataset.quads())
    for prefix, namespace in dataset.namespaces():
        plain.bind(prefix, namespace, override=True, replace=True)
    return plain


@pytest.fixture(params=["in this process", "checked apart"])
def apart(request, monkeypatch):
    """Load files as small ones are loaded, or as large ones (beside a child process that parses them)."""
    if request.param == "checked apart":
        from pmgraph.rdf import syntax_check

        monkeypatch.setattr(syntax_check, "CHECK_APART_FROM_BYTES", 0)
    return request.param


def test_load_returns_a_dataset_over_pmgraphs_store():
    dataset = load(EXAMPLES)
    assert isinstance(dataset, Dataset) and isinstance(dataset.store, OxigraphStore)
    assert dataset.default_union


def test_literals_the_store_would_change_come_back_as_written(tmp_path, apart):
    path = tmp_path / "numbers.nt"
    path.write_text(n_triples(NOT_AS_HELD) + n_triples([("01", "integer")], subject="_:x"), encoding="utf-8")
    dataset = load(path)
    got = sorted((str(o), str(o.datatype)) for o in dataset.objects(URIRef(f"{EX}a"), URIRef(f"{EX}p")))
    assert got == sorted((lexical, XSD_IRI + datatype) for lexical, datatype in NOT_AS_HELD)
    assert len(dataset) == len(NOT_AS_HELD) + 1
    assert len(dataset.graph(URIRef(path.as_uri()))) == len(NOT_AS_HELD) + 1
    (blank,) = [o for s, _p, o, _g in dataset if isinstance(s, BNode)]
    assert (str(blank), blank.datatype) == ("01", XSD.integer)
    # the literal as written is found, the form the store holds is not (as in a plain dataset)
    assert (URIRef(f"{EX}a"), URIRef(f"{EX}p"), Literal("1.50", datatype=XSD.decimal, normalize=False)) in dataset
    assert (URIRef(f"{EX}a"), URIRef(f"{EX}p"), Literal("1000", datatype=XSD.double, normalize=False)) not in dataset


def test_many_distinct_literals_the_store_would_change_come_back_as_written(tmp_path, apart):
    written = [(f"0{number}", "integer") for number in range(100)]  # more than are looked for by their lines
    path = tmp_path / "many.nt"
    path.write_text(n_triples(written), encoding="utf-8")
    got = sorted(str(o) for o in load(path).objects(URIRef(f"{EX}a"), URIRef(f"{EX}p")))
    assert got == sorted(lexical for lexical, _datatype in written)


def test_n_triples_load_as_they_did_into_a_plain_dataset(tmp_path, apart):
    """The fast N-Triples path gives what parsing every statement into rdflib terms gives (a Turtle
    file, read statement by statement, is the reference)."""
    text = (
        n_triples(NOT_AS_HELD)
        + f'_:b1 <{EX}q> _:b2 .\n_:b2 <{EX}q> "two"@EN .\n<{EX}c> <{EX}q> _:b1 .\n'
        + f'_:c1 <{EX}q> _:c2 .\n_:c2 <{EX}q> _:c1 .\n'  # blank nodes linked to nothing else
        + f'<{EX}c> <{EX}label> "x"^^<{XSD_IRI}string> .\n<{EX}c> <{EX}label> "a \\"_:\\" b" .\n'
    )
    (tmp_path / "nt").mkdir()
    (tmp_path / "ttl").mkdir()
    (tmp_path / "nt" / "data.nt").write_text(text, encoding="utf-8")
    (tmp_path / "ttl" / "data.ttl").write_text(text, encoding="utf-8")
    from_nt, from_ttl = load(tmp_path / "nt" / "data.nt"), load(tmp_path / "ttl" / "data.ttl")

    def without_graph(dataset: Dataset) -> list[str]:
        return sorted(f"{s.n3()} {p.n3()} {o.n3()}" for s, p, o, _g in dataset.quads())

    assert without_graph(from_nt) == without_graph(from_ttl)
    assert Literal("x") in set(from_nt.objects(URIRef(f"{EX}c"), URIRef(f"{EX}label")))


def test_a_broken_n_triples_file_is_refused_with_its_line(tmp_path, apart):
    path = tmp_path / "broken.nt"
    path.write_text(f'_:a <{EX}p> "x" .\n<{EX}b> <{EX}p> "y" .\n<{EX}b c> <{EX}p> "y" .\n', encoding="utf-8")
    with pytest.raises(pmgraph.InputError, match=r"broken.nt:3: invalid N-Triples at column 1: Invalid IRI code point"):
        load(path)


def test_a_statement_in_two_files_counts_once(tmp_path):
    acme = load(EXAMPLES)
    both = tmp_path / "both"
    both.mkdir()
    for name in ("a.nt", "b.nt"):  # the same statements twice
        (both / name).write_bytes(pyoxigraph.serialize(_oxigraph_triples(acme), format=pyoxigraph.RdfFormat.N_TRIPLES))
    single = tmp_path / "single"
    single.mkdir()
    (single / "a.nt").write_bytes((both / "a.nt").read_bytes())

    twice = load(both)
    assert twice.store.shares_statements()
    opened = Organisation.open(single)
    assert pmgraph.validate(twice).results == pmgraph.validate(opened).results
    assert pmgraph.role_overlap(twice) == pmgraph.role_overlap(opened)
    assert pmgraph.people_overlap(twice, at=None) == pmgraph.people_overlap(opened, at=None)


def _oxigraph_triples(dataset: Dataset) -> list[pyoxigraph.Triple]:
    from pmgraph.rdf.terms import oxigraph_term

    return [pyoxigraph.Triple(oxigraph_term(s), oxigraph_term(p), oxigraph_term(o)) for s, p, o in dataset.triples((None, None, None))]


def test_operations_query_the_store_underneath_and_leave_the_dataset_as_it_was():
    dataset = load(EXAMPLES)
    before = (len(dataset), sorted(str(g.identifier) for g in dataset.graphs()), quads(dataset))
    organisation = Organisation.from_rdflib(dataset)
    assert organisation.store is dataset.store.oxigraph()  # not a copy
    assert pmgraph.validate(dataset).results == pmgraph.validate(Organisation.open(EXAMPLES)).results
    assert pmgraph.role_overlap(dataset) == pmgraph.role_overlap(Organisation.open(EXAMPLES))
    pmgraph.people_overlap(dataset)
    pmgraph.query(dataset, "projects-without-manager")
    after = (len(dataset), sorted(str(g.identifier) for g in dataset.graphs()), quads(dataset))
    assert after == before
    # the ontology the operations found is in none of the dataset's graphs
    assert not any("pmgraph" in str(g.identifier) for g in dataset.graphs())


def test_reported_values_are_as_the_files_wrote_them(tmp_path):
    path = tmp_path / "data.nt"
    path.write_text(
        f'<{EX}p1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/pmgraph#Project> .\n'
        f'<{EX}p1> <http://www.w3.org/2000/01/rdf-schema#label> "P1" .\n'
        f'<{EX}p1> <https://w3id.org/pmgraph#budget> "-5.50"^^<{XSD_IRI}decimal> .\n',
        encoding="utf-8",
    )
    from_files = pmgraph.validate(path)
    from_load = pmgraph.validate(load(path))
    assert from_load.results == from_files.results


def test_rdflib_operations_behave_as_on_a_plain_dataset(tmp_path):
    path = tmp_path / "numbers.nt"
    path.write_text(n_triples(NOT_AS_HELD), encoding="utf-8")
    ours = load(EXAMPLES, path)
    plain = plain_copy(ours)
    assert quads(ours) == quads(plain) and len(ours) == len(plain)

    a, p, graph = URIRef(f"{EX}a"), URIRef(f"{EX}p"), URIRef(f"{EX}g")
    for dataset in (ours, plain):
        dataset.add((a, p, Literal("7.0", datatype=XSD.decimal, normalize=False)))  # the default graph
        dataset.graph(graph).add((a, p, Literal("x", datatype=XSD.string)))
        dataset.graph(graph).add((a, p, Literal("1.50", datatype=XSD.decimal, normalize=False)))
        dataset.graph(graph).add((a, RDFS.label, Literal("Apollo", lang="EN")))
        dataset.remove((a, p, Literal("01", datatype=XSD.integer, normalize=False)))
        dataset.remove((a, p, Literal("1.5", datatype=XSD.decimal, normalize=False)))
        dataset.parse(data=f'<{EX}z> <{EX}p> "0.10"^^<{XSD_IRI}decimal> ; <{EX}q> "b" .', format="turtle")
    assert quads(ours) == quads(plain)
    assert len(ours) == len(plain)
    assert {g.identifier for g in ours.graphs()} == {g.identifier for g in plain.graphs()}
    assert {g.identifier: len(g) for g in ours.graphs()} == {g.identifier: len(g) for g in plain.graphs()}
    assert ours.value(a, RDFS.label) == plain.value(a, RDFS.label) == Literal("Apollo", lang="EN")

    query = "SELECT ?o WHERE { ?s ?p ?o FILTER (datatype(?o) = <http://www.w3.org/2001/XMLSchema#decimal>) }"
    assert sorted(ours.query(query)) == sorted(plain.query(query))
    assert sorted(ours.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")) == sorted(
        plain.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    )
    again = Dataset().parse(data=ours.serialize(format="trig"), format="trig")
    assert len(again) == len(plain)
    assert Graph().parse(data=ours.serialize(format="nquads"), format="nquads").isomorphic(
        Graph().parse(data=plain.serialize(format="nquads"), format="nquads")
    )

    for dataset in (ours, plain):
        dataset.remove_graph(dataset.graph(graph))
        dataset.remove((None, None, None, dataset.default_graph))
    assert quads(ours) == quads(plain)
    assert {g.identifier for g in ours.graphs()} == {g.identifier for g in plain.graphs()}
    assert DATASET_DEFAULT_GRAPH_ID in {g.identifier for g in ours.graphs()}


def test_an_operation_after_a_change_sees_the_change():
    dataset = load(EXAMPLES)
    before = pmgraph.validate(dataset)
    project = URIRef("https://example.org/acme/project/broken")
    dataset.graph(URIRef(f"{EX}extra")).add((project, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), URIRef("https://w3id.org/pmgraph#Project")))
    after = pmgraph.validate(dataset)
    assert {r.focus for r in after.results} - {r.focus for r in before.results} == {str(project)}
