"""Merging the files of several teams into one, and finding where they contradict each other.

Each team owns some Turtle files and sends them to the PMO, which merges them with
:func:`merge_files`. Every input triple is in the result as the same RDF terms (a literal keeps its
lexical form and datatype), and the result is written in a canonical, sorted form, so that the same
inputs give the same bytes whatever their order and wherever the repository lives:

- the files are read in the order of their names, so prefixes and blank nodes never depend on the
  order they were given in;
- blank nodes of different files stay distinct, and are relabelled so that their labels depend
  only on the data: by where they hang and what they hold when they form trees
  (:mod:`pmgraph.rdf.blank_nodes`, in linear time), else by the W3C RDF Dataset Canonicalization
  algorithm (RDFC-1.0);
- in TriG and N-Quads each file keeps its own named graph, named ``file:`` followed by the file's
  path relative to the current folder (``<file:team_a/portfolio.ttl>``), never its absolute path.

:func:`find_conflicts` reports what the files say against each other; each conflict names the files.

Examples
--------
>>> import pathlib, tempfile
>>> header = "@prefix pm: <https://w3id.org/pmgraph#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\\n"
>>> with tempfile.TemporaryDirectory() as folder:
...     a, b = pathlib.Path(folder, "a.ttl"), pathlib.Path(folder, "b.ttl")
...     _ = a.write_text(header + '<https://example.org/api> a pm:Project ; pm:endDate "2024-09-30"^^xsd:date .')
...     _ = b.write_text(header + '<https://example.org/api> pm:endDate "2024-10-31"^^xsd:date .')
...     merged = merge_files(b, a)
...     print(merged.serialize(), end="")  # doctest: +NORMALIZE_WHITESPACE
...     [(c.kind, [pathlib.Path(file).name for file in c.files]) for c in merged.conflicts]
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix pm: <https://w3id.org/pmgraph#> .
<https://example.org/api> a pm:Project ;
    pm:endDate "2024-09-30"^^xsd:date , "2024-10-31"^^xsd:date .
[('value', ['a.ttl', 'b.ttl'])]
"""

from __future__ import annotations

import datetime
import decimal
import os
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from urllib.parse import quote, unquote

from rdflib import OWL, RDF, RDFS, BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import DCTERMS
from rdflib.term import Node

from pmgraph.analysis.assignments import SHORT_FORMS, RoleHolding, counts_as, role_holdings
from pmgraph.render.names import entity_name, name, property_name, value_text
from pmgraph.namespace import PM
from pmgraph.ontology import load_ontology

__all__ = ["MERGE_FORMATS", "Conflict", "Merge", "merge_files", "find_conflicts", "source_name"]

#: The formats :meth:`Merge.serialize` writes.
MERGE_FORMATS = ("turtle", "trig", "nquads")

#: Single-valued facts beyond the ontology's owl:FunctionalProperty terms: a scope has one start
#: date, one end date and one budget (docs/design.md, the vocabulary; the shapes check the dates).
SINGLE_VALUED = (PM.startDate, PM.endDate, PM.budget)

#: The roles of which a scope has one holder at a time (counting roles that are skos:broader them).
ONE_HOLDER_ROLES = frozenset(SHORT_FORMS.values())


def source_name(path: str | os.PathLike[str]) -> str:
    """Return how pmgraph names a source file: its path relative to the current folder, with ``/``.

    Examples
    --------
    >>> source_name(os.path.join(os.getcwd(), "team_a", "portfolio.ttl"))
    'team_a/portfolio.ttl'
    """
    return Path(os.path.relpath(os.path.abspath(path))).as_posix()


def _source_iri(name: str) -> URIRef:
    """The graph name of a source file in merged TriG or N-Quads: ``file:`` and its relative path."""
    return URIRef("file:" + quote(name, safe="/!$&'()*+,;=:@-._~"))


