"""Running compiled checks on a store: the queries on worker threads, their rows made findings.

:func:`run_checks` takes the :class:`~pmgraph.validation.checks.Check` objects that
:mod:`pmgraph.validation.engine` compiles and runs them on a pyoxigraph store (or anything with its
``query``: an on-disk store, a SPARQL server): the subclass placeholders are filled in once per
run, the SHACL-SPARQL rules run one at a time beside the light checks (:class:`_Lanes`), a rule
that pre-binding asks to run per focus node runs so, and a rule reading ``$shapesGraph`` runs on a
copy of the data with the shapes graph beside it. Each query's rows become
:class:`~pmgraph.validation.checks.Finding` objects, in the order of the checks: one per failing
row, per count rule broken, or per value and condition failed.

Examples
--------
A check written by hand, its message naming the focus node as SHACL-SPARQL messages may:

>>> import rdflib
>>> from rdflib.namespace import SH
>>> from pmgraph.rdf.terms import to_store
>>> from pmgraph.validation.checks import Check
>>> data = rdflib.Graph().parse(format="turtle", data="<urn:a> a <urn:Project> . <urn:b> a <urn:Project> ; <urn:manager> <urn:ann> .")
>>> unmanaged = Check(rdflib.URIRef("urn:ManagedShape"), SH.Violation, ("{$this} has no manager",),
...     "SELECT ?this WHERE { ?this a <urn:Project> FILTER NOT EXISTS { ?this <urn:manager> ?m } }")
>>> [(str(f.focus), f.message) for f in run_checks(to_store(data), [unmanaged], threads=2)]
[('urn:a', 'urn:a has no manager')]
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future

import rdflib
from rdflib.namespace import RDFS
from rdflib.term import Node

from pmgraph.errors import UnsupportedShape
from pmgraph.validation.checks import SHAPES_GRAPH, Check, Finding, fill_subclasses
from pmgraph.validation.prebinding import bound_in_every_group

__all__ = ["run_checks"]

_ONE = rdflib.Literal(1)  # a condition met, in a value check's ?ok<n> column


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

    A check that reads ``$shapesGraph`` runs on a copy of the store with its shapes graph beside
    the data (:func:`_beside_shapes`), made only when there is one; on a SPARQL server, where the
    shapes cannot be put, it is refused before any check runs.

    Raises
    ------
    EndpointError
        For a check reading ``$shapesGraph`` on a SPARQL server.
    """
    known: dict[str, str] = {}
    queries = [_with_subclasses(check.query, store, known, union) for check in checks]
    focus_queries = [_with_subclasses(check.focus_query, store, known, union) if check.focus_query else "" for check in checks]
    # where each check runs: the store, or a copy with the shapes graph that the check reads beside the data
    datasets: dict[int, tuple[object, dict[str, object]]] = {}
    for check in checks:
        if check.shapes_graph is not None and id(check.shapes_graph) not in datasets:
            datasets[id(check.shapes_graph)] = _beside_shapes(store, check.shapes_graph, check.shape, union)
    here = (store, {"use_default_graph_as_union": union})
    rows: list[Future[list[dict[str, Node]]]] = [Future() for _ in checks]
    lanes = _Lanes(checks, queries)

    def work(prefers_joins: bool) -> None:
        while (n := lanes.next(prefers_joins)) is not None:
            try:
                on, dataset = datasets.get(id(checks[n].shapes_graph), here)  # (id(None) is no graph's)
                if focus_queries[n]:
                    rows[n].set_result(_solutions_per_focus(on, queries[n], focus_queries[n], dataset))
                else:
                    rows[n].set_result(_solutions(on, queries[n], dataset))
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


