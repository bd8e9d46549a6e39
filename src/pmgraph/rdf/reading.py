"""Reading RDF files into an rdflib dataset, and writing graphs back out.

Files are parsed with pyoxigraph, which is much faster than rdflib's parsers
and reports the line of a syntax error, then handed over as plain rdflib terms.
Every triple keeps the file it came from: :func:`load` puts each file in a
named graph of its own.

Literals keep their lexical form exactly (``"310000"^^xsd:decimal`` stays
``"310000"``, ``"01"^^xsd:integer`` stays ``"01"``), in the dataset and in
what :func:`dump` writes.
"""

from __future__ import annotations

import errno
import hashlib
import logging
import os
import re
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

import pyoxigraph
from pyoxigraph import RdfFormat
from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.term import Node

from pmgraph.errors import InputError
from pmgraph.rdf.limits import PARSER_BUFFER_BYTES, check_rdf_input, parser_buffer_limit, term_too_long
from pmgraph.rdf.prefixes import bind_prefixes
from pmgraph.rdf.syntax_check import StrictCheck, worth_checking_apart
from pmgraph.rdf.terms import rdflib_term

if TYPE_CHECKING:
    from pmgraph.rdf.store import OxigraphStore

__all__ = ["load", "load_store", "load_merged_store", "read_statements", "Statements", "InputError", "rdf_files"]

#: File extensions read as RDF, and their syntax. ``.owl`` files are read as
#: RDF/XML, the usual syntax of OWL files.
RDF_FILE_FORMATS: dict[str, RdfFormat] = {
    ".ttl": RdfFormat.TURTLE,
    ".turtle": RdfFormat.TURTLE,
    ".nt": RdfFormat.N_TRIPLES,
    ".nq": RdfFormat.N_QUADS,
    ".trig": RdfFormat.TRIG,
    ".jsonld": RdfFormat.JSON_LD,
    ".rdf": RdfFormat.RDF_XML,
    ".owl": RdfFormat.RDF_XML,
}

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
# pyoxigraph starts its messages with the position, which InputError says already.
_PARSER_POSITION = re.compile(r"^Parser error [^:]*:\s*")
_LONGEST_DETAIL = 200


def rdf_files(*paths: str | os.PathLike[str]) -> list[Path]:
    """List the RDF files that the given files and folders name.

    A folder stands for every RDF file below it, found by extension
    (``.ttl``, ``.turtle``, ``.nt``, ``.nq``, ``.trig``, ``.jsonld``, ``.rdf``,
    ``.owl``) and sorted by path; files and folders whose name starts with a
    dot (``.git``, ``.venv``) are skipped. A file given by name is taken as it
    is and must have one of those extensions. A file named twice is listed
    once, where it first appears.

    Parameters
    ----------
    *paths : str or os.PathLike
        Files and folders.

    Returns
    -------
    list of pathlib.Path
        The files, in the order given, folders expanded in sorted order.

    Raises
    ------
    InputError
        If a path does not exist, a file has an unknown extension, or a folder
        holds no RDF file.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     for name in ("b.ttl", "a.nt", "notes.txt", "sub/c.trig"):
    ...         path = pathlib.Path(folder, name)
    ...         path.parent.mkdir(exist_ok=True)
    ...         _ = path.write_text("")
    ...     [path.relative_to(folder).as_posix() for path in rdf_files(folder)]
    ['a.nt', 'b.ttl', 'sub/c.trig']
    """
    found: dict[str, Path] = {}
    for given in paths:
        path = Path(given)
        try:
            mode = os.stat(path).st_mode
            if stat.S_ISDIR(mode):
                files = _rdf_files_below(path)
            elif stat.S_ISREG(mode):
                _rdf_format(path)
                files = [path]
            else:
                raise InputError(path, f"not a regular file but {_file_kind(mode)}; pmgraph reads files and folders")
        except OSError as error:
            raise InputError(path, os_reason(error)) from error
        for file in files:
            found.setdefault(os.path.abspath(file), file)
    return list(found.values())