def _source_of_graph(identifier: Node) -> str:
    """The source file that a named graph of :func:`pmgraph.load` or :func:`merge_files` holds."""
    text = str(identifier).split("#graph=", 1)[0]
    if text.startswith("file://"):
        return source_name(unquote(text.removeprefix("file://")))
    if text.startswith("file:"):
        return unquote(text.removeprefix("file:"))
    return text


@dataclass(frozen=True)
class Conflict:
    """Something two source files say against each other, or a reference to what no file declares.

    Attributes
    ----------
    kind : str
        ``"role"`` (two holders of a one-holder role at the same time), ``"class"`` (classes
        that cannot both hold), ``"value"`` (two values of a single-valued fact) or
        ``"reference"`` (a reference to an entity that no file declares).
    entity : str
        The IRI of the entity concerned.
    files : tuple of str
        The files concerned: two, or one for a reference.
    message : str
        One line for people, naming the files.
    """

    kind: str
    entity: str
    files: tuple[str, ...]
    message: str

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Merge:
    """Several source files merged: their statements, and their conflicts.

    Attributes
    ----------
    files : tuple of str
        The source files (see :func:`source_name`), sorted.
    dataset : rdflib.Dataset
        One named graph per source file, named ``file:<relative path>`` (a TriG or N-Quads file's
        own named graph ``G`` is ``file:<relative path>#graph=G``).
    conflicts : tuple of Conflict
    """

    files: tuple[str, ...]
    dataset: Dataset
    conflicts: tuple[Conflict, ...]

    @property
    def triple_count(self) -> int:
        """How many distinct triples the merged files hold."""
        return len({(s, p, o) for s, p, o, _ in self.dataset.quads((None, None, None, None))})

    def serialize(self, format: str = "turtle") -> str:
        """Return the canonical serialization: ``turtle`` (one graph), ``trig`` or ``nquads`` (a graph per file)."""
        from pmgraph.rdf.writing import dump

        return dump(self._canonical(format), format=format)

    def write(self, path: str | os.PathLike[str], format: str = "turtle") -> None:
        """Write the canonical serialization to `path`, atomically (temporary file, then rename)."""
        from pmgraph.rdf.writing import dump

        dump(self._canonical(format), path, format=format)

    def _canonical(self, format: str) -> Graph:
        """The merged data with canonical blank-node labels, as a graph or a dataset."""
        if format not in MERGE_FORMATS:
            raise ValueError(f"unknown merge format {format!r}: expected one of {', '.join(MERGE_FORMATS)}")
        return _canonical_copy(self.dataset, keep_graphs=format != "turtle")


def _canonical_copy(dataset: Dataset, keep_graphs: bool) -> Graph:
    """Return a copy of `dataset` whose blank nodes carry canonical labels, ``c14n0``, ``c14n1``...

    Blank nodes that hang in trees (as nested ``[ ]`` write them) are numbered in the order of
    :func:`pmgraph.rdf.blank_nodes.tree_order`, in time linear in the data; any others make every
    label the RDFC-1.0 one, which takes time that grows steeply with chains of blank nodes.

    Parameters
    ----------
    dataset : rdflib.Dataset
    keep_graphs : bool
        Keep the named graphs (a new :class:`rdflib.Dataset`), or merge them into one
        :class:`rdflib.Graph`.

    Returns
    -------
    rdflib.Graph or rdflib.Dataset
        With the prefixes of `dataset` bound.
    """
    from pmgraph.rdf.blank_nodes import tree_order

    quads = set()
    for s, p, o, g in dataset.quads((None, None, None, None)):
        identifier = g.identifier if isinstance(g, Graph) else g
        quads.add((s, p, o, None if not keep_graphs or identifier == DATASET_DEFAULT_GRAPH_ID else identifier))
    order = tree_order(quads)
    if order is None:
        canonical = _rdfc_1_0(quads)
    else:
        labels = {node: BNode(f"c14n{number}") for number, (node, _digest) in enumerate(order)}
        canonical = [tuple(labels[term] if isinstance(term, BNode) else term for term in quad) for quad in quads]
    result: Graph = Dataset(default_union=True) if keep_graphs else Graph()
    for prefix, namespace in dataset.namespaces():
        result.bind(prefix, namespace, override=True, replace=True)
    for s, p, o, g in canonical:
        if isinstance(result, Dataset) and g is not None:
            result.graph(g).add((s, p, o))
        else:
            result.add((s, p, o))
    return result


