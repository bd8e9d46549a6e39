"""pmgraph's SHACL engine: the shapes evaluated as SPARQL on pyoxigraph, one query per check.

pySHACL evaluates a shapes graph node by node in Python over rdflib, and a SPARQL-based
constraint once per focus node: minutes on a portfolio of 10,000 triples. Here every constraint
of pmgraph's shapes becomes one SPARQL query over all focus nodes at once, run by pyoxigraph:

- SHACL-SPARQL constraints keep their query; ``$this`` becomes a variable restricted to the
  shape's targets (pmgraph's queries bind ``$this`` in their main pattern and group by it);
- the SHACL Core components pmgraph's shapes use (``sh:nodeKind``, ``sh:minCount``,
  ``sh:maxCount``, ``sh:datatype``, ``sh:class``, ``sh:or`` of those, ``sh:minInclusive``,
  ``sh:maxInclusive``, ``sh:in``) are translated into queries that select the failing focus
  nodes and values.

The results are those pySHACL gives on the same shapes and data (``tests/test_engines.py``
compares the two on every fixture and on generated portfolios with injected defects). A shape
using a component not listed above cannot be compiled: :func:`compile_shapes` raises
:class:`UnsupportedShape`, and such shapes are for pySHACL (``engine="pyshacl"``).

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

import re
import threading
from decimal import Decimal
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass

import rdflib
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Node

from pmgraph.errors import UnsupportedShape

__all__ = ["Check", "Finding", "UnsupportedShape", "compile_shapes", "run_checks"]

_ONE = rdflib.Literal(1)
_ILL_FORMED = "urn:pmgraph:ill-formed"
_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
_THIS = re.compile(r"\$this\b")

# Shape predicates that carry no constraint (or that this engine reads itself).
_NOT_CONSTRAINTS = {
    RDF.type, RDFS.comment, RDFS.label, SH.targetClass, SH.targetNode, SH.targetSubjectsOf,
    SH.targetObjectsOf, SH.severity, SH.message, SH.property, SH.path, SH.sparql, SH.name,
    SH.description, SH.deactivated, SH.order, SH.group,
}
_PROPERTY_COMPONENTS = {
    SH.minCount, SH.maxCount, SH.datatype, SH["class"], SH["or"], SH.minInclusive, SH.maxInclusive, SH["in"],
}
# xsd datatypes whose lexical forms can be checked by a SPARQL cast.
_CASTABLE = {
    XSD.date, XSD.dateTime, XSD.decimal, XSD.integer, XSD.double, XSD.float, XSD.boolean, XSD.string,
}
_NODE_KINDS = {
    SH.IRI: "isIRI(?value)",
    SH.BlankNode: "isBlank(?value)",
    SH.Literal: "isLiteral(?value)",
    SH.BlankNodeOrIRI: "(isBlank(?value) || isIRI(?value))",
    SH.BlankNodeOrLiteral: "(isBlank(?value) || isLiteral(?value))",
    SH.IRIOrLiteral: "(isIRI(?value) || isLiteral(?value))",
}


@dataclass(frozen=True)
class Check:
    """One compiled constraint: a query selecting ``?this`` (and ``?path``/``?value``) per failure."""

    shape: Node
    severity: rdflib.URIRef
    messages: tuple[str, ...]
    query: str
    path: rdflib.URIRef | None = None
    value_is_focus: bool = False  # node-level checks: with no ?value, the value is the focus node
    counts: tuple[CountRule, ...] = ()  # sh:minCount/sh:maxCount rules, read as ``count_mode`` says
    count_mode: str = ""  # "missing", "too many" or "count" (see _count_checks)
    flags: int = 0  # value checks: ?ok0, ?ok1... say which of the conditions a value meets
    joins: bool = False  # a SHACL-SPARQL constraint: big joins, much memory on a large graph


@dataclass(frozen=True)
class CountRule:
    """sh:minCount / sh:maxCount of one property shape, read from a combined query's ``?<var>``."""

    var: str
    path: rdflib.URIRef
    min_count: int | None
    max_count: int | None
    shape: Node
    severity: rdflib.URIRef
    messages: tuple[str, ...]


