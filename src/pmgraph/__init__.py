"""pmgraph: portfolios, programs, projects, products and their manager roles, in RDF.

The package reads and writes the organisation's Turtle files (:func:`load`,
:func:`dump`) and checks them against the rules of ``shapes/``
(:func:`validate`). Names are imported when first used, so that
``import pmgraph`` stays cheap.

Examples
--------
>>> import pmgraph
>>> pmgraph.__version__ == importlib.metadata.version("pmgraph")
True
"""

from __future__ import annotations

import importlib
import importlib.metadata
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pmgraph.io import InputError, dump, load
    from pmgraph.namespace import PM
    from pmgraph.overlap import PeopleOverlap, RoleOverlap, people_overlap, role_overlap
    from pmgraph.ontology import load_ontology
    from pmgraph.questions import QueryError, QueryResult, ShippedQuery, query, shipped_queries
    from pmgraph.validation import ValidationReport, ValidationResult, validate
    from pmgraph.merge import Conflict, Merge, find_conflicts, merge_files
    from pmgraph.diff import Diff, diff_versions
    from pmgraph.spreadsheets import SpreadsheetError, raci_from_csv, raci_to_csv, role_assignments_from_csv
    from pmgraph.context import json_ld_context, to_json_ld
    from pmgraph.endpoint import Endpoint, EndpointError, push
    from pmgraph.disk_store import StoreError, open_store, push_to_store, query_store

__all__ = [
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
    "Diff",
    "raci_from_csv",
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
    "load": "pmgraph.io",
    "dump": "pmgraph.io",
    "InputError": "pmgraph.io",
    "validate": "pmgraph.validation",
    "ValidationReport": "pmgraph.validation",
    "ValidationResult": "pmgraph.validation",
    "PM": "pmgraph.namespace",
    "query": "pmgraph.questions",
    "shipped_queries": "pmgraph.questions",
    "QueryResult": "pmgraph.questions",
    "ShippedQuery": "pmgraph.questions",
    "QueryError": "pmgraph.questions",
    "load_ontology": "pmgraph.ontology",
    "merge_files": "pmgraph.merge",
    "Merge": "pmgraph.merge",
    "Conflict": "pmgraph.merge",
    "find_conflicts": "pmgraph.merge",
    "diff_versions": "pmgraph.diff",
    "Diff": "pmgraph.diff",
    "raci_from_csv": "pmgraph.spreadsheets",
    "raci_to_csv": "pmgraph.spreadsheets",
    "role_assignments_from_csv": "pmgraph.spreadsheets",
    "SpreadsheetError": "pmgraph.spreadsheets",
    "json_ld_context": "pmgraph.context",
    "to_json_ld": "pmgraph.context",
    "role_overlap": "pmgraph.overlap",
    "people_overlap": "pmgraph.overlap",
    "RoleOverlap": "pmgraph.overlap",
    "PeopleOverlap": "pmgraph.overlap",
    "Endpoint": "pmgraph.endpoint",
    "EndpointError": "pmgraph.endpoint",
    "push": "pmgraph.endpoint",
    "open_store": "pmgraph.disk_store",
    "push_to_store": "pmgraph.disk_store",
    "query_store": "pmgraph.disk_store",
    "StoreError": "pmgraph.disk_store",
}


def __getattr__(name: str) -> Any:
    if name == "__version__":
        # The version is written once, in pyproject.toml; the installed
        # package metadata carries it here.
        return importlib.metadata.version("pmgraph")
    if name in _MODULE_OF:
        return getattr(importlib.import_module(_MODULE_OF[name]), name)
    raise AttributeError(f"module 'pmgraph' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__, "__version__"])
