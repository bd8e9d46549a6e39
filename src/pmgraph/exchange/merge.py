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
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain, combinations
from pathlib import Path
from urllib.parse import quote, unquote

from rdflib import OWL, RDF, RDFS, BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS
from rdflib.term import Node

from pmgraph.errors import printable
from pmgraph.analysis.assignments import SHORT_FORMS, RoleHolding, counts_as, role_holdings
from pmgraph.render.names import entity_name, name, property_name, value_text
from pmgraph.namespace import PM
from pmgraph.ontology import load_ontology
from pmgraph.rdf.prefixes import bind_prefixes

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
        return printable(self.message)  # one line, whatever the file names and labels hold


class Merge:
    """Several source files merged: their statements, and their conflicts.

    Attributes
    ----------
    files : tuple of str
        The source files (see :func:`source_name`), sorted.
    dataset : rdflib.Dataset
        One named graph per source file, named ``file:<relative path>`` (a TriG or N-Quads file's
        own named graph ``G`` is ``file:<relative path>#graph=G``). Built on first use: merging,
        finding the conflicts and writing the result need no rdflib objects for the data.
    conflicts : tuple of Conflict
    """

    def __init__(self, files: tuple[str, ...], statements: _MergedStatements, conflicts: tuple[Conflict, ...]):
        self.files = files
        self.conflicts = conflicts
        self._statements = statements
        self._dataset: Dataset | None = None

    def __repr__(self) -> str:
        return f"Merge(files={self.files!r}, conflicts={self.conflicts!r})"

    @property
    def dataset(self) -> Dataset:
        if self._dataset is None:
            self._dataset = self._statements.to_dataset()
        return self._dataset

    @property
    def triple_count(self) -> int:
        """How many distinct triples the merged files hold."""
        return self._statements.triple_count()

    def serialize(self, format: str = "turtle") -> str:
        """Return the canonical serialization: ``turtle`` (one graph), ``trig`` or ``nquads`` (a graph per file)."""
        return self._canonical(format).decode("utf-8")

    def write(self, path: str | os.PathLike[str], format: str = "turtle") -> None:
        """Write the canonical serialization to `path`, atomically (temporary file, then rename)."""
        from pmgraph.rdf.writing import write_atomically

        write_atomically(Path(path), self._canonical(format))

    def _canonical(self, format: str) -> bytes:
        """The merged data with canonical blank-node labels, sorted, in `format`."""
        if format not in MERGE_FORMATS:
            raise ValueError(f"unknown merge format {format!r}: expected one of {', '.join(MERGE_FORMATS)}")
        return self._statements.serialize(format)


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


