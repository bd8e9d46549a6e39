"""Validate portfolio data against pmgraph's business rules (the SHACL shapes in ``shapes/``).

The data is validated together with the ontology: rules 4 to 6 read role typing, ``pm:appliesTo``
and the reference model from it. Several files are validated as their union, so a project in one
team's file and its manager's assignment in another's form a valid pair.

Examples
--------
>>> import rdflib
>>> data = rdflib.Graph().parse(format="turtle", data='''
...     @prefix pm: <https://w3id.org/pmgraph#> .
...     @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
...     @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
...     <https://example.org/checkout> a pm:Project ; rdfs:label "Checkout API" ;
...         pm:startDate "2024-01-15"^^xsd:date ; pm:endDate "2023-09-30"^^xsd:date ;
...         pm:projectManager <https://example.org/erin> .
...     <https://example.org/erin> a pm:Person ; rdfs:label "Erin Castillo" .
... ''')
>>> report = validate(data)
>>> report.conforms
False
>>> print(report.results[0].message)
Project 'Checkout API' ends (2023-09-30) before it starts (2024-01-15)
>>> report.counts["Violation"]
1
"""

from __future__ import annotations

import dataclasses
import os
import types
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING
from typing import Literal as TypingLiteral

import rdflib
from rdflib.namespace import RDF, RDFS, SH, XSD

from pmgraph._resources import ontology_file, shape_files
from pmgraph.rdf.places import Source
from pmgraph.rdf.prefixes import bind_prefixes

if TYPE_CHECKING:
    import pyoxigraph

    from pmgraph.organisation import DataSource, Organisation
    from pmgraph.stores.endpoint import Endpoint
from pmgraph.validation.engine import (
    Finding as _Finding,  # a result as RDF terms, whichever engine found it
)
from pmgraph.validation.routing import pyshacl_findings

__all__ = ["Engine", "Severity", "Source", "ValidationResult", "ValidationReport", "validate", "validate_store", "validate_endpoint", "validate_stored", "keep_findings", "rules", "rules_from"]

Severity = TypingLiteral["Violation", "Warning", "Info"]

_SEVERITIES: dict[rdflib.URIRef, Severity] = {
    SH.Violation: "Violation",
    SH.Warning: "Warning",
    SH.Info: "Info",
}
_SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}


