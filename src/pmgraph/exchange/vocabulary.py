"""What the names in a spreadsheet can refer to: prefixes, and the roles, responsibilities, people
and teams of the ontology and of the organisation's files.

A spreadsheet names things by IRI (``https://example.org/acme/erin`` or ``<...>``), by prefixed
name (``acme:erin``), by pm: local name (``Budgeting``) or by label (``Quality management``, any
case). :class:`Vocabulary` turns such a text into an IRI; the importers of spreadsheets share it.

Examples
--------
>>> vocabulary = vocabulary_of({"acme": "https://example.org/acme/"})
>>> vocabulary.term("acme:erin")
rdflib.term.URIRef('https://example.org/acme/erin')
>>> from pmgraph.namespace import PM
>>> vocabulary.named("project manager", PM.Role)
(rdflib.term.URIRef('https://w3id.org/pmgraph#ProjectManager'), None)
>>> local_slug(PM.QualityManagement), text_slug("Use-case approval (v2)")
('quality-management', 'use-case-approval-v2')
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from rdflib import RDF, RDFS, Dataset, Graph, URIRef
from rdflib.namespace import SKOS
from rdflib.term import Node

from pmgraph.namespace import PM
from pmgraph.render.names import PrefixedNames

__all__ = ["LABELS", "Vocabulary", "folded", "iri_of", "local_slug", "name_problem", "text_slug", "vocabulary_of"]

#: The properties whose values name a thing in a spreadsheet, besides its IRI.
LABELS = (RDFS.label, SKOS.prefLabel)

# what a cell that names nothing should have held, for the messages
A_NAME = "an IRI or a prefixed name such as acme:erin-castillo"


@dataclass(frozen=True)
class Vocabulary:
    """What names in a spreadsheet can refer to: prefixes, roles, responsibilities, agents.

    Attributes
    ----------
    prefixes : dict of str to str
        The prefixes known (``pm`` always).
    knowledge : rdflib.Graph
        The ontology together with the organisation's data.
    checks_agents : bool
        Whether the organisation's data was given, so that columns must be declared in it.
    ontology : rdflib.Graph
        The ontology alone: its roles and responsibilities are the core ones.
    """

    prefixes: dict[str, str]
    knowledge: Graph
    checks_agents: bool
    ontology: Graph = field(default_factory=Graph)

    def term(self, text: str) -> URIRef | None:
        """The IRI that a cell names (IRI or prefixed name), or None."""
        text = text.strip()
        if text.startswith("<") and text.endswith(">"):
            return iri_of(text[1:-1])
        prefix, colon, local = text.partition(":")
        if colon and prefix in self.prefixes and not local.startswith("//") and not re.search(r"\s", local):
            return iri_of(self.prefixes[prefix] + local)
        if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", text) and (":/" in text or text.startswith("urn:")):
            return iri_of(text)
        return None

    def members(self, cls: URIRef) -> set[Node]:
        """The things the ontology or the data types as `cls`."""
        return set(self.knowledge.subjects(RDF.type, cls))

    def named(self, text: str, cls: URIRef) -> tuple[URIRef | None, str | None]:
        """Find a member of `cls` by IRI, prefixed name, pm: local name or label; (IRI, problem)."""
        iri = self.term(text)
        if iri is not None:
            return iri, None
        members = self.members(cls)
        if re.fullmatch(r"[A-Za-z_][\w-]*", text.strip()) and URIRef(PM._NS + text.strip()) in members:
            return URIRef(PM._NS + text.strip()), None
        return self.labelled(text, members, self.knowledge)

    def labelled(
        self, text: str, members: set[Node], graph: Graph, index: Mapping[str, tuple[URIRef, ...]] | None = None
    ) -> tuple[URIRef | None, str | None]:
        """The one member whose label in `graph` is `text` (any case, spaces as one); (IRI, problem).

        `index` is :meth:`label_index` of the same members and graph, for a caller that looks up
        many texts.
        """
        matches = (self.label_index(members, graph) if index is None else index).get(folded(text), ())
        if len(matches) == 1:
            return matches[0], None
        if len(matches) > 1:
            return None, f"the label {text.strip()!r} names {len(matches)} things: {', '.join(map(self.short, matches))}"
        return None, None

    def label_index(self, members: set[Node], graph: Graph) -> dict[str, tuple[URIRef, ...]]:
        """The members that each label names in `graph`, by the label :func:`folded`."""
        index: dict[str, set[URIRef]] = {}
        for predicate in LABELS:
            for member, label in graph.subject_objects(predicate):
                if isinstance(member, URIRef) and member in members:
                    index.setdefault(folded(str(label)), set()).add(member)
        return {label: tuple(sorted(named)) for label, named in index.items()}

    def new_graph(self) -> Graph:
        """An empty graph with the vocabulary's prefixes bound, to write what a spreadsheet says."""
        from pmgraph.rdf.prefixes import bind_prefixes  # linear in the prefixes, where graph.bind is not

        graph = Graph(bind_namespaces="core")
        bind_prefixes(graph, self.prefixes.items(), replace=True, override=True)
        return graph

    def short(self, iri: Node) -> str:
        """The prefixed name of an IRI when a prefix fits, otherwise the IRI."""
        return self.prefixed_names.compact(iri) or str(iri)

    @cached_property
    def prefixed_names(self) -> PrefixedNames:
        """:attr:`prefixes`, indexed once: a matrix or sheet names each of its rows and columns with them."""
        return PrefixedNames(self.prefixes)


