"""The ontology: every term documented, the reference model coherent, the namespace in sync."""

from __future__ import annotations

import importlib.metadata
import itertools
import runpy
from pathlib import Path

import pytest
import rdflib
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from pmgraph._resources import ontology_file

ROOT = Path(__file__).resolve().parents[1]
PM = rdflib.Namespace("https://w3id.org/pmgraph#")
ONTOLOGY_IRI = rdflib.URIRef("https://w3id.org/pmgraph")

CORE_ROLES = [
    "ProductManager", "ProductOwner", "ProjectManager", "ProgramManager", "PortfolioManager",
    "DirectorOfProduct", "ScrumMaster", "Sponsor", "Stakeholder",
]
CORE_RESPONSIBILITIES = [
    "Budgeting", "Scheduling", "Resourcing", "QualityManagement", "RiskManagement",
    "StakeholderReporting", "Prioritization", "ProductStrategy", "Roadmapping",
    "RequirementsAnalysis", "BacklogManagement", "DeliveryCoordination", "MarketAnalysis",
]
# docs/design.md, the vocabulary: where each core role may be held (the table of docs/model.md).
APPLIES_TO = {
    "ProductManager": {"Product"},
    "ProductOwner": {"Product", "Team"},
    "ScrumMaster": {"Team"},
    "ProjectManager": {"Project"},
    "ProgramManager": {"Program"},
    "PortfolioManager": {"Portfolio"},
    "DirectorOfProduct": {"Portfolio", "Product", "ProductLine"},  # product lines: an extension
    "Sponsor": {"Project", "Program", "Portfolio"},
    "Stakeholder": {"Scope"},  # any scope
}
RACI = (PM.responsibleFor, PM.accountableFor, PM.consultedOn, PM.informedOn)


@pytest.fixture(scope="module")
def ontology() -> rdflib.Graph:
    return rdflib.Graph().parse(ontology_file())


def pm_terms(ontology: rdflib.Graph) -> list[rdflib.URIRef]:
    return sorted(
        s for s in set(ontology.subjects(RDFS.isDefinedBy, ONTOLOGY_IRI)) if str(s).startswith(str(PM))
    )


def local(term: rdflib.term.Node) -> str:
    return str(term).removeprefix(str(PM))


def test_header_carries_the_package_version(ontology):
    version = importlib.metadata.version("pmgraph")
    assert ontology.value(ONTOLOGY_IRI, OWL.versionInfo) == rdflib.Literal(version)
    assert ontology.value(ONTOLOGY_IRI, OWL.versionIRI) == rdflib.URIRef(f"https://w3id.org/pmgraph/{version}")
    for prop in (DCTERMS.title, DCTERMS.description, DCTERMS.license, DCTERMS.creator):
        assert ontology.value(ONTOLOGY_IRI, prop) is not None, prop
    assert str(ontology.value(ONTOLOGY_IRI, rdflib.URIRef("http://purl.org/vocab/vann/preferredNamespacePrefix"))) == "pm"


def test_every_term_has_one_english_label_a_definition_and_is_defined_by(ontology):
    terms = pm_terms(ontology)
    assert len(terms) > 60
    for term in terms:
        labels = list(ontology.objects(term, RDFS.label))
        assert len(labels) == 1 and labels[0].language == "en", term
        definitions = list(ontology.objects(term, SKOS.definition))
        assert len(definitions) == 1 and len(str(definitions[0])) > 20, term


def test_no_two_definitions_are_the_same(ontology):
    definitions = [str(d) for d in ontology.objects(None, SKOS.definition)]
    assert len(definitions) == len(set(definitions))


def test_every_term_used_in_pm_namespace_is_declared(ontology):
    declared = set(pm_terms(ontology))
    used = {
        node
        for triple in ontology
        for node in triple
        if isinstance(node, rdflib.URIRef) and str(node).startswith(str(PM))
    }
    assert used <= declared, sorted(used - declared)


def test_core_terms_of_the_design_are_declared(ontology):
    for name in ["Portfolio", "Program", "Project", "Product", "Team", "Person", "Role", "RoleAssignment",
                 "Responsibility", "ResponsibilityAssignment", "partOf", "delivers", "worksOn", "memberOf",
                 "dependsOn", "reportsTo", "startDate", "endDate", "budget", "agent", "role", "scope",
                 "allocation", "productManager", "productOwner", "projectManager", "programManager",
                 "portfolioManager", "responsibility", "raci", "Responsible", "Accountable", "Consulted",
                 "Informed", "responsibleFor", "accountableFor", "consultedOn", "informedOn", "appliesTo"]:
        assert (PM[name], RDFS.isDefinedBy, ONTOLOGY_IRI) in ontology, name
    for role in CORE_ROLES:
        assert (PM[role], RDF.type, PM.Role) in ontology, role
    for responsibility in CORE_RESPONSIBILITIES:
        assert (PM[responsibility], RDF.type, PM.Responsibility) in ontology, responsibility
    assert (PM.Role, RDFS.subClassOf, rdflib.URIRef("http://www.w3.org/ns/org#Role")) in ontology
    assert (PM.RoleAssignment, RDFS.subClassOf, rdflib.URIRef("http://www.w3.org/ns/org#Membership")) in ontology
    assert (PM.Person, RDFS.subClassOf, rdflib.URIRef("http://xmlns.com/foaf/0.1/Person")) in ontology
    assert (PM.Person, RDFS.subClassOf, rdflib.URIRef("http://www.w3.org/ns/prov#Person")) in ontology


