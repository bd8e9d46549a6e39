"""SHACL-SPARQL constraints as query text: what SHACL forbids in them, and how ``$this`` is bound.

SHACL-SPARQL pre-binds ``$this`` and the other pre-bound variables: the query is run as if each
focus node were substituted into it, in every group (SPARQL SEP-0007). pmgraph's engine
(:mod:`pmgraph.validation.engine`) rather joins the query with all focus nodes at once
(:func:`joined_with_focus_nodes`) when :func:`joins_as_prebound` finds that this gives the same
rows; otherwise the checks run it once per focus node, bound at the start of every group
(:func:`bound_in_every_group`, by :mod:`pmgraph.validation.running`). :func:`prebound` binds
``$shapesGraph`` and ``$currentShape`` the same way; :func:`check_sparql_constraint` refuses what
SHACL forbids with pre-bound variables, as pySHACL does.

Examples
--------
>>> query = "SELECT $this WHERE { $this <https://example.org/manager> ?m . FILTER (?m = $this) }"
>>> joins_as_prebound(query)
True
>>> print(joined_with_focus_nodes(query, "?this a <https://example.org/Project>"))
SELECT ?this WHERE {
  { SELECT DISTINCT ?this WHERE { ?this a <https://example.org/Project> } }
 ?this <https://example.org/manager> ?m . FILTER (?m = ?this) }
"""

from __future__ import annotations

import functools
import re

import rdflib
from rdflib.term import Node

from pmgraph.errors import InvalidShape, UnsupportedShape

__all__ = [
    "bound_in_every_group", "check_sparql_constraint", "joined_with_focus_nodes", "joins_as_prebound", "prebound",
    "this_as_variable",
]

_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
_THIS = re.compile(r"\$this\b")
_GROUP_START = re.compile(r"\{(?!\s*SELECT\b)", re.IGNORECASE)


_SPARQL_FORBIDDEN = (
    (re.compile(r"^(?:[^#]*|M)(?!#)#?[^\?\$\#]M?INUS[\s\{]", re.M | re.I), "MINUS"),
    (re.compile(r"^(?!\s*#).*?(?<![\w\-\:])VALUES\b(?:\s*(?:\(|[\?\$]\w+|\{|\w|\s))", re.M | re.I), "VALUES"),
    (re.compile(r"^(?:[^#]*|S)(?!#)#?[^\?\$\#]S?ERVICE[\s\<]", re.M | re.I), "SERVICE"),
)
# The checks of pySHACL (pyshacl/helper/sparql_query_helper.py), so that both refuse the same queries.
_NESTED_SELECT = re.compile(r"SELECT[\s\(\)\$\?\a-z]*\{[^\}]*SELECT\s+((?:(?:[\?\$]\w+\s+)|(?:\*\s+))+)", re.M | re.I)
_AS_VARIABLE = re.compile(r"[^\w]+AS[\s]+[\$\?](\w+)", re.M | re.I)


def check_sparql_constraint(query: str, where: Node) -> None:
    """Raise :class:`InvalidShape` when a SHACL-SPARQL query uses what SHACL forbids with pre-bound variables."""
    for pattern, name in _SPARQL_FORBIDDEN:
        if pattern.search(query):
            raise InvalidShape(f"shape {where}: a SPARQL constraint must not contain {name}")
    nested = _NESTED_SELECT.search(query)
    if nested:
        names = [v.lstrip("$?") for v in nested.group(1).split()]
        if names == ["*"] or "this" not in names:
            raise InvalidShape(f"shape {where}: a sub-query of a SPARQL constraint must select $this")
    bound = _AS_VARIABLE.search(query)
    if bound and bound.group(1) in ("this", "shapesGraph", "currentShape"):
        raise InvalidShape(f"shape {where}: a SPARQL constraint must not bind ${bound.group(1)} with AS")


def this_as_variable(query: str) -> str:
    """``query`` with ``$this`` written ``?this`` (the same variable, as the checks select it).

    >>> this_as_variable("SELECT $this WHERE { $this ?p ?o }")
    'SELECT ?this WHERE { ?this ?p ?o }'
    """
    return _THIS.sub("?this", query)


