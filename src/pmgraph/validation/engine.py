"""pmgraph's SHACL engine: the shapes evaluated as SPARQL on pyoxigraph, one query per check.

pySHACL evaluates a shapes graph node by node in Python over rdflib, and a SPARQL-based
constraint once per focus node: minutes on a portfolio of 10,000 triples. Here every constraint
becomes a SPARQL query over all focus nodes at once, run by pyoxigraph:

- SHACL-SPARQL constraints keep their query, ``$this`` pre-bound: joined with all focus nodes
  at once when that gives what pre-binding gives (:func:`joins_as_prebound`), else run once per
  focus node; ``$PATH`` and ``$currentShape`` are written into the query; a query that reads
  ``$shapesGraph`` runs on a copy of the data with the shapes graph beside it, as the named graph
  :data:`SHAPES_GRAPH` (``GRAPH $shapesGraph { ... }``), its default graph still the data;
- SHACL Core: every target, every path (:func:`sparql_path`) and every constraint component
  (:data:`EVALUATED`), property shapes inside property shapes, and ``sh:node``, ``sh:not``,
  ``sh:and``, ``sh:or``, ``sh:xone`` and ``sh:qualifiedValueShape`` over shapes that can be
  stated of one node, each translated into a query that selects the failing focus nodes and values.

:func:`plan_shapes` compiles each shape with targets on its own: a shape using what this engine
cannot evaluate exactly (a constraint component the shapes graph declares,
``sh:qualifiedValueShapesDisjoint``, SHACL Advanced Features, recursive shapes)
is routed, and :mod:`pmgraph.validation.routing` has pySHACL validate it alone.
:func:`compile_shapes` raises :class:`UnsupportedShape` instead. The results are those of SHACL:
the W3C's test suite (``tests/test_shacl_w3c.py``), and pySHACL and Jena on pmgraph's rules
(``tests/test_engines.py``, ``tests/test_jena.py``), say so.

The engine is four modules, each one job; this one compiles, and names what the others define
(so ``from pmgraph.validation.engine import run_checks, Check`` works as it always did):

- :mod:`pmgraph.validation.checks`: what a shape is compiled into and what a check finds
  (:class:`Check`, :class:`CountRule`, :class:`Finding`, :data:`SHAPES_GRAPH`);
- this module: shapes to checks (:func:`plan_shapes`, :func:`compile_shapes`), the SHACL Core
  constraint components translated into SPARQL, and each ``sh:sparql`` constraint made a check;
- :mod:`pmgraph.validation.prebinding`: a SHACL-SPARQL query as text: what SHACL forbids in it
  (:func:`check_sparql_constraint`), whether joining it with all focus nodes is exact
  (:func:`joins_as_prebound`), and ``$this`` bound in every group;
- :mod:`pmgraph.validation.running`: the checks run on a store, their rows made findings
  (:func:`run_checks`).

Examples
--------
>>> import rdflib
>>> from pmgraph.rdf.terms import to_store
>>> shapes = rdflib.Graph().parse(format="turtle", data='''
...     @prefix sh: <http://www.w3.org/ns/shacl#> .
...     @prefix ex: <https://example.org/> .
...     ex:NamedShape a sh:NodeShape ; sh:targetClass ex:Project ;
...         sh:property [ sh:path ex:name ; sh:minCount 1 ; sh:message "has no name" ] .
... ''')
>>> data = rdflib.Graph().parse(format="turtle", data='''
...     @prefix ex: <https://example.org/> .
...     ex:a a ex:Project ; ex:name "A" . ex:b a ex:Project .
... ''')
>>> [(str(f.focus), f.message) for f in run_checks(to_store(data), compile_shapes(shapes))]
[('https://example.org/b', 'has no name')]
"""

from __future__ import annotations

import collections.abc
import dataclasses
import re
from dataclasses import dataclass

import rdflib
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD
from rdflib.term import Node

from pmgraph.errors import UnsupportedShape
from pmgraph.validation.checks import SHAPES_GRAPH, Check, CountRule, Finding, subclasses_placeholder
from pmgraph.validation.prebinding import (
    check_sparql_constraint,
    joined_with_focus_nodes,
    joins_as_prebound,
    prebound,
    this_as_variable,
)
from pmgraph.validation.running import run_checks

# (SHAPES_GRAPH, Check, CountRule, Finding, check_sparql_constraint, joins_as_prebound and run_checks
# are defined in checks.py, prebinding.py and running.py; they are named here too, as they always were)
__all__ = [
    "EVALUATED", "NOT_CONSTRAINTS", "SHAPES_GRAPH", "Check", "CountRule", "Finding", "Plan", "UnsupportedShape",
    "check_sparql_constraint", "compile_shapes", "focus_shapes", "joins_as_prebound", "plan_shapes", "run_checks",
    "sparql_path",
]