def _rdfc_1_0(quads: Iterable[tuple[Node, Node, Node, Node | None]]) -> list[tuple[Node, Node, Node, Node | None]]:
    """The quads (graph None for the default graph) with the blank-node labels of RDFC-1.0."""
    import pyoxigraph

    from pmgraph.rdf.terms import oxigraph_term, rdflib_term

    default = pyoxigraph.DefaultGraph()
    statements = pyoxigraph.Dataset(
        pyoxigraph.Quad(oxigraph_term(s), oxigraph_term(p), oxigraph_term(o), default if g is None else oxigraph_term(g))
        for s, p, o, g in quads
    )
    statements.canonicalize(pyoxigraph.CanonicalizationAlgorithm.RDFC_1_0)
    return [
        (
            rdflib_term(quad.subject),
            rdflib_term(quad.predicate),
            rdflib_term(quad.object),
            None if isinstance(quad.graph_name, pyoxigraph.DefaultGraph) else rdflib_term(quad.graph_name),
        )
        for quad in statements
    ]


def merge_files(*paths: str | os.PathLike[str], ontology_graph: Graph | None = None) -> Merge:
    """Read source files and folders into one :class:`Merge`, with their conflicts.

    Parameters
    ----------
    *paths : str or os.PathLike
        Files and folders, as for :func:`pmgraph.load`; the files are read in the order of their
        names, whatever order they are given in.
    ontology_graph : rdflib.Graph, optional
        pmgraph's ontology, read from ``ontology/pmgraph.ttl`` when not given.

    Returns
    -------
    Merge

    Raises
    ------
    pmgraph.InputError
        If an input cannot be read; nothing has been written then.
    """
    from pmgraph.rdf.reading import load, rdf_files

    files = sorted(rdf_files(*paths), key=source_name)
    loaded = load(*files)
    renamed = Dataset(default_union=True)
    for prefix, namespace in loaded.namespaces():
        renamed.bind(prefix, namespace, override=True, replace=True)
    file_uris = {Path(os.path.abspath(file)).as_uri(): source_name(file) for file in files}
    for graph in loaded.graphs():
        if graph.identifier == DATASET_DEFAULT_GRAPH_ID:
            continue
        file_uri, _, inner = str(graph.identifier).partition("#graph=")
        identifier = str(_source_iri(file_uris[file_uri])) + (f"#graph={inner}" if inner else "")
        target = renamed.graph(URIRef(identifier))
        target += graph
    return Merge(
        files=tuple(file_uris.values()),
        dataset=renamed,
        conflicts=find_conflicts(renamed, ontology_graph),
    )