@pytest.mark.parametrize("role", CORE_ROLES)
def test_core_role_applies_to_the_scopes_of_the_design(ontology, role):
    assert {local(c) for c in ontology.objects(PM[role], PM.appliesTo)} == APPLIES_TO[role]


@pytest.mark.parametrize("role", CORE_ROLES)
def test_every_core_role_has_a_reference_raci(ontology, role):
    assert any(ontology.value(PM[role], level) is not None for level in RACI)


def test_a_role_holds_a_responsibility_at_one_raci_level_only(ontology):
    for role in CORE_ROLES:
        seen = [r for level in RACI for r in ontology.objects(PM[role], level)]
        assert len(seen) == len(set(seen)), role


def test_roles_held_on_the_same_kind_of_scope_are_never_both_accountable(ontology):
    for a, b in itertools.combinations(CORE_ROLES, 2):
        if APPLIES_TO[a] & APPLIES_TO[b] or "Scope" in APPLIES_TO[a] | APPLIES_TO[b]:
            shared = set(ontology.objects(PM[a], PM.accountableFor)) & set(ontology.objects(PM[b], PM.accountableFor))
            assert not shared, (a, b, sorted(map(local, shared)))


def test_the_reference_model_says_what_the_design_requires(ontology):
    def accountable(role):
        return {local(r) for r in ontology.objects(PM[role], PM.accountableFor)}

    assert {"ProjectDelivery", "Budgeting", "Scheduling"} <= accountable("ProjectManager")
    assert {"ProductStrategy", "Roadmapping", "MarketAnalysis"} <= accountable("ProductManager")
    assert "DeliveryCoordination" in accountable("ProgramManager")
    assert {"BacklogManagement", "RequirementsAnalysis"} <= accountable("ProductOwner")
    assert "PortfolioSelection" in accountable("PortfolioManager")
    assert "Budgeting" not in accountable("Sponsor")


def test_terms_from_published_definitions_cite_their_source(ontology):
    for term in ("Project", "Product", "Program", "Portfolio", "ProjectManager", "ProductOwner", "DirectorOfProduct"):
        assert ontology.value(PM[term], DCTERMS.source) is not None, term


@pytest.mark.parametrize("role", CORE_ROLES)
def test_every_core_role_cites_a_described_source(ontology, role):
    sources = list(ontology.objects(PM[role], DCTERMS.source))
    assert sources, role
    for source in sources:
        assert (source, RDF.type, DCTERMS.BibliographicResource) in ontology, source
        assert ontology.value(source, DCTERMS.title) is not None, source


def test_the_scrum_master_cites_the_scrum_guide(ontology):
    source = ontology.value(PM.ScrumMaster, DCTERMS.source)
    assert str(ontology.value(source, DCTERMS.title)).startswith("The Scrum Guide")


def test_the_members_of_the_closed_classes_are_declared_all_different(ontology):
    declared = [
        set(Collection(ontology, members))
        for node in ontology.subjects(RDF.type, OWL.AllDifferent)
        for members in ontology.objects(node, OWL.members)
    ]
    assert {PM.Planned, PM.Active, PM.OnHold, PM.Closed} in declared
    assert {PM.Responsible, PM.Accountable, PM.Consulted, PM.Informed} in declared


def test_the_kinds_of_scope_and_the_person_are_declared_disjoint(ontology):
    disjoint = [
        set(Collection(ontology, members))
        for node in ontology.subjects(RDF.type, OWL.AllDisjointClasses)
        for members in ontology.objects(node, OWL.members)
    ]
    assert {PM.Portfolio, PM.Program, PM.Project, PM.Product, PM.Team} in disjoint
    assert any({PM.Scope, PM.Person, PM.RoleAssignment, PM.Role, PM.Responsibility} <= classes for classes in disjoint)


def test_namespace_module_is_in_sync_with_the_ontology(ontology):
    generator = runpy.run_path(str(ROOT / "scripts" / "generate_namespace.py"))
    written = (ROOT / "src" / "pmgraph" / "namespace.py").read_text()
    assert written == generator["source"](ontology), "run: python scripts/generate_namespace.py"


def test_pm_namespace_fails_on_a_misspelt_term():
    from pmgraph import PM as namespace

    assert namespace.ProjectManager == PM.ProjectManager
    with pytest.raises(AttributeError):
        namespace.ProjectManagr  # noqa: B018


def test_ontology_parses_in_a_second_independent_parser():
    import pyoxigraph

    triples = list(pyoxigraph.parse(path=str(ontology_file()), format=pyoxigraph.RdfFormat.TURTLE))
    assert len(triples) == len(rdflib.Graph().parse(ontology_file()))


def test_shapes_parse_in_a_second_independent_parser():
    import pyoxigraph

    from pmgraph._resources import shape_files

    for path in shape_files():
        assert list(pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE)), path