_ILL_FORMED = "urn:pmgraph:ill-formed"
# The datatypes of numbers (a bound of one of these is compared only with numbers).
_NUMERIC = {
    XSD[name] for name in (
        "decimal", "integer", "double", "float", "nonNegativeInteger", "positiveInteger", "nonPositiveInteger",
        "negativeInteger", "long", "int", "short", "byte", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte",
    )
}

# xsd datatypes whose lexical forms can be checked by a SPARQL cast.
_CASTABLE = {
    XSD.date, XSD.dateTime, XSD.decimal, XSD.integer, XSD.double, XSD.float, XSD.boolean, XSD.string,
}
# xsd datatypes derived from xsd:integer: their lexical form is an integer in a range.
_INTEGER_RANGES: dict[Node, tuple[int | None, int | None]] = {
    XSD.long: (-(2**63), 2**63 - 1), XSD.int: (-(2**31), 2**31 - 1), XSD.short: (-(2**15), 2**15 - 1),
    XSD.byte: (-128, 127), XSD.unsignedLong: (0, 2**64 - 1), XSD.unsignedInt: (0, 2**32 - 1),
    XSD.unsignedShort: (0, 65535), XSD.unsignedByte: (0, 255), XSD.nonNegativeInteger: (0, None),
    XSD.positiveInteger: (1, None), XSD.nonPositiveInteger: (None, 0), XSD.negativeInteger: (None, -1),
}
_NODE_KINDS = {
    SH.IRI: "isIRI(?value)",
    SH.BlankNode: "isBlank(?value)",
    SH.Literal: "isLiteral(?value)",
    SH.BlankNodeOrIRI: "(isBlank(?value) || isIRI(?value))",
    SH.BlankNodeOrLiteral: "(isBlank(?value) || isLiteral(?value))",
    SH.IRIOrLiteral: "(isIRI(?value) || isLiteral(?value))",
}


def compile_shapes(shapes: rdflib.Graph) -> list[Check]:
    """Translate every shape of ``shapes`` that has targets into checks, or raise :class:`UnsupportedShape`.

    :func:`plan_shapes` is the same, but leaves the shapes it cannot translate for pySHACL instead.
    """
    plan = plan_shapes(shapes)
    if plan.routed:
        raise UnsupportedShape(plan.routed[0][1])
    return list(plan.checks)


@dataclass(frozen=True)
class Plan:
    """How a shapes graph is validated: the checks this engine runs, and the shapes it leaves to pySHACL.

    ``routed`` holds, for each shape with targets that uses what this engine cannot evaluate
    exactly, the shape and the reason (one line); every other shape is in ``checks``.
    """

    checks: tuple[Check, ...]
    routed: tuple[tuple[Node, str], ...]


def plan_shapes(shapes: rdflib.Graph, *, joined: collections.abc.Collection[Node] = ()) -> Plan:
    """Compile each shape with targets on its own; a shape that cannot be compiled is routed.

    ``joined`` names SHACL-SPARQL constraints known to give, joined with all their focus nodes,
    what pre-binding ``$this`` gives (pmgraph's own, which ``tests/test_engines.py`` compares with
    pySHACL): they are not analysed again (:func:`joins_as_prebound` parses a query with rdflib,
    a third of a second each).

    Raises :class:`~pmgraph.errors.InvalidShape` for a SHACL-SPARQL query that SHACL forbids (``MINUS``,
    ``VALUES``, ``SERVICE``, a sub-query not selecting ``$this``, ``AS $this``): no engine may run it.
    """
    checks: list[Check] = []
    routed: list[tuple[Node, str]] = []
    for shape in focus_shapes(shapes):
        if _deactivated(shapes, shape):
            continue
        try:
            context = _Context(shapes, joined)
            found = _shape_checks(context, shape, _targets(shapes, shape), None)
        except UnsupportedShape as reason:
            routed.append((shape, str(reason)))
            continue
        checks += found
    return Plan(tuple(checks), tuple(routed))


def focus_shapes(shapes: rdflib.Graph) -> list[Node]:
    """The shapes that have targets (declared, or implicit: a shape that is also an ``rdfs:Class``)."""
    found = {s for p in (*_TARGET_PREDICATES, SH.target) for s in shapes.subjects(p)}
    for kind in (SH.NodeShape, SH.PropertyShape):
        found |= {s for s in shapes.subjects(RDF.type, kind) if (s, RDF.type, RDFS.Class) in shapes}
    return sorted(found)


_TARGET_PREDICATES = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)

