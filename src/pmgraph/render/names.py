"""How pmgraph names things to people: ``Project 'Checkout API'``, ``Erin Castillo``, ``end date``.

Messages about data (merge conflicts, diffs) name an entity by its kind (the label of its pm:
class in the ontology) and its ``rdfs:label``, and a property by its label in the ontology. A node
without a label is shown as its IRI in angle brackets.

Examples
--------
>>> from rdflib import Graph
>>> data = Graph().parse(format="turtle", data='''
...     @prefix pm: <https://w3id.org/pmgraph#> .
...     @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
...     <https://example.org/api> a pm:Project ; rdfs:label "Checkout API" .''')
>>> from rdflib import URIRef
>>> from pmgraph.ontology import load_ontology
>>> entity_name(URIRef("https://example.org/api"), data, load_ontology())
"Project 'Checkout API'"
>>> property_name(URIRef("https://w3id.org/pmgraph#endDate"), load_ontology())
'end date'
"""

from __future__ import annotations

from collections.abc import Mapping

from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from pmgraph.namespace import PM
from pmgraph.rdf.prefixes import NamespaceIndex

__all__ = [
    "label", "kind", "name", "entity_name", "property_name", "PrefixedNames", "prefixed_name", "compact_iri", "value_text",
]


def label(node: Node, *graphs: Graph) -> str | None:
    """Return the node's ``rdfs:label`` (the smallest, when there are several), or None.

    The first graph that labels the node gives the label.
    """
    for graph in graphs:
        labels = sorted(str(value) for value in graph.objects(node, RDFS.label) if isinstance(value, Literal))
        if labels:
            return labels[0]
    return None


def kind(node: Node, *graphs: Graph) -> str | None:
    """Return the label of the node's pm: class, capitalised (``"Project"``), or None.

    The first graph that gives the node a pm: class gives its kind; when it gives several, the
    smallest label is taken.
    """
    for graph in graphs:
        kinds = set()
        for cls in graph.objects(node, RDF.type):
            if isinstance(cls, URIRef) and cls.startswith(PM._NS):
                text = label(cls, *graphs) or cls.removeprefix(PM._NS)
                kinds.add(text[:1].upper() + text[1:])
        if kinds:
            return min(kinds)
    return None


def name(node: Node, *graphs: Graph) -> str:
    """Return the node's label, or its IRI in angle brackets (``_:id`` for a blank node)."""
    text = label(node, *graphs)
    if text is not None:
        return text
    return f"_:{node}" if isinstance(node, BNode) else f"<{node}>"


def entity_name(node: Node, *graphs: Graph) -> str:
    """Return ``Project 'Checkout API'``: the node's kind and label, or its IRI where it has no label."""
    text = label(node, *graphs)
    shown = f"'{text}'" if text is not None else name(node)
    node_kind = kind(node, *graphs)
    return f"{node_kind} {shown}" if node_kind else shown


def property_name(predicate: Node, *graphs: Graph, prefixed: PrefixedNames | None = None) -> str:
    """Return how a property reads in a sentence: ``end date``, ``name``, ``class``, or its IRI.

    A property without a label reads as its prefixed name: with the prefixes of `prefixed` when
    given (a report naming many properties builds it once: ``PrefixedNames.of(*graphs)``), else
    with those bound in `graphs`.

    Examples
    --------
    >>> graph = Graph()
    >>> graph.bind("dcterms", "http://purl.org/dc/terms/")
    >>> property_name(URIRef("http://purl.org/dc/terms/source"), graph, prefixed=PrefixedNames.of(graph))
    'dcterms:source'
    """
    if predicate == RDFS.label:
        return "name"
    if predicate == RDF.type:
        return "class"
    text = label(predicate, *graphs)
    if text:
        return text
    return (prefixed or PrefixedNames.of(*graphs)).name(predicate)


