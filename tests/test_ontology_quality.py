"""The ontology is checked like a reference ontology: declared terms, no cycles, consistent.

Every pm: term used anywhere (ontology and alignments, shapes, examples, shipped queries) is one the
ontology declares; subclass statements form no cycle; every property has a domain and a range, or
a note that says why not; the OWL RL closure (owlrl) and a DL reasoner (HermiT, through owlready2)
find the ontology, its alignments and the example organisation consistent; and every file parses
in pyoxigraph as well as in rdflib.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import networkx
import pyoxigraph
import pytest
import rdflib
from rdflib.namespace import OWL, RDF, RDFS, SKOS
from rdflib.paths import Path as PropertyPath
from rdflib.plugins.sparql import prepareQuery

from pmgraph._resources import shape_files
from pmgraph.ontology import alignment_files, load_ontology

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "ontology_quality"
PM = "https://w3id.org/pmgraph#"
ONTOLOGY_IRI = rdflib.URIRef("https://w3id.org/pmgraph")
# owlrl writes each inconsistency it finds as a node of this type, with the message as err:error.
OWLRL_ERRORS = rdflib.Namespace("http://www.daml.org/2002/03/agents/agent-ont#")
# A pm: name inside a literal (SPARQL of a shape, a note): prefixed, or as a full IRI.
PM_NAME_IN_TEXT = re.compile(r"\bpm:([A-Za-z_][A-Za-z0-9_]*)|<https://w3id\.org/pmgraph#([^>\s]*)>")

TURTLE_FILES = sorted(
    [ROOT / "ontology" / "pmgraph.ttl", *alignment_files(), *shape_files(), *(ROOT / "examples").rglob("*.ttl")]
)
# the shipped questions, and the mappings of other vocabularies into pm: (pmgraph import --from)
QUERY_FILES = sorted(
    [*(ROOT / "src" / "pmgraph" / "queries").glob("*.rq"), *(ROOT / "src" / "pmgraph" / "exchange" / "mappings").glob("*.rq")]
)
EXAMPLE_ORGANISATION = sorted((ROOT / "examples" / "acme").glob("*.ttl"))


@pytest.fixture(scope="module")
def declared() -> set[str]:
    """The local names of the terms the ontology declares."""
    return {
        str(term).removeprefix(PM)
        for term in load_ontology().subjects(RDFS.isDefinedBy, ONTOLOGY_IRI)
        if str(term).startswith(PM)
    }


def pm_names_in_turtle(path: Path) -> set[str]:
    """The pm: local names a Turtle file uses: as terms, and inside its literals."""
    names = set()
    for triple in rdflib.Graph().parse(path, format="turtle"):
        for node in triple:
            if isinstance(node, rdflib.URIRef) and str(node).startswith(PM):
                names.add(str(node).removeprefix(PM))
            elif isinstance(node, rdflib.Literal):
                names.update(prefixed or full for prefixed, full in PM_NAME_IN_TEXT.findall(str(node)))
    return names - {""}  # the namespace itself, as in sh:namespace


def iris_in(node: object) -> Iterator[rdflib.URIRef]:
    """Every IRI in a parsed SPARQL query's algebra, property paths included."""
    if isinstance(node, rdflib.URIRef):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from iris_in(value)
    elif isinstance(node, list | tuple | set | frozenset):
        for value in node:
            yield from iris_in(value)
    elif isinstance(node, PropertyPath):
        yield from iris_in(vars(node))


def pm_names_in_query(path: Path) -> set[str]:
    """The pm: local names a SPARQL query uses (it must parse)."""
    algebra = prepareQuery(path.read_text(encoding="utf-8")).algebra
    return {str(iri).removeprefix(PM) for iri in iris_in(algebra) if str(iri).startswith(PM)} - {""}


def subclass_cycles(graph: rdflib.Graph) -> list[list[str]]:
    """The cycles of rdfs:subClassOf between named classes."""
    hierarchy = networkx.DiGraph(
        (str(sub), str(sup))
        for sub, sup in graph.subject_objects(RDFS.subClassOf)
        if isinstance(sub, rdflib.URIRef) and isinstance(sup, rdflib.URIRef)
    )
    return sorted(sorted(cycle) for cycle in networkx.simple_cycles(hierarchy))


def owl_rl_inconsistencies(graph: rdflib.Graph) -> list[str]:
    """What the OWL RL closure of a copy of `graph` finds inconsistent: owlrl's error messages, and
    the members it gives owl:Nothing."""
    import owlrl

    closure = rdflib.Graph()
    for triple in graph:
        closure.add(triple)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(closure)
    errors = [str(message) for node in closure.subjects(RDF.type, OWLRL_ERRORS.ErrorMessage)
              for message in closure.objects(node, OWLRL_ERRORS.error)]
    empty = [f"{member} is a member of owl:Nothing" for member in closure.subjects(RDF.type, OWL.Nothing)]
    return sorted(errors + empty)