# Parameters of the SHACL Core and SHACL-SPARQL constraint components this engine evaluates
# (with the predicates that only qualify them); any other predicate of the sh: namespace on a shape
# routes the shape to pySHACL.
EVALUATED = frozenset({
    SH["class"], SH.datatype, SH.nodeKind, SH.minExclusive, SH.minInclusive, SH.maxExclusive,
    SH.maxInclusive, SH.minLength, SH.maxLength, SH.pattern, SH.flags, SH.languageIn, SH["in"],
    SH.node, SH["not"], SH["and"], SH["or"], SH.xone, SH.minCount, SH.maxCount, SH.hasValue,
    SH.equals, SH.disjoint, SH.lessThan, SH.lessThanOrEquals, SH.uniqueLang, SH.closed,
    SH.ignoredProperties, SH.property, SH.sparql, SH.qualifiedValueShape, SH.qualifiedMinCount,
    SH.qualifiedMaxCount,
})
# sh: predicates of a shape that state no constraint (targets, naming, reporting, paths).
NOT_CONSTRAINTS = frozenset({
    *_TARGET_PREDICATES, SH.severity, SH.message, SH.name, SH.description, SH.deactivated, SH.order,
    SH.group, SH.defaultValue, SH.path, SH.declare, SH.prefixes, SH.shapesGraph,
    SH.entailment, SH.suggestedShapesGraph,
    SH.select,  # (a shape may be its own SPARQL constraint: its query is read through sh:sparql)
})


class _Context:
    """What compiling one shape with targets needs: the shapes graph, fresh variable names, the
    parameters of the shapes graph's own constraint components (which route a shape)."""

    def __init__(self, shapes: rdflib.Graph, joined: collections.abc.Collection[Node] = ()):
        self.shapes = shapes
        self.joined = joined
        self.counter = 0
        # (a component may be typed with a subclass of sh:ConstraintComponent: any sh:parameter counts)
        self.custom = {shapes.value(p, SH.path) for p in shapes.objects(None, SH.parameter)}

    def fresh(self, name: str) -> str:
        self.counter += 1
        return f"?_{name}{self.counter}"