def load(*paths: str | os.PathLike[str]) -> Dataset:
    """Read RDF files and folders into one dataset, a named graph per file.

    The triples of a file go in the named graph whose IRI is the file's
    absolute ``file:`` URI (``Path.as_uri()``). The quads of a named graph
    ``G`` inside a TriG or N-Quads file ``F`` go in the graph
    ``<F's URI>#graph=<G>`` (``G`` percent-encoded where an IRI fragment
    needs it, ``_:id`` for a blank node), so that every triple keeps its file.
    Every file has its graph, even when it holds no triple. The dataset's
    default graph is empty and ``default_union`` is on: a query sees every
    triple without naming a graph.

    Blank nodes of different files stay distinct: each is renamed to an id
    made of a digest of its file's content and a counter, which is also the
    same from one run and one machine to the next. Literals keep their
    lexical form and datatype exactly; ``xsd:string`` literals become plain
    literals, as rdflib's own parsers make them. Relative IRIs are resolved
    against the file's URI. Prefixes declared in the files are bound in the
    dataset.

    The dataset's store is pyoxigraph (:class:`pmgraph.rdf.store.OxigraphStore`):
    :func:`pmgraph.validate`, :func:`pmgraph.query` and the overlap analyses
    query it as it is, without copying a statement.

    Parameters
    ----------
    *paths : str or os.PathLike
        Files and folders, as for :func:`rdf_files`.

    Returns
    -------
    rdflib.Dataset

    Raises
    ------
    InputError
        If a path is missing, a file cannot be read, or is not valid in the
        syntax its extension names; with the line where it is known.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = pathlib.Path(folder, "apollo.ttl")
    ...     _ = path.write_text(
    ...         '@prefix ex: <https://example.org/> .\\n'
    ...         '@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\\n'
    ...         'ex:apollo ex:budget "310000"^^xsd:decimal .\\n'
    ...     )
    ...     dataset = load(folder)
    ...     [str(g.identifier) == path.as_uri() for g in dataset.graphs() if len(g)]
    [True]
    >>> from rdflib import URIRef
    >>> budget = dataset.value(URIRef("https://example.org/apollo"), URIRef("https://example.org/budget"))
    >>> str(budget), budget.datatype.removeprefix("http://www.w3.org/2001/XMLSchema#")
    ('310000', 'decimal')
    """
    from pmgraph.rdf.store import OxigraphStore

    store = OxigraphStore()
    dataset = Dataset(store=store, default_union=True)
    digests: set[str] = set()
    for path in rdf_files(*paths):
        with parser_buffer_limit(path, _rdf_format(path)):
            _load_file(dataset, store, path, digests)
    return dataset


def _rdf_format(path: Path) -> RdfFormat:
    """Return the syntax of an RDF file named by the user, from its extension."""
    suffix = path.suffix.lower()
    if suffix in RDF_FILE_FORMATS:
        return RDF_FILE_FORMATS[suffix]
    known = " ".join(RDF_FILE_FORMATS)
    found = f"unknown file extension {path.suffix!r}" if suffix else "no file extension"
    raise InputError(path, f"{found}; RDF files end in one of: {known}")


def _rdf_files_below(folder: Path) -> list[Path]:
    """Return the RDF files below a folder, sorted, hidden ones left out."""

    def refuse(error: OSError) -> None:
        raise InputError(error.filename or folder, os_reason(error)) from error

    files = []
    for root, folders, names in os.walk(folder, onerror=refuse):
        folders[:] = [name for name in folders if not name.startswith(".")]
        files.extend(
            Path(root, name)
            for name in names
            if not name.startswith(".") and Path(name).suffix.lower() in RDF_FILE_FORMATS and _data_file(Path(root, name))
        )
    if not files:
        raise InputError(folder, f"no RDF file in this folder (looked for {' '.join(RDF_FILE_FORMATS)})")
    return sorted(files)