@dataclass(frozen=True)
class Finding:
    """A failing focus node as a SHACL validation result states it, in rdflib terms."""

    severity: rdflib.URIRef
    focus: Node
    path: Node | None
    value: Node | None
    message: str
    shape: Node


def compile_shapes(shapes: rdflib.Graph) -> list[Check]:
    """Translate every node shape of ``shapes`` (and its property shapes) into checks."""
    checks: list[Check] = []
    node_shapes = sorted(
        {s for s in shapes.subjects(RDF.type, SH.NodeShape)}
        | {s for p in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf) for s in shapes.subjects(p)}
    )
    for shape in node_shapes:
        if _deactivated(shapes, shape):
            continue
        targets = _targets(shapes, shape)
        prefix = _prefixes(shapes)
        unknown = set(shapes.predicates(shape)) - _NOT_CONSTRAINTS - {SH.nodeKind}
        if unknown:
            raise UnsupportedShape(f"{shape}: unsupported constraint(s) {sorted(map(str, unknown))}")
        node_severity = shapes.value(shape, SH.severity) or SH.Violation
        node_messages = _messages(shapes, shape)
        kind = shapes.value(shape, SH.nodeKind)
        if kind is not None:
            query = f"SELECT ?this WHERE {{ {targets} BIND (?this AS ?value) FILTER (!{_NODE_KINDS[kind]}) }}"
            checks.append(Check(shape, node_severity, node_messages, query, value_is_focus=True))
        for constraint in shapes.objects(shape, SH.sparql):
            if _deactivated(shapes, constraint):
                continue
            select = str(shapes.value(constraint, SH.select))
            messages = _messages(shapes, constraint) or node_messages
            query = _prefixes(shapes, constraint) + _restrict_to_targets(select, targets)
            checks.append(Check(shape, node_severity, messages, query, value_is_focus=True, joins=True))
        counts: list[CountRule] = []
        for property_shape in sorted(shapes.objects(shape, SH.property)):
            if not _deactivated(shapes, property_shape):
                checks += _property_checks(shapes, shape, property_shape, targets, prefix, counts)
        checks += _count_checks(shape, counts, targets)
    return checks


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
        optionals = " ".join(f"OPTIONAL {{ ?this {rule.path.n3()} ?{rule.var} }}" for rule in counts)
        unbound = " || ".join(f"!BOUND(?{rule.var})" for rule in counts)
        query = f"SELECT ?this {' '.join('?' + r.var for r in counts)} WHERE {{ {focus} {optionals} FILTER ({unbound}) }}"
        return [Check(shape, SH.Violation, (), query, counts=tuple(counts), count_mode="missing")]
    if all(not rule.min_count and rule.max_count is not None for rule in counts):
        branches = " UNION ".join(
            f"{{ ?this {rule.path.n3()} ?value . BIND ({n} AS ?rule) }}"
            if rule.max_count == 0
            else f"{{ ?this {rule.path.n3()} ?value , ?other . FILTER (!sameTerm(?value, ?other)) BIND ({n} AS ?rule) }}"
            for n, rule in enumerate(counts)
        )
        query = f"SELECT ?this ?rule (COUNT(DISTINCT ?value) AS ?count) WHERE {{ {focus} {branches} }} GROUP BY ?this ?rule"
        return [Check(shape, SH.Violation, (), query, counts=tuple(counts), count_mode="too many")]
    optionals = " ".join(f"OPTIONAL {{ ?this {rule.path.n3()} ?v{n} }}" for n, rule in enumerate(counts))
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