def _shape_checks(context: _Context, shape: Node, targets: str, parent: Node | None) -> list[Check]:
    """The checks of one shape (node or property shape) whose focus nodes ``targets`` binds to ``?this``."""
    shapes = context.shapes
    predicates = set(shapes.predicates(shape))
    unknown = {
        p for p in predicates
        if (str(p).startswith(str(SH)) and p not in EVALUATED and p not in NOT_CONSTRAINTS) or p in context.custom
    }
    if unknown:
        raise UnsupportedShape(f"{shape}: unsupported constraint(s) {', '.join(sorted(map(str, unknown)))}")
    if SH.target in predicates:
        raise UnsupportedShape(f"{shape}: sh:target (SHACL Advanced Features) is not evaluated by pmgraph's engine")
    path_node = shapes.value(shape, SH.path)
    if path_node is None and predicates & {SH.minCount, SH.maxCount}:
        raise UnsupportedShape(f"{shape}: sh:minCount and sh:maxCount belong to property shapes")
    path = sparql_path(shapes, path_node) if path_node is not None else None
    severity = shapes.value(shape, SH.severity) or SH.Violation
    messages = _messages(shapes, shape)
    focus = f"{{ SELECT DISTINCT ?this WHERE {{ {targets} }} }}"
    values = f"?this {path} ?value ." if path is not None else "BIND (?this AS ?value)"
    node_level = path is None
    checks: list[Check] = []

    def check(query: str, *, value_is_focus: bool = False, flags: int = 0, joins: bool = False, msgs: tuple[str, ...] | None = None) -> None:
        checks.append(Check(shape, severity, messages if msgs is None else msgs, query, path_node, value_is_focus, flags=flags, joins=joins))

    conditions = _value_conditions(context, shape, "?value", 0)
    if conditions:
        # each condition's outcome in a column ?ok<n>, as 1 or 0 (a boolean in an answer is written
        # 1 or 0 by Virtuoso, true or false by the others)
        flags = " ".join(f"(IF(COALESCE({c}, false), 1, 0) AS ?ok{n})" for n, c in enumerate(conditions))
        every = " && ".join(f"COALESCE({c}, false)" for c in conditions)
        # the flags are worked out over the distinct failing rows of a sub-query: Virtuoso 7.2 lets a
        # failed cast inside COALESCE escape (SR127) from a selected expression of a SELECT DISTINCT
        failing = f"SELECT DISTINCT ?this ?value WHERE {{ {focus} {values} FILTER (!({every})) }}"
        check(f"SELECT ?this ?value {flags} WHERE {{ {{ {failing} }} }}", flags=len(conditions))
    for required in shapes.objects(shape, SH.hasValue):
        if node_level:
            check(f"SELECT ?this WHERE {{ {focus} FILTER (!sameTerm(?this, {required.n3()})) }}")
        else:
            check(f"SELECT ?this WHERE {{ {focus} FILTER NOT EXISTS {{ ?this {path} ?value FILTER (sameTerm(?value, {required.n3()})) }} }}")
    for kind, test in ((SH.disjoint, ""), (SH.lessThan, "<"), (SH.lessThanOrEquals, "<=")):
        for other in shapes.objects(shape, kind):
            _iri_parameter(shape, kind, other)
            if kind == SH.disjoint:
                pattern = f"?this {other.n3()} ?value ."
            else:
                if node_level:
                    raise UnsupportedShape(f"{shape}: {kind} on a node shape")
                pattern = f"?this {other.n3()} ?_other . FILTER (!COALESCE(?value {test} ?_other, false))"
            check(f"SELECT DISTINCT ?this ?value WHERE {{ {focus} {values} {pattern} }}", value_is_focus=node_level)
    for other in shapes.objects(shape, SH.equals):
        _iri_parameter(shape, SH.equals, other)
        only_here = f"{focus} {values} FILTER NOT EXISTS {{ ?this {other.n3()} ?value }}"
        own = f"?this {path} ?_v" if path is not None else "BIND (?this AS ?_v)"
        only_there = f"{focus} ?this {other.n3()} ?value . FILTER NOT EXISTS {{ {own} FILTER (sameTerm(?_v, ?value)) }}"
        check(f"SELECT DISTINCT ?this ?value WHERE {{ {{ {only_here} }} UNION {{ {only_there} }} }}")
    if shapes.value(shape, SH.uniqueLang) == rdflib.Literal(True):
        if node_level:
            raise UnsupportedShape(f"{shape}: sh:uniqueLang on a node shape")
        check(
            f"SELECT ?this ?_lang WHERE {{ {focus} {values} FILTER (lang(?value) != \"\") }} "
            f"GROUP BY ?this (LCASE(lang(?value)) AS ?_lang) HAVING (COUNT(DISTINCT ?value) > 1)"
        )
    if shapes.value(shape, SH.closed) == rdflib.Literal(True):
        if not node_level:
            raise UnsupportedShape(f"{shape}: sh:closed on a property shape")
        allowed = {shapes.value(p, SH.path) for p in shapes.objects(shape, SH.property)}
        ignored = shapes.value(shape, SH.ignoredProperties)
        if ignored is not None:
            allowed |= set(Collection(shapes, ignored))
        allowed = {a for a in allowed if isinstance(a, rdflib.URIRef)}
        outside = f"FILTER (?path NOT IN ({', '.join(a.n3() for a in sorted(allowed))}))" if allowed else ""
        check(f"SELECT ?this ?path ?value WHERE {{ {focus} ?this ?path ?value . {outside} }}")
    for qualified in shapes.objects(shape, SH.qualifiedValueShape):
        checks += _qualified_checks(context, shape, qualified, focus, path, path_node, severity, messages)
    for constraint in shapes.objects(shape, SH.sparql):
        if _deactivated(shapes, constraint):
            continue
        checks.append(_sparql_check(context, shape, constraint, targets, path, path_node, severity, messages))
    counts: list[CountRule] = []
    if not node_level:
        _count_rule(shapes, shape, path_node, path, severity, messages, counts)
    checks += _count_checks(shape, counts, targets)
    # Property shapes: of a node shape, their focus nodes are its own; of a property shape, its values.
    inner = targets if node_level else _values_as_focus(context, targets, path)
    nested_counts: list[CountRule] = []
    for property_shape in sorted(shapes.objects(shape, SH.property)):
        if _deactivated(shapes, property_shape):
            continue
        if shapes.value(property_shape, SH.path) is None:
            raise UnsupportedShape(f"{shape}: a sh:property shape without sh:path")
        found = _shape_checks(context, property_shape, inner, shape)
        if node_level:  # counts of a node shape's property shapes are asked in one query
            for c in found:
                if c.counts:
                    nested_counts += c.counts
                else:
                    checks.append(c)
        else:
            checks += found
    if nested_counts:
        checks += _count_checks(shape, [dataclasses.replace(r, var=f"count{n}") for n, r in enumerate(nested_counts)], targets)
    return checks


def _iri_parameter(shape: Node, kind: Node, value: Node) -> None:
    if not isinstance(value, rdflib.URIRef):
        raise UnsupportedShape(f"{shape}: {kind} must be an IRI")


def _values_as_focus(context: _Context, targets: str, path: str | None) -> str:
    """A group binding ``?this`` to each value of ``path`` at the focus nodes of ``targets``."""
    focus, value = context.fresh("focus"), context.fresh("value")
    renamed = re.sub(r"\?this\b", focus, targets)
    return f"{{ SELECT DISTINCT ?this WHERE {{ {{ SELECT DISTINCT {focus} WHERE {{ {renamed} }} }} {focus} {path} {value} . BIND ({value} AS ?this) }} }}"


def _count_rule(
    shapes: rdflib.Graph, shape: Node, path_node: Node, path: str, severity: Node, messages: tuple[str, ...], counts: list[CountRule]
) -> None:
    min_count, max_count = shapes.value(shape, SH.minCount), shapes.value(shape, SH.maxCount)
    for bound in (min_count, max_count):
        if bound is not None and not (isinstance(bound, rdflib.Literal) and isinstance(bound.toPython(), int)):
            raise UnsupportedShape(f"{shape}: sh:minCount and sh:maxCount must be integers")
    if min_count is not None and int(min_count) == 0:
        min_count = None
    if min_count is None and max_count is None:
        return
    counts.append(
        CountRule(
            var=f"count{len(counts)}",
            path=path_node,
            min_count=int(min_count) if min_count is not None else None,
            max_count=int(max_count) if max_count is not None else None,
            shape=shape,
            severity=severity,  # type: ignore[arg-type]
            messages=messages,
            sparql_path=path,
        )
    )


