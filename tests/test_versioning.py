"""The ontology's version is the package's; terms are deprecated, never removed, with a replacement."""

from __future__ import annotations

import importlib.metadata
import re
from pathlib import Path

import rdflib
from rdflib.namespace import DCTERMS, OWL, RDFS

from pmgraph.ontology import alignment_files, load_ontology

ROOT = Path(__file__).resolve().parents[1]
PM = "https://w3id.org/pmgraph#"
ONTOLOGY_IRI = rdflib.URIRef("https://w3id.org/pmgraph")
VERSION = importlib.metadata.version("pmgraph")


def semantic_version(text: str) -> tuple[int, int, int]:
    major, minor, patch = re.fullmatch(r"(\d+)\.(\d+)\.(\d+)", text).groups()
    return int(major), int(minor), int(patch)


def test_the_ontology_version_is_the_package_version():
    ontology = load_ontology()
    assert str(ontology.value(ONTOLOGY_IRI, OWL.versionInfo)) == VERSION
    assert str(ontology.value(ONTOLOGY_IRI, OWL.versionIRI)).endswith("/" + VERSION)
    assert ontology.value(ONTOLOGY_IRI, OWL.versionIRI) == rdflib.URIRef(f"https://w3id.org/pmgraph/{VERSION}")


def test_the_prior_version_is_an_earlier_release():
    ontology = load_ontology()
    prior = str(ontology.value(ONTOLOGY_IRI, OWL.priorVersion))
    assert prior.startswith("https://w3id.org/pmgraph/")
    assert semantic_version(prior.rsplit("/", 1)[1]) < semantic_version(VERSION)


def test_the_alignments_and_the_sssom_table_carry_the_package_version():
    for path in alignment_files():
        graph = rdflib.Graph().parse(path, format="turtle")
        [ontology] = graph.subjects(OWL.versionInfo, None)
        assert str(graph.value(ontology, OWL.versionInfo)) == VERSION, path.name
    sssom = (ROOT / "ontology" / "alignments" / "pmgraph.sssom.tsv").read_text(encoding="utf-8")
    assert f'# mapping_set_version: "{VERSION}"' in sssom.splitlines()


def test_the_changelog_has_a_section_for_this_version_and_every_prior_one():
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    released = re.findall(r"^## \[(\d+\.\d+\.\d+)\] - \d{4}-\d{2}-\d{2}$", changelog, flags=re.MULTILINE)
    assert released[0] == VERSION
    assert released == sorted(released, key=semantic_version, reverse=True)
    prior = str(load_ontology().value(ONTOLOGY_IRI, OWL.priorVersion)).rsplit("/", 1)[1]
    assert prior in released


def test_every_deprecated_term_names_a_declared_replacement_that_is_not_deprecated():
    ontology = load_ontology()
    declared = set(ontology.subjects(RDFS.isDefinedBy, ONTOLOGY_IRI))
    deprecated = set(ontology.subjects(OWL.deprecated, rdflib.Literal(True)))
    assert rdflib.URIRef(PM + "Programme") in deprecated
    for term in deprecated:
        replacements = list(ontology.objects(term, DCTERMS.isReplacedBy))
        assert replacements, f"{term} is deprecated without dcterms:isReplacedBy"
        for replacement in replacements:
            assert replacement in declared, f"{term} is replaced by {replacement}, which pmgraph does not declare"
            assert replacement not in deprecated, f"{term} is replaced by {replacement}, itself deprecated"


def test_deprecated_terms_are_still_declared_so_old_files_keep_their_meaning():
    ontology = load_ontology()
    for term in ontology.subjects(OWL.deprecated, rdflib.Literal(True)):
        assert (term, RDFS.isDefinedBy, ONTOLOGY_IRI) in ontology
        assert ontology.value(term, RDFS.label) is not None