@dataclass(frozen=True)
class ValidationResult:
    """One finding of the validation: a rule that a node breaks.

    Attributes
    ----------
    severity : {"Violation", "Warning", "Info"}
    focus : str
        The IRI (or blank node id, ``_:...``) of the node that breaks the rule.
    path : str or None
        The property concerned, when there is one.
    value : str or None
        The offending value: an IRI, a literal's lexical form, or None.
    message : str
        What is wrong, in words a project manager understands.
    shape : str
        The IRI of the rule's shape (for a property shape without IRI, its node shape).
    focus_label : str or None
        The focus node's ``rdfs:label``, when it has one.
    sources : tuple of Source
        Where the files state what the result is about: the focus node's statements of ``path``
        (those of ``value`` when it is among them), or else its ``rdf:type`` statements; each a
        :class:`~pmgraph.rdf.places.Source` (file, line, column). Empty for data from an on-disk
        store, a SPARQL server or an rdflib graph not read from files, and for a blank node: no
        place is invented (:mod:`pmgraph.rdf.places` says how each syntax is placed).
    """

    severity: Severity
    focus: str
    path: str | None
    value: str | None
    message: str
    shape: str
    focus_label: str | None = None
    sources: tuple[Source, ...] = ()

    def to_json(self) -> dict[str, object]:
        """The result as docs/design.md states it (JSON formats: ``validate --format json``)."""
        return {
            "severity": self.severity,
            "focus": self.focus,
            "path": self.path,
            "value": self.value,
            "message": self.message,
            "shape": self.shape,
            "sources": [source.to_json() for source in self.sources],
        }


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of :func:`validate`: whether the data conforms, and every finding.

    ``conforms`` is True when there is no Violation (Warnings and Infos are allowed).
    ``results`` are sorted by severity, focus, shape, path, value and message.
    """

    conforms: bool
    results: tuple[ValidationResult, ...]
    counts: Mapping[str, int]
    findings: tuple[_Finding, ...] = field(repr=False, default=(), compare=False)

    def to_json(self) -> dict[str, object]:
        """The report as docs/design.md states it (JSON formats: ``validate --format json``).

        >>> ValidationReport(True, (), {"Violation": 0, "Warning": 0, "Info": 0}).to_json()
        {'conforms': True, 'counts': {'Violation': 0, 'Warning': 0, 'Info': 0}, 'results': []}
        """
        return {
            "conforms": self.conforms,
            "counts": dict(self.counts),
            "results": [result.to_json() for result in self.results],
        }

    def to_turtle(self) -> str:
        """The SHACL validation report graph (``sh:ValidationReport``), as Turtle."""
        return _report_graph(self.findings, self.conforms).serialize(format="turtle")


def rules(extra_shapes: Iterable[str | PathLike[str]] = ()) -> rdflib.Graph:
    """Return a new graph holding pmgraph's shapes (and any extra shape files given).

    >>> shapes = rules()
    >>> (rdflib.URIRef("https://w3id.org/pmgraph/shapes#OneAccountableShape"), RDF.type, SH.NodeShape) in shapes
    True
    """
    shapes = rdflib.Graph()
    for path in [*shape_files(), *extra_shapes]:
        shapes.parse(path, format="turtle")
    return shapes


Engine = TypingLiteral["pmgraph", "pyshacl"]



def validate(
    data: DataSource,
    *,
    extra_shapes: Iterable[str | PathLike[str]] = (),
    engine: Engine = "pmgraph",
    with_ontology: bool = True,
    on_rule: Callable[[int, int], None] | None = None,
    threads: int = 2,
) -> ValidationReport:
    """Validate an organisation's data against pmgraph's business rules.

    Parameters
    ----------
    data : pmgraph.Organisation, path, list of paths, rdflib.Graph or rdflib.Dataset
        The portfolio data: an :class:`~pmgraph.Organisation` (files, an on-disk store or a SPARQL
        server), files and folders, or an rdflib graph (a Dataset, as :func:`pmgraph.load`
        returns, is validated as the union of all its graphs). It is never changed.
    extra_shapes : iterable of paths, optional
        Further SHACL shape files (Turtle) to check besides pmgraph's own; pySHACL checks them.
    engine : {"pmgraph", "pyshacl"}, default "pmgraph"
        ``"pmgraph"`` evaluates every rule as one SPARQL query on pyoxigraph
        (:mod:`pmgraph.validation.engine`); ``"pyshacl"`` leaves everything to pySHACL, node by node.
        Both give the same results; pmgraph's engine is hundreds of times faster.
    with_ontology : bool, default True
        For an rdflib graph: validate it together with ``ontology/pmgraph.ttl`` (needed by rules
        4 to 6). Turn off only when ``data`` already contains the ontology.
    on_rule : callable, optional
        ``on_rule(done, total)`` is called as the rules complete (for progress display).
    threads : int, default 2
        How many rules run at once, as on the command line: pyoxigraph answers a query without
        holding Python's lock, so two rules use two cores (the results are those of one thread).
        1 keeps validation to one core.

    Returns
    -------
    ValidationReport
    """
    from pmgraph.organisation import Organisation

    if engine not in ("pmgraph", "pyshacl"):
        raise ValueError(f"unknown validation engine {engine!r}: expected 'pmgraph' or 'pyshacl'")
    if isinstance(data, rdflib.Graph):
        organisation = Organisation.from_rdflib(data, with_ontology=with_ontology)
    else:
        organisation = Organisation.of(data)
    organisation.ready()
    written, files = organisation.as_written()
    located = files if files is not None else _files_behind(organisation, written)
    extra_shapes = list(extra_shapes)
    if engine == "pyshacl":
        data_graph = _union(written if written is not None and len(written) else organisation.to_rdflib())
        if with_ontology or not isinstance(data, rdflib.Graph):
            data_graph.parse(ontology_file(), format="turtle")
        shapes = rules() + rules_from(extra_shapes)
        findings = list(pyshacl_findings(data_graph, shapes, extra_shapes))
        return _report(findings, shapes, _labels_in(data_graph), _sources_of(findings, located or ()))
    own = rules()  # one graph for the kept findings and the report: their blank property shapes are its own
    return validate_store(
        organisation.store, extra_shapes=extra_shapes, extra_data=written if written is not None and len(written) else None,
        sources=located, on_rule=on_rule, threads=threads, data_graph=organisation.to_rdflib,
        kept=_kept_for(organisation, own), own_rules=own,
    )


def _files_behind(organisation: Organisation, written: rdflib.Graph | None) -> list[Path] | None:
    """The files that data not opened from files was read from, to place findings in: those
    :func:`pmgraph.load` named its graphs after, or a store's graphs are named after. None for an
    on-disk store or a server: the files may have changed since they were pushed."""
    import pyoxigraph

    from pmgraph.rdf.terms import rdflib_term

    if isinstance(written, rdflib.Dataset):
        names = [graph.identifier for graph in written.graphs()]
    elif written is None and organisation.where == "memory" and isinstance(organisation.store, pyoxigraph.Store):
        names = [rdflib_term(name) for name in organisation.store.named_graphs()]
    else:
        return None
    from urllib.parse import unquote, urlparse

    files = {
        Path(unquote(urlparse(str(name)).path)): None
        for name in names
        if isinstance(name, rdflib.URIRef) and str(name).startswith("file:")
    }
    return [file for file in files if file.is_file()] or None


def keep_findings(folder: str | PathLike[str], *, threads: int = 2) -> ValidationReport:
    """Validate an on-disk store once, in memory, and keep the findings beside it.

    ``pmgraph push --store DIR`` calls it after writing: the store's data is copied into memory
    (faster to validate than RocksDB), validated with pmgraph's rules, and the findings are kept
    in ``DIR/pmgraph-findings.json`` for this version of the store
    (:mod:`pmgraph.validation.kept`). :func:`validate` of the store then reads them instead of
    running the rules again, as long as the store and the rules are unchanged.

    Returns the report, as :func:`validate` of the store gives it.
    """
    import pyoxigraph

    from pmgraph.stores.disk import open_store, store_version
    from pmgraph.validation.kept import write_kept

    with open_store(folder) as store:
        version = store_version(folder)  # under the store's read lock: the version of the data copied
        copy = pyoxigraph.Store()  # parsed, not loaded: the loader would give blank nodes new ids
        # the default graph, where push keeps each statement once: what a query of the store reads
        triples = store.dump(format=pyoxigraph.RdfFormat.N_TRIPLES, from_graph=pyoxigraph.DefaultGraph())
        copy.bulk_extend(pyoxigraph.parse(triples, format=pyoxigraph.RdfFormat.N_TRIPLES))
        del triples
    own = rules()  # the graph the findings' blank property shapes belong to
    report = validate_store(copy, extra_data=rdflib.Graph(), threads=threads, own_rules=own)
    labels = _labels_in_store(copy, {finding.focus for finding in report.findings})
    write_kept(folder, version, list(report.findings), labels, own)
    return report


def _kept_for(organisation: object, shapes: rdflib.Graph) -> tuple[list[_Finding], dict[rdflib.term.Node, str]] | None:
    """The findings of pmgraph's rules kept beside an on-disk store for its data as it is, if any."""
    folder = getattr(organisation, "folder", None)
    if getattr(organisation, "where", None) != "disk" or folder is None:
        return None
    from pmgraph.stores.disk import store_version
    from pmgraph.validation.kept import read_kept

    return read_kept(folder, store_version(folder), shapes)