class _MergedStatements:
    """The statements of the merged files, as :func:`pmgraph.rdf.reading.read_statements` holds them.

    ``graphs`` maps each graph name of the merge (``file:<relative path>``...) to the N-Triples
    text of its statements without a blank node; ``blank`` holds the others as pyoxigraph terms
    (with :func:`pmgraph.load`'s labels); ``namespaces`` the prefixes bound as the merge binds them.
    """

    def __init__(self, graphs: dict[str, set[str]], blank: list[tuple], namespaces: Dataset, iris: list[str]):
        self.graphs = graphs
        self.blank = blank
        self.namespaces = namespaces
        self.iris = iris  # sorted

    def uses(self, namespace: str, keep_graphs: bool) -> bool:
        """Whether an IRI of the data (or a graph name, when graphs are kept) starts with `namespace`."""
        from bisect import bisect_left

        at = bisect_left(self.iris, namespace)
        if at < len(self.iris) and self.iris[at].startswith(namespace):
            return True
        return keep_graphs and any(name.startswith(namespace) for name, lines in self.graphs.items() if lines) or (
            keep_graphs and any(g.startswith(namespace) for _s, _p, _o, g in self.blank)
        )

    def triple_count(self) -> int:
        lines = set().union(*self.graphs.values()) if len(self.graphs) != 1 else next(iter(self.graphs.values()))
        return len(lines) + len({(s, p, o) for s, p, o, _g in self.blank})

    def describe(self, nodes: set) -> list[tuple[Node, Node, Node]]:
        """Every statement (as rdflib terms) whose subject is one of `nodes` (pyoxigraph terms), in any graph."""
        import pyoxigraph

        from pmgraph.rdf.terms import rdflib_term

        found = []
        starts = tuple(f"{node} " for node in nodes)
        if starts:
            text = "".join(
                f"{line} .\n" for lines in self.graphs.values() for line in lines if line.startswith(starts)
            )
            for quad in pyoxigraph.parse(input=text.encode("utf-8"), format=pyoxigraph.RdfFormat.N_TRIPLES):
                found.append((rdflib_term(quad.subject), rdflib_term(quad.predicate), rdflib_term(quad.object)))
        found += [(rdflib_term(s), rdflib_term(p), rdflib_term(o)) for s, p, o, _g in self.blank if s in nodes]
        return found

    def to_dataset(self) -> Dataset:
        """The statements as an rdflib Dataset, one named graph per graph name (as the merge made it before)."""
        import pyoxigraph

        from pmgraph.rdf.terms import rdflib_term

        dataset = Dataset(default_union=True)
        bind_prefixes(dataset, self.namespaces.namespaces(), replace=True)
        for name, lines in self.graphs.items():
            graph = dataset.graph(URIRef(name))
            if lines:
                text = "".join(f"{line} .\n" for line in lines).encode("utf-8")
                for quad in pyoxigraph.parse(input=text, format=pyoxigraph.RdfFormat.N_TRIPLES):
                    graph.add((rdflib_term(quad.subject), rdflib_term(quad.predicate), rdflib_term(quad.object)))
        for s, p, o, g in self.blank:
            dataset.graph(URIRef(g)).add((rdflib_term(s), rdflib_term(p), rdflib_term(o)))
        return dataset

    def serialize(self, format: str) -> bytes:
        """The canonical serialization: blank nodes relabelled, statements sorted, lexical forms kept.

        Byte for byte what :func:`pmgraph.rdf.writing.dump` writes of the merged dataset with
        canonical blank-node labels: statements sorted by the N-Triples text of their graph
        name, subject, predicate and object, and only the prefixes the data uses declared.
        """
        import pyoxigraph

        keep_graphs = format != "turtle"
        by_graph = self._canonical_lines(keep_graphs)
        if keep_graphs:
            text = "".join(
                _lines_text(sorted(chain(*by_graph[name])), f" <{name}> .\n")
                for name in sorted(by_graph, key=lambda name: f"<{name}>")
            )
            line_format = pyoxigraph.RdfFormat.N_QUADS
        else:
            text = _lines_text(sorted(chain(*by_graph.get(None, ()))), " .\n")
            line_format = pyoxigraph.RdfFormat.N_TRIPLES
        del by_graph
        result: Graph = Dataset(default_union=True) if keep_graphs else Graph()
        bind_prefixes(result, self.namespaces.namespaces(), replace=True)
        prefixes = {
            prefix: str(namespace)
            for prefix, namespace in result.namespaces()
            if self.uses(str(namespace), keep_graphs)
        }
        from pmgraph.rdf.writing import DUMP_FORMATS

        return pyoxigraph.serialize(
            pyoxigraph.parse(input=text, format=line_format), format=DUMP_FORMATS[format], prefixes=prefixes
        )

    def _canonical_lines(self, keep_graphs: bool) -> dict[str | None, list[Collection[str]]]:
        """The N-Triples text of the statements, blank nodes with canonical labels, by graph name (None:
        all in one graph), each graph's in collections that share no line."""
        import pyoxigraph

        from pmgraph.rdf.blank_nodes import tree_order
        from pmgraph.rdf.terms import rdflib_term

        if keep_graphs:
            by_graph: dict[str | None, list[Collection[str]]] = {
                name: [lines] for name, lines in self.graphs.items() if lines
            }
            blank = {(s, p, o, g) for s, p, o, g in self.blank}
        else:
            graphs = list(self.graphs.values())
            by_graph = {None: [set().union(*graphs) if len(graphs) != 1 else graphs[0]]}
            blank = {(s, p, o, None) for s, p, o, _g in self.blank}
        if not blank:
            return by_graph
        quads = [
            (rdflib_term(s), rdflib_term(p), rdflib_term(o), None if g is None else URIRef(g)) for s, p, o, g in blank
        ]
        order = tree_order(quads)
        if order is None:
            return self._rdfc_lines(by_graph, blank)
        labels = {str(node): pyoxigraph.BlankNode(f"c14n{number}") for number, (node, _digest) in enumerate(order)}
        relabelled: dict[str | None, set[str]] = defaultdict(set)
        for s, p, o, g in blank:
            s = labels[s.value] if isinstance(s, pyoxigraph.BlankNode) else s
            o = labels[o.value] if isinstance(o, pyoxigraph.BlankNode) else o
            relabelled[g].add(str(pyoxigraph.Triple(s, p, o)))
        for name, lines in relabelled.items():
            by_graph.setdefault(name, []).append(lines)
        return by_graph

    @staticmethod
    def _rdfc_lines(by_graph: dict[str | None, list[Collection[str]]], blank: set[tuple]) -> dict[str | None, list[Collection[str]]]:
        """As :meth:`_canonical_lines`, the labels those of RDFC-1.0 over the whole data."""
        import pyoxigraph

        default = pyoxigraph.DefaultGraph()
        dataset = pyoxigraph.Dataset()
        for name, parts in by_graph.items():
            graph = default if name is None else pyoxigraph.NamedNode(name)
            text = _lines_text(list(chain(*parts)), " .\n")
            for quad in pyoxigraph.parse(input=text, format=pyoxigraph.RdfFormat.N_TRIPLES):
                dataset.add(pyoxigraph.Quad(quad.subject, quad.predicate, quad.object, graph))
        for s, p, o, g in blank:
            dataset.add(pyoxigraph.Quad(s, p, o, default if g is None else pyoxigraph.NamedNode(g)))
        dataset.canonicalize(pyoxigraph.CanonicalizationAlgorithm.RDFC_1_0)
        canonical: dict[str | None, set[str]] = defaultdict(set)
        for quad in dataset:
            name = None if isinstance(quad.graph_name, pyoxigraph.DefaultGraph) else quad.graph_name.value
            canonical[name].add(str(quad.triple))
        return {name: [lines] for name, lines in canonical.items()}