def find_conflicts(dataset: Dataset, ontology_graph: Graph | None = None) -> tuple[Conflict, ...]:
    """Return what the source files of `dataset` say against each other.

    Each named graph is taken as one source file (as :func:`pmgraph.load` and :func:`merge_files`
    give them). Four kinds of conflict are found:

    - ``role``: one scope with two different holders of the same one-holder role (Product, Project,
      Program or Portfolio Manager, or Product Owner, counting roles ``skos:broader`` them) at the
      same time, stated in different files; a short form counts as open on both sides;
    - ``class``: one IRI given, in different files, two pm: classes that cannot both hold: two
      classes of the ontology are compatible only when one is a subclass of, equivalent to or
      replaced by the other (Project and Program are not; Feature and Deliverable are);
    - ``value``: one node with two different values, in different files, of a single-valued fact
      (``pm:startDate``, ``pm:endDate``, ``pm:budget`` or a property the ontology declares
      ``owl:FunctionalProperty``); values are compared as values (``500000`` and
      ``"500000.00"^^xsd:decimal`` agree);
    - ``reference``: a file refers (through a pm: object property) to an IRI that no file, nor the
      ontology, gives a class (``rdf:type``).

    Parameters
    ----------
    dataset : rdflib.Dataset
    ontology_graph : rdflib.Graph, optional
        pmgraph's ontology, read from ``ontology/pmgraph.ttl`` when not given.

    Returns
    -------
    tuple of Conflict
        Sorted by kind, files and message.
    """
    vocabulary = ontology_graph if ontology_graph is not None else load_ontology()
    sources: dict[tuple[Node, Node, Node], set[str]] = defaultdict(set)
    for s, p, o, g in dataset.quads((None, None, None, None)):
        identifier = g.identifier if isinstance(g, Graph) else g
        sources[(s, p, o)].add(_source_of_graph(identifier))
    union = Graph()
    for triple in sources:
        union.add(triple)
    found = [
        *_class_conflicts(sources, union, vocabulary),
        *_value_conflicts(sources, union, vocabulary),
        *_reference_conflicts(sources, union, vocabulary),
        *_role_conflicts(sources, union, vocabulary),
    ]
    return tuple(sorted(set(found), key=lambda c: (c.kind, c.files, c.message)))


_Sources = dict[tuple[Node, Node, Node], set[str]]


def _clashes_across_files(
    stated: Iterable[tuple[Node, set[str]]], clash: Callable[[Node, Node], bool]
) -> Iterator[tuple[tuple[Node, str], tuple[Node, str]]]:
    """Each pair of things that clash and are stated in two different files, as ((a, file), (b, file)).

    `stated` gives each thing with the files that state it. For a pair, the first pair of
    different files is taken, in file order; a pair stated in one same file only is left out.
    """
    for (first, first_files), (second, second_files) in combinations(stated, 2):
        if not clash(first, second):
            continue
        pairs = sorted((a, b) for a in first_files for b in second_files if a != b)
        if pairs:
            a, b = pairs[0]
            yield ((first, a), (second, b)) if a < b else ((second, b), (first, a))


def _class_conflicts(sources: _Sources, union: Graph, vocabulary: Graph) -> Iterable[Conflict]:
    pm_classes = {
        cls for cls in vocabulary.subjects(RDF.type, OWL.Class) if isinstance(cls, URIRef) and cls.startswith(PM._NS)
    }

    def compatible(a: Node, b: Node) -> bool:
        return b in _kinds_of(a, vocabulary) or a in _kinds_of(b, vocabulary)

    files_of_class: dict[Node, dict[Node, set[str]]] = defaultdict(lambda: defaultdict(set))
    for (s, p, o), files in sources.items():
        if p == RDF.type and o in pm_classes and not isinstance(s, BNode):
            files_of_class[s][o] |= files
    for node, classes in files_of_class.items():
        stated = sorted(classes.items())
        for (a, a_file), (b, b_file) in _clashes_across_files(stated, lambda x, y: not compatible(x, y)):
            yield Conflict(
                "class",
                str(node),
                (a_file, b_file),
                f"{name(node, union)} <{node}> is a {value_text(a, vocabulary)} in {a_file} "
                f"but a {value_text(b, vocabulary)} in {b_file}; it cannot be both",
            )


def _kinds_of(cls: Node, vocabulary: Graph) -> set[Node]:
    """The class, its superclasses, and the classes it is equivalent to or replaced by."""
    seen = {cls}
    todo = [cls]
    links = (RDFS.subClassOf, OWL.equivalentClass, DCTERMS.isReplacedBy)
    while todo:
        current = todo.pop()
        related = [o for link in links for o in vocabulary.objects(current, link)]
        related += list(vocabulary.subjects(OWL.equivalentClass, current))
        for other in related:
            if other not in seen:
                seen.add(other)
                todo.append(other)
    return seen