def validate_store(
    store: object,
    *,
    extra_shapes: Iterable[str | PathLike[str]] = (),
    extra_data: rdflib.Graph | None = None,
    on_rule: Callable[[int, int], None] | None = None,
    threads: int = 1,
    sources: Iterable[str | PathLike[str]] | None = None,
    kept: tuple[list[_Finding], dict[rdflib.term.Node, str]] | None = None,
    own_rules: bool | rdflib.Graph = True,
    data_graph: Callable[[], rdflib.Graph] | None = None,
) -> ValidationReport:
    """Validate the union of the graphs of a pyoxigraph store with pmgraph's engine.

    ``on_rule(done, total)`` is called as the compiled checks complete (for progress display);
    ``threads`` checks run at once. A store keeps numbers in canonical form (``"0.50"`` as
    ``0.5``): a reported number is read back as written from ``sources``, the files the store was
    loaded from, or else from the files its named graphs are named after. Each result's
    ``sources`` are its places in ``sources`` (none when it is not given).

    The store must already hold the ontology: :func:`pmgraph.rdf.reading.load_store` the files, then :func:`pmgraph.ontology.add_ontology`.
    Extra shapes (checked against the SHACL-for-SHACL shapes first) run on the engine beside
    pmgraph's; a shape the engine cannot evaluate is routed alone to pySHACL
    (:mod:`pmgraph.validation.routing`), over ``extra_data`` or else ``data_graph()`` (the same data
    as an rdflib graph), plus the ontology. ``own_rules=False`` leaves pmgraph's rules and
    ontology out (``pmgraph shacl``); a graph of them (:func:`rules`) is used as it is, so that the
    findings' blank property shapes are its own. ``kept``: the findings of pmgraph's rules on this store and
    their focus nodes' labels, kept by :func:`keep_findings`, used instead of running its rules.
    """
    from pmgraph.validation.routing import check_shapes

    own = own_rules if isinstance(own_rules, rdflib.Graph) else rules() if own_rules else rdflib.Graph()
    extra_shapes = list(extra_shapes)
    extra = rules_from(extra_shapes)
    shapes = own + extra

    def routed_data() -> rdflib.Graph:
        # pySHACL's data, made only when a shape is routed to it (at a million triples, reading
        # them into rdflib takes longer than validating them with the engine)
        graph = _union(extra_data if extra_data is not None else data_graph() if data_graph is not None else rdflib.Graph())
        if own_rules is not False:
            graph.parse(ontology_file(), format="turtle")
        return graph

    labels: dict[rdflib.term.Node, str] = {}
    kept_findings: list[_Finding] = []
    run = shapes
    if kept is not None and own_rules is not False:  # pmgraph's rules found these already: only the extra shapes run
        kept_findings, labels = list(kept[0]), dict(kept[1])
        run = extra
    findings = kept_findings + _as_written(
        check_shapes(
            store, run, routed_data, union=True, on_check=on_rule, threads=threads,
            joined=set(own.objects(None, SH.sparql)),  # pmgraph's rules: compared with pySHACL in the tests
            shape_files=extra_shapes,
        ),
        store,
        extra_data,
        None if sources is None else [Path(f) for f in sources],
    )
    focus_nodes = {f.focus for f in findings} - labels.keys()
    places = _sources_of(findings, [Path(f) for f in sources] if sources is not None else ())
    return _report(findings, shapes, {**labels, **_labels_in_store(store, focus_nodes)}, places)


