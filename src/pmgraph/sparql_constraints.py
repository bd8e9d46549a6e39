"""Evaluate SHACL-SPARQL constraints once per constraint, on pyoxigraph.

The SHACL specification evaluates a SPARQL-based constraint once per focus node, with ``$this``
pre-bound. pySHACL does exactly that through rdflib, which parses and plans the query again for
every node: a rule such as "one Accountable agent per scope" then costs seconds on a small
portfolio. Here each constraint runs once, with ``$this`` a free variable restricted to the shape's
targets, on pyoxigraph; the results are the same (tests/test_engines.py compares the two engines
on every fixture).

This holds for queries written as pmgraph's are: ``$this`` is bound by the main pattern of the
outermost ``WHERE`` (not only inside ``FILTER``/``OPTIONAL``), and grouped queries group by it.
Shapes that do not follow that convention (a user's own) are left to pySHACL.

Examples
--------
>>> import rdflib
>>> shapes = rdflib.Graph().parse(format="turtle", data='''
...     @prefix sh: <http://www.w3.org/ns/shacl#> .
...     @prefix ex: <https://example.org/> .
...     ex:NoSelfLoop a sh:NodeShape ; sh:targetSubjectsOf ex:link ;
...         sh:sparql [ sh:message "{$this} links to itself" ;
...                     sh:select "SELECT $this WHERE { $this <https://example.org/link> $this }" ] .
... ''')
>>> data = rdflib.Graph().parse(format="turtle", data='''
...     @prefix ex: <https://example.org/> .
...     ex:a ex:link ex:a . ex:b ex:link ex:a .
... ''')
>>> [(str(r.focus), r.message) for r in sparql_results(data, shapes)]
[('https://example.org/a', 'https://example.org/a links to itself')]
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import rdflib
from rdflib.namespace import RDF, RDFS, SH

__all__ = ["SparqlConstraint", "sparql_constraints", "sparql_results", "SparqlResult", "without_sparql"]

_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
_THIS = re.compile(r"\$this\b")


@dataclass(frozen=True)
class SparqlConstraint:
    """A SPARQL-based constraint of a node shape, ready to run once over all focus nodes."""

    shape: rdflib.term.Node
    severity: rdflib.URIRef
    messages: tuple[str, ...]
    query: str


@dataclass(frozen=True)
class SparqlResult:
    """One row of a constraint, as a SHACL validation result would state it."""

    shape: rdflib.term.Node
    severity: rdflib.URIRef
    focus: rdflib.term.Node
    path: rdflib.term.Node | None
    value: rdflib.term.Node
    message: str


def sparql_constraints(shapes: rdflib.Graph) -> list[SparqlConstraint]:
    """The SPARQL-based constraints of the node shapes in ``shapes`` (deactivated ones left out)."""
    constraints = []
    for shape, constraint in sorted(shapes.subject_objects(SH.sparql)):
        if shapes.value(shape, SH.path) is not None or _deactivated(shapes, shape, constraint):
            continue
        select = shapes.value(constraint, SH.select)
        if select is None:
            continue
        messages = tuple(str(m) for m in shapes.objects(constraint, SH.message)) or tuple(
            str(m) for m in shapes.objects(shape, SH.message)
        )
        constraints.append(
            SparqlConstraint(
                shape=shape,
                severity=shapes.value(shape, SH.severity) or SH.Violation,
                messages=messages,
                query=_prefixes(shapes, constraint) + _restrict_to_targets(str(select), _targets(shapes, shape)),
            )
        )
    return constraints


def without_sparql(shapes: rdflib.Graph) -> rdflib.Graph:
    """A copy of ``shapes`` without the SPARQL-based constraints of node shapes.

    What remains (SHACL Core, and SPARQL on property shapes) is for pySHACL to check.
    """
    handled = {(c.shape) for c in sparql_constraints(shapes)}
    core = rdflib.Graph()
    for triple in shapes:
        if triple[1] == SH.sparql and triple[0] in handled:
            continue
        core.add(triple)
    return core


def sparql_results(data: rdflib.Graph, shapes: rdflib.Graph) -> Iterator[SparqlResult]:
    """Run every SPARQL-based constraint of ``shapes`` once over ``data``."""
    from pmgraph.store import rdflib_term, to_store

    store = to_store(data)
    for constraint in sparql_constraints(shapes):
        seen: set[tuple[object, ...]] = set()
        solutions = store.query(constraint.query)
        names = [v.value for v in solutions.variables]
        for solution in solutions:
            row = {name: rdflib_term(solution[name]) for name in names if solution[name] is not None}
            if "failure" in row or "this" not in row:
                continue
            focus = row.pop("this")
            path = row.pop("path", None)
            value = row.pop("value", focus)  # as in SHACL: a node shape's value defaults to the focus
            key = (focus, path, value, tuple(sorted(row.items())))
            if key in seen:
                continue
            seen.add(key)
            bindings = {**row, "this": focus, "value": value}
            if path is not None:
                bindings["path"] = path
            for message in constraint.messages or ("",):
                yield SparqlResult(
                    shape=constraint.shape,
                    severity=constraint.severity,
                    focus=focus,
                    path=path,
                    value=value,
                    message=_fill(message, bindings),
                )


def _fill(message: str, bindings: dict[str, rdflib.term.Node]) -> str:
    # Same substitution as pySHACL: {?name} or {$name} becomes str() of the bound term.
    for name, term in bindings.items():
        message = re.sub(r"\{[?$]" + re.escape(name) + r"\}", lambda _m, t=str(term): t, message)
    return message


def _deactivated(shapes: rdflib.Graph, *nodes: rdflib.term.Node) -> bool:
    return any(shapes.value(node, SH.deactivated) == rdflib.Literal(True) for node in nodes)


def _targets(shapes: rdflib.Graph, shape: rdflib.term.Node) -> str:
    """A SPARQL group that holds when ``?this`` is a focus node of ``shape``."""
    patterns = [f"{{ ?this <{RDF.type}>/<{RDFS.subClassOf}>* {c.n3()} }}" for c in shapes.objects(shape, SH.targetClass)]
    if (shape, RDF.type, RDFS.Class) in shapes:
        patterns.append(f"{{ ?this <{RDF.type}>/<{RDFS.subClassOf}>* {shape.n3()} }}")
    patterns += [f"{{ FILTER (?this = {n.n3()}) }}" for n in shapes.objects(shape, SH.targetNode)]
    patterns += [f"{{ ?this {p.n3()} ?_targetObject }}" for p in shapes.objects(shape, SH.targetSubjectsOf)]
    patterns += [f"{{ ?_targetSubject {p.n3()} ?this }}" for p in shapes.objects(shape, SH.targetObjectsOf)]
    return " UNION ".join(patterns) if patterns else "{ FILTER (false) }"


def _restrict_to_targets(select: str, targets: str) -> str:
    query = _THIS.sub("?this", select)
    match = _WHERE.search(query)
    if match is None:
        raise ValueError(f"cannot find the WHERE clause of a SPARQL constraint: {select[:80]!r}")
    return query[: match.end()] + f"\n  FILTER EXISTS {{ {targets} }}\n" + query[match.end() :]


def _prefixes(shapes: rdflib.Graph, constraint: rdflib.term.Node) -> str:
    lines = []
    for holder in shapes.objects(constraint, SH.prefixes):
        for declaration in shapes.objects(holder, SH.declare):
            prefix = shapes.value(declaration, SH.prefix)
            namespace = shapes.value(declaration, SH.namespace)
            if prefix is not None and namespace is not None:
                lines.append(f"PREFIX {prefix}: <{namespace}>")
    return "\n".join(sorted(set(lines))) + "\n"
