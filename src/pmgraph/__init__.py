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
    from pmgraph.validation import ValidationReport, ValidationResult, validate

__all__ = [
    "load",
    "dump",
    "InputError",
    "validate",
    "ValidationReport",
    "ValidationResult",
    "PM",
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