def _sources_of(findings: list[_Finding], files: Sequence[Path]) -> Callable[[_Finding], tuple[Source, ...]]:
    """Where each finding is stated in ``files``: its focus node's statements of its path (of its
    value, when among them), or else its type statements (:func:`pmgraph.rdf.places.statement_places`)."""
    from pmgraph.rdf.places import statement_places
    from pmgraph.rdf.terms import oxigraph_term

    typed = f"<{RDF.type}>"
    wanted = set()
    for finding in findings:
        if isinstance(finding.focus, rdflib.URIRef):
            wanted.add((f"<{finding.focus}>", typed))
            if isinstance(finding.path, rdflib.URIRef):
                wanted.add((f"<{finding.focus}>", f"<{finding.path}>"))
    places = statement_places(files, wanted) if files and wanted else {}

    def sources(finding: _Finding) -> tuple[Source, ...]:
        if not isinstance(finding.focus, rdflib.URIRef):
            return ()  # a blank node cannot be found again in its file
        subject = f"<{finding.focus}>"
        stated = places.get((subject, f"<{finding.path}>"), []) if isinstance(finding.path, rdflib.URIRef) else []
        if finding.value is not None and stated:
            value = str(oxigraph_term(finding.value))
            # (a JSON-LD place is the node's, for every value; an N-Quads line ends with its graph)
            stated = [(v, place) for v, place in stated if v is None or v == value or v.startswith(value + " ")] or stated
        stated = stated or places.get((subject, typed), [])
        return tuple(dict.fromkeys(place for _value, place in stated))

    return sources


# Datatypes whose literals a pyoxigraph store keeps in canonical form rather than as written.
_CANONICALISED = {
    str(XSD[name])
    for name in (
        "decimal", "integer", "double", "float", "boolean", "nonNegativeInteger", "positiveInteger",
        "nonPositiveInteger", "negativeInteger", "long", "int", "short", "byte", "unsignedLong",
        "unsignedInt", "unsignedShort", "unsignedByte", "dateTime", "time", "duration",
    )
}