def _data_file(path: Path) -> bool:
    """Whether a file found in a folder is data: a regular file (or a link to one), not a named pipe,
    socket or device, which reading would wait on forever. A broken link counts, to be told as such."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return True


def _file_kind(mode: int) -> str:
    """``a named pipe (FIFO)``, ``a socket``...: what a file that is not a regular file is."""
    kinds = {
        stat.S_ISFIFO: "a named pipe (FIFO)",
        stat.S_ISSOCK: "a socket",
        stat.S_ISCHR: "a character device",
        stat.S_ISBLK: "a block device",
    }
    return next((kind for test, kind in kinds.items() if test(mode)), "a special file")


def os_reason(error: OSError) -> str:
    """Say what an OSError means in a few lowercase words."""
    if error.errno == errno.ELOOP:  # the system says "too many levels of symbolic links"
        return "symbolic link loop (a link that leads back to itself)"
    reason = error.strerror or str(error)
    return reason[:1].lower() + reason[1:]


def read_rdf_file(path: Path) -> tuple[RdfFormat, bytes]:
    """Read an RDF file whole, checked for what would crash its parser, before any parser sees it.

    Every reader of RDF files goes through here (:func:`load`, :func:`load_store`, a push to a
    server, extra shapes), so they all refuse the same files with the same message.

    Returns
    -------
    tuple of pyoxigraph.RdfFormat and bytes
        The syntax its extension names, and its content (empty for an empty file, which is an
        empty graph in every syntax, JSON-LD and RDF/XML included).

    Raises
    ------
    InputError
        If the extension is unknown, the file cannot be read, or :func:`pmgraph.rdf.limits.check_rdf_input`
        refuses it.
    """
    rdf_format = _rdf_format(path)
    try:
        content = path.read_bytes()
    except OSError as error:
        raise InputError(path, os_reason(error)) from error
    if content:
        check_rdf_input(path, rdf_format, content)
    return rdf_format, content


def _load_file(dataset: Dataset, store: OxigraphStore, path: Path, digests: set[str]) -> None:
    """Parse one file into its named graphs of `dataset`."""
    file_uri = Path(os.path.abspath(path)).as_uri()
    if _rdf_format(path) == RdfFormat.N_TRIPLES:
        from pmgraph.rdf.n_triples import load_n_triples

        dataset.graph(URIRef(file_uri))
        try:
            error = load_n_triples(store, path, file_uri, lambda digest: _blank_node_prefix(b"", digests, digest))
        except OSError as error:
            raise InputError(path, os_reason(error)) from error
        if error is not None:
            raise syntax_error(path, RdfFormat.N_TRIPLES, error) from None
        return
    rdf_format, content = read_rdf_file(path)
    file_graph = dataset.graph(URIRef(file_uri))
    if not content:
        return
    terms = _RdflibTerms(blank_node_prefix=_blank_node_prefix(content, digests))
    graphs: dict[Node, Graph] = {}
    quads = []
    parser = pyoxigraph.parse(input=content, format=rdf_format, base_iri=file_uri)
    try:
        with quiet_literal_conversion():
            for quad in parser:
                graph = file_graph
                if not isinstance(quad.graph_name, pyoxigraph.DefaultGraph):
                    name = quad.graph_name
                    if name not in graphs:
                        inner = name.value if isinstance(name, pyoxigraph.NamedNode) else f"_:{terms(name)}"
                        graphs[name] = dataset.graph(URIRef(f"{file_uri}#graph={graph_fragment(inner)}"))
                    graph = graphs[name]
                quads.append((terms(quad.subject), terms(quad.predicate), terms(quad.object), graph))
    except SyntaxError as error:
        raise syntax_error(path, rdf_format, error) from error
    except ValueError as error:  # an RDF 1.2 term, which rdflib cannot hold
        raise InputError(path, str(error)) from error
    dataset.addN(quads)
    bind_prefixes(dataset, parser.prefixes.items())


def syntax_error(path: Path, rdf_format: RdfFormat, error: SyntaxError) -> InputError:
    """The InputError for a parser's SyntaxError: the file, the line, the column and what is wrong."""
    detail = _PARSER_POSITION.sub("", error.msg or str(error))
    if "LoadDocumentCallback" in detail:  # pyoxigraph's words for a remote JSON-LD @context
        detail = "its @context is a URL, and pmgraph never fetches anything: write the context in the file"
    if len(detail) > _LONGEST_DETAIL:  # the parser may quote megabytes of the input
        detail = detail[:_LONGEST_DETAIL] + "..."
    where = f" at column {error.offset}" if error.lineno is not None and error.offset else ""
    return InputError(path, f"invalid {rdf_format.name}{where}: {detail}", line=error.lineno)