def hermit_finds_consistent(graph: rdflib.Graph, folder: Path) -> bool:
    """Ask HermiT (through owlready2, which reads N-Triples) whether `graph` is consistent.

    HermiT knows the datatypes of the OWL 2 datatype map only, which lacks xsd:date; it is told to
    treat such datatypes as opaque, so pm:startDate values take no part in the reasoning.
    """
    owlready2 = pytest.importorskip("owlready2")
    if shutil.which("java") is None:
        pytest.skip("HermiT needs Java: apt-get install default-jre-headless")
    triples = folder / "ontology.nt"
    graph.serialize(destination=triples, format="nt", encoding="utf-8")
    world = owlready2.World()
    world.get_ontology(triples.as_uri()).load()
    try:
        owlready2.sync_reasoner_hermit(world, debug=0, ignore_unsupported_datatypes=True)
    except owlready2.OwlReadyInconsistentOntologyError:
        return False
    return not list(world.inconsistent_classes())


def ontology_with_examples() -> rdflib.Graph:
    graph = load_ontology(alignments=True)
    for path in EXAMPLE_ORGANISATION:
        graph.parse(path, format="turtle")
    return graph


# --- Every pm: term used is declared -------------------------------------------------------------


@pytest.mark.parametrize("path", TURTLE_FILES, ids=lambda path: str(path.relative_to(ROOT)))
def test_every_pm_term_in_the_turtle_files_is_declared(path, declared):
    assert pm_names_in_turtle(path) - declared == set()


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda path: path.name)
def test_every_pm_term_in_the_shipped_queries_is_declared(path, declared):
    assert pm_names_in_query(path) - declared == set()


def test_the_checked_files_cover_ontology_alignments_shapes_examples_and_queries():
    folders = {path.relative_to(ROOT).parts[0] for path in TURTLE_FILES}
    assert folders == {"ontology", "shapes", "examples"}
    assert len(alignment_files()) == 8
    assert any(path.parent.name == "alignments" for path in TURTLE_FILES)
    assert all(path.suffix == ".rq" for path in QUERY_FILES)
    assert {path.parent.name for path in QUERY_FILES} == {"queries", "mappings"}


def test_a_misspelt_term_and_a_term_inside_a_sparql_string_are_found(declared):
    assert pm_names_in_turtle(FIXTURES / "misspelt_terms.ttl") - declared == {"ProjectManagr", "managedBy"}


# --- Structure --------------------------------------------------------------------------------------


def test_subclass_statements_form_no_cycle():
    assert subclass_cycles(load_ontology(alignments=True)) == []


def test_a_subclass_cycle_is_found():
    assert subclass_cycles(rdflib.Graph().parse(FIXTURES / "subclass_cycle.ttl")) == [
        ["https://example.org/Endeavour", "https://example.org/Initiative", "https://example.org/Undertaking"]
    ]


def test_every_property_has_a_domain_and_a_range_or_a_note_saying_why_not():
    ontology = load_ontology()
    properties = sorted(
        term
        for kind in (OWL.ObjectProperty, OWL.DatatypeProperty)
        for term in ontology.subjects(RDF.type, kind)
        if str(term).startswith(PM)
    )
    assert properties
    for prop in properties:
        notes = " ".join(str(note) for kind in (RDFS.comment, SKOS.scopeNote) for note in ontology.objects(prop, kind))
        for missing, axiom in (("domain", RDFS.domain), ("range", RDFS.range)):
            if ontology.value(prop, axiom) is None:
                assert f"No rdfs:{missing}" in notes, f"{prop} has no {missing} and no note saying why"


def test_the_dates_budget_cost_and_unit_say_why_they_have_no_domain():
    ontology = load_ontology()
    for name in ("startDate", "endDate", "budget", "actualCost", "unit"):
        prop = rdflib.URIRef(PM + name)
        assert ontology.value(prop, RDFS.domain) is None
        assert str(ontology.value(prop, RDFS.comment)).startswith("No rdfs:domain: ")


# --- Consistency ------------------------------------------------------------------------------------


def test_the_owl_rl_closure_of_ontology_alignments_and_example_is_consistent():
    assert owl_rl_inconsistencies(ontology_with_examples()) == []


def test_the_owl_rl_closure_reports_an_ill_typed_date():
    graph = load_ontology().parse(FIXTURES / "ill_typed_start_date.ttl")
    assert owl_rl_inconsistencies(graph) == [
        "Lexical value of the literal 'soon' does not match its datatype (http://www.w3.org/2001/XMLSchema#date)"
    ]


def test_hermit_finds_ontology_alignments_and_example_consistent(tmp_path):
    assert hermit_finds_consistent(ontology_with_examples(), tmp_path)


def test_hermit_finds_an_assignment_with_two_allocations_inconsistent(tmp_path):
    graph = load_ontology(alignments=True).parse(FIXTURES / "assignment_with_two_allocations.ttl")
    assert not hermit_finds_consistent(graph, tmp_path)


@pytest.mark.parametrize(
    "fixture", ["project_that_is_also_a_team.ttl", "person_that_is_also_a_role.ttl", "planned_same_as_active.ttl"]
)
def test_disjoint_classes_and_different_individuals_make_a_contradiction_inconsistent(fixture, tmp_path):
    graph = load_ontology(alignments=True).parse(FIXTURES / fixture)
    assert owl_rl_inconsistencies(graph) != []
    assert not hermit_finds_consistent(graph, tmp_path)


# --- A second, independent parser --------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", [ROOT / "ontology" / "pmgraph.ttl", *alignment_files(), *shape_files()], ids=lambda path: path.name
)
def test_each_ontology_and_shapes_file_parses_in_pyoxigraph_to_the_same_number_of_triples(path):
    triples = set(pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE))
    assert len(triples) == len(rdflib.Graph().parse(path, format="turtle"))