def _as_written(
    findings: list[_Finding], store: object, source: rdflib.Graph | None, files: list[Path] | None = None
) -> list[_Finding]:
    """The findings with each literal value as the input wrote it.

    A pyoxigraph store keeps typed literals in canonical form (``"500000.0"^^xsd:double`` comes
    back as ``"500000"``); a result must name the literal the file holds. It is found again in
    ``source`` when given, else in the files the store's named graphs came from (each read once).
    """
    wanted = {
        (f.focus, f.path)
        for f in findings
        if isinstance(f.value, rdflib.Literal) and f.path is not None and str(f.value.datatype) in _CANONICALISED
    }
    if not wanted:
        return findings
    written: dict[tuple[rdflib.term.Node, rdflib.term.Node], list[rdflib.term.Node]] = {}
    if source is not None:
        for s, p in wanted:  # each looked up, not the whole graph read
            written[(s, p)] = list(source.objects(s, p)) if not isinstance(source, rdflib.Dataset) else [
                o for _s, _p, o, _g in source.quads((s, p, None, None))
            ]
    else:
        written = _written_in_files(wanted, store, files)

    def restored(finding: _Finding) -> _Finding:
        if (finding.focus, finding.path) not in wanted or not isinstance(finding.value, rdflib.Literal):
            return finding  # (a count of the same property of the same node has no value)
        for candidate in sorted(written.get((finding.focus, finding.path), []), key=str):
            if isinstance(candidate, rdflib.Literal) and candidate.datatype == finding.value.datatype and _same_value(candidate, finding.value):
                return dataclasses.replace(finding, value=candidate)
        for candidate in sorted(written.get((finding.focus, finding.path), []), key=str):
            # an ill-typed literal ("300"^^xsd:byte) a store keeps under another datatype
            if isinstance(candidate, rdflib.Literal) and str(candidate) == str(finding.value):
                return dataclasses.replace(finding, value=candidate)
        return finding

    return [restored(f) for f in findings]


def _same_value(written: rdflib.Literal, stored: rdflib.Literal) -> bool:
    """Whether a literal as written and as a store keeps it are the same value (an ill-typed one,
    which rdflib cannot compare, only when written the same)."""
    try:
        return bool(written.eq(stored))
    except TypeError:
        return str(written) == str(stored)


def _written_in_files(
    wanted: set[tuple[rdflib.term.Node, rdflib.term.Node]], store: object, files: list[Path] | None
) -> dict[tuple[rdflib.term.Node, rdflib.term.Node], list[rdflib.term.Node]]:
    """The objects of the wanted (subject, predicate) pairs as written in ``files``, or else in the
    files that the store's named graphs are named after."""
    from urllib.parse import unquote, urlparse

    import pyoxigraph

    from pmgraph.rdf.places import lines_stating_in
    from pmgraph.rdf.reading import RDF_FILE_FORMATS
    from pmgraph.rdf.terms import oxigraph_term, rdflib_term

    uris = {Path(os.path.abspath(file)).as_uri() for file in files} if files is not None else set()
    for subject, predicate in wanted if files is None else ():
        for quad in store.quads_for_pattern(oxigraph_term(subject), oxigraph_term(predicate), None, None):  # type: ignore[attr-defined]
            if isinstance(quad.graph_name, pyoxigraph.NamedNode) and quad.graph_name.value.startswith("file:"):
                uris.add(quad.graph_name.value)
    keys = {(oxigraph_term(s), oxigraph_term(p)): (s, p) for s, p in wanted}
    predicates = frozenset(f"<{p}>".encode() for _s, p in wanted)
    subjects = frozenset(str(oxigraph_term(s)).encode() for s, _p in wanted)
    written: dict[tuple[rdflib.term.Node, rdflib.term.Node], list[rdflib.term.Node]] = {}
    for uri in sorted(uris):
        file = Path(unquote(urlparse(uri).path))
        rdf_format = RDF_FILE_FORMATS.get(file.suffix.lower())
        if rdf_format is None or not file.is_file():
            continue
        source: dict[str, object] = {"path": str(file)}
        if rdf_format in (pyoxigraph.RdfFormat.N_TRIPLES, pyoxigraph.RdfFormat.N_QUADS):
            # One statement per line: only the lines of the wanted properties need parsing (a large
            # file is often N-Triples, and parsing all of it again costs as much as loading it).
            lines = lines_stating_in(file, predicates, subjects)
            if lines is not None:
                source = {"input": lines}
        for triple in pyoxigraph.parse(**source, format=rdf_format, base_iri=uri):
            key = keys.get((triple.subject, triple.predicate))
            if key is not None:
                written.setdefault(key, []).append(rdflib_term(triple.object))
    return written


