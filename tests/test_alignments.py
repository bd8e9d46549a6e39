"""The alignments with ORG, PROV-O, FOAF, schema.org, SKOS, DOAP, FIBO and PROJ, in Turtle and SSSOM.

The Turtle files of ontology/alignments/ and the SSSOM table pmgraph.sssom.tsv state exactly the
same mappings; each alignment is an ontology that imports nothing; a subclass or subproperty axiom
is used only where every member is one; pmgraph loads the ontology with or without them.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import rdflib
import yaml
from conftest import files_in_wheel
from rdflib.namespace import DOAP, FOAF, ORG, OWL, PROV, RDF, RDFS, SDO, SKOS

import pmgraph
from pmgraph.ontology import alignment_files, load_ontology

ROOT = Path(__file__).resolve().parents[1]
ALIGNMENTS = ROOT / "ontology" / "alignments"
SSSOM = ALIGNMENTS / "pmgraph.sssom.tsv"
PM = rdflib.Namespace("https://w3id.org/pmgraph#")
SCHEMA = rdflib.Namespace("https://schema.org/")

AXIOMS = (RDFS.subClassOf, RDFS.subPropertyOf)
SKOS_MAPPINGS = (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch)
# The vocabularies whose terms rdflib lists (DefinedNamespace): a misspelt term is not in them.
KNOWN_VOCABULARIES = (ORG, PROV, FOAF, SDO, SKOS, DOAP)

Mapping = tuple[str, str, str]


def turtle_mappings() -> set[Mapping]:
    """(subject, predicate, object) IRIs of every mapping of a pm: term in the alignment files."""
    mappings = set()
    for path in alignment_files():
        graph = rdflib.Graph().parse(path, format="turtle")
        for predicate in (*AXIOMS, *SKOS_MAPPINGS):
            for subject, target in graph.subject_objects(predicate):
                if str(subject).startswith(str(PM)):
                    mappings.add((str(subject), str(predicate), str(target)))
    return mappings


def sssom_metadata() -> dict:
    """The YAML block of the SSSOM file: its leading lines that start with '#'."""
    lines = SSSOM.read_text(encoding="utf-8").splitlines()
    header = [line[1:].removeprefix(" ") for line in lines if line.startswith("#")]
    return yaml.safe_load("\n".join(header))


def sssom_rows() -> list[dict[str, str]]:
    lines = [line for line in SSSOM.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def expand(curie: str, curie_map: dict[str, str]) -> str:
    prefix, colon, local = curie.partition(":")
    assert colon and prefix in curie_map, f"{curie}: prefix not in the curie_map"
    return curie_map[prefix] + local


def sssom_mappings() -> set[Mapping]:
    curie_map = sssom_metadata()["curie_map"]
    return {
        tuple(expand(row[column], curie_map) for column in ("subject_id", "predicate_id", "object_id"))
        for row in sssom_rows()
    }


def test_the_sssom_table_and_the_turtle_files_state_the_same_mappings():
    assert len(sssom_rows()) == len(sssom_mappings()), "a mapping is listed twice"
    assert sssom_mappings() == turtle_mappings()
    assert len(turtle_mappings()) == 63


def test_the_sssom_header_gives_the_mapping_set_and_its_license():
    metadata = sssom_metadata()
    assert metadata["mapping_set_id"] == "https://w3id.org/pmgraph/alignments/pmgraph.sssom.tsv"
    assert metadata["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert metadata["curie_map"]["pm"] == str(PM)
    assert metadata["curie_map"]["semapv"] == "https://w3id.org/semapv/vocab/"


def test_every_sssom_row_is_a_manual_curation_with_the_label_of_its_pm_term():
    ontology = load_ontology()
    curie_map = sssom_metadata()["curie_map"]
    rows = sssom_rows()
    assert list(rows[0]) == [
        "subject_id", "subject_label", "predicate_id", "object_id", "mapping_justification", "comment",
    ]
    for row in rows:
        assert row["mapping_justification"] == "semapv:ManualMappingCuration"
        assert row["comment"], row
        subject = rdflib.URIRef(expand(row["subject_id"], curie_map))
        assert row["subject_label"] == str(ontology.value(subject, RDFS.label)), row


def test_each_pair_of_terms_is_mapped_once():
    pairs = [(subject, target) for subject, _, target in turtle_mappings()]
    assert len(pairs) == len(set(pairs))


def test_one_alignment_file_per_vocabulary_each_an_ontology_that_imports_nothing():
    assert [path.name for path in alignment_files()] == [
        "doap-alignment.ttl", "fibo-alignment.ttl", "foaf-alignment.ttl", "org-alignment.ttl",
        "proj-alignment.ttl", "prov-alignment.ttl", "schema-alignment.ttl", "skos-alignment.ttl",
    ]
    for path in alignment_files():
        graph = rdflib.Graph().parse(path, format="turtle")
        [ontology] = graph.subjects(RDF.type, OWL.Ontology)
        assert str(ontology) == "https://w3id.org/pmgraph/alignments/" + path.name.removesuffix("-alignment.ttl")
        assert list(graph.objects(None, OWL.imports)) == []
        assert graph.value(ontology, rdflib.URIRef("http://purl.org/dc/terms/license")) is not None


def test_external_terms_in_axioms_are_declared_in_the_same_file():
    for path in alignment_files():
        graph = rdflib.Graph().parse(path, format="turtle")
        declarations = {RDFS.subClassOf: {OWL.Class}, RDFS.subPropertyOf: {OWL.ObjectProperty, OWL.DatatypeProperty}}
        for axiom, kinds in declarations.items():
            for _, target in graph.subject_objects(axiom):
                assert set(graph.objects(target, RDF.type)) & kinds, f"{path.name}: {target} is not declared"
        for mapping in SKOS_MAPPINGS:
            if graph.value(predicate=mapping) is not None:
                assert (mapping, RDF.type, OWL.AnnotationProperty) in graph, f"{path.name}: {mapping}"


def test_the_external_terms_exist_in_the_vocabularies_rdflib_knows():
    checked = 0
    for _, _, target in turtle_mappings():
        for vocabulary in KNOWN_VOCABULARIES:
            if target.startswith(str(vocabulary._NS)):
                assert rdflib.URIRef(target) in vocabulary, f"{target} is not a term of its vocabulary"
                checked += 1
    assert checked == 48  # all but the FIBO and PROJ terms, checked by the next test


def test_the_fibo_and_proj_terms_are_those_their_published_files_define():
    # Read from FIBO's FND/GoalsAndObjectives/Objectives.rdf and FND/ProductsAndServices/
    # ProductsAndServices.rdf (EDM Council), and from the PROJ ontology's documentation (CSIRO).
    fibo_objectives = "https://spec.edmcouncil.org/fibo/ontology/FND/GoalsAndObjectives/Objectives/"
    fibo_products = "https://spec.edmcouncil.org/fibo/ontology/FND/ProductsAndServices/ProductsAndServices/"
    proj = "https://linked.data.gov.au/def/project#"
    targets = {
        target for _, _, target in turtle_mappings() if target.startswith(("https://spec.edmcouncil.org/", proj))
    }
    assert targets == {
        *(fibo_objectives + name
          for name in ("Project", "Program", "Objective", "hasObjective", "Method", "usesMethod")),
        fibo_products + "Product",
        *(proj + name for name in ("Project", "hadLeader", "hadBudgetTotal", "plannedStart", "plannedEnd",
                                   "hadObjective", "hadSponsor", "wasSubActivityOf")),
    }


def test_the_proj_mappings_use_its_current_https_namespace_in_turtle_and_sssom():
    # PROJ moved from http:// to https:// in 2022; data in the old namespace matches nothing.
    old, current = "http://linked.data.gov.au/def/project#", "https://linked.data.gov.au/def/project#"
    assert not any(target.startswith(old) for _, _, target in turtle_mappings() | sssom_mappings())
    assert sum(target.startswith(current) for _, _, target in sssom_mappings()) == 8
    assert sssom_metadata()["curie_map"]["proj"] == current


def test_a_project_is_a_close_match_of_schema_project_never_its_subclass():
    aligned = load_ontology(alignments=True)
    assert (PM.Project, SKOS.closeMatch, SCHEMA.Project) in aligned
    assert (PM.Project, RDFS.subClassOf, SCHEMA.Project) not in aligned
    assert (PM.Project, RDFS.subClassOf, PROV.Activity) in aligned


def test_the_cross_vocabulary_subclasses_of_the_core_are_restated_in_the_alignments():
    core = load_ontology()
    stated = {
        (str(subject), str(axiom), str(target))
        for axiom in AXIOMS
        for subject, target in core.subject_objects(axiom)
        if str(subject).startswith(str(PM))
        and isinstance(target, rdflib.URIRef)
        and not str(target).startswith(str(PM))
    }
    assert stated == {
        (str(PM.Role), str(RDFS.subClassOf), str(ORG.Role)),
        (str(PM.RoleAssignment), str(RDFS.subClassOf), str(ORG.Membership)),
        (str(PM.Post), str(RDFS.subClassOf), str(ORG.Post)),
        (str(PM.Person), str(RDFS.subClassOf), str(FOAF.Person)),
        (str(PM.Person), str(RDFS.subClassOf), str(PROV.Person)),
        (str(PM.Team), str(RDFS.subClassOf), str(FOAF.Group)),
        (str(PM.Team), str(RDFS.subClassOf), str(PROV.Agent)),
    }
    assert stated <= turtle_mappings()


def test_load_ontology_with_and_without_the_alignments():
    core = pmgraph.load_ontology()
    aligned = pmgraph.load_ontology(alignments=True)
    assert (PM.ProjectManager, RDF.type, PM.Role) in core
    assert (PM.Project, SKOS.closeMatch, SCHEMA.Project) not in core
    alignment_triples = set()
    for path in alignment_files():
        alignment_triples |= set(rdflib.Graph().parse(path, format="turtle"))
    assert not any(isinstance(node, rdflib.BNode) for triple in alignment_triples for node in triple)
    assert len(aligned) == len(core) + len({triple for triple in alignment_triples if triple not in core})


def test_each_call_gives_a_new_graph_the_caller_may_change():
    graph = pmgraph.load_ontology(alignments=True)
    graph.remove((None, None, None))
    assert len(pmgraph.load_ontology(alignments=True)) > 1000


@pytest.mark.slow
def test_the_wheel_ships_the_alignments(wheel):
    assert files_in_wheel(wheel, "pmgraph/data/ontology/alignments/") == {path.name for path in ALIGNMENTS.iterdir()}
