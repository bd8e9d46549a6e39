"""An rdflib store whose statements live in a pyoxigraph store, literals kept exactly as written.

:func:`pmgraph.load` returns an rdflib Dataset over this store, so that pmgraph's operations
(validation, questions, the overlap analyses) query the pyoxigraph store underneath instead of
copying every statement into one (:meth:`OxigraphStore.oxigraph`).

A pyoxigraph store keeps typed literals by value: ``"1.50"^^xsd:decimal`` comes back as ``"1.5"``,
``"01"^^xsd:integer`` as ``"1"``. rdflib, and pmgraph's :func:`~pmgraph.load`, keep the lexical
form. So the store keeps a small side table of the literals whose form pyoxigraph changes, keyed
by the statement as pyoxigraph holds it, and gives them back as written. ``xsd:string`` literals
come back as plain literals, as rdflib's own parsers make them.

pmgraph's ontology can be held in a graph of the same pyoxigraph store that the rdflib view never
shows (not in its graphs, its length or its statements), for the rules and analyses to find.

Examples
--------
>>> from rdflib import Dataset, Literal, URIRef, XSD
>>> dataset = Dataset(store=OxigraphStore(), default_union=True)
>>> apollo, budget = URIRef("https://example.org/apollo"), URIRef("https://example.org/budget")
>>> _ = dataset.graph(URIRef("https://example.org/g")).add((apollo, budget, Literal("1.50", datatype=XSD.decimal, normalize=False)))
>>> [str(o) for o in dataset.objects(apollo, budget)], len(dataset)
(['1.50'], 1)
>>> [str(q.object.value) for q in dataset.store.oxigraph().quads_for_pattern(None, None, None)]
['1.5']
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Generator, Iterable, Iterator
from typing import Any

import pyoxigraph
from rdflib import Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID, ConjunctiveGraph
from rdflib.store import Store
from rdflib.term import Node

from pmgraph import ontology
from pmgraph.rdf.terms import oxigraph_term, rdflib_term

__all__ = ["OxigraphStore", "canonical_literal"]

_XSD = "http://www.w3.org/2001/XMLSchema#"
_XSD_STRING = _XSD + "string"
_DEFAULT = pyoxigraph.DefaultGraph()

#: The graph of the pyoxigraph store that holds pmgraph's ontology (as on-disk stores hold it).
ONTOLOGY_GRAPH = pyoxigraph.NamedNode(ontology.ONTOLOGY_GRAPH)

_Triple = tuple[Node, Node, Node]


@functools.lru_cache(maxsize=65536)
def canonical_literal(literal: pyoxigraph.Literal) -> pyoxigraph.Literal:
    """The literal as a pyoxigraph store holds it (``"1.50"^^xsd:decimal`` as ``"1.5"``).

    Examples
    --------
    >>> decimal = pyoxigraph.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")
    >>> canonical_literal(pyoxigraph.Literal("1.50", datatype=decimal)).value
    '1.5'
    """
    _SCRATCH.add(pyoxigraph.Quad(_SCRATCH_NODE, _SCRATCH_NODE, literal))
    (quad,) = _SCRATCH.quads_for_pattern(None, None, None)
    _SCRATCH.clear()
    return quad.object  # type: ignore[return-value]


_SCRATCH = pyoxigraph.Store()
_SCRATCH_NODE = pyoxigraph.NamedNode("urn:x-pmgraph:scratch")


def changed_by_store(literal: Literal) -> pyoxigraph.Literal | None:
    """The literal as a pyoxigraph store holds it, if that differs from ``literal`` as rdflib has it; else None."""
    if literal.datatype is None:
        if literal.language is None:
            return None
        held = canonical_literal(oxigraph_term(literal))  # type: ignore[arg-type]
        return held if held.language != literal.language else None
    datatype = str(literal.datatype)
    if datatype == _XSD_STRING:
        return pyoxigraph.Literal(str(literal))  # becomes a plain literal
    if not datatype.startswith(_XSD):
        return None
    held = canonical_literal(oxigraph_term(literal))  # type: ignore[arg-type]
    return held if held.value != str(literal) else None


class OxigraphStore(Store):
    """An rdflib store (context- and graph-aware) over an in-memory pyoxigraph store.

    Use it as ``rdflib.Dataset(store=OxigraphStore(), default_union=True)``; it behaves as
    rdflib's own memory store does (adding, removing, parsing into, serialising, querying with
    rdflib's SPARQL engine), literals included. :meth:`oxigraph` hands the pyoxigraph store to
    whoever queries it directly.
    """

    context_aware = True
    formula_aware = False
    graph_aware = True
    transaction_aware = False

    def __init__(self, configuration: str | None = None, identifier: Node | None = None):
        super().__init__(configuration)
        self.identifier = identifier
        self._inner = pyoxigraph.Store()
        # statement as pyoxigraph holds it -> the literals written for it (rdflib terms), when one
        # of them is not what pyoxigraph gives back
        self._written: dict[pyoxigraph.Quad, list[Literal]] = {}
        self._namespace: dict[str, URIRef] = {}
        self._prefix: dict[URIRef, str] = {}
        self._graphs: dict[object, Graph] = {}
        self._default_added = False
        self._ontology_size = 0
        self._version = 0  # counts changes, for what is computed once per state
        self._shared: tuple[int, bool] | None = None
        self._sizes: dict[object, int] = {}  # about how many statements each graph got

    # -- what pmgraph's operations use -------------------------------------------------------

    def oxigraph(self) -> pyoxigraph.Store:
        """The pyoxigraph store underneath (the ontology's graph included, once :meth:`add_ontology` ran)."""
        return self._inner

    def add_ontology(self, load: Callable[[pyoxigraph.Store, pyoxigraph.NamedNode], None]) -> None:
        """Have ``load(store, graph)`` put pmgraph's ontology in its hidden graph, once."""
        if self._ontology_size:
            return
        load(self._inner, ONTOLOGY_GRAPH)
        self._ontology_size = _count(self._inner, ONTOLOGY_GRAPH)
        self.grew(ONTOLOGY_GRAPH, self._ontology_size)

    def shares_statements(self) -> bool:
        """Whether a statement is in two graphs (the ontology's included): the union of the graphs
        as pyoxigraph gives it then holds it twice.

        Each graph but the largest is looked up statement by statement in the others (in
        pyoxigraph, by its index), so that one large file and the ontology cost little.
        """
        if self._shared is not None and self._shared[0] == self._version:
            return self._shared[1]
        graphs: list[Any] = list(self._inner.named_graphs())
        if _count(self._inner, _DEFAULT, limit=1):
            graphs.append(_DEFAULT)
        shared = False
        if len(graphs) > 1:
            largest = max(graphs, key=lambda graph: self._sizes.get(graph, 0))
            shared = any(
                self._in_another_graph(graph)
                for graph in graphs
                if graph != largest or isinstance(graph, pyoxigraph.DefaultGraph)
            )
        self._shared = (self._version, shared)
        return shared

    def _in_another_graph(self, graph: Any) -> bool:
        """Whether a statement of ``graph`` is in a named graph besides (in the default graph's
        case: in any named graph)."""
        if isinstance(graph, pyoxigraph.DefaultGraph):
            return bool(self._inner.query("ASK { ?s ?p ?o GRAPH ?b { ?s ?p ?o } }", default_graph=graph))
        if isinstance(graph, pyoxigraph.NamedNode):
            return bool(self._inner.query(f"ASK {{ ?s ?p ?o GRAPH ?b {{ ?s ?p ?o }} FILTER (?b != {graph}) }}", default_graph=graph))
        return any(  # a blank node, which a query cannot name
            other.graph_name != graph
            for quad in self._inner.quads_for_pattern(None, None, None, graph)
            for other in self._inner.quads_for_pattern(quad.subject, quad.predicate, quad.object, None)
        )

    def grew(self, graph: object, statements: int) -> None:
        """Note that about ``statements`` statements went into ``graph`` (to find the largest graph)."""
        self._sizes[graph] = self._sizes.get(graph, 0) + statements
        self._changed()

    # -- terms and graphs -------------------------------------------------------------------------

    def _graph_name(self, context: Graph | None) -> pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.DefaultGraph | None:
        """The pyoxigraph graph of an rdflib context; None for the union (no context, or a dataset)."""
        if context is None or isinstance(context, ConjunctiveGraph):
            return None
        identifier = context.identifier
        if identifier == DATASET_DEFAULT_GRAPH_ID:
            return _DEFAULT
        return oxigraph_term(identifier)  # type: ignore[return-value]

    def _context(self, name: object) -> Graph:
        graph = self._graphs.get(name)
        if graph is None:
            identifier = DATASET_DEFAULT_GRAPH_ID if isinstance(name, pyoxigraph.DefaultGraph) else rdflib_term(name)
            graph = self._graphs[name] = Graph(store=self, identifier=identifier)  # type: ignore[arg-type]
        return graph

    def _changed(self) -> None:
        self._version += 1

    # -- adding and removing ----------------------------------------------------------------------

    def add(self, triple: _Triple, context: Graph | None, quoted: bool = False) -> None:
        Store.add(self, triple, context, quoted)  # type: ignore[arg-type]
        quad = self._quad_to_add(triple, context)
        self._inner.add(quad)
        self.grew(quad.graph_name, 1)

    def addN(self, quads: Iterable[tuple[Node, Node, Node, Graph | None]]) -> None:  # noqa: N802
        batch = []
        for s, p, o, c in quads:
            if isinstance(o, Literal) and changed_by_store(o) is not None:
                # its side-table entry must know whether the statement is held already
                self._inner.extend(batch)
                batch = []
                self._inner.add(self._quad_to_add((s, p, o), c))
            else:
                batch.append(self._quad_to_add((s, p, o), c))
        self._inner.extend(batch)
        for quad in batch:
            self._sizes[quad.graph_name] = self._sizes.get(quad.graph_name, 0) + 1
        self._changed()

    def _quad_to_add(self, triple: _Triple, context: Graph | None) -> pyoxigraph.Quad:
        """The quad to add to pyoxigraph for a statement, the side table updated for its literal."""
        s, p, o = triple
        graph = self._graph_name(context)
        if graph is None:
            graph = _DEFAULT
        if isinstance(graph, pyoxigraph.DefaultGraph):
            self._default_added = True
        subject, predicate = oxigraph_term(s), oxigraph_term(p)
        if not isinstance(o, Literal):
            return pyoxigraph.Quad(subject, predicate, oxigraph_term(o), graph)
        held = changed_by_store(o)
        quad = pyoxigraph.Quad(subject, predicate, held if held is not None else oxigraph_term(o), graph)
        written = self._written.get(quad)
        if held is not None:
            if written is None:
                written = self._written[quad] = [rdflib_term(held)] if quad in self._inner else []  # type: ignore[list-item]
            if o not in written:
                written.append(o)
        elif written is not None and o not in written:
            written.append(o)
        return quad

    def add_written(self, quad: pyoxigraph.Quad, literal: Literal) -> None:
        """Record that ``quad`` (as pyoxigraph holds it, in the store already or about to be) was
        written with ``literal``: what a fast loader that hands pyoxigraph whole files calls for the
        literals whose form pyoxigraph changes, and for those of the same statement in held form."""
        written = self._written.setdefault(quad, [])
        if literal not in written:
            written.append(literal)
        self._changed()

    def drop_unchanged_written(self) -> None:
        """Forget the side-table entries that give back only what pyoxigraph holds."""
        for quad, written in list(self._written.items()):
            if written == [rdflib_term(quad.object)]:
                del self._written[quad]

    def remove(self, triple: tuple[Node | None, Node | None, Node | None], context: Graph | None = None) -> None:
        graph = self._graph_name(context)
        if triple == (None, None, None) and graph is not None:
            self._clear(graph)
            return
        doomed = []
        for (s, p, o), contexts in list(self.triples(triple, context)):
            graphs = [graph] if graph is not None else [self._graph_name(c) for c in contexts]
            doomed.extend(((s, p, o), g) for g in graphs)
        for (s, p, o), g in doomed:
            subject, predicate = oxigraph_term(s), oxigraph_term(p)
            held = changed_by_store(o) if isinstance(o, Literal) else None
            quad = pyoxigraph.Quad(subject, predicate, held if held is not None else oxigraph_term(o), g)  # type: ignore[arg-type]
            written = self._written.get(quad)
            if written is not None:
                if o in written:
                    written.remove(o)
                if written:
                    if written == [rdflib_term(quad.object)]:
                        del self._written[quad]
                    continue
                del self._written[quad]
            self._inner.remove(quad)
        self._changed()

    def _clear(self, graph: object) -> None:
        self._inner.clear_graph(graph)  # type: ignore[arg-type]
        for quad in [q for q in self._written if q.graph_name == graph]:
            del self._written[quad]
        self._changed()

    def add_graph(self, graph: Graph) -> None:
        name = self._graph_name(graph)
        if isinstance(name, pyoxigraph.DefaultGraph):
            self._default_added = True
        elif name is not None:
            self._inner.add_graph(name)
        self._changed()

    def remove_graph(self, graph: Graph) -> None:
        name = self._graph_name(graph)
        if name is None:
            return
        self._clear(name)
        if isinstance(name, pyoxigraph.DefaultGraph):
            self._default_added = False
        else:
            self._inner.remove_graph(name)
        self._graphs.pop(name, None)
        self._changed()

    # -- reading ---------------------------------------------------------------------------

    def triples(  # type: ignore[override]
        self, triple_pattern: tuple[Node | None, Node | None, Node | None], context: Graph | None = None
    ) -> Iterator[tuple[_Triple, Iterator[Graph]]]:
        s, p, o = triple_pattern
        graph = self._graph_name(context)
        try:
            pattern = [None if term is None else oxigraph_term(term) for term in (s, p, o)]
        except TypeError:  # a term pyoxigraph cannot hold (a variable, a literal as subject): nothing matches
            return iter(())
        found = self._statements(pattern, graph, o)
        if graph is not None or not self.shares_statements():
            return ((triple, iter((self._context(name),))) for triple, name in found)
        return self._grouped(found)

    def _statements(self, pattern: list[Any], graph: object, wanted_object: Node | None) -> Iterator[tuple[_Triple, object]]:
        """Every (triple, graph name) matching, the ontology's graph left out, literals as written."""
        written = self._written
        ontology = ONTOLOGY_GRAPH if self._ontology_size else None
        quads = self._inner.quads_for_pattern(pattern[0], pattern[1], pattern[2], graph)
        literal = pyoxigraph.Literal
        for quad in quads:
            name = quad.graph_name
            if ontology is not None and name == ontology:
                continue
            subject, predicate, obj = rdflib_term(quad.subject), rdflib_term(quad.predicate), quad.object
            if written and type(obj) is literal and quad in written:
                for original in written[quad]:
                    if wanted_object is None or original == wanted_object:
                        yield (subject, predicate, original), name
                continue
            term = rdflib_term(obj)
            if wanted_object is None or type(obj) is not literal or term == wanted_object:
                yield (subject, predicate, term), name

    def _grouped(self, found: Iterator[tuple[_Triple, object]]) -> Iterator[tuple[_Triple, Iterator[Graph]]]:
        """Each triple once, with every graph that holds it (as rdflib's memory store gives the union)."""
        graphs: dict[_Triple, list[object]] = {}
        for triple, name in found:
            graphs.setdefault(triple, []).append(name)
        for triple, names in graphs.items():
            yield triple, iter([self._context(name) for name in names])

    def __len__(self, context: Graph | None = None) -> int:  # type: ignore[override]
        graph = self._graph_name(context)
        if graph is None:
            if self.shares_statements():
                return sum(1 for _ in self.triples((None, None, None), None))
            extra = sum(len(written) - 1 for written in self._written.values())
            return len(self._inner) - self._ontology_size + extra
        extra = sum(len(written) - 1 for quad, written in self._written.items() if quad.graph_name == graph)
        return _count(self._inner, graph) + extra

    def contexts(self, triple: _Triple | None = None) -> Generator[Graph, None, None]:  # type: ignore[override]
        if triple is not None and triple != (None, None, None):
            for _triple, contexts in self.triples(triple, None):
                yield from contexts
                return
            return
        if self._default_added or _count(self._inner, _DEFAULT, limit=1):
            yield self._context(_DEFAULT)
        for name in self._inner.named_graphs():
            if not (self._ontology_size and name == ONTOLOGY_GRAPH):
                yield self._context(name)

    # -- prefixes, as rdflib's memory store binds them ----------------------------------------------

    def bind(self, prefix: str, namespace: URIRef, override: bool = True) -> None:
        bound_namespace = self._namespace.get(prefix)
        bound_prefix = _coalesce(self._prefix.get(namespace), self._prefix.get(bound_namespace))  # type: ignore[arg-type]
        if override:
            if bound_prefix is not None:
                del self._namespace[bound_prefix]
            if bound_namespace is not None:
                del self._prefix[bound_namespace]
            self._prefix[namespace] = prefix
            self._namespace[prefix] = namespace
        else:
            self._prefix[_coalesce(bound_namespace, namespace)] = _coalesce(bound_prefix, prefix)  # type: ignore[index]
            self._namespace[_coalesce(bound_prefix, prefix)] = _coalesce(bound_namespace, namespace)  # type: ignore[index]

    def namespace(self, prefix: str) -> URIRef | None:
        return self._namespace.get(prefix)

    def prefix(self, namespace: URIRef) -> str | None:
        return self._prefix.get(namespace)

    def namespaces(self) -> Iterator[tuple[str, URIRef]]:
        yield from list(self._namespace.items())

    def __repr__(self) -> str:
        return f"<{type(self).__name__} over a pyoxigraph store>"


def _coalesce(*values: Any) -> Any:
    return next((value for value in values if value is not None), None)


def _count(store: pyoxigraph.Store, graph: object, limit: int | None = None) -> int:
    """How many statements a graph of the store holds (up to ``limit``)."""
    inner = f"SELECT * WHERE {{ ?s ?p ?o }} LIMIT {limit}" if limit else "SELECT * WHERE { ?s ?p ?o }"
    (row,) = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {{ {inner} }} }}", default_graph=graph)  # type: ignore[misc]
    return int(row["n"].value)