def _in_report_order(result: ValidationResult) -> tuple:
    """Severity, then focus, shape, path, value and message; blank nodes' labels (new ones on
    every run) only break the last ties, so that a report reads the same on every run but for
    those labels."""

    def steady(text: str | None) -> str:
        return "_:" if text and text.startswith("_:") else text or ""

    return (
        _SEVERITY_ORDER[result.severity], steady(result.focus), steady(result.shape), result.path or "",
        steady(result.value), result.message, result.focus, result.shape, result.value or "",
    )


def _report(
    findings: list[_Finding],
    shapes: rdflib.Graph,
    labels: Mapping[rdflib.term.Node, str],
    sources: Callable[[_Finding], tuple[Source, ...]] = lambda _finding: (),
) -> ValidationReport:
    results = sorted({_result(finding, shapes, labels, sources(finding)) for finding in findings}, key=_in_report_order)
    counts = {name: 0 for name in _SEVERITY_ORDER}
    for result in results:
        counts[result.severity] += 1
    return ValidationReport(
        conforms=counts["Violation"] == 0,
        results=tuple(results),
        counts=types.MappingProxyType(counts),
        findings=tuple(findings),
    )


def _labels_in(graph: rdflib.Graph) -> dict[rdflib.term.Node, str]:
    return {s: str(o) for s, o in sorted(graph.subject_objects(RDFS.label), reverse=True)}


def _labels_in_store(store: object, nodes: set[rdflib.term.Node]) -> dict[rdflib.term.Node, str]:
    """The smallest rdfs:label of each IRI among ``nodes``."""
    from pmgraph.rdf.terms import oxigraph_term, rdflib_term

    iris = [n for n in nodes if isinstance(n, rdflib.URIRef)]
    labels: dict[rdflib.term.Node, str] = {}
    for start in range(0, len(iris), 500):
        values = " ".join(oxigraph_term(n).__str__() for n in iris[start : start + 500])
        query = f"SELECT ?node (MIN(STR(?label)) AS ?name) WHERE {{ VALUES ?node {{ {values} }} ?node <{RDFS.label}> ?label }} GROUP BY ?node"
        for row in store.query(query, use_default_graph_as_union=True):  # type: ignore[attr-defined]
            labels[rdflib_term(row["node"])] = row["name"].value
    return labels


def rules_from(paths: Iterable[str | PathLike[str]]) -> rdflib.Graph:
    """A new graph of the SHACL shapes in the given files (Turtle, or any syntax :func:`pmgraph.load` reads).

    The files are read as data files are, by :func:`pmgraph.load`: a file that cannot be read is an
    :class:`pmgraph.InputError` naming it as given, with the line where known; a file whose shapes
    break the W3C's SHACL-for-SHACL shapes is an :class:`pmgraph.errors.InvalidShape` naming it
    (:mod:`pmgraph.validation.shapes_check`). A Turtle file nested
    deeper than :data:`pmgraph.rdf.limits.MAX_NESTING` levels is refused
    (:func:`pmgraph.rdf.limits.check_shapes_nesting`).
    """
    from pmgraph.errors import InputError
    from pmgraph.rdf.limits import check_shapes_nesting
    from pmgraph.rdf.reading import load, read_rdf_file
    from pmgraph.validation.shapes_check import check_shapes_graph

    shapes = rdflib.Graph()
    for path in paths:
        if Path(path).is_dir():  # load() would read every RDF file below it
            raise InputError(path, "is a directory; give the shapes files")
        check_shapes_nesting(path, *read_rdf_file(Path(path)))
        graph = _union(load(path))
        check_shapes_graph(graph, path)
        shapes += graph
    return shapes