class PrefixedNames:
    """How IRIs read with a set of prefixes (``dcterms:source``), the prefixes indexed once.

    Build one for a table or report that names many IRIs: :func:`prefixed_name` and
    :func:`compact_iri` index their prefixes anew on every call, so that naming n IRIs with p
    prefixes bound costs n × p steps there and n + p here.

    Parameters
    ----------
    prefixes : mapping of str to str
        Prefix to namespace; an empty prefix is never used.

    Examples
    --------
    >>> names = PrefixedNames({"acme": "https://example.org/acme/", "ex": "https://example.org/"})
    >>> names.compact(URIRef("https://example.org/acme/erin")), names.name(URIRef("https://example.com/x"))
    ('acme:erin', '<https://example.com/x>')
    """

    def __init__(self, prefixes: Mapping[str, str]):
        self._index = NamespaceIndex(prefixes.items())

    @classmethod
    def of(cls, *graphs: Graph) -> PrefixedNames:
        """The prefixes bound in `graphs`; where several bind one prefix, the first of them gives its namespace.

        Examples
        --------
        >>> graph = Graph()
        >>> graph.bind("dcterms", "http://purl.org/dc/terms/")
        >>> PrefixedNames.of(graph).name(URIRef("http://purl.org/dc/terms/source"))
        'dcterms:source'
        """
        return cls({prefix: str(namespace) for graph in reversed(graphs) for prefix, namespace in graph.namespaces()})

    def compact(self, iri: Node) -> str | None:
        """Return ``prefix:local`` for the longest namespace that `iri` starts with, or None.

        The local part must not be empty nor hold ``/``, ``#`` or ``?``; among the prefixes of that
        namespace the smallest is taken.
        """
        text = str(iri)
        index = self._index
        for namespace in index.namespaces_of(text):  # the longest first
            local = text[len(namespace) :]
            named = [prefix for prefix in index.prefixes[namespace] if prefix]
            if named and local and not set(local) & set("/#?"):
                return f"{named[0]}:{local}"
        return None

    def name(self, iri: Node) -> str:
        """Return ``prefix:local`` when a prefix fits `iri`, else ``<IRI>`` (``_:id`` for a blank node)."""
        return self.compact(iri) or name(iri)


def prefixed_name(iri: Node, *graphs: Graph) -> str:
    """Return ``dcterms:source`` for an IRI that a prefix bound in the graphs fits, else ``<IRI>``.

    For one IRI: to name many, build :class:`PrefixedNames` once (``PrefixedNames.of(*graphs)``).

    Examples
    --------
    >>> graph = Graph()
    >>> graph.bind("dcterms", "http://purl.org/dc/terms/")
    >>> prefixed_name(URIRef("http://purl.org/dc/terms/source"), graph)
    'dcterms:source'
    """
    return PrefixedNames.of(*graphs).name(iri)


def compact_iri(iri: Node, prefixes: Mapping[str, str]) -> str | None:
    """Return ``prefix:local`` for the longest namespace among `prefixes` that `iri` starts with.

    The local part must not be empty nor hold ``/``, ``#`` or ``?``. None when no prefix fits.
    For one IRI: to name many, build :class:`PrefixedNames` once.

    Examples
    --------
    >>> compact_iri(URIRef("https://example.org/acme/erin"), {"acme": "https://example.org/acme/"})
    'acme:erin'
    """
    return PrefixedNames(prefixes).compact(iri)


def value_text(value: Node, *graphs: Graph) -> str:
    """Return how a value reads: a date or number as written, a text in quotes, a node by its name.

    Examples
    --------
    >>> from rdflib import XSD
    >>> value_text(Literal("2024-09-30", datatype=XSD.date)), value_text(Literal("Checkout API"))
    ('2024-09-30', "'Checkout API'")
    """
    if isinstance(value, Literal):
        if value.datatype is None or value.datatype == URIRef("http://www.w3.org/2001/XMLSchema#string"):
            return f"'{value}'" if value.language is None else f"'{value}'@{value.language}"
        return str(value)
    if isinstance(value, URIRef) and value.startswith(PM._NS):
        # a pm: term reads as its label in the ontology, classes capitalised like kinds
        text = label(value, *graphs)
        if text is not None:
            return text[:1].upper() + text[1:]
    return name(value, *graphs)