def joined_with_focus_nodes(select: str, targets: str) -> str:
    """``select`` joined, in its top group, with the distinct focus nodes that the group ``targets``
    binds to ``?this``: all focus nodes at once, where :func:`joins_as_prebound` says it is exact."""
    query = this_as_variable(select)
    match = _WHERE.search(query)
    if match is None:
        raise UnsupportedShape(f"cannot find the WHERE clause of a SPARQL constraint: {select[:80]!r}")
    # A join with the distinct focus nodes: pyoxigraph plans joins well, FILTER EXISTS poorly.
    return query[: match.end()] + f"\n  {{ SELECT DISTINCT ?this WHERE {{ {targets} }} }}\n" + query[match.end() :]


def prebound(query: str, bindings: dict[str, rdflib.URIRef]) -> str:
    """``query`` with each variable of ``bindings`` bound to its IRI at the start of every group, as
    pre-binding binds it (SEP-0007; a group that is a sub-query's, ``{ SELECT``, stays as written).

    >>> prebound("SELECT $this WHERE { GRAPH $g { $this ?p ?o } }", {"g": rdflib.URIRef("urn:g")})
    'SELECT $this WHERE { BIND (<urn:g> AS ?g) GRAPH $g { BIND (<urn:g> AS ?g) $this ?p ?o } }'
    """
    text = bound_in_every_group(query, " ".join(f"BIND ({term.n3()} AS ?{name})" for name, term in bindings.items()))
    if text is None:
        raise UnsupportedShape(f"cannot find the WHERE clause of a SPARQL constraint: {query[:80]!r}")
    return text


def bound_in_every_group(query: str, binds: str) -> str | None:
    """``query`` with ``binds`` (BIND clauses) written at the start of every group of its WHERE
    clause but a sub-query's (``{ SELECT``), or None when it has no WHERE clause.

    >>> bound_in_every_group("SELECT ?v WHERE { <p:s> <p:a> ?v { SELECT ?v WHERE { ?v ?p ?o } } }", "BIND (1 AS ?n)")
    'SELECT ?v WHERE { BIND (1 AS ?n) <p:s> <p:a> ?v { SELECT ?v WHERE { BIND (1 AS ?n) ?v ?p ?o } } }'
    """
    where = _WHERE.search(query)
    if where is None:
        return None
    return query[: where.start()] + _GROUP_START.sub(lambda _match: "{ " + binds, query[where.start() :])


@functools.cache
def joins_as_prebound(query: str) -> bool:
    """Whether joining a SELECT query with its focus nodes gives what pre-binding ``$this`` gives.

    SHACL-SPARQL pre-binds ``$this`` (each focus node substituted into the query, SPARQL SEP-0007).
    Joining the query with all focus nodes at once is the same, and far faster, when every use of
    ``?this`` in an expression (FILTER, BIND, an OPTIONAL's condition) sees ``?this`` bound: in the
    query's top group (joined with the focus nodes), or in a group that binds it by a triple
    pattern; and an aggregate groups by ``?this``. Otherwise (a FILTER on ``$this`` inside a
    nested group, an aggregate over all focus nodes) the query is run once per focus node.

    >>> joins_as_prebound("SELECT $this WHERE { $this <p:a> ?v FILTER (?v != $this) }")
    True
    >>> joins_as_prebound("SELECT $this WHERE { { FILTER (false) } UNION { FILTER ($this = <p:x>) } }")
    False
    """
    plain = _plainly_joined(query)
    if plain is not None:
        return plain
    from rdflib.plugins.sparql import prepareQuery
    from rdflib.plugins.sparql.parserutils import CompValue

    try:
        algebra = prepareQuery(_THIS.sub("?this", query)).algebra
    except Exception:  # noqa: BLE001 (rdflib cannot read it: pyoxigraph may; run it per focus node)
        return False
    this = rdflib.Variable("this")

    def mentions(expression: object) -> bool:
        if isinstance(expression, rdflib.Variable):
            return expression == this
        if isinstance(expression, CompValue):
            if expression.name in ("Builtin_EXISTS", "Builtin_NOTEXISTS"):
                return False  # substituted from the solution it filters, as pre-binding does
            return any(mentions(v) for k, v in expression.items() if k != "_vars")
        if isinstance(expression, list | tuple):
            return any(mentions(v) for v in expression)
        return False

    def bound(node: object) -> set[rdflib.Variable]:
        """The variables every solution of ``node`` binds."""
        if not isinstance(node, CompValue):
            return set()
        if node.name == "BGP":
            return {t for triple in node.triples for t in triple if isinstance(t, rdflib.Variable)}
        if node.name == "Join":
            return bound(node.p1) | bound(node.p2)
        if node.name == "Union":
            return bound(node.p1) & bound(node.p2)
        if node.name in ("LeftJoin", "Minus"):
            return bound(node.p1)
        if node.name == "Extend":
            return bound(node.p) | {node.var}
        if node.name == "Project":
            return bound(node.p) & set(node.PV)
        if "p" in node and node.name in ("Filter", "Graph", "ToMultiSet", "Distinct", "Reduced", "Slice", "OrderBy"):
            return bound(node.p)
        return set()

    def uses(node: object) -> bool:
        return this in getattr(node, "_vars", ()) or (isinstance(node, CompValue) and any(
            uses(node[k]) for k in ("p", "p1", "p2") if k in node
        ))

    def exact(node: object, top: bool) -> bool:
        if not isinstance(node, CompValue):
            return True
        name = node.name
        if name in ("Filter", "Extend") and mentions(node.expr) and not (top or this in bound(node.p)):
            return False
        if name == "LeftJoin":
            # an OPTIONAL that may bind ?this to another node keeps, pre-bound, the row it drops joined
            if uses(node.p2) and not (top or this in bound(node.p1)):
                return False
            if node.expr is not None and mentions(node.expr) and not (top or this in bound(node.p1)):
                return False
        if name == "AggregateJoin" and uses(node.p):
            group = node.p if isinstance(node.p, CompValue) and node.p.name == "Group" else None
            if group is None or this not in [e for e in (group.expr or []) if isinstance(e, rdflib.Variable)]:
                return False  # pre-bound, an aggregate gives one row per focus node (a count of 0...)
        keeps_top = top and name in (
            "SelectQuery", "Filter", "Extend", "Distinct", "Reduced", "Slice", "OrderBy", "AggregateJoin", "Group", "Project", "LeftJoin",
        )
        children = [node[k] for k in ("p", "p1") if k in node] + ([node.p2] if "p2" in node else [])
        return all(exact(child, keeps_top and _in_same_group(node, child)) for child in children)

    return exact(algebra, True)


