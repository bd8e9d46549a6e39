"""Canonical names for blank nodes that hang in trees, found in time linear in the data.

``merge`` writes blank nodes under labels that depend only on the data, and ``diff`` compares two
versions up to the labels of their blank nodes. The general algorithms for that (RDFC-1.0, rdflib's
canonical graph) take time that grows with the square of a chain of blank nodes, or faster: a
description nested 5000 levels deep, as Turtle's ``[ ]`` writes it, took hours. Yet nearly every
blank node hangs in a tree: it is the object of at most one statement, and the statements above it
lead up to an IRI or to a blank node that nothing refers to. This is what Turtle's ``[ ]`` and
``( )``, nested JSON-LD objects and nested RDF/XML descriptions make. For such blank nodes a digest
of what each one holds (its statements, with the digests of the blank nodes below it) and of where
it hangs (the statement above it, with its parent's digest) names it: two blank nodes with the same
digest can trade places without changing the data, and are told apart by a counter. Data whose
blank nodes are shared or form cycles is left to the general algorithms.

Examples
--------
>>> from rdflib import BNode, Literal, URIRef
>>> apollo, comment = URIRef("https://example.org/apollo"), URIRef("https://example.org/comment")
>>> top, inner = BNode(), BNode()
>>> quads = [(apollo, comment, top, None), (top, comment, inner, None), (inner, comment, Literal("deep"), None)]
>>> [node == top for node, _digest in tree_order(quads)]
[True, False]
>>> tree_order([(top, comment, inner, None), (inner, comment, top, None)]) is None  # a cycle
True
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable

from rdflib import BNode
from rdflib.term import Node

__all__ = ["tree_order"]

_Quad = tuple[Node, Node, Node, Node | None]


def tree_order(quads: Iterable[_Quad]) -> list[tuple[BNode, str]] | None:
    """The blank nodes of `quads` in canonical order, each with its digest; None unless they hang in trees.

    Parameters
    ----------
    quads : iterable of (subject, predicate, object, graph)
        The statements, as rdflib terms; the graph is None for the default graph.

    Returns
    -------
    list of (rdflib.BNode, str) or None
        Every blank node with its digest (64 hex digits), sorted by where it hangs (the graph,
        subject and property of the statement above its tree, then its depth) and then by digest.
        The same data, however its blank nodes are labelled, gives the same digests, and the same
        order up to blank nodes that can trade places. None when a blank node is the object of two
        statements, is in a cycle, or names a graph.
    """
    parents: dict[BNode, tuple[Node, Node, str]] = {}
    statements: dict[BNode, list[tuple[Node, Node, str]]] = defaultdict(list)
    nodes: set[BNode] = set()
    for s, p, o, g in quads:
        if isinstance(g, BNode):
            return None
        graph = g.n3() if g is not None else ""
        if isinstance(s, BNode):
            nodes.add(s)
            statements[s].append((p, o, graph))
        if isinstance(o, BNode):
            if o in parents:
                return None
            nodes.add(o)
            parents[o] = (s, p, graph)
    # Parents before children, from the roots down: a node never reached is in a cycle.
    order = [node for node in nodes if node not in parents or not isinstance(parents[node][0], BNode)]
    for node in order:  # grows as it goes
        order.extend(o for _p, o, _g in statements[node] if isinstance(o, BNode))
    if len(order) != len(nodes):
        return None
    held: dict[BNode, str] = {}  # what each node holds, children first
    for node in reversed(order):
        lines = sorted(
            f"{p.n3()} {'_:' + held[o] if isinstance(o, BNode) else o.n3()} {graph}" for p, o, graph in statements[node]
        )
        held[node] = _digest("\n".join(lines))
    digests: dict[BNode, str] = {}
    places: dict[BNode, tuple[str, int]] = {}  # the statement above the node's tree, and its depth
    twins: Counter[str] = Counter()
    for node in order:
        s, p, graph = parents.get(node, (None, None, ""))
        if isinstance(s, BNode):
            anchor, depth = places[s]
            place, depth = f"_:{digests[s]} {p.n3()} {graph}", depth + 1
        else:
            anchor = place = f"{graph} {s.n3()} {p.n3()}" if s is not None else ""
            depth = 0
        digest = _digest(f"{place}\n{held[node]}")
        # Twins (same place, same content) can trade places: number them, so that their children differ.
        twins[digest] += 1
        digests[node] = _digest(f"{digest}#{twins[digest]}")
        places[node] = (anchor, depth)
    return sorted(((node, digests[node]) for node in order), key=lambda item: (*places[item[0]], item[1]))


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