def folded(text: str) -> str:
    """A label as it is compared: in any case, its spaces as one (``Product  owner`` is ``product owner``)."""
    return " ".join(text.split()).casefold()


def iri_of(text: str) -> URIRef | None:
    """The IRI, when `text` is a valid absolute IRI, or None."""
    import pyoxigraph

    try:
        pyoxigraph.NamedNode(text)
    except ValueError:
        return None
    return URIRef(text)


def vocabulary_of(prefixes: Mapping[str, str] | None, data: Graph | None = None) -> Vocabulary:
    """The vocabulary of the ontology, of the organisation's `data` (if given) and of `prefixes`."""
    from pmgraph.ontology import load_ontology

    ontology = load_ontology()
    knowledge = Graph()
    knowledge += ontology
    known = {"pm": str(PM._NS)}
    if data is not None:
        for s, p, o, *_ in data.quads((None, None, None, None)) if isinstance(data, Dataset) else data:
            knowledge.add((s, p, o))
        known.update({prefix: str(namespace) for prefix, namespace in data.namespaces()})
    known.update(prefixes or {})
    return Vocabulary(known, knowledge, checks_agents=data is not None, ontology=ontology)


def local_slug(iri: Node) -> str:
    """``erin-castillo`` for ``acme:erin-castillo``, ``quality-management`` for ``pm:QualityManagement``."""
    local = re.split(r"[#/:]", str(iri).rstrip("/#"))[-1]
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", local).lower()


def text_slug(text: str) -> str:
    """The part of a new IRI made from a text: ``Use-case approval`` gives ``use-case-approval``.

    Letters lose their accents (``Überprüfung`` gives ``uberprufung``); letters of other scripts
    are kept; anything else between words becomes one hyphen.
    """
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(char for char in folded if not unicodedata.combining(char))
    return re.sub(r"[\W_]+", "-", folded).strip("-")


def name_problem(text: str, vocabulary: Vocabulary, what: str = A_NAME) -> str:
    """Say why a cell names nothing: missing, an unknown prefix, or not a name at all."""
    if not text:
        return "missing"
    prefix, colon, rest = text.partition(":")
    if colon and prefix not in vocabulary.prefixes and not rest.startswith("//") and not re.search(r"\s", text):
        return f"unknown prefix {prefix!r} in {text!r} (declare it with --prefix {prefix}=IRI)"
    return f"{text!r} is not {what}"
