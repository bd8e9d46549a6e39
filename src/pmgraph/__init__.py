"""pmgraph: portfolios, programs, projects, products and their manager roles, in RDF.

An organisation's data is one handle, :class:`Organisation`, held in pyoxigraph and
opened from files, an on-disk store or a SPARQL server; every operation takes it
(:func:`validate`, :func:`query`, :func:`role_overlap`, :func:`people_overlap`), or
paths, or an rdflib graph. The package also reads and writes the organisation's
Turtle files as rdflib datasets (:func:`load`, :func:`dump`). Names are imported when first used, so that
``import pmgraph`` stays cheap.

Examples
--------
>>> import importlib.metadata, pmgraph
>>> pmgraph.__version__ == importlib.metadata.version("pmgraph")
True
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pmgraph.analysis.overlap import (
        PeopleOverlap,
        RoleOverlap,
        people_overlap,
        role_overlap,
    )
    from pmgraph.errors import (
        EndpointError,
        InputError,
        PmgraphError,
        QueryError,
        SpreadsheetError,
        StoreError,
        UnsupportedShape,
    )
    from pmgraph.exchange.diff import Diff, diff_files, diff_versions
    from pmgraph.exchange.jsonld import json_ld_context, to_json_ld
    from pmgraph.exchange.merge import Conflict, Merge, find_conflicts, merge_files
    from pmgraph.exchange.raci_matrix import RaciImport, raci_from_csv, read_raci_matrix
    from pmgraph.exchange.spreadsheets import (
        raci_to_csv,
        role_assignments_from_csv,
    )
    from pmgraph.namespace import PM
    from pmgraph.ontology import load_ontology
    from pmgraph.organisation import Organisation
    from pmgraph.queries.questions import (
        QueryResult,
        ShippedQuery,
        query,
        shipped_queries,
    )
    from pmgraph.rdf.reading import load
    from pmgraph.rdf.writing import dump
    from pmgraph.stores.disk import open_store, push_to_store
    from pmgraph.queries.questions import query_store
    from pmgraph.stores.endpoint import Endpoint, push
    from pmgraph.validation.validator import (
        ValidationReport,
        ValidationResult,
        validate,
    )

__all__ = [
    "Organisation",
    "PmgraphError",
    "UnsupportedShape",
    "load",
    "dump",
    "InputError",
    "validate",
    "ValidationReport",
    "ValidationResult",
    "PM",
    "query",
    "shipped_queries",
    "QueryResult",
    "ShippedQuery",
    "QueryError",
    "load_ontology",
    "merge_files",
    "Merge",
    "Conflict",
    "find_conflicts",
    "diff_versions",
    "diff_files",
    "Diff",
    "raci_from_csv",
    "read_raci_matrix",
    "RaciImport",
    "raci_to_csv",
    "role_assignments_from_csv",
    "SpreadsheetError",
    "json_ld_context",
    "to_json_ld",
    "role_overlap",
    "people_overlap",
    "RoleOverlap",
    "PeopleOverlap",
    "Endpoint",
    "EndpointError",
    "push",
    "open_store",
    "push_to_store",
    "query_store",
    "StoreError",
]

# Where each public name lives; imported on first use (PEP 562).
_MODULE_OF = {
    "Organisation": "pmgraph.organisation",
    "PmgraphError": "pmgraph.errors",
    "InputError": "pmgraph.errors",
    "StoreError": "pmgraph.errors",
    "EndpointError": "pmgraph.errors",
    "SpreadsheetError": "pmgraph.errors",
    "QueryError": "pmgraph.errors",
    "UnsupportedShape": "pmgraph.errors",
    "load": "pmgraph.rdf.reading",
    "dump": "pmgraph.rdf.writing",
    "validate": "pmgraph.validation.validator",
    "ValidationReport": "pmgraph.validation.validator",
    "ValidationResult": "pmgraph.validation.validator",
    "PM": "pmgraph.namespace",
    "query": "pmgraph.queries.questions",
    "shipped_queries": "pmgraph.queries.questions",
    "QueryResult": "pmgraph.queries.questions",
    "ShippedQuery": "pmgraph.queries.questions",
    "load_ontology": "pmgraph.ontology",
    "merge_files": "pmgraph.exchange.merge",
    "Merge": "pmgraph.exchange.merge",
    "Conflict": "pmgraph.exchange.merge",
    "find_conflicts": "pmgraph.exchange.merge",
    "diff_versions": "pmgraph.exchange.diff",
    "diff_files": "pmgraph.exchange.diff",
    "Diff": "pmgraph.exchange.diff",
    "raci_from_csv": "pmgraph.exchange.raci_matrix",
    "read_raci_matrix": "pmgraph.exchange.raci_matrix",
    "RaciImport": "pmgraph.exchange.raci_matrix",
    "raci_to_csv": "pmgraph.exchange.spreadsheets",
    "role_assignments_from_csv": "pmgraph.exchange.spreadsheets",
    "json_ld_context": "pmgraph.exchange.jsonld",
    "to_json_ld": "pmgraph.exchange.jsonld",
    "role_overlap": "pmgraph.analysis.overlap",
    "people_overlap": "pmgraph.analysis.overlap",
    "RoleOverlap": "pmgraph.analysis.overlap",
    "PeopleOverlap": "pmgraph.analysis.overlap",
    "Endpoint": "pmgraph.stores.endpoint",
    "push": "pmgraph.stores.endpoint",
    "open_store": "pmgraph.stores.disk",
    "push_to_store": "pmgraph.stores.disk",
    "query_store": "pmgraph.queries.questions",
}


def __getattr__(name: str) -> Any:
    if name == "__version__":
        # The version is written once, in pyproject.toml; the installed
        # package metadata carries it here. (importlib.metadata is imported only now: the console
        # script imports this package before it can handle Ctrl-C, see pmgraph.cli.)
        from importlib.metadata import version

        return version("pmgraph")
    if name in _MODULE_OF:
        return getattr(importlib.import_module(_MODULE_OF[name]), name)
    raise AttributeError(f"module 'pmgraph' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__, "__version__"])