def _in_same_group(parent: object, child: object) -> bool:
    """Whether rdflib's algebra ``child`` of ``parent`` belongs to the same group of the query.

    rdflib wraps a group's pattern in one Filter (all its FILTERs) and its BINDs in Extends; a
    Filter or Extend directly under a Filter or Extend is a nested group's. An OPTIONAL's pattern
    is its own group.
    """
    if getattr(parent, "name", "") == "LeftJoin" and child is parent.get("p2"):  # type: ignore[attr-defined]
        return False
    return not (getattr(parent, "name", "") in ("Filter", "Extend") and getattr(child, "name", "") in ("Filter", "Extend"))


_QUOTED = re.compile(r'"""(?:.|\n)*?"""|\'\'\'(?:.|\n)*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>')
_AGGREGATE = re.compile(r"\b(COUNT|SUM|MIN|MAX|AVG|SAMPLE|GROUP_CONCAT)\s*\(", re.IGNORECASE)


def _plainly_joined(query: str) -> bool | None:
    """True when a glance at the text shows the join exact; None when rdflib must parse it to tell.

    The join is exact when ``?this`` appears only in the top group of WHERE (anywhere), or in a
    group directly inside it outside any expression (a triple pattern of an OPTIONAL, of a UNION's
    branch...), with no sub-query, and an aggregate only with ``GROUP BY`` ``?this``.
    """
    text = re.sub(r"#[^\n]*", "", _QUOTED.sub(" X ", query))
    where = _WHERE.search(text)
    if where is None or re.search(r"\bSELECT\b", text[where.end() :], re.IGNORECASE):
        return None
    braces, parens, end = 1, 0, len(text)
    for at in range(where.end(), len(text)):
        char = text[at]
        if char == "{":
            braces += 1
        elif char == "}":
            braces -= 1
            if braces == 0:
                end = at
                break
        elif char == "(":
            parens += 1
        elif char == ")":
            parens -= 1
        elif char in "?$" and text.startswith("this", at + 1) and not (text[at + 5 : at + 6].isalnum() or text[at + 5 : at + 6] == "_"):
            if braces > 2 or (braces == 2 and parens > 0):
                return None
    if _AGGREGATE.search(text[: where.start()]) and not re.search(r"GROUP\s+BY[^{}]*[?$]this\b", text[end:], re.IGNORECASE):
        return None
    return True