def _beside_shapes(store: object, shapes: rdflib.Graph, shape: Node, union: bool) -> tuple[object, dict[str, object]]:
    """A copy of ``store`` with ``shapes`` in the named graph :data:`SHAPES_GRAPH`, and the dataset
    a query asks there: the data (the union of the store's graphs, or its default graph, as
    ``union`` says) as its default graph, the shapes graph as its one named graph.

    The store is copied, not added to: it is the caller's, and the other checks read the union of
    its graphs meanwhile. ``shape`` (one reading ``$shapesGraph``) is named when the store is a
    SPARQL server, where the shapes cannot be put.
    """
    import pyoxigraph

    from pmgraph.errors import EndpointError
    from pmgraph.rdf.terms import oxigraph_term

    inner = getattr(store, "union_in_default_graph", None)
    if inner is not None:  # an on-disk store: its default graph holds the union, each statement once
        store, union = inner, False
    if not isinstance(store, pyoxigraph.Store):
        raise EndpointError(
            str(getattr(store, "url", type(store).__name__)),
            f"shape {shape} reads $shapesGraph, and pmgraph cannot put the shapes graph on a SPARQL server beside "
            "the data: validate the files, or an on-disk store (--store)",
        )
    name = oxigraph_term(SHAPES_GRAPH)
    graphs = [pyoxigraph.DefaultGraph(), *store.named_graphs()] if union else [pyoxigraph.DefaultGraph()]
    if name in graphs:
        raise UnsupportedShape(f"shape {shape} reads $shapesGraph, and the data holds a graph named {SHAPES_GRAPH}, the shapes graph's name")
    copy = pyoxigraph.Store()
    copy.bulk_extend(store.quads_for_pattern(None, None, None, None if union else pyoxigraph.DefaultGraph()))  # (blank nodes keep their ids)
    copy.bulk_extend(
        pyoxigraph.Quad(oxigraph_term(s), oxigraph_term(p), oxigraph_term(o), name) for s, p, o in shapes  # type: ignore[arg-type]
    )
    return copy, {"default_graph": graphs, "named_graphs": [name]}


def _solutions(store: object, query: str, dataset: dict[str, object]) -> list[dict[str, Node]]:
    """The rows of ``query`` on ``dataset`` of ``store`` (the keywords of pyoxigraph's ``Store.query``)."""
    from pmgraph.rdf.terms import rdflib_term

    solutions = store.query(query, **dataset)  # type: ignore[attr-defined]
    names = [v.value for v in solutions.variables]
    found = [[s[name] for name in names] for s in solutions]
    # pyoxigraph's results belong to the thread that made them, and only then are the terms made
    # rdflib's: the warning rdflib logs for an ill-typed literal keeps the frames it was made in
    # (pytest's log capture keeps it), and must not keep the results alive into another thread.
    del solutions
    return [{name: rdflib_term(term) for name, term in zip(names, terms) if term is not None} for terms in found]


def _solutions_per_focus(store: object, query: str, focus_query: str, dataset: dict[str, object]) -> list[dict[str, Node]]:
    """The solutions of ``query`` with ``?this`` pre-bound to each focus node in turn (SEP-0007)."""
    import pyoxigraph

    from pmgraph.rdf.terms import rdflib_term

    this = pyoxigraph.Variable("this")
    foci = [row["this"] for row in store.query(focus_query, **dataset)]  # type: ignore[attr-defined]
    found: list[dict[str, Node]] = []
    for focus in foci:
        # Bound at the start of every group, as pre-binding binds it in every group; a blank node
        # cannot be written in a query: pyoxigraph binds it in the top group.
        text = None if isinstance(focus, pyoxigraph.BlankNode) else bound_in_every_group(query, f"BIND ({focus} AS ?this) ")
        if text is None:
            solutions = store.query(query, substitutions={this: focus}, **dataset)  # type: ignore[attr-defined]
        else:
            solutions = store.query(text, **dataset)  # type: ignore[attr-defined]
        names = [v.value for v in solutions.variables]
        for solution in solutions:
            row = {name: rdflib_term(solution[name]) for name in names if solution[name] is not None}
            row["this"] = rdflib_term(focus)
            found.append(row)
        del solutions
    return found


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


def _with_subclasses(query: str, store: object, known: dict[str, str], union: bool) -> str:
    """Fill the subclass placeholders of a query with the classes found in the store."""

    def fill(cls: str) -> str:
        if cls not in known:
            rows = store.query(  # type: ignore[attr-defined]
                f"SELECT DISTINCT ?c WHERE {{ ?c {RDFS.subClassOf.n3()}* <{cls}> }}", use_default_graph_as_union=union
            )
            found = {f"<{row['c'].value}>" for row in rows if hasattr(row["c"], "value") and not _is_blank(row["c"])}
            known[cls] = " ".join(sorted(found | {f"<{cls}>"}))
        return known[cls]

    return fill_subclasses(query, fill)


def _is_blank(term: object) -> bool:
    import pyoxigraph

    return isinstance(term, pyoxigraph.BlankNode)


def _fill(message: str, bindings: dict[str, Node]) -> str:
    # As pySHACL does: {?name} or {$name} becomes str() of the bound term.
    for name, term in bindings.items():
        message = re.sub(r"\{[?$]" + re.escape(name) + r"\}", lambda _m, t=str(term): t, message)
    return message
