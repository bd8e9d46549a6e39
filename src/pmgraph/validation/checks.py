"""What pmgraph's SHACL engine compiles a shape into, and what a check finds: the types shared by
compiling (:mod:`pmgraph.validation.engine`), pre-binding (:mod:`pmgraph.validation.prebinding`)
and running (:mod:`pmgraph.validation.running`).

A :class:`Check` is one SPARQL query selecting the failing focus nodes (``?this``, with ``?path``
and ``?value`` when it has them); a :class:`CountRule` is an ``sh:minCount`` / ``sh:maxCount`` read
from a query that counts for several property shapes at once; a :class:`Finding` is one failure, as
a SHACL validation result states it. A compiled query names the subclasses of a class by a
placeholder (:func:`subclasses_placeholder`), which running fills in once per run
(:func:`fill_subclasses`).

Examples
--------
>>> query = f"SELECT ?this WHERE {{ ?this a ?c VALUES ?c {{ {subclasses_placeholder('https://example.org/Project')} }} }}"
>>> fill_subclasses(query, lambda cls: f"<{cls}> <https://example.org/Programme>")
'SELECT ?this WHERE { ?this a ?c VALUES ?c { <https://example.org/Project> <https://example.org/Programme> } }'
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass

import rdflib
from rdflib.term import Node

__all__ = ["SHAPES_GRAPH", "Check", "CountRule", "Finding", "fill_subclasses", "subclasses_placeholder"]

SHAPES_GRAPH = rdflib.URIRef("urn:pmgraph:shapes-graph")
"""The name of the graph that a SPARQL constraint reading ``$shapesGraph`` finds the shapes in."""


@dataclass(frozen=True)
class Check:
    """One compiled constraint: a query selecting ``?this`` (and ``?path``/``?value``) per failure."""

    shape: Node
    severity: rdflib.URIRef
    messages: tuple[str, ...]
    query: str
    path: Node | None = None
    value_is_focus: bool = False  # node-level checks: with no ?value, the value is the focus node
    counts: tuple[CountRule, ...] = ()  # sh:minCount/sh:maxCount rules, read as ``count_mode`` says
    count_mode: str = ""  # "missing", "too many" or "count" (see _count_checks in engine.py)
    flags: int = 0  # value checks: ?ok0, ?ok1... say which of the conditions a value meets
    joins: bool = False  # a SHACL-SPARQL constraint: big joins, much memory on a large graph
    focus_query: str = ""  # when set: ``query`` runs once per focus node this selects, ?this pre-bound
    # a SPARQL constraint reading $shapesGraph: the shapes graph, put beside the data as SHAPES_GRAPH
    shapes_graph: rdflib.Graph | None = dataclasses.field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class CountRule:
    """sh:minCount / sh:maxCount of one property shape, read from a combined query's ``?<var>``."""

    var: str
    path: Node
    min_count: int | None
    max_count: int | None
    shape: Node
    severity: rdflib.URIRef
    messages: tuple[str, ...]
    sparql_path: str = ""  # the path as SPARQL (``path`` is the SHACL path node)


@dataclass(frozen=True)
class Finding:
    """A failing focus node as a SHACL validation result states it, in rdflib terms."""

    severity: rdflib.URIRef
    focus: Node
    path: Node | None
    value: Node | None
    message: str
    shape: Node


def subclasses_placeholder(cls: Node) -> str:
    """A placeholder for the classes ``rdfs:subClassOf*`` ``cls``, filled in by :func:`fill_subclasses`
    when the checks run (:func:`pmgraph.validation.running.run_checks`).

    Looking the subclasses up once per run, instead of following ``rdfs:subClassOf*`` for every
    node, makes class targets and ``sh:class`` several times faster on pyoxigraph.
    """
    return f"__SUBCLASSES_OF__{cls}__"


_SUBCLASSES = re.compile(r"__SUBCLASSES_OF__(\S+?)__")


def fill_subclasses(query: str, classes: Callable[[str], str]) -> str:
    """``query`` with each :func:`subclasses_placeholder` replaced by ``classes(iri)``: the class
    and its subclasses, as SPARQL terms separated by spaces (for ``VALUES``)."""
    return _SUBCLASSES.sub(lambda match: classes(match.group(1)), query)