def load_store(*paths: str | os.PathLike[str]) -> pyoxigraph.Store:
    """Read RDF files and folders straight into the default graph of a new in-memory pyoxigraph store.

    The fast path for whole portfolios (validation, queries, analyses): no rdflib objects are
    made. The default graph holds the union of the files as :func:`load` reads them: each triple
    once however many files (or graphs of a TriG file) state it, so that a sum over the data
    counts a value two teams both state once. Blank nodes of different files stay distinct.

    Raises
    ------
    InputError
        As :func:`load` does.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     _ = pathlib.Path(folder, "a.ttl").write_text('<https://e.org/a> <https://e.org/p> "x" .')
    ...     _ = pathlib.Path(folder, "b.nt").write_text('<https://e.org/b> <https://e.org/p> "y" .')
    ...     _ = pathlib.Path(folder, "c.nt").write_text('<https://e.org/b> <https://e.org/p> "y" .')
    ...     len(load_store(folder))
    2
    """
    return _merged_store(paths, namespaces=None)


def load_merged_store(*paths: str | os.PathLike[str]) -> tuple[pyoxigraph.Store, dict[str, str]]:
    """Read RDF files and folders into the default graph of a new in-memory store, with their prefixes.

    The fast way to ask the files questions (``pmgraph query``): the store's default graph holds
    the union of :func:`load`'s graphs, each triple once however many files (or graphs of a
    TriG file) state it, and no rdflib objects are made. Each file is parsed once, for its
    triples and its prefixes. Blank nodes of different files stay distinct.

    Returns
    -------
    tuple of pyoxigraph.Store and dict
        The store, and the prefixes :func:`load` binds in its dataset: rdflib's usual ones, then
        those the files declare, in the order of the files (a later file may bind a prefix again).

    Raises
    ------
    InputError
        As :func:`load` does.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     _ = pathlib.Path(folder, "a.ttl").write_text('@prefix ex: <https://e.org/> . ex:a ex:p "x" .')
    ...     _ = pathlib.Path(folder, "b.nt").write_text('<https://e.org/a> <https://e.org/p> "x" .')
    ...     store, prefixes = load_merged_store(folder)
    >>> len(store), prefixes["ex"]
    (1, 'https://e.org/')
    """
    namespaces = Dataset()  # binds prefixes as load() does, rdflib's own rules for a clash included
    store = _merged_store(paths, namespaces)
    return store, {prefix: str(namespace) for prefix, namespace in namespaces.namespaces()}


def _merged_store(paths: tuple[str | os.PathLike[str], ...], namespaces: Dataset | None) -> pyoxigraph.Store:
    """Every triple of the files, once, in the default graph of a new store; the prefixes the
    files declare are bound in ``namespaces`` when it is given."""
    store = pyoxigraph.Store()
    for path in rdf_files(*paths):
        with parser_buffer_limit(path, _rdf_format(path)):
            _merge_file(store, path, namespaces)
    return store