def _lines_text(lines: Sequence[str], end: str) -> str:
    """N-Triples (``end`` `` .\\n``) or N-Quads (``end`` `` <graph> .\\n``) text of statements given without their end."""
    return end.join(lines) + end if lines else ""


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
    from pmgraph.rdf.reading import rdf_files, read_statements

    vocabulary = ontology_graph if ontology_graph is not None else load_ontology()
    files = sorted(rdf_files(*paths), key=source_name)
    file_uris = {Path(os.path.abspath(file)).as_uri(): source_name(file) for file in files}
    several = len(file_uris) > 1
    object_properties = frozenset(str(p) for p in _object_properties(vocabulary))
    if several:  # the statements that the four kinds of conflict read
        read = read_statements(*files, select=_conflict_predicates(vocabulary))
    else:  # only references can conflict: what is declared, and what pm: object properties refer to
        read = read_statements(*files, subjects_of=frozenset({str(RDF.type)}), objects_of=object_properties)

    names = {}
    for name in read.graphs:
        file_uri, _, inner = name.partition("#graph=")
        names[name] = str(_source_iri(file_uris[file_uri])) + (f"#graph={inner}" if inner else "")
    renamed = names.__getitem__

    namespaces = Dataset(default_union=True)
    bind_prefixes(namespaces, read.namespaces.namespaces(), replace=True)
    graphs = {renamed(name): lines for name, lines in read.graphs.items()}
    blank = [(s, p, o, renamed(g)) for s, p, o, g in read.blank]
    iris = sorted(iri.value for iri in read.iris)
    statements = _MergedStatements(graphs, blank, namespaces, iris)
    if several:
        conflicts = _selected_conflicts([(s, p, o, renamed(g)) for s, p, o, g in read.selected], vocabulary)
    else:
        declared = {str(s) for s in vocabulary.subjects(RDF.type, None) if isinstance(s, URIRef)}
        undeclared = {o for o in read.objects - read.subjects if o.value not in declared}
        conflicts = _undeclared_references(statements, undeclared, object_properties, vocabulary)
    return Merge(files=tuple(file_uris.values()), statements=statements, conflicts=conflicts)