def run_checks(
    store: object,
    checks: list[Check],
    *,
    union: bool = False,
    threads: int = 1,
    on_check: Callable[[int, int], None] | None = None,
) -> Iterator[Finding]:
    """Run compiled checks on a pyoxigraph store; ``union`` queries the union of its graphs.

    pyoxigraph evaluates a query without holding Python's lock, so ``threads`` checks can run at
    once (:func:`pmgraph.validate` and the command line use 2; this function's default, 1, keeps to one
    core). The queries always
    run on worker threads, each result read and let go in the thread that made it
    (:func:`_solutions`: pyoxigraph cannot free a result from another thread, and leaks it). Which
    check runs when: see :class:`_Lanes`. The findings come in the order of ``checks``.
    """
    known: dict[str, str] = {}
    queries = [_with_subclasses(check.query, store, known, union) for check in checks]
    rows: list[Future[list[dict[str, Node]]]] = [Future() for _ in checks]
    lanes = _Lanes(checks, queries)

    def work(prefers_joins: bool) -> None:
        while (n := lanes.next(prefers_joins)) is not None:
            try:
                rows[n].set_result(_solutions(store, queries[n], union))
            except BaseException as error:  # noqa: BLE001 (the caller raises it, in the order of the checks)
                rows[n].set_exception(error)

    workers = [threading.Thread(target=work, args=(n == 0,), daemon=True) for n in range(max(1, threads))]
    for worker in workers:
        worker.start()
    try:
        for done, (n, check) in enumerate(enumerate(checks), start=1):
            solutions = rows[n].result()
            rows[n] = Future()  # the rows are let go of as soon as they are read
            if on_check is not None:
                on_check(done, len(checks))
            yield from _findings(check, solutions)
    finally:
        lanes.stop()
        for worker in workers:
            worker.join()


class _Lanes:
    """Which check a worker runs next: the SHACL-SPARQL rules (big joins, each needing hundreds of
    megabytes on a large graph) one at a time, beside the light checks.

    The first worker takes the joining rules, the others the light checks, each the longest query
    first (the slowest, started first, run beside the many short ones instead of after them). A
    worker whose kind is done takes the other kind. So the memory that a validation needs at its
    peak is that of the heaviest rule, not of the two heaviest at once (3.8 GB -> 3.2 GB at 5M,
    measured before the rules' lookups were made per row).
    """

    def __init__(self, checks: list[Check], queries: list[str]):
        by_length = sorted(range(len(checks)), key=lambda n: -len(queries[n]))
        self._joins = [n for n in by_length if checks[n].joins]
        self._light = [n for n in by_length if not checks[n].joins]
        self._lock = threading.Lock()

    def next(self, prefers_joins: bool) -> int | None:
        """The index of the next check to run, or None when none is left."""
        with self._lock:
            first, second = (self._joins, self._light) if prefers_joins else (self._light, self._joins)
            lane = first or second
            return lane.pop(0) if lane else None

    def stop(self) -> None:
        """Let the workers end after their current check (the caller stopped reading)."""
        with self._lock:
            self._joins.clear()
            self._light.clear()


def _solutions(store: object, query: str, union: bool) -> list[dict[str, Node]]:
    from pmgraph.rdf.terms import rdflib_term

    solutions = store.query(query, use_default_graph_as_union=union)  # type: ignore[attr-defined]
    names = [v.value for v in solutions.variables]
    found = [[s[name] for name in names] for s in solutions]
    # pyoxigraph's results belong to the thread that made them, and only then are the terms made
    # rdflib's: the warning rdflib logs for an ill-typed literal keeps the frames it was made in
    # (pytest's log capture keeps it), and must not keep the results alive into another thread.
    del solutions
    return [{name: rdflib_term(term) for name, term in zip(names, terms) if term is not None} for terms in found]