def _qualified_checks(
    context: _Context, shape: Node, qualified: Node, focus: str, path: str | None, path_node: Node | None,
    severity: Node, messages: tuple[str, ...],
) -> list[Check]:
    """sh:qualifiedMinCount / sh:qualifiedMaxCount: how many values conform to the qualified shape."""
    shapes = context.shapes
    if path is None:
        raise UnsupportedShape(f"{shape}: sh:qualifiedValueShape on a node shape")
    if shapes.value(shape, SH.qualifiedValueShapesDisjoint) == rdflib.Literal(True):
        raise UnsupportedShape(f"{shape}: sh:qualifiedValueShapesDisjoint is not evaluated by pmgraph's engine")
    conforms = _conforms(context, qualified, "?value", 1)
    checks = []
    for kind, test in ((SH.qualifiedMinCount, "<"), (SH.qualifiedMaxCount, ">")):
        bound = shapes.value(shape, kind)
        if bound is None:
            continue
        query = (
            f"SELECT ?this WHERE {{ {focus} OPTIONAL {{ ?this {path} ?value FILTER (COALESCE({conforms}, false)) }} }} "
            f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) {test} {int(bound)})"
        )
        checks.append(Check(shape, severity, messages, query, path_node))  # type: ignore[arg-type]
    return checks


def _sparql_check(
    context: _Context, shape: Node, constraint: Node, targets: str, path: str | None, path_node: Node | None,
    severity: Node, messages: tuple[str, ...],
) -> Check:
    shapes = context.shapes
    select = shapes.value(constraint, SH.select)
    if select is None:
        raise UnsupportedShape(f"{shape}: a SPARQL constraint without sh:select")
    select = str(select)
    check_sparql_constraint(select, shape)
    reads_shapes = re.search(r"[$?]shapesGraph\b", select) is not None
    if re.search(r"[$?]currentShape\b", select):
        if not isinstance(shape, rdflib.URIRef):
            raise UnsupportedShape(f"{shape}: $currentShape of a blank node shape")
        if not reads_shapes:
            select = re.sub(r"[$?]currentShape\b", shape.n3(), select)
    if path is not None:
        select = re.sub(r"\$PATH\b", path, select)
    prefixes = _prefixes(shapes, constraint)
    joins = constraint in context.joined or joins_as_prebound(prefixes + select)
    if reads_shapes:
        # pre-bound as variables, not written in as terms: the query may ask bound($shapesGraph)
        bindings = {"shapesGraph": SHAPES_GRAPH}
        if isinstance(shape, rdflib.URIRef):
            bindings["currentShape"] = shape
        select = prebound(select, bindings)
    if joins:
        query, focus_query = prefixes + joined_with_focus_nodes(select, targets), ""
    else:
        query, focus_query = prefixes + this_as_variable(select), f"SELECT DISTINCT ?this WHERE {{ {targets} }}"
    return Check(shape, severity, _messages(shapes, constraint) or messages, query, path_node,  # type: ignore[arg-type]
                 value_is_focus=path is None, joins=True, focus_query=focus_query, shapes_graph=shapes if reads_shapes else None)


