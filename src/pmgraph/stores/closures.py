"""The closures that pmgraph's SPARQL follows, kept on a SPARQL server in a graph of pmgraph's own.

pmgraph's rules, questions and analyses follow chains of four relations with property paths:
``rdfs:subClassOf*`` (a class and its superclasses), ``skos:broader*`` (an organisation's role and
the roles it narrows), ``pm:partOf+`` and ``pm:reportsTo+``. Virtuoso 7.2 answers such paths
wrongly where they sit in an OPTIONAL group, a subquery or a FILTER (NOT) EXISTS, and refuses them
with neither end bound ("transitive start not given"). So :func:`pmgraph.push` works the closures
out once and keeps them in the graph :data:`CLOSURE_GRAPH`, replaced whole on every push (from all
the server's data, the files pushed before included), and every query sent to a server reads them
there: :func:`without_paths` turns ``X skos:broader* Y`` into ``X <...#broader-zero-or-more> Y``,
one plain triple pattern, which both servers answer as the standard says.

What the closure graph holds, for each relation ``p`` of :data:`FOLLOWED` (named ``p`` below):

- ``A <p-one-or-more> B`` for every path of one or more ``p`` from A to B;
- ``A <p-zero-or-more> B`` for those, and ``A <p-zero-or-more> A`` for every node that a query
  can start such a path from: each subject and object of ``p``, and the nodes of
  :data:`_ALSO_REFLEXIVE` (a class anything has as its ``rdf:type``; a role held, or one stating a
  RACI level). SPARQL's ``p*`` holds of every node of the graph and itself: the nodes kept are
  those pmgraph's queries ask about.

Examples
--------
>>> print(without_paths("PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\\n"
...                     "SELECT ?r WHERE { ?r skos:broader* ?s . ?s skos:broader+ ?t }"))
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?r WHERE { ?r <https://w3id.org/pmgraph/closure#broader-zero-or-more> ?s . ?s <https://w3id.org/pmgraph/closure#broader-one-or-more> ?t }
>>> {node: sorted(reached) for node, reached in closure({"a": {"b"}, "b": {"c"}}).items()}
{'a': ['b', 'c'], 'b': ['c']}
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["CLOSURE_GRAPH", "CLOSURES_CLASS", "FOLLOWED", "closure", "closure_triples", "without_paths"]

#: The graph where :func:`pmgraph.push` keeps the closures, on a SPARQL server.
CLOSURE_GRAPH = "https://w3id.org/pmgraph/closure"
_NAMESPACE = CLOSURE_GRAPH + "#"
#: The class of the closure graph, which it states of itself (a server without it was not pushed to).
CLOSURES_CLASS = _NAMESPACE + "Closures"
_PM = "https://w3id.org/pmgraph#"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

#: The relations whose closures are kept, by a short name used in the closure predicates' IRIs.
FOLLOWED = {
    "subClassOf": "http://www.w3.org/2000/01/rdf-schema#subClassOf",
    "broader": "http://www.w3.org/2004/02/skos/core#broader",
    "partOf": _PM + "partOf",
    "reportsTo": _PM + "reportsTo",
}
# Besides the subjects and objects of a relation, the nodes that a query follows it from or to
# (zero steps): the classes things are typed with; the roles held, or stating RACI levels.
_ALSO_REFLEXIVE = {
    "subClassOf": [f"SELECT DISTINCT ?node WHERE {{ ?thing <{_RDF_TYPE}> ?node }}"],
    "broader": [
        f"SELECT DISTINCT ?node WHERE {{ ?assignment <{_PM}role> ?node }}",
        *(
            f"SELECT DISTINCT ?node WHERE {{ ?node <{_PM}{p}> ?thing }}"
            for p in ("responsibleFor", "accountableFor", "consultedOn", "informedOn", "appliesTo")
        ),
        f"SELECT DISTINCT ?node WHERE {{ ?node <{_RDF_TYPE}> <{_PM}Role> }}",
    ],
}
_PREFIX = re.compile(r"PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.IGNORECASE)


def without_paths(query: str) -> str:
    """``query`` with each ``p*`` and ``p+`` of a relation in :data:`FOLLOWED` read from the closure graph.

    The relation may be written as a full IRI or a prefixed name the query declares; paths of
    other relations are left as they are.
    """
    prefixes = {match[1] or "": match[2] for match in _PREFIX.finditer(query)}
    for name, iri in FOLLOWED.items():
        written = [re.escape(f"<{iri}>")]
        written += [re.escape(f"{prefix}:{iri[len(namespace):]}") for prefix, namespace in prefixes.items()
                    if iri.startswith(namespace) and re.fullmatch(r"[A-Za-z]\w*", iri[len(namespace):])]
        pattern = re.compile(r"(?<![\w:<])(?:" + "|".join(written) + r")([*+])")
        query = pattern.sub(lambda m, n=name: f"<{_NAMESPACE}{n}-{'zero' if m[1] == '*' else 'one'}-or-more>", query)
    return query


def closure(edges: Mapping[str, Iterable[str]]) -> dict[str, set[str]]:
    """For each node with an edge, the nodes one or more edges away (itself too, on a cycle)."""
    reached: dict[str, set[str]] = {}
    for start in edges:
        seen: set[str] = set()
        frontier = list(edges[start])
        while frontier:
            node = frontier.pop()
            if node not in seen:
                seen.add(node)
                frontier.extend(edges.get(node, ()))
        reached[start] = seen
    return reached


def closure_triples(store: Any) -> bytes:
    """The closure graph of the data in ``store`` (anything with pyoxigraph's ``query``), as N-Triples.

    Blank nodes are left out: a later query cannot name them.
    """
    lines = {f"<{CLOSURE_GRAPH}> <{_RDF_TYPE}> <{CLOSURES_CLASS}> ."}
    for name, iri in FOLLOWED.items():
        edges: dict[str, set[str]] = {}
        nodes: set[str] = set()
        for row in store.query(f"SELECT DISTINCT ?s ?o WHERE {{ ?s <{iri}> ?o FILTER (isIRI(?s) && isIRI(?o)) }}",
                               use_default_graph_as_union=True):
            edges.setdefault(row["s"].value, set()).add(row["o"].value)
            nodes.update((row["s"].value, row["o"].value))
        for text in _ALSO_REFLEXIVE.get(name, ()):
            rows = store.query(text, use_default_graph_as_union=True)
            nodes.update(row["node"].value for row in rows if _is_iri(row["node"]))
        one, zero = f"<{_NAMESPACE}{name}-one-or-more>", f"<{_NAMESPACE}{name}-zero-or-more>"
        for start, ends in closure(edges).items():
            for end in ends:
                lines.add(f"<{start}> {one} <{end}> .")
                lines.add(f"<{start}> {zero} <{end}> .")
        lines.update(f"<{node}> {zero} <{node}> ." for node in nodes)
    return "".join(line + "\n" for line in sorted(lines)).encode("utf-8")


def _is_iri(term: object) -> bool:
    import pyoxigraph

    return isinstance(term, pyoxigraph.NamedNode)
