"""Plain-looking JSON for web tools: ``pmgraph context`` and JSON-LD that goes back to the same RDF."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run, union
from rdflib import OWL, RDF, RDFS, XSD, BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic

import pmgraph
from pmgraph.exchange.jsonld import json_ld_context, to_json_ld
from pmgraph.namespace import PM

ROOT = Path(__file__).parent.parent
ACME = ROOT / "examples" / "acme"
EXCHANGE = Path(__file__).parent / "fixtures" / "exchange"


def test_the_context_has_one_term_per_pm_term_typed_as_the_ontology_says():
    result = run("context")
    terms = json.loads(result.stdout)["@context"]
    ontology = pmgraph.load_ontology()
    pm_terms = {str(s).removeprefix(PM._NS) for s in ontology.subjects() if str(s).startswith(PM._NS)}

    assert (result.returncode, result.stderr) == (0, "")
    assert set(terms) == pm_terms | {"pm", "rdfs", "skos", "xsd", "label", "broader"}
    assert terms["startDate"] == {"@id": "pm:startDate", "@type": "xsd:date"}
    assert terms["budget"] == {"@id": "pm:budget", "@type": "xsd:decimal"}
    assert terms["allocation"] == {"@id": "pm:allocation", "@type": "xsd:decimal"}
    assert terms["partOf"] == {"@id": "pm:partOf", "@type": "@id"}
    assert terms["projectManager"] == {"@id": "pm:projectManager", "@type": "@id"}
    assert terms["Project"] == "pm:Project"
    assert terms["ProjectManager"] == "pm:ProjectManager"
    assert terms["label"] == {"@id": "rdfs:label"}
    assert terms["pm"] == "https://w3id.org/pmgraph#"
    object_properties = {str(p).removeprefix(PM._NS) for p in ontology.subjects(RDF.type, OWL.ObjectProperty)}
    assert all(terms[name]["@type"] == "@id" for name in object_properties if name in terms)


def test_acme_goes_to_json_ld_and_back_to_the_same_graph(tmp_path):
    original = union(pmgraph.load(ACME))
    document = tmp_path / "acme.jsonld"
    document.write_text(to_json_ld(original))

    assert isomorphic(union(pmgraph.load(document)), original)
    assert len(union(pmgraph.load(document))) == len(original)


def test_the_json_looks_plain():
    nodes = {node["@id"]: node for node in json.loads(to_json_ld(pmgraph.load(ACME)))["@graph"]}
    checkout_api = nodes["https://example.org/acme/checkout-api"]

    assert {key: checkout_api[key] for key in ("@type", "label", "partOf", "startDate", "endDate", "budget")} == {
        "@type": "Project",
        "label": "Checkout API",
        "partOf": "https://example.org/acme/checkout-modernisation",
        "startDate": "2024-01-15",
        "endDate": "2024-09-30",
        "budget": "310000",
    }
    assert nodes["https://example.org/acme/erin-checkout-api"]["role"] == "pm:ProjectManager"
    # an integer budget is not an xsd:decimal: it keeps its datatype under the prefixed name
    assert nodes["https://example.org/acme/digital-portfolio"]["pm:budget"] == 2500000


def test_blank_nodes_and_two_teams_go_through_json_ld(tmp_path):
    merged = union(pmgraph.load(EXCHANGE / "team_a", EXCHANGE / "team_b"))
    document = tmp_path / "teams.jsonld"

    result = run("context", EXCHANGE / "team_a", EXCHANGE / "team_b")
    document.write_text(result.stdout)

    assert result.returncode == 0
    back = union(pmgraph.load(document))
    assert isomorphic(back, merged)
    assert sum(isinstance(s, BNode) for s in set(back.subjects())) == 2
    assert (URIRef("https://example.org/acme/checkout-api"), PM.endDate, None) in back


def test_the_context_is_generated_from_the_ontology_it_is_given():
    deadline = URIRef("https://w3id.org/pmgraph#deadline")
    ontology = Graph()
    ontology.add((deadline, RDF.type, OWL.DatatypeProperty))
    ontology.add((deadline, RDFS.range, XSD.date))

    terms = json_ld_context(ontology)["@context"]

    assert terms["deadline"] == {"@id": "pm:deadline", "@type": "xsd:date"}


def test_literals_keep_their_lexical_form_and_datatype_through_json_ld(tmp_path):
    source = EXCHANGE / "json_ld" / "literals_in_many_forms.ttl"
    document = tmp_path / "literals.jsonld"

    result = run("context", source)
    document.write_text(result.stdout)
    [node] = [n for n in json.loads(result.stdout)["@graph"] if n["@id"] == "https://example.org/acme/checkout-api"]

    original, back = union(pmgraph.load(source)), union(pmgraph.load(document))
    assert isomorphic(back, original)
    literals = sorted(o.n3() for o in original.objects() if isinstance(o, Literal))
    assert sorted(o.n3() for o in back.objects() if isinstance(o, Literal)) == literals
    assert node["budget"] == "310000.00"
    assert node["pm:budget"] == [
        500000,
        {"@value": "500000.0", "@type": "xsd:double"},
        {"@value": "0310000", "@type": "xsd:integer"},
    ]
    assert node["pm:endDate"] == "end of Q3"  # a text, not a date: not under "endDate"
    assert node["label"] == ["Checkout API", {"@value": "API de paiement", "@language": "fr"}]