def _value_conditions(context: _Context, shape: Node, var: str, depth: int) -> list[str]:
    """One SPARQL expression per value-level constraint of ``shape``: true when ``var`` meets it."""
    shapes = context.shapes
    found: list[str] = []
    for cls in shapes.objects(shape, SH["class"]):
        found.append(_is_instance([cls], var))
    for datatype in shapes.objects(shape, SH.datatype):
        found.append(_has_datatype(datatype, var))
    for kind in shapes.objects(shape, SH.nodeKind):
        if kind not in _NODE_KINDS:
            raise UnsupportedShape(f"{shape}: unknown sh:nodeKind {kind}")
        found.append(_NODE_KINDS[kind].replace("?value", var))
    for kind, test in ((SH.minExclusive, ">"), (SH.minInclusive, ">="), (SH.maxExclusive, "<"), (SH.maxInclusive, "<=")):
        for bound in shapes.objects(shape, kind):
            # a number is compared only with a number: Virtuoso 7.2 compares the string "5" with 0
            numeric = f"isNumeric({var}) && " if isinstance(bound, rdflib.Literal) and bound.datatype in _NUMERIC else ""
            found.append(f"COALESCE({numeric}!isBlank({var}) && !isIRI({var}) && {var} {test} {bound.n3()}, false)")
    for kind, test in ((SH.minLength, ">="), (SH.maxLength, "<=")):
        for bound in shapes.objects(shape, kind):
            found.append(f"(!isBlank({var}) && STRLEN(STR({var})) {test} {int(bound)})")
    for pattern in shapes.objects(shape, SH.pattern):
        flags = shapes.value(shape, SH.flags)
        extra = f", {rdflib.Literal(str(flags)).n3()}" if flags is not None else ""
        found.append(f"(!isBlank({var}) && REGEX(STR({var}), {rdflib.Literal(str(pattern)).n3()}{extra}))")
    for languages in shapes.objects(shape, SH.languageIn):
        tests = " || ".join(f"langMatches(lang({var}), {rdflib.Literal(str(t)).n3()})" for t in Collection(shapes, languages))
        found.append(f"(isLiteral({var}) && ({tests or 'false'}))")
    for allowed in shapes.objects(shape, SH["in"]):
        members = list(Collection(shapes, allowed))
        # IRIs by IN (Virtuoso 7.2 never finds sameTerm(...) || sameTerm(...) true), literals by sameTerm
        iris = [m.n3() for m in members if isinstance(m, rdflib.URIRef)]
        tests = [f"{var} IN ({', '.join(iris)})"] if iris else []
        tests += [f"sameTerm({var}, {m.n3()})" for m in members if not isinstance(m, rdflib.URIRef)]
        found.append("(" + (" || ".join(tests) or "false") + ")")
    for other in shapes.objects(shape, SH.node):
        found.append(_conforms(context, other, var, depth + 1))
    for other in shapes.objects(shape, SH["not"]):
        found.append(f"!({_conforms(context, other, var, depth + 1)})")
    for members in shapes.objects(shape, SH["and"]):
        found.append("(" + (" && ".join(_conforms(context, m, var, depth + 1) for m in Collection(shapes, members)) or "true") + ")")
    for members in shapes.objects(shape, SH["or"]):
        # members that only name a class go in one EXISTS: Virtuoso 7.2 does not compile
        # EXISTS {...} || EXISTS {...} in a selected expression
        alternatives, classes = [], []
        for member in Collection(shapes, members):
            constraints = set(shapes.predicates(member)) - {RDF.type}
            if constraints == {SH["class"]} and len(list(shapes.objects(member, SH["class"]))) == 1:
                classes.append(shapes.value(member, SH["class"]))
            elif constraints == {SH.datatype} and len(list(shapes.objects(member, SH.datatype))) == 1:
                # as written, not inside a further COALESCE: Virtuoso 7.2 then lets a failed cast escape
                alternatives.append(_has_datatype(shapes.value(member, SH.datatype), var))
            else:
                alternatives.append(_conforms(context, member, var, depth + 1))
        if classes:
            alternatives.append(f"COALESCE({_is_instance(classes, var)}, false)")
        found.append("(" + (" || ".join(alternatives) or "false") + ")")
    for members in shapes.objects(shape, SH.xone):
        each = [f"IF({_conforms(context, m, var, depth + 1)}, 1, 0)" for m in Collection(shapes, members)]
        found.append(f"({' + '.join(each) or '0'} = 1)")
    return found


def _conforms(context: _Context, shape: Node, var: str, depth: int) -> str:
    """A SPARQL expression true when the node ``var`` conforms to ``shape`` (as sh:node, sh:or... ask).

    Only shapes whose every constraint can be stated of one node are translated: value
    conditions, sh:hasValue, and property shapes with sh:minCount 1, sh:maxCount 0 or 1 and value
    conditions. Anything else raises :class:`UnsupportedShape`.
    """
    shapes = context.shapes
    if depth > 8:
        raise UnsupportedShape(f"{shape}: shapes nested more than 8 deep (or recursive)")
    if _deactivated(shapes, shape):
        return "true"
    predicates = set(shapes.predicates(shape))
    unknown = {
        p for p in predicates
        if (str(p).startswith(str(SH)) and p not in _NODE_TESTS and p not in NOT_CONSTRAINTS) or p in context.custom
    }
    if unknown or SH.sparql in predicates:
        raise UnsupportedShape(f"{shape}: {', '.join(sorted(map(str, unknown or {SH.sparql})))} inside sh:node, sh:not, sh:and, sh:or, sh:xone or sh:qualifiedValueShape")
    path_node = shapes.value(shape, SH.path)
    if path_node is None:
        tests = _value_conditions(context, shape, var, depth)
        tests += [f"sameTerm({var}, {v.n3()})" for v in shapes.objects(shape, SH.hasValue)]
        tests += [_conforms(context, p, var, depth + 1) for p in shapes.objects(shape, SH.property)]
        return "(" + (" && ".join(f"COALESCE({t}, false)" for t in tests) or "true") + ")"
    path = sparql_path(shapes, path_node)
    value = context.fresh("v")
    tests = []
    conditions = _value_conditions(context, shape, value, depth)
    if conditions:
        tests.append(f"NOT EXISTS {{ {var} {path} {value} FILTER (!({' && '.join(f'COALESCE({c}, false)' for c in conditions)})) }}")
    for required in shapes.objects(shape, SH.hasValue):
        tests.append(f"EXISTS {{ {var} {path} {value} FILTER (sameTerm({value}, {required.n3()})) }}")
    min_count, max_count = shapes.value(shape, SH.minCount), shapes.value(shape, SH.maxCount)
    if min_count is not None and int(min_count) > 1 or max_count is not None and int(max_count) > 1:
        raise UnsupportedShape(f"{shape}: counts above 1 inside sh:node, sh:not, sh:and, sh:or or sh:xone")
    if min_count is not None and int(min_count) == 1:
        tests.append(f"EXISTS {{ {var} {path} {value} }}")
    if max_count is not None and int(max_count) == 0:
        tests.append(f"NOT EXISTS {{ {var} {path} {value} }}")
    if max_count is not None and int(max_count) == 1:
        other = context.fresh("v")
        tests.append(f"NOT EXISTS {{ {var} {path} {value} , {other} FILTER (!sameTerm({value}, {other})) }}")
    return "(" + (" && ".join(tests) or "true") + ")"