def _object_properties(vocabulary: Graph) -> set[URIRef]:
    """The pm: object properties of the ontology, whose values must be declared somewhere."""
    return {
        p for p in vocabulary.subjects(RDF.type, OWL.ObjectProperty) if isinstance(p, URIRef) and p.startswith(PM._NS)
    }


def _single_valued(vocabulary: Graph) -> set[URIRef]:
    return set(SINGLE_VALUED) | {p for p in vocabulary.subjects(RDF.type, OWL.FunctionalProperty) if isinstance(p, URIRef)}


def _conflict_predicates(vocabulary: Graph) -> frozenset[str]:
    """The predicates of the statements that conflicts between files are found in, and told with."""
    from pmgraph.analysis.assignments import ROLE_ASSIGNMENT_PROPERTIES

    found = {RDF.type, RDFS.label, SKOS.broader, *_object_properties(vocabulary), *_single_valued(vocabulary)}
    return frozenset(str(iri) for iri in found | {*ROLE_ASSIGNMENT_PROPERTIES, *SHORT_FORMS})


def _selected_conflicts(selected: list[tuple], vocabulary: Graph) -> tuple[Conflict, ...]:
    """:func:`find_conflicts` over the statements of :func:`_conflict_predicates` (pyoxigraph terms, with their graph)."""
    from pmgraph.rdf.terms import rdflib_term

    sources: _Sources = defaultdict(set)
    union = Graph()
    for s, p, o, g in selected:
        triple = (rdflib_term(s), rdflib_term(p), rdflib_term(o))
        sources[triple].add(_source_of_graph(URIRef(g)))
        union.add(triple)
    return _conflicts(sources, union, vocabulary)


def _undeclared_references(
    statements: _MergedStatements, undeclared: set, object_properties: frozenset[str], vocabulary: Graph
) -> tuple[Conflict, ...]:
    """The reference conflicts of the statements of one file, given the IRIs referred to that nothing declares.

    Only the statements referring to them, and those naming the entities that refer, are made
    rdflib terms.
    """
    import pyoxigraph

    from pmgraph.rdf.terms import rdflib_term

    if not undeclared:
        return ()
    ends = tuple(f" {node}" for node in undeclared)
    sources: _Sources = defaultdict(set)
    for name, lines in statements.graphs.items():
        text = _lines_text([line for line in lines if line.endswith(ends)], " .\n")
        for quad in pyoxigraph.parse(input=text, format=pyoxigraph.RdfFormat.N_TRIPLES):
            if quad.predicate.value in object_properties and quad.object in undeclared:
                triple = (rdflib_term(quad.subject), rdflib_term(quad.predicate), rdflib_term(quad.object))
                sources[triple].add(_source_of_graph(URIRef(name)))
    for s, p, o, g in statements.blank:
        if p.value in object_properties and o in undeclared:
            sources[(rdflib_term(s), rdflib_term(p), rdflib_term(o))].add(_source_of_graph(URIRef(g)))
    subjects = {pyoxigraph.BlankNode(str(s)) if isinstance(s, BNode) else pyoxigraph.NamedNode(str(s)) for s, _p, _o in sources}
    described = statements.describe(subjects)
    classes = {pyoxigraph.NamedNode(str(o)) for _s, p, o in described if p == RDF.type and isinstance(o, URIRef)}
    described += statements.describe(classes - subjects)
    union = Graph()
    for triple in described:
        union.add(triple)
    return tuple(sorted(set(_reference_conflicts(sources, union, vocabulary)), key=lambda c: (c.kind, c.files, c.message)))


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
    return _conflicts(sources, union, vocabulary)


def _conflicts(sources: _Sources, union: Graph, vocabulary: Graph) -> tuple[Conflict, ...]:
    """The conflicts of the four kinds among the statements of `sources` (each with its files)."""
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
    single_valued = _single_valued(vocabulary)
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
    object_properties = _object_properties(vocabulary)
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
