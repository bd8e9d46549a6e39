"""The vocabulary beyond the core (KPIs, lifecycle, roadmaps, deprecation) and its Warnings."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib

from pmgraph.validation.validator import validate

FIXTURES = Path(__file__).parent / "fixtures" / "vocabulary"
EX = "https://example.org/"
PMSH = "https://w3id.org/pmgraph/shapes#"
PM = "https://w3id.org/pmgraph#"


def results_of(name: str, engine: str = "pmgraph") -> set[tuple[str, str, str, str | None, str | None]]:
    graph = rdflib.Graph().parse(FIXTURES / name)
    return {
        (r.severity, r.focus, r.shape.removeprefix(PMSH), r.path, r.value)
        for r in validate(graph, engine=engine).results
    }


@pytest.mark.parametrize("engine", ["pmgraph", "pyshacl"])
def test_a_product_without_kpi_is_a_warning(engine):
    assert results_of("product_without_kpi.ttl", engine) == {
        ("Warning", EX + "shop", "ProductHasKpiShape", None, EX + "shop"),
    }


def test_a_product_with_a_kpi_and_numeric_measurements_is_clean():
    assert results_of("product_with_kpi.ttl") == set()


def test_a_measurement_with_a_text_value_is_a_warning():
    assert results_of("measurement_with_text_value.ttl") == {
        ("Warning", EX + "q1", "MeasurementShape", PM + "measuredValue", "about three"),
    }


@pytest.mark.parametrize("engine", ["pmgraph", "pyshacl"])
def test_a_closed_project_must_have_ended(engine):
    assert results_of("closed_project_without_end.ttl", engine) == {
        ("Warning", EX + "future", "ClosedScopeHasEndedShape", PM + "endDate", EX + "future"),
    }


def test_closed_without_end_date_and_unknown_status():
    assert results_of("program_with_unknown_status.ttl") == {
        ("Warning", EX + "prog", "ClosedScopeHasEndedShape", PM + "endDate", EX + "prog"),
        ("Warning", EX + "prog", "ProgramHasProjectsShape", None, EX + "prog"),
        ("Warning", EX + "team", "StatusShape", PM + "status", EX + "Sleeping"),
    }


def test_using_a_deprecated_term_names_its_replacement():
    report = validate(rdflib.Graph().parse(FIXTURES / "programme_deprecated.ttl"))
    assert [(r.severity, r.focus, r.value) for r in report.results] == [
        ("Warning", PM + "Programme", EX + "prog"),
    ]
    assert report.results[0].message == (
        "https://example.org/prog uses https://w3id.org/pmgraph#Programme, which is deprecated; "
        "use https://w3id.org/pmgraph#Program instead"
    )
    assert report.conforms


def test_the_example_organisation_uses_the_new_terms_and_stays_clean():
    from pmgraph.rdf.reading import load

    data = load(Path(__file__).parents[1] / "examples" / "acme")
    report = validate(data)
    assert report.counts == {"Violation": 0, "Warning": 0, "Info": 0}
    used = {str(p) for p in data.predicates()} | {str(o) for o in data.objects(predicate=rdflib.RDF.type)}
    for term in ("kpi", "kpiType", "measurement", "targetValue", "measuredValue", "status", "actualCost",
                 "roadmap", "roadmapItem", "realizedBy", "follows", "produces", "featureOf", "post",
                 "postRole", "inProductLine", "ProductLine", "Post", "Feature", "Objective", "KPI"):
        assert PM + term in used, term