# What _conforms translates: value conditions, sh:hasValue, counts, sh:property of a node shape.
_NODE_TESTS = frozenset({
    SH["class"], SH.datatype, SH.nodeKind, SH.minExclusive, SH.minInclusive, SH.maxExclusive,
    SH.maxInclusive, SH.minLength, SH.maxLength, SH.pattern, SH.flags, SH.languageIn, SH["in"],
    SH.node, SH["not"], SH["and"], SH["or"], SH.xone, SH.hasValue, SH.minCount, SH.maxCount, SH.property,
})


def sparql_path(shapes: rdflib.Graph, path: Node) -> str:
    """The SPARQL property path of a SHACL path (an IRI, a list, or an inverse, alternative... path).

    >>> g = rdflib.Graph().parse(format="turtle", data="@prefix sh: <http://www.w3.org/ns/shacl#> . <p:s> sh:path ( <p:a> [ sh:inversePath <p:b> ] ) .")
    >>> sparql_path(g, g.value(rdflib.URIRef("p:s"), SH.path))
    '(<p:a>/^(<p:b>))'
    """
    if isinstance(path, rdflib.URIRef):
        return path.n3()
    if isinstance(path, rdflib.BNode):
        if shapes.value(path, RDF.first) is not None:
            return "(" + "/".join(sparql_path(shapes, p) for p in Collection(shapes, path)) + ")"
        for kind, form in (
            (SH.inversePath, "^({})"), (SH.zeroOrMorePath, "({})*"), (SH.oneOrMorePath, "({})+"), (SH.zeroOrOnePath, "({})?"),
        ):
            inner = shapes.value(path, kind)
            if inner is not None:
                return form.format(sparql_path(shapes, inner))
        alternatives = shapes.value(path, SH.alternativePath)
        if alternatives is not None:
            return "(" + "|".join(sparql_path(shapes, p) for p in Collection(shapes, alternatives)) + ")"
    raise UnsupportedShape(f"not a SHACL path: {path!r}")


def _count_checks(shape: Node, counts: list[CountRule], targets: str) -> list[Check]:
    """The query that finds the focus nodes breaking the sh:minCount / sh:maxCount of a node shape.

    Counting the values of every focus node (a GROUP BY over all of them) is the slow way, needed
    when a shape mixes both kinds of rule. When all its rules are ``sh:minCount 1``, the failures
    are the focus nodes with a value missing (an OPTIONAL left unbound); when all are
    ``sh:maxCount``, they are among the focus nodes with two different values (a self-join).
    """
    if not counts:
        return []
    focus = f"{{ SELECT DISTINCT ?this WHERE {{ {targets} }} }}"
    if all(rule.min_count == 1 and rule.max_count is None for rule in counts):
        optionals = " ".join(f"OPTIONAL {{ ?this {rule.sparql_path} ?{rule.var} }}" for rule in counts)
        unbound = " || ".join(f"!BOUND(?{rule.var})" for rule in counts)
        query = f"SELECT ?this {' '.join('?' + r.var for r in counts)} WHERE {{ {focus} {optionals} FILTER ({unbound}) }}"
        return [Check(shape, SH.Violation, (), query, counts=tuple(counts), count_mode="missing")]
    if all(not rule.min_count and rule.max_count is not None for rule in counts):
        branches = " UNION ".join(
            f"{{ ?this {rule.sparql_path} ?value . BIND ({n} AS ?rule) }}"
            if rule.max_count == 0
            else f"{{ ?this {rule.sparql_path} ?value , ?other . FILTER (!sameTerm(?value, ?other)) BIND ({n} AS ?rule) }}"
            for n, rule in enumerate(counts)
        )
        query = f"SELECT ?this ?rule (COUNT(DISTINCT ?value) AS ?count) WHERE {{ {focus} {branches} }} GROUP BY ?this ?rule"
        return [Check(shape, SH.Violation, (), query, counts=tuple(counts), count_mode="too many")]
    optionals = " ".join(f"OPTIONAL {{ ?this {rule.sparql_path} ?v{n} }}" for n, rule in enumerate(counts))
    selected = " ".join(f"(COUNT(DISTINCT ?v{n}) AS ?{rule.var})" for n, rule in enumerate(counts))
    failing = " || ".join(
        " || ".join(
            ([f"COUNT(DISTINCT ?v{n}) < {rule.min_count}"] if rule.min_count is not None else [])
            + ([f"COUNT(DISTINCT ?v{n}) > {rule.max_count}"] if rule.max_count is not None else [])
        )
        for n, rule in enumerate(counts)
    )
    query = f"SELECT ?this {selected} WHERE {{ {focus} {optionals} }} GROUP BY ?this HAVING ({failing})"
    return [Check(shape, SH.Violation, (), query, counts=tuple(counts), count_mode="count")]