def _merge_file(store: pyoxigraph.Store, path: Path, namespaces: Dataset | None) -> None:
    """Add one file's triples to the default graph of `store`; its prefixes to `namespaces` when given."""
    default = pyoxigraph.DefaultGraph()
    file_uri = Path(os.path.abspath(path)).as_uri()
    rdf_format = _rdf_format(path)
    # the store's own loader, the fastest, when there are no prefixes to read
    whole = not rdf_format.supports_datasets and (namespaces is None or rdf_format == RdfFormat.N_TRIPLES)
    if whole and worth_checking_apart(path, rdf_format):
        _load_checked_apart(store, path, rdf_format, file_uri)
        return
    _, content = read_rdf_file(path)
    if not content:
        return
    try:
        if whole:
            store.load(input=content, format=rdf_format, base_iri=file_uri, to_graph=default)
            return
        parser = pyoxigraph.parse(input=content, format=rdf_format, base_iri=file_uri, rename_blank_nodes=True)
        store.extend(pyoxigraph.Quad(q.subject, q.predicate, q.object, default) for q in parser)
    except SyntaxError as error:
        raise syntax_error(path, rdf_format, error) from error
    if namespaces is not None:
        bind_prefixes(namespaces, parser.prefixes.items())


def _load_checked_apart(store: pyoxigraph.Store, path: Path, rdf_format: RdfFormat, file_uri: str) -> None:
    """Load a large file into the default graph leniently while a child process parses it
    strictly (:mod:`pmgraph.rdf.syntax_check`): as fast as pyoxigraph loads, as strict as it parses."""
    try:
        with open(path, "rb"):  # unreadable: said here, before anything starts
            pass
    except OSError as error:
        raise InputError(path, os_reason(error)) from error
    lenient_error = None
    with StrictCheck(path, rdf_format, file_uri) as check:
        try:
            store.load(
                path=os.fspath(path), format=rdf_format, base_iri=file_uri,
                to_graph=pyoxigraph.DefaultGraph(), lenient=True,
            )
        except SyntaxError as error:  # the strict parser meets it too, or an earlier one
            lenient_error = error
    error = check.error or lenient_error
    if error is not None:
        raise syntax_error(path, rdf_format, error) from None


def _blank_node_prefix(content: bytes, digests: set[str], digest: str | None = None) -> str:
    """Return a blank-node id prefix for a file, unique within one load.

    The prefix comes from the file's content, not its place, so the same
    files give the same ids on any machine; a second file with the very same
    content gets a prefix of its own. ``digest`` is the SHA-256 of the
    content (hex) when it is known already.
    """
    digest = digest or hashlib.sha256(content).hexdigest()
    while digest[:16] in digests:
        digest = hashlib.sha256(digest.encode("ascii")).hexdigest()
    digests.add(digest[:16])
    return f"b{digest[:16]}x"


def graph_fragment(text: str) -> str:
    """Percent-encode what may not stand in an IRI fragment (``#``, spaces...)."""
    return quote(text, safe="!$&'()*+,;=:@/?-._~")


class _RdflibTerms:
    """Convert the pyoxigraph terms of one file to rdflib terms, its blank nodes renamed with its prefix."""

    def __init__(self, blank_node_prefix: str):
        self._prefix = blank_node_prefix
        self._blank_nodes: dict[str, BNode] = {}

    def _blank_node(self, label: str) -> BNode:
        node = self._blank_nodes.get(label)
        if node is None:
            node = self._blank_nodes[label] = BNode(f"{self._prefix}{len(self._blank_nodes)}")
        return node

    def __call__(self, term: object) -> Node:
        return rdflib_term(term, self._blank_node)