def _result(
    finding: _Finding, shapes: rdflib.Graph, labels: Mapping[rdflib.term.Node, str], sources: tuple[Source, ...] = ()
) -> ValidationResult:
    label = labels.get(finding.focus)
    return ValidationResult(
        severity=_SEVERITIES.get(finding.severity, "Violation"),
        focus=_text(finding.focus) or "",
        path=_text(finding.path) if isinstance(finding.path, rdflib.URIRef) else None,
        value=_text(finding.value),
        message=finding.message,
        shape=_named_shape(finding.shape, shapes),
        focus_label=str(label) if label is not None else None,
        sources=sources,
    )


def _report_graph(findings: Iterable[_Finding], conforms: bool) -> rdflib.Graph:
    """The SHACL validation report (sh:ValidationReport) of the findings."""
    report = rdflib.Graph()
    report.bind("sh", SH)
    root = rdflib.BNode()
    report.add((root, RDF.type, SH.ValidationReport))
    report.add((root, SH.conforms, rdflib.Literal(conforms)))
    for finding in findings:
        node = rdflib.BNode()
        report.add((root, SH.result, node))
        report.add((node, RDF.type, SH.ValidationResult))
        report.add((node, SH.resultSeverity, finding.severity))
        report.add((node, SH.focusNode, finding.focus))
        report.add((node, SH.resultMessage, rdflib.Literal(finding.message)))
        report.add((node, SH.sourceShape, finding.shape))
        if finding.path is not None:
            report.add((node, SH.resultPath, finding.path))
        if finding.value is not None:
            report.add((node, SH.value, finding.value))
    return report


def _union(data: rdflib.Graph) -> rdflib.Graph:
    """A new plain graph with every triple of ``data`` (all graphs of a Dataset)."""
    union = rdflib.Graph()
    if isinstance(data, rdflib.Dataset | rdflib.ConjunctiveGraph):
        for s, p, o, _g in data.quads((None, None, None, None)):
            union.add((s, p, o))
    else:
        for triple in data:
            union.add(triple)
    bind_prefixes(union, data.namespaces(), override=False)
    return union


def _named_shape(shape: rdflib.term.Node | None, shapes: rdflib.Graph) -> str:
    """The IRI of a shape; a property shape without IRI is named by its node shape."""
    if isinstance(shape, rdflib.BNode):
        parent = shapes.value(predicate=SH.property, object=shape)
        if parent is not None:
            return _named_shape(parent, shapes)
    return _text(shape) or ""


def _text(term: rdflib.term.Node | None) -> str | None:
    if term is None:
        return None
    if isinstance(term, rdflib.BNode):
        return f"_:{term}"
    return str(term)


def validate_endpoint(endpoint: Endpoint) -> ValidationReport:
    """Validate the data on a SPARQL server against pmgraph's rules, on the server.

    Every rule is one query there (pmgraph's engine, :mod:`pmgraph.validation.engine`); only the
    failures come back. The server must hold the data and the ontology in the union of its
    graphs, as :func:`push` leaves them. The report is the one :func:`pmgraph.validate` gives
    on the same data.

    Raises
    ------
    EndpointError
        If the server cannot be used, or lacks pmgraph's ontology.
    """
    from pmgraph.organisation import Organisation

    return validate(Organisation.at_endpoint(endpoint))


def validate_stored(
    store: pyoxigraph.Store,
    *,
    engine: str = "pmgraph",
    extra_shapes: Iterable[str | os.PathLike[str]] = (),
    on_rule: Callable[[int, int], None] | None = None,
    threads: int = 1,
) -> ValidationReport:
    """Validate the data of a store that :func:`open_store` opened, as :func:`pmgraph.validate` does the files.

    Values are reported as the store holds them (numbers in canonical form), without reading the
    files again: they may have changed or gone since the push.

    Parameters
    ----------
    engine : {"pmgraph", "pyshacl"}, default "pmgraph"
        As for :func:`pmgraph.validate`; pySHACL works on a copy of the data in rdflib.
    extra_shapes : sequence of paths, optional
        Further SHACL shape files, checked by pySHACL on a copy of the data in rdflib.
    on_rule, threads
        As for :func:`pmgraph.validation.validator.validate_store`.
    """
    from pmgraph.organisation import Organisation

    organisation = Organisation(store, where="disk")
    return validate(organisation, engine=engine, extra_shapes=extra_shapes, on_rule=on_rule, threads=threads)  # type: ignore[arg-type]