def _same_value_key(value: Node) -> object:
    """What a value is compared by: dates and numbers by value, everything else as a term."""
    if isinstance(value, Literal) and isinstance(value.value, datetime.date | decimal.Decimal | int | float):
        if not isinstance(value.value, bool):
            return ("value", value.value)
    return ("term", value)


def _value_conflicts(sources: _Sources, union: Graph, vocabulary: Graph) -> Iterable[Conflict]:
    single_valued = set(SINGLE_VALUED) | {
        p for p in vocabulary.subjects(RDF.type, OWL.FunctionalProperty) if isinstance(p, URIRef)
    }
    values: dict[tuple[Node, Node], dict[object, tuple[Node, set[str]]]] = defaultdict(dict)
    for (s, p, o), files in sorted(sources.items(), key=lambda item: item[0][2].n3()):
        if p in single_valued and not isinstance(s, BNode):
            _, seen = values[(s, p)].setdefault(_same_value_key(o), (o, set()))
            seen |= files
    for (node, predicate), by_value in values.items():
        stated = sorted(by_value.values(), key=lambda item: item[0].n3())
        for (a, a_file), (b, b_file) in _clashes_across_files(stated, lambda x, y: True):
            yield Conflict(
                "value",
                str(node),
                (a_file, b_file),
                f"{entity_name(node, union, vocabulary)} has {property_name(predicate, vocabulary)} "
                f"{value_text(a, union, vocabulary)} in {a_file} but {value_text(b, union, vocabulary)} in {b_file}",
            )


def _reference_conflicts(sources: _Sources, union: Graph, vocabulary: Graph) -> Iterable[Conflict]:
    object_properties = {
        p for p in vocabulary.subjects(RDF.type, OWL.ObjectProperty) if isinstance(p, URIRef) and p.startswith(PM._NS)
    }
    declared = set(union.subjects(RDF.type, None)) | set(vocabulary.subjects(RDF.type, None))
    references: dict[tuple[Node, str], list[tuple[Node, Node]]] = defaultdict(list)
    for (s, p, o), files in sources.items():
        if p in object_properties and isinstance(o, URIRef) and o not in declared:
            for file in files:
                references[(o, file)].append((s, p))
    for (target, file), referrers in references.items():
        referrers.sort(key=lambda pair: (pair[0].n3(), pair[1].n3()))
        subject, predicate = referrers[0]
        more = f" and {len(referrers) - 1} more" if len(referrers) > 1 else ""
        yield Conflict(
            "reference",
            str(target),
            (file,),
            f"{file} refers to <{target}>, which no file declares (no rdf:type): "
            f"{entity_name(subject, union, vocabulary)} {property_name(predicate, vocabulary)} it{more}",
        )


def _role_conflicts(sources: _Sources, union: Graph, vocabulary: Graph) -> Iterable[Conflict]:
    by_scope_and_role: dict[tuple[Node, Node], list[tuple[RoleHolding, set[str]]]] = defaultdict(list)
    for holding in role_holdings(union):
        if holding.assignment is None:
            files = sources[(holding.scope, holding.short_form, holding.agent)]
        else:
            files = sources[(holding.assignment, PM.agent, holding.agent)]
        for role in sorted(counts_as(holding.role, union, vocabulary) & ONE_HOLDER_ROLES):
            by_scope_and_role[(holding.scope, role)].append((holding, files))
    def clash(a: RoleHolding, b: RoleHolding) -> bool:
        return a.agent != b.agent and a.overlaps(b)

    for (scope, role), holdings in by_scope_and_role.items():
        for (a, a_file), (b, b_file) in _clashes_across_files(holdings, clash):
            yield Conflict(
                "role",
                str(scope),
                (a_file, b_file),
                f"{entity_name(scope, union, vocabulary)} has two {value_text(role, vocabulary)}s at once: "
                f"{name(a.agent, union)} ({a.period or 'no dates'}, in {a_file}) and "
                f"{name(b.agent, union)} ({b.period or 'no dates'}, in {b_file})",
            )
