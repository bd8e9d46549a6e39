"""``pmgraph shacl``: any data against any shapes; every SHACL construct evaluated or routed, never
dropped; broken shapes refused in one line; organisation rules through ``validate --shapes``."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest
import rdflib
from conftest import REPO, one_line_error, run
from rdflib.namespace import RDF, SH

from pmgraph.rdf.terms import rdflib_term
from pmgraph.stores.disk import open_store
from pmgraph.validation.engine import EVALUATED, SHAPES_GRAPH, plan_shapes

FIXTURES = Path(__file__).parent / "fixtures" / "shacl"
GOOD, BAD = FIXTURES / "projects.ttl", FIXTURES / "projects_with_defects.ttl"
ORG_RULES = REPO / "examples" / "organisation" / "rules.ttl"


def _results(stdout: str) -> list[tuple[str, str | None, str]]:
    return [(r["focus"], r["path"], r["message"]) for r in json.loads(stdout)["results"]]


def test_conforming_data_passes():
    result = run("shacl", GOOD, "--shapes", FIXTURES / "rules.ttl")
    assert (result.returncode, result.stdout.splitlines()[-2:]) == (0, ["0 violations, 0 warnings, 0 info in 1 file", "OK"])


def test_core_and_sparql_rules_find_their_defects():
    result = run("shacl", GOOD, BAD, "--shapes", FIXTURES / "rules.ttl", "--format", "json")
    assert result.returncode == 1
    assert _results(result.stdout) == [
        ("https://example.org/mercury", "https://example.org/name", "A project has a name"),
        ("https://example.org/vostok", None, "A project over 1,000,000 has a sponsor"),
    ]


def test_nothing_of_pmgraph_is_added():
    # pmgraph's rules would report the projects (no manager, no dates): pmgraph shacl checks only the shapes given
    result = run("shacl", BAD, "--shapes", FIXTURES / "rules_routed.ttl", "--format", "json")
    assert {shape for shape in (r["shape"] for r in json.loads(result.stdout)["results"])} == {
        "https://example.org/SponsorShape"
    }


def test_a_shape_the_engine_cannot_evaluate_goes_alone_to_pyshacl():
    shapes = rdflib.Graph().parse(FIXTURES / "rules.ttl").parse(FIXTURES / "rules_routed.ttl")
    plan = plan_shapes(shapes)
    assert [str(shape) for shape, _reason in plan.routed] == ["https://example.org/OneSponsorWhoIsAPerson"]
    assert {str(c.shape) for c in plan.checks if isinstance(c.shape, rdflib.URIRef)} >= {"https://example.org/LargeProjectHasSponsor"}
    result = run("shacl", GOOD, BAD, "--shapes", FIXTURES / "rules.ttl", "--shapes", FIXTURES / "rules_routed.ttl", "--format", "json")
    assert _results(result.stdout) == [
        ("https://example.org/gemini", "https://example.org/sponsor", "A project has a sponsor who is a person"),
        ("https://example.org/mercury", "https://example.org/name", "A project has a name"),
        ("https://example.org/mercury", "https://example.org/sponsor", "A project has a sponsor who is a person"),
        ("https://example.org/vostok", None, "A project over 1,000,000 has a sponsor"),
        ("https://example.org/vostok", "https://example.org/sponsor", "A project has a sponsor who is a person"),
    ]


READS_SHAPES = FIXTURES / "rules_reading_the_shapes_graph.ttl"


def test_a_rule_reading_the_shapes_graph_passes_listed_phases():
    result = run("shacl", FIXTURES / "projects_in_listed_phases.ttl", "--shapes", READS_SHAPES)
    assert (result.returncode, result.stdout.splitlines()[-2:]) == (0, ["0 violations, 0 warnings, 0 info in 1 file", "OK"])


def test_a_rule_reading_the_shapes_graph_finds_an_unlisted_phase(tmp_path: Path):
    # $shapesGraph and $currentShape, pre-bound: the phases are listed on the shape, not in the data
    plan = plan_shapes(rdflib.Graph().parse(READS_SHAPES))
    assert (plan.routed, [c.shapes_graph is not None for c in plan.checks]) == ((), [True])
    data = FIXTURES / "projects_in_an_unlisted_phase.ttl"
    store = tmp_path / "store"
    assert run("push", data, "--store", store).returncode == 0
    for where in ([data], ["--store", store]):  # files, and an on-disk store (copied, not written to)
        result = run("shacl" if where == [data] else "validate", *where, "--shapes", READS_SHAPES, "--format", "json")
        found = [r for r in json.loads(result.stdout)["results"] if r["shape"] == "https://example.org/ProjectPhaseIsListed"]
        assert (result.returncode, [(r["focus"], r["value"], r["message"]) for r in found]) == (1, [(
            "https://example.org/vostok", "https://example.org/Dreaming",
            "A project is in a phase the rules list, not https://example.org/Dreaming",
        )])
    with open_store(store) as opened:
        assert SHAPES_GRAPH not in {rdflib_term(g) for g in opened.named_graphs()}


@pytest.mark.parametrize(
    ("fixture", "wrong"),
    [
        ("broken_datatype_as_text.ttl", 'shape https://example.org/BudgetIsANumber (property https://example.org/budget): sh:datatype "xsd:decimal" is not well-formed SHACL (SHACL-for-SHACL asks for sh:maxCount 1; sh:nodeKind sh:IRI)'),
        ("broken_min_count_in_words.ttl", 'shape https://example.org/NamedProject (property https://example.org/name): sh:minCount "one" is not well-formed SHACL (SHACL-for-SHACL asks for sh:datatype xsd:integer; sh:maxCount 1)'),
        ("broken_sparql_with_minus.ttl", "shape https://example.org/NoOrphans: a SPARQL constraint must not contain MINUS"),
    ],
)
@pytest.mark.parametrize("command", ["shacl", "validate"])
def test_a_broken_shapes_file_is_refused_in_one_line(fixture: str, wrong: str, command: str):
    shapes = FIXTURES / fixture
    args = ("shacl", GOOD, "--shapes", shapes) if command == "shacl" else ("validate", GOOD, "--shapes", shapes)
    assert one_line_error(run(*args)) == f"pmgraph: error: {shapes}: {wrong}"


def test_organisation_rules_run_beside_pmgraphs_on_the_engine():
    rules = rdflib.Graph().parse(ORG_RULES)
    plan = plan_shapes(rules)
    assert (len(rules.query("SELECT ?s WHERE { ?s a <http://www.w3.org/ns/shacl#NodeShape> }")), plan.routed) == (10, ())
    assert all(not c.focus_query for c in plan.checks)  # each SPARQL rule runs once, over all its focus nodes
    acme = REPO / "examples" / "acme"
    plain = run("validate", acme, "--format", "json")
    with_rules = run("validate", acme, "--shapes", ORG_RULES, "--format", "json")
    assert (plain.returncode, with_rules.returncode) == (0, 0)
    assert json.loads(with_rules.stdout) == json.loads(plain.stdout)  # Acme keeps its own rules


def test_organisation_rules_find_what_they_say(tmp_path: Path):
    data = tmp_path / "big-project.ttl"
    data.write_text(
        "@prefix pm: <https://w3id.org/pmgraph#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        '<https://example.org/x> a pm:Project ; rdfs:label "Moonshot" ; pm:budget 2500000 ;\n'
        '    pm:startDate "2024-01-01"^^<http://www.w3.org/2001/XMLSchema#date> ; pm:endDate "2024-12-31"^^<http://www.w3.org/2001/XMLSchema#date> ;\n'
        "    pm:projectManager <https://example.org/p> .\n"
        '<https://example.org/p> a pm:Person ; rdfs:label "Pat" .\n'
    )
    result = run("validate", data, "--shapes", ORG_RULES, "--format", "json")
    assert result.returncode == 1
    assert [(r["shape"], r["message"]) for r in json.loads(result.stdout)["results"]] == [
        ("https://example.org/acme/rules#LargeProjectHasSponsor", "Project 'Moonshot' has a budget of 2500000, over 1,000,000, and no Sponsor"),
    ]


# Every constraint parameter of SHACL Core, SHACL-SPARQL and the Advanced Features, as pySHACL's copy
# of the SHACL vocabulary lists them, with a value that a shape may give it.
_EXAMPLE_VALUES = {
    "and": "( [ sh:datatype xsd:string ] )", "class": "ex:C", "closed": "true", "datatype": "xsd:string",
    "disjoint": "ex:q", "equals": "ex:q", "expression": "[ sh:path ex:q ]", "flags": '"i"', "hasValue": "ex:v",
    "ignoredProperties": "( ex:q )", "in": "( ex:v )", "js": "[ sh:jsFunctionName \"f\" ]", "languageIn": '( "en" )',
    "lessThan": "ex:q", "lessThanOrEquals": "ex:q", "maxCount": "1", "maxExclusive": "5", "maxInclusive": "5",
    "maxLength": "5", "minCount": "1", "minExclusive": "5", "minInclusive": "5", "minLength": "5",
    "node": "[ sh:datatype xsd:string ]", "nodeKind": "sh:IRI", "not": "[ sh:datatype xsd:string ]",
    "or": "( [ sh:datatype xsd:string ] )", "pattern": '"^a"', "property": "[ sh:path ex:q ; sh:minCount 1 ]",
    "qualifiedMaxCount": "1", "qualifiedMinCount": "1", "qualifiedValueShape": "[ sh:class ex:C ]",
    "qualifiedValueShapesDisjoint": "true", "sparql": '[ sh:select "SELECT $this WHERE { $this ?p ?o }" ]',
    "uniqueLang": "true", "xone": "( [ sh:datatype xsd:string ] )",
}
_PREFIXES = "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <https://example.org/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"


def _vocabulary() -> rdflib.Graph:
    return rdflib.Graph().parse(data=resources.files("pyshacl").joinpath("assets", "shacl.ttl").read_text(), format="turtle")


def test_the_examples_cover_every_constraint_parameter_of_shacl():
    vocabulary = _vocabulary()
    parameters = {
        str(vocabulary.value(p, SH.path)).removeprefix(str(SH))
        for component in vocabulary.subjects(RDF.type, SH.ConstraintComponent)
        for p in vocabulary.objects(component, SH.parameter)
    }
    assert parameters == set(_EXAMPLE_VALUES)


def _plan(turtle: str):
    return plan_shapes(rdflib.Graph().parse(data=_PREFIXES + turtle, format="turtle"))


@pytest.mark.parametrize("parameter", sorted(_EXAMPLE_VALUES))
@pytest.mark.parametrize("where", ["node shape", "property shape"])
def test_every_constraint_is_evaluated_or_routed(parameter: str, where: str):
    statement = f"sh:{parameter} {_EXAMPLE_VALUES[parameter]}"
    if where == "node shape":
        plan = _plan(f"ex:S a sh:NodeShape ; sh:targetNode ex:x ; {statement} .")
    else:
        plan = _plan(f"ex:S a sh:NodeShape ; sh:targetNode ex:x ; sh:property [ sh:path ex:p ; {statement} ] .")
    evaluated = SH[parameter] in EVALUATED and not plan.routed
    # a qualifier (sh:flags, sh:ignoredProperties, sh:qualifiedMinCount...) alone asks nothing: no check, nothing dropped
    qualifier = parameter in (
        "flags", "ignoredProperties", "qualifiedValueShape", "qualifiedMinCount", "qualifiedMaxCount", "qualifiedValueShapesDisjoint"
    )
    assert evaluated or plan.routed, parameter
    assert plan.checks or plan.routed or qualifier or parameter == "closed" and where == "property shape", parameter


@pytest.mark.parametrize(
    "target", ["sh:targetClass ex:C", "sh:targetNode ex:x", "sh:targetSubjectsOf ex:p", "sh:targetObjectsOf ex:p", "a rdfs:Class"]
)
def test_every_core_target_is_evaluated(target: str):
    plan = _plan(f"@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . ex:S a sh:NodeShape ; {target} ; sh:nodeKind sh:IRI .")
    assert (len(plan.checks), plan.routed) == (1, ())


def test_a_sparql_based_target_is_routed():
    plan = _plan("ex:S a sh:NodeShape ; sh:target [ a sh:SPARQLTarget ; sh:select \"SELECT ?this WHERE { ?this ?p ?o }\" ] ; sh:nodeKind sh:IRI .")
    assert [str(s) for s, _reason in plan.routed] == ["https://example.org/S"]


@pytest.mark.parametrize(
    "path",
    ["ex:p", "( ex:p ex:q )", "[ sh:alternativePath ( ex:p ex:q ) ]", "[ sh:inversePath ex:p ]",
     "[ sh:zeroOrMorePath ex:p ]", "[ sh:oneOrMorePath ex:p ]", "[ sh:zeroOrOnePath ex:p ]"],
)
def test_every_path_is_evaluated(path: str):
    plan = _plan(f"ex:S sh:targetNode ex:x ; sh:property [ sh:path {path} ; sh:minCount 1 ; sh:datatype xsd:string ] .")
    assert (len(plan.checks), plan.routed) == (2, ())


def test_a_constraint_component_declared_in_the_shapes_is_routed():
    plan = _plan(
        "ex:C a sh:ConstraintComponent ; sh:parameter [ sh:path ex:size ] ;"
        ' sh:validator [ a sh:SPARQLAskValidator ; sh:ask "ASK { FILTER (STRLEN(STR($value)) <= $size) }" ] .'
        " ex:S sh:targetNode ex:x ; ex:size 3 ."
    )
    assert [str(s) for s, _reason in plan.routed] == ["https://example.org/S"]


def test_other_predicates_on_a_shape_are_not_constraints():
    plan = _plan('ex:S sh:targetNode ex:x ; ex:owner "PMO" ; sh:nodeKind sh:IRI .')
    assert (len(plan.checks), plan.routed) == (1, ())


@pytest.mark.parametrize(
    ("query", "joined"),
    [
        ("SELECT $this WHERE { $this <p:a> ?v FILTER (?v != $this) BIND (STR($this) AS ?s) }", True),
        ("SELECT $this WHERE { ?a ?b ?c OPTIONAL { ?c <p:r> $this } }", True),
        ("SELECT $this (COUNT(?x) AS ?n) WHERE { $this <p:a> ?x } GROUP BY $this", True),
        # pre-bound, these differ from a join with the focus nodes: each runs once per focus node
        ("SELECT $this WHERE { { FILTER (false) } UNION { FILTER ($this = <p:x>) } }", False),
        ("SELECT $this WHERE { { { FILTER ($this = <p:x>) } FILTER bound($this) } FILTER (true) }", False),
        ("SELECT $this (COUNT(?x) AS ?n) WHERE { $this <p:a> ?x }", False),
        ("SELECT $this WHERE { ?a ?b ?c { ?c <p:q> ?d OPTIONAL { ?d <p:r> $this } } }", False),
    ],
)
def test_a_sparql_rule_runs_over_all_focus_nodes_only_where_that_is_pre_binding(query: str, joined: bool):
    from pmgraph.validation.engine import joins_as_prebound

    assert joins_as_prebound(query) is joined


def test_pmgraphs_own_sparql_rules_run_over_all_focus_nodes_at_once_as_pre_binding_gives():
    from pmgraph.validation.validator import rules

    plan = plan_shapes(rules())  # (validate does not analyse them again: tests/test_engines.py compares them with pySHACL)
    assert plan.routed == () and [c for c in plan.checks if c.joins and c.focus_query] == []