def _has_datatype(datatype: Node, var: str = "?value") -> str:
    """True when ``var`` is a well-formed literal of ``datatype`` (as pySHACL checks it)."""
    # Written without sameTerm, which Virtuoso 7.2 never finds true inside a larger expression: two
    # IRIs are = exactly when they are the same term.
    test = f"(isLiteral({var}) && datatype({var}) = {datatype.n3()}"
    if datatype in _INTEGER_RANGES:
        low, high = _INTEGER_RANGES[datatype]
        number = f"{XSD.integer.n3()}(STR({var}))"
        # only the bounds there are: Virtuoso 7.2 refuses a numeric constant as large as 10^40
        bounds = [f"{number} >= {low}"] * (low is not None) + [f"{number} <= {high}"] * (high is not None)
        test += f" && COALESCE({' && '.join(bounds)}, false)"
    elif datatype in _CASTABLE and datatype != XSD.string:
        # A literal whose lexical form cannot be cast to its type is ill-formed: the cast fails,
        # and COALESCE gives an IRI instead.
        test += f" && isLiteral(COALESCE({datatype.n3()}(STR({var})), <{_ILL_FORMED}>))"
    return test + ")"


def _is_instance(classes: list[Node], var: str = "?value") -> str:
    """True when ``var`` is an instance of one of ``classes`` (or of their subclasses)."""
    listed = " ".join(subclasses_placeholder(cls) for cls in classes)
    return f"EXISTS {{ {var} {RDF.type.n3()} ?_class . VALUES ?_class {{ {listed} }} }}"


def _targets(shapes: rdflib.Graph, shape: Node) -> str:
    """A SPARQL group that binds ``?this`` to each focus node of ``shape``."""
    classes = list(shapes.objects(shape, SH.targetClass))
    if (shape, RDF.type, RDFS.Class) in shapes:
        classes.append(shape)
    patterns = [f"{{ ?this {RDF.type.n3()} ?_target . VALUES ?_target {{ {subclasses_placeholder(c)} }} }}" for c in classes]
    patterns += [f"{{ BIND ({n.n3()} AS ?this) }}" for n in shapes.objects(shape, SH.targetNode)]
    patterns += [f"{{ ?this {p.n3()} ?_targetObject }}" for p in shapes.objects(shape, SH.targetSubjectsOf)]
    patterns += [f"{{ ?_targetSubject {p.n3()} ?this }}" for p in shapes.objects(shape, SH.targetObjectsOf)]
    return " UNION ".join(patterns) if patterns else "{ FILTER (false) }"


def _prefixes(shapes: rdflib.Graph, constraint: Node | None = None) -> str:
    holders = list(shapes.objects(constraint, SH.prefixes)) if constraint is not None else []
    for holder in holders:  # the declarations of what a holder owl:imports count too (as pySHACL reads them)
        holders += [i for i in shapes.objects(holder, OWL.imports) if i not in holders]
    lines = set()
    for holder in holders:
        for declaration in shapes.objects(holder, SH.declare):
            prefix = shapes.value(declaration, SH.prefix)
            namespace = shapes.value(declaration, SH.namespace)
            if prefix is not None and namespace is not None:
                lines.add(f"PREFIX {prefix}: <{namespace}>")
    return "\n".join(sorted(lines)) + "\n"


def _messages(shapes: rdflib.Graph, node: Node) -> tuple[str, ...]:
    """The shape's messages, English (or untagged) first, as pmgraph reports the first."""
    found = shapes.objects(node, SH.message)
    return tuple(str(m) for m in sorted(found, key=lambda m: (getattr(m, "language", None) not in (None, "en"), str(m))))


def _deactivated(shapes: rdflib.Graph, node: Node) -> bool:
    return shapes.value(node, SH.deactivated) == rdflib.Literal(True)