def _findings(check: Check, solutions: list[dict[str, Node]]) -> Iterator[Finding]:
    if check.counts:
        yield from _count_findings(check, solutions)
        return
    if check.flags:
        yield from _flag_findings(check, solutions)
        return
    seen: set[tuple[object, ...]] = set()
    for row in solutions:
        if "failure" in row or "this" not in row:
            continue
        focus = row.pop("this")
        path = row.pop("path", check.path)
        value = row.pop("value", focus if check.value_is_focus else None)
        key = (focus, path, value, tuple(sorted(row.items())))
        if key in seen:
            continue
        seen.add(key)
        bindings = {**row, "this": focus}
        if path is not None:
            bindings["path"] = path
        if value is not None:
            bindings["value"] = value
        message = check.messages[0] if check.messages else ""
        yield Finding(check.severity, focus, path, value, _fill(message, bindings), check.shape)


def _count_findings(check: Check, solutions: list[dict[str, Node]]) -> Iterator[Finding]:
    failing: dict[tuple[Node, int], None] = {}  # (focus, rule), in the order found, once each
    for row in solutions:
        focus = row["this"]
        if check.count_mode == "missing":
            failing.update(((focus, n), None) for n, rule in enumerate(check.counts) if rule.var not in row)
        elif check.count_mode == "too many":
            n = int(row["rule"])
            if int(row["count"]) > check.counts[n].max_count:  # type: ignore[operator]
                failing[(focus, n)] = None
        else:
            for n, rule in enumerate(check.counts):
                found = int(row[rule.var].toPython()) if rule.var in row else 0
                too_few = rule.min_count is not None and found < rule.min_count
                too_many = rule.max_count is not None and found > rule.max_count
                if too_few or too_many:
                    failing[(focus, n)] = None
    for focus, n in failing:
        rule = check.counts[n]
        # As pySHACL, messages of Core constraints are given as written.
        yield Finding(rule.severity, focus, rule.path, None, rule.messages[0] if rule.messages else "", rule.shape)


def _flag_findings(check: Check, solutions: list[dict[str, Node]]) -> Iterator[Finding]:
    """One finding per value and failed condition, as pySHACL gives one per constraint component."""
    for row in solutions:
        focus, value = row["this"], row["value"]
        message = check.messages[0] if check.messages else ""
        for n in range(check.flags):
            if row.get(f"ok{n}") != _ONE:
                yield Finding(check.severity, focus, check.path, value, message, check.shape)


def _property_checks(
    shapes: rdflib.Graph, node_shape: Node, shape: Node, targets: str, prefix: str, counts: list[CountRule]
) -> list[Check]:
    """The value check of a property shape; its counts are added to ``counts``."""
    path = shapes.value(shape, SH.path)
    if not isinstance(path, rdflib.URIRef):
        raise UnsupportedShape(f"{node_shape}: only IRI paths are supported, not {path!r}")
    unknown = set(shapes.predicates(shape)) - _NOT_CONSTRAINTS - _PROPERTY_COMPONENTS
    if unknown:
        raise UnsupportedShape(f"{node_shape}: unsupported constraint(s) {sorted(map(str, unknown))}")
    severity = shapes.value(shape, SH.severity) or SH.Violation
    messages = _messages(shapes, shape)
    reported_as = node_shape_of(shapes, shape, node_shape)
    min_count, max_count = shapes.value(shape, SH.minCount), shapes.value(shape, SH.maxCount)
    if min_count is not None or max_count is not None:
        counts.append(
            CountRule(
                var=f"count{len(counts)}",
                path=path,
                min_count=int(min_count) if min_count is not None else None,
                max_count=int(max_count) if max_count is not None else None,
                shape=reported_as,
                severity=severity,
                messages=messages,
            )
        )
    conditions = []  # each: an expression true when ?value conforms
    datatype = shapes.value(shape, SH.datatype)
    if datatype is not None:
        conditions.append(_has_datatype(datatype))
    cls = shapes.value(shape, SH["class"])
    if cls is not None:
        conditions.append(_is_instance(cls))
    alternatives = shapes.value(shape, SH["or"])
    if alternatives is not None:
        conditions.append(_any_alternative(shapes, node_shape, list(Collection(shapes, alternatives))))
    low = shapes.value(shape, SH.minInclusive)
    if low is not None:
        conditions.append(_compared(">=", low))
    high = shapes.value(shape, SH.maxInclusive)
    if high is not None:
        conditions.append(_compared("<=", high))
    allowed = shapes.value(shape, SH["in"])
    if allowed is not None:
        conditions.append(_is_member(list(Collection(shapes, allowed))))
    if not conditions:
        return []
    # One query per property shape: each condition's outcome in a column ?ok<n>, as 1 or 0 (a
    # boolean in an answer is written 1 or 0 by Virtuoso, true or false by the others)
    flags = " ".join(f"(IF(COALESCE({c}, false), 1, 0) AS ?ok{n})" for n, c in enumerate(conditions))
    every = " && ".join(f"COALESCE({c}, false)" for c in conditions)
    query = (
        f"SELECT ?this ?value {flags} WHERE {{ {{ SELECT DISTINCT ?this WHERE {{ {targets} }} }} "
        f"?this {path.n3()} ?value FILTER (!({every})) }}"
    )
    return [Check(reported_as, severity, messages, prefix + query, path, flags=len(conditions))]