class _DropLiteralConversionWarnings(logging.Filter):
    """Drop rdflib's warning, with traceback, for an ill-typed literal."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("Failed to convert Literal lexical form")


@contextmanager
def quiet_literal_conversion() -> Iterator[None]:
    """Silence rdflib's ill-typed literal warnings while a file is converted.

    rdflib logs a warning with a traceback for a literal such as
    ``"abc"^^xsd:integer``; with no logging configured Python prints it on
    stderr. The literal is kept as it is (rdflib marks it ``ill_typed``), and
    the rules report it, so the warning is only noise for pmgraph's users.
    """
    logger = logging.getLogger("rdflib.term")
    quiet = _DropLiteralConversionWarnings()
    logger.addFilter(quiet)
    try:
        yield
    finally:
        logger.removeFilter(quiet)


class Statements:
    """What RDF files state, read as :func:`load` reads them, held as text rather than rdflib terms.

    The fast way in for whole-portfolio work that must keep every term exactly as written (merge,
    diff): pyoxigraph parses, and each statement without a blank node is kept as its N-Triples
    text (``<s> <p> "o"``, no final dot), which sorts, compares and hashes in C. Statements with
    a blank node are kept apart as pyoxigraph terms, their blank nodes labelled exactly as
    :func:`load` labels them. Built by :func:`read_statements`.

    Attributes
    ----------
    files : list of pathlib.Path
        The files read, in order.
    graphs : dict of str to set of str
        For each graph :func:`load` would make (named by the file's URI, or ``<URI>#graph=<G>``),
        the N-Triples text of its statements without a blank node.
    blank : list of tuple
        ``(subject, predicate, object, graph)``: the statements holding a blank node, as
        pyoxigraph terms, the graph named as in `graphs`.
    selected : list of tuple
        ``(subject, predicate, object, graph)`` for every statement whose predicate was asked for
        (``select``), blank or not, as pyoxigraph terms.
    namespaces : rdflib.Dataset
        An empty dataset with the prefixes bound exactly as :func:`load` binds them.
    iris : set of pyoxigraph.NamedNode
        Every IRI of the statements: subjects, predicates, objects, and datatypes of literals
        other than ``xsd:string`` and ``rdf:langString`` (graph names aside).
    subjects, objects : set
        The subjects of the statements whose predicate is one of ``subjects_of``, and the IRI
        objects of those whose predicate is one of ``objects_of`` (pyoxigraph terms).
    """

    def __init__(self) -> None:
        self.iris: set[pyoxigraph.NamedNode] = set()
        self.subjects: set[object] = set()
        self.objects: set[pyoxigraph.NamedNode] = set()
        self.files: list[Path] = []
        self.graphs: dict[str, set[str]] = {}
        self.blank: list[tuple[object, object, object, str]] = []
        self.selected: list[tuple[object, object, object, str]] = []
        self.namespaces = Dataset(default_union=True)


def read_statements(
    *paths: str | os.PathLike[str],
    select: frozenset[str] = frozenset(),
    subjects_of: frozenset[str] = frozenset(),
    objects_of: frozenset[str] = frozenset(),
) -> Statements:
    """Read RDF files and folders as :func:`load` does, into a :class:`Statements`.

    Parameters
    ----------
    *paths : str or os.PathLike
        Files and folders, as for :func:`rdf_files`.
    select : frozenset of str
        IRIs of predicates whose statements are also kept as terms, in ``selected``.
    subjects_of, objects_of : frozenset of str
        IRIs of predicates whose statements' subjects (IRI objects) are gathered in ``subjects``
        (``objects``).

    Raises
    ------
    InputError
        As :func:`load` does, with the same message for the same file.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     _ = pathlib.Path(folder, "a.ttl").write_text('<https://e.org/a> <https://e.org/p> "x", [ <https://e.org/q> 1 ] .')
    ...     read = read_statements(folder)
    >>> [sorted(lines) for lines in read.graphs.values()], len(read.blank)
    ([['<https://e.org/a> <https://e.org/p> "x"']], 2)
    """
    statements = Statements()
    digests: set[str] = set()
    watch = tuple(frozenset(pyoxigraph.NamedNode(iri) for iri in iris) for iris in (select, subjects_of, objects_of))
    for path in rdf_files(*paths):
        statements.files.append(path)
        with parser_buffer_limit(path, _rdf_format(path)):
            _read_file_statements(path, statements, digests, watch)
    return statements


def _read_file_statements(
    path: Path, statements: Statements, digests: set[str], watch: tuple[frozenset[pyoxigraph.NamedNode], ...]
) -> None:
    """Parse one file into `statements`, as :func:`_load_file` would into a dataset."""
    rdf_format, content = read_rdf_file(path)
    file_uri = Path(os.path.abspath(path)).as_uri()
    lines = statements.graphs.setdefault(file_uri, set())
    if not content:
        return
    prefix = _blank_node_prefix(content, digests)
    labels: dict[str, pyoxigraph.BlankNode] = {}

    def relabel(node: pyoxigraph.BlankNode) -> pyoxigraph.BlankNode:
        label = labels.get(node.value)
        if label is None:
            label = labels[node.value] = pyoxigraph.BlankNode(f"{prefix}{len(labels)}")
        return label

    blank_node, literal, default_graph = pyoxigraph.BlankNode, pyoxigraph.Literal, pyoxigraph.DefaultGraph
    named_node = pyoxigraph.NamedNode
    iris = statements.iris
    note = iris.add
    plain = {named_node(_XSD_STRING), named_node(_RDF_LANG_STRING)}
    graphs: dict[object, tuple[str, set[str]]] = {}
    parser = pyoxigraph.parse(input=content, format=rdf_format, base_iri=file_uri)
    blank, selected = statements.blank, statements.selected
    select, subjects_of, objects_of = watch
    watched = select | subjects_of | objects_of
    add = lines.add
    datasets = rdf_format.supports_datasets
    try:
        for quad in parser:
            graph, into = file_uri, add
            if datasets:
                name = quad.graph_name
                if type(name) is not default_graph:
                    if name not in graphs:
                        inner = name.value if type(name) is pyoxigraph.NamedNode else f"_:{relabel(name).value}"
                        iri = f"{file_uri}#graph={graph_fragment(inner)}"
                        graphs[name] = (iri, statements.graphs.setdefault(iri, set()))
                    graph, named = graphs[name]
                    into = named.add
            subject, predicate, value = quad.subject, quad.predicate, quad.object
            kind = type(value)
            if kind is literal:
                if value.direction is not None:
                    raise ValueError(f"literals with a base direction (RDF 1.2) are not supported: {value}")
                datatype = value.datatype
                if datatype not in plain:
                    note(datatype)
            elif kind is named_node:
                note(value)
            elif kind is not blank_node:
                raise ValueError(f"triple terms (RDF 1.2) are not supported: {value}")
            note(predicate)
            if type(subject) is named_node:
                note(subject)
            if type(subject) is blank_node or kind is blank_node:
                if type(subject) is blank_node:
                    subject = relabel(subject)
                if kind is blank_node:
                    value = relabel(value)
                blank.append((subject, predicate, value, graph))
            else:
                into(str(quad.triple) if datasets else str(quad))
            if predicate in watched:
                if predicate in select:
                    selected.append((subject, predicate, value, graph))
                if predicate in subjects_of:
                    statements.subjects.add(subject)
                if predicate in objects_of and kind is named_node:
                    statements.objects.add(value)
    except SyntaxError as error:
        raise syntax_error(path, rdf_format, error) from error
    except ValueError as error:  # an RDF 1.2 term, which rdflib cannot hold
        raise InputError(path, str(error)) from error
    # The statements are kept as N-Triples, read again later: no term may be too long to read then
    # (a term escaped in N-Triples is at most 6 times as long as in the file).
    if len(content) * 6 > PARSER_BUFFER_BYTES and any(
        len(line) > PARSER_BUFFER_BYTES for kept in (lines, *(named for _, named in graphs.values())) for line in kept
    ):
        raise term_too_long(path, rdf_format)
    bind_prefixes(statements.namespaces, parser.prefixes.items())
