"""The package's shape, as a newcomer relies on it: layers without circles, one error tree, one handle.

The import graph is read from the source (every ``import`` and ``from ... import``, in functions
too), so that a lazy import cannot hide a circle between two modules.
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import networkx as nx
import pyoxigraph
import pytest
import rdflib

import pmgraph
import pmgraph.errors
from pmgraph.stores import SparqlStore

PACKAGE = Path(pmgraph.__file__).resolve().parent
ACME = PACKAGE.parents[1] / "examples" / "acme"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports() -> tuple[nx.DiGraph, list[tuple[str, str, str]]]:
    """The graph of which module imports which, and every import of another module's private name."""
    modules = {_module_name(path): path for path in PACKAGE.rglob("*.py")}
    graph, private = nx.DiGraph(), []
    for module, path in modules.items():
        graph.add_node(module)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "pmgraph":
                for alias in node.names:
                    target = f"{node.module}.{alias.name}"
                    target = target if target in modules else node.module
                    if target != module and target in modules:
                        graph.add_edge(module, target)
                    if alias.name.startswith("_") and not alias.name.startswith("__") and node.module != module:
                        private.append((module, node.module, alias.name))
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name in modules and alias.name != module:
                        graph.add_edge(module, alias.name)
    return graph, private


def test_the_import_graph_has_no_circle():
    graph, _ = _imports()
    # pmgraph/__init__.py names every public function lazily; it is the top, imported by none.
    assert not any(edge[1] == "pmgraph" for edge in graph.edges)
    graph.remove_node("pmgraph")
    assert list(nx.simple_cycles(graph)) == []


def test_no_module_imports_another_modules_private_names():
    _, private = _imports()
    assert private == []


def test_the_layers_point_down():
    """rdf/ and errors know no operation; stores/ know none; the operations know no CLI."""
    graph, _ = _imports()
    below = {"pmgraph.rdf", "pmgraph.stores", "pmgraph.errors", "pmgraph.organisation"}
    operations = ("pmgraph.validation", "pmgraph.queries", "pmgraph.analysis", "pmgraph.exchange", "pmgraph.render")
    for module, imported in graph.edges:
        if module.startswith(tuple(below)):
            assert not imported.startswith(operations + ("pmgraph.cli",)), (module, imported)
        if module.startswith(operations):
            assert not imported.startswith("pmgraph.cli"), (module, imported)


def test_every_error_pmgraph_raises_is_a_pmgraph_error():
    errors = [
        value
        for _, value in inspect.getmembers(pmgraph.errors, inspect.isclass)
        if issubclass(value, Exception) and value.__module__ == "pmgraph.errors"
    ]
    assert {error.__name__ for error in errors} == {
        "PmgraphError", "InputError", "StoreError", "EndpointError", "SpreadsheetError", "QueryError", "UnsupportedShape",
        "InvalidShape",
    }
    assert all(issubclass(error, pmgraph.PmgraphError) for error in errors)
    # every class named ...Error anywhere in the package is one of these, defined in pmgraph.errors
    defined = {
        node.name
        for path in PACKAGE.rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ClassDef) and node.name.endswith("Error") and not node.name.startswith("_")
    }
    assert defined == {error.__name__ for error in errors} - {"UnsupportedShape", "InvalidShape"}


def test_a_missing_file_an_unknown_question_and_a_bad_store_are_all_caught_as_one_base_class(tmp_path):
    for attempt in (
        lambda: pmgraph.load(tmp_path / "missing.ttl"),
        lambda: pmgraph.query(pmgraph.Organisation.open(ACME), "no-such-question"),
        lambda: pmgraph.Organisation.open_store(tmp_path),
    ):
        with pytest.raises(pmgraph.PmgraphError):
            attempt()


def test_every_backend_satisfies_the_store_interface():
    assert isinstance(pyoxigraph.Store(), SparqlStore)
    assert isinstance(pmgraph.Endpoint("http://127.0.0.1:9/query"), SparqlStore)


def test_an_organisation_from_files_answers_as_the_files_do():
    acme = pmgraph.Organisation.open(ACME)
    assert acme.where == "memory" and len(acme.sources) == 4
    assert acme.prefixes["acme"] == "https://example.org/acme/"
    report = pmgraph.validate(acme)
    assert report == pmgraph.validate(ACME) == pmgraph.validate(pmgraph.load(ACME))
    assert pmgraph.query(acme, "projects-without-manager") == pmgraph.query(pmgraph.load(ACME), "projects-without-manager")
    assert pmgraph.role_overlap(acme) == pmgraph.role_overlap(pmgraph.load(ACME))
    assert pmgraph.people_overlap(acme) == pmgraph.people_overlap([ACME])


def test_an_organisation_gives_its_data_back_to_rdflib_without_the_ontology():
    acme = pmgraph.Organisation.open(ACME)
    dataset = acme.to_rdflib()
    assert isinstance(dataset, rdflib.Dataset)
    assert len(dataset) == len(pmgraph.load(ACME))
    assert (rdflib.URIRef("https://w3id.org/pmgraph#ProjectManager"), rdflib.RDF.type, None) not in dataset


def test_an_organisation_never_changes_the_rdflib_graph_it_is_built_from():
    data = pmgraph.load(ACME)
    before = sorted(data.quads((None, None, None, None)))
    pmgraph.validate(data), pmgraph.role_overlap(data), pmgraph.query(data, "projects-without-manager")
    assert sorted(data.quads((None, None, None, None))) == before


def test_an_organisation_refuses_what_it_cannot_stand_for():
    with pytest.raises(TypeError, match="expected an Organisation, a path"):
        pmgraph.Organisation.of(42)


def test_a_role_is_found_by_its_rdflib_iri_as_by_its_string():
    roles = pmgraph.role_overlap(pmgraph.Organisation.open(ACME))
    by_iri = roles.pair(pmgraph.PM.ProductManager, pmgraph.PM.ProductOwner)
    assert by_iri is not None
    assert by_iri == roles.pair(str(pmgraph.PM.ProductOwner), str(pmgraph.PM.ProductManager))
    assert roles.label(pmgraph.PM.ProductOwner) == "Product Owner"