def node_shape_of(shapes: rdflib.Graph, shape: Node, node_shape: Node) -> Node:
    """The shape a property shape's results are reported under: itself when named, else its node shape."""
    return shape if isinstance(shape, rdflib.URIRef) else node_shape


def _any_alternative(shapes: rdflib.Graph, node_shape: Node, alternatives: list[Node]) -> str:
    """True when ?value meets one of the members of an ``sh:or``: a datatype, or a class.

    The classes go in one EXISTS: Virtuoso 7.2 does not compile ``EXISTS {...} || EXISTS {...}``.
    """
    datatypes, classes = [], []
    for alternative in alternatives:
        constraints = set(shapes.predicates(alternative)) - {RDF.type}
        if constraints == {SH.datatype}:
            datatypes.append(_has_datatype(shapes.value(alternative, SH.datatype)))
        elif constraints == {SH["class"]}:
            classes.append(shapes.value(alternative, SH["class"]))
        else:
            raise UnsupportedShape(f"{node_shape}: sh:or members must be one sh:datatype or one sh:class")
    if classes:
        datatypes.append(_is_instance(*classes))
    return "(" + " || ".join(datatypes) + ")"


def _has_datatype(datatype: Node) -> str:
    """True when ?value is a well-formed literal of ``datatype`` (as pySHACL checks it).

    Written without ``sameTerm``, which Virtuoso 7.2 never finds true inside a larger expression:
    two IRIs are ``=`` exactly when they are the same term.
    """
    test = f"(isLiteral(?value) && datatype(?value) = {datatype.n3()}"
    if datatype in _CASTABLE and datatype != XSD.string:
        # A literal whose lexical form cannot be cast to its type is ill-formed: the cast fails,
        # and COALESCE gives an IRI instead.
        test += f" && isLiteral(COALESCE({datatype.n3()}(STR(?value)), <{_ILL_FORMED}>))"
    return test + ")"


def _compared(operator: str, bound: Node) -> str:
    """True when ?value compares with ``bound`` as ``operator`` says (sh:minInclusive, sh:maxInclusive).

    A number is compared only with a numeric value: Virtuoso 7.2 compares the string "5" with 0.
    """
    comparison = f"?value {operator} {bound.n3()}"
    if isinstance(bound, rdflib.Literal) and isinstance(bound.toPython(), (int, float, Decimal)):
        comparison = f"isNumeric(?value) && {comparison}"
    return f"COALESCE({comparison}, false)"


def _is_member(members: list[Node]) -> str:
    """True when ?value is one of ``members`` (``sh:in``): IRIs by ``IN``, literals by ``sameTerm``.

    ``IN`` compares IRIs as terms; ``sameTerm`` is kept for literals (``IN`` would find "1" and
    "01" of xsd:integer equal), which pmgraph's shapes do not list.
    """
    iris = [m.n3() for m in members if isinstance(m, rdflib.URIRef)]
    tests = [f"?value IN ({', '.join(iris)})"] if iris else []
    tests += [f"sameTerm(?value, {m.n3()})" for m in members if not isinstance(m, rdflib.URIRef)]
    return "(" + (" || ".join(tests) or "false") + ")"


def _is_instance(*classes: Node) -> str:
    listed = " ".join(_subclasses(cls) for cls in classes)
    return f"EXISTS {{ ?value {RDF.type.n3()} ?_class . VALUES ?_class {{ {listed} }} }}"


def _subclasses(cls: Node) -> str:
    """A placeholder for the classes ``rdfs:subClassOf*`` ``cls``, filled in by :func:`run_checks`.

    Looking the subclasses up once per run, instead of following ``rdfs:subClassOf*`` for every
    node, makes class targets and ``sh:class`` several times faster on pyoxigraph.
    """
    return f"__SUBCLASSES_OF__{cls}__"


_SUBCLASSES = re.compile(r"__SUBCLASSES_OF__(\S+?)__")


def _with_subclasses(query: str, store: object, known: dict[str, str], union: bool) -> str:
    """Fill the subclass placeholders of a query with the classes found in the store."""

    def fill(match: re.Match[str]) -> str:
        cls = match.group(1)
        if cls not in known:
            rows = store.query(  # type: ignore[attr-defined]
                f"SELECT DISTINCT ?c WHERE {{ ?c {RDFS.subClassOf.n3()}* <{cls}> }}", use_default_graph_as_union=union
            )
            found = {f"<{row['c'].value}>" for row in rows if hasattr(row["c"], "value") and not _is_blank(row["c"])}
            known[cls] = " ".join(sorted(found | {f"<{cls}>"}))
        return known[cls]

    return _SUBCLASSES.sub(fill, query)


def _is_blank(term: object) -> bool:
    import pyoxigraph

    return isinstance(term, pyoxigraph.BlankNode)


def _targets(shapes: rdflib.Graph, shape: Node) -> str:
    """A SPARQL group that binds ``?this`` to each focus node of ``shape``."""
    classes = list(shapes.objects(shape, SH.targetClass))
    if (shape, RDF.type, RDFS.Class) in shapes:
        classes.append(shape)
    patterns = [f"{{ ?this {RDF.type.n3()} ?_target . VALUES ?_target {{ {_subclasses(c)} }} }}" for c in classes]
    patterns += [f"{{ BIND ({n.n3()} AS ?this) }}" for n in shapes.objects(shape, SH.targetNode)]
    patterns += [f"{{ ?this {p.n3()} ?_targetObject }}" for p in shapes.objects(shape, SH.targetSubjectsOf)]
    patterns += [f"{{ ?_targetSubject {p.n3()} ?this }}" for p in shapes.objects(shape, SH.targetObjectsOf)]
    return " UNION ".join(patterns) if patterns else "{ FILTER (false) }"


def _restrict_to_targets(select: str, targets: str) -> str:
    query = _THIS.sub("?this", select)
    match = _WHERE.search(query)
    if match is None:
        raise UnsupportedShape(f"cannot find the WHERE clause of a SPARQL constraint: {select[:80]!r}")
    # A join with the distinct focus nodes: pyoxigraph plans joins well, FILTER EXISTS poorly.
    return query[: match.end()] + f"\n  {{ SELECT DISTINCT ?this WHERE {{ {targets} }} }}\n" + query[match.end() :]


def _prefixes(shapes: rdflib.Graph, constraint: Node | None = None) -> str:
    holders = shapes.objects(constraint, SH.prefixes) if constraint is not None else []
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


def _fill(message: str, bindings: dict[str, Node]) -> str:
    # As pySHACL does: {?name} or {$name} becomes str() of the bound term.
    for name, term in bindings.items():
        message = re.sub(r"\{[?$]" + re.escape(name) + r"\}", lambda _m, t=str(term): t, message)
    return message
