"""Writing RDF: :func:`dump` (sorted, lexical forms kept) and the one atomic file writer.

Every file pmgraph writes goes through :func:`write_atomically`: a temporary file beside the
target, flushed to the disk, then renamed over it, so that a reader or a crash sees the old file or
the new one, never part of one.

A command that is stopped (Ctrl-C, ``--timeout``) while it writes must leave nothing half-written:
every temporary file or folder is registered while it exists (:func:`removed_if_stopped`), every
rename that puts an output in place runs inside :func:`committing`, and :func:`stop_writing` (called
by the command line before it exits) waits for a rename under way, lets no other begin, and deletes
what is registered. The command's work runs in a thread of its own, which the process then leaves.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import stat
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import BinaryIO

import pyoxigraph
from pyoxigraph import RdfFormat
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

from pmgraph.rdf.prefixes import NamespaceIndex
from pmgraph.rdf.terms import oxigraph_term

__all__ = [
    "dump",
    "write_atomically",
    "atomic_output",
    "sync_folder",
    "removed_if_stopped",
    "committing",
    "stop_writing",
    "DUMP_FORMATS",
]

#: The formats :func:`dump` writes, by name.
DUMP_FORMATS: dict[str, RdfFormat] = {
    "turtle": RdfFormat.TURTLE,
    "nt": RdfFormat.N_TRIPLES,
    "trig": RdfFormat.TRIG,
    "nquads": RdfFormat.N_QUADS,
    "json-ld": RdfFormat.JSON_LD,
    "xml": RdfFormat.RDF_XML,
}


def dump(
    graph: Graph,
    path: str | os.PathLike[str] | None = None,
    format: str = "turtle",
) -> str | None:
    """Serialize a graph or dataset, to a string or to a file.

    Literals are written with their lexical form unchanged, which rdflib's
    own serializers do not guarantee (its Turtle writes ``310000.0`` for
    ``"310000"^^xsd:decimal``). Triples are written in a sorted order, so the
    same graph gives the same bytes. Only the prefixes the data uses are
    declared.

    Parameters
    ----------
    graph : rdflib.Graph
        A graph, or a :class:`rdflib.Dataset`; in ``trig``, ``nquads`` and
        ``json-ld`` a dataset's named graphs are kept, in the other formats
        all its triples are written as one graph.
    path : str or os.PathLike or None, optional
        Where to write. The file is replaced atomically: the text goes to a
        temporary file in the same folder, which then takes the file's name.
        With None (default) the text is returned.
    format : str, optional
        ``"turtle"`` (default), ``"nt"``, ``"trig"``, ``"nquads"``,
        ``"json-ld"`` or ``"xml"`` (RDF/XML).

    Returns
    -------
    str or None
        The serialization when `path` is None, otherwise None.

    Raises
    ------
    ValueError
        If `format` is not one of those above.

    Examples
    --------
    >>> from rdflib import Graph, Literal, URIRef, XSD
    >>> graph = Graph()
    >>> graph.bind("ex", "https://example.org/")
    >>> _ = graph.add((URIRef("https://example.org/apollo"),
    ...                URIRef("https://example.org/budget"),
    ...                Literal("310000", datatype=XSD.decimal)))
    >>> print(dump(graph, format="nt"), end="")
    <https://example.org/apollo> <https://example.org/budget> "310000"^^<http://www.w3.org/2001/XMLSchema#decimal> .
    >>> import pathlib, tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     dump(graph, pathlib.Path(folder, "apollo.ttl"))
    ...     print(pathlib.Path(folder, "apollo.ttl").read_text(), end="")
    @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
    @prefix ex: <https://example.org/> .
    ex:apollo ex:budget "310000"^^xsd:decimal .
    """
    try:
        rdf_format = DUMP_FORMATS[format]
    except KeyError:
        known = ", ".join(DUMP_FORMATS)
        raise ValueError(f"unknown RDF format {format!r}: expected one of {known}") from None
    terms = _OxigraphTerms()
    statements = _sorted_statements(graph, terms, keep_graphs=rdf_format.supports_datasets)
    bound = [(prefix, str(namespace)) for prefix, namespace in graph.namespaces()]
    index = NamespaceIndex(bound)
    used = {namespace for iri in terms.iris for namespace in index.namespaces_of(iri)}
    prefixes = {prefix: namespace for prefix, namespace in bound if namespace in used}
    data = pyoxigraph.serialize(statements, format=rdf_format, prefixes=prefixes)
    if path is None:
        return data.decode("utf-8")
    write_atomically(Path(path), data)
    return None


class _OxigraphTerms:
    """Convert rdflib terms to pyoxigraph terms, noting every IRI seen."""

    def __init__(self) -> None:
        self.iris: set[str] = set()

    def __call__(self, term: Node) -> pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal:
        if isinstance(term, URIRef):
            self.iris.add(str(term))
        elif isinstance(term, Literal) and term.datatype:
            self.iris.add(str(term.datatype))
        elif not isinstance(term, (BNode, Literal)):
            raise TypeError(f"cannot write {type(term).__name__} {term!r} as RDF")
        return oxigraph_term(term)

    def graph_name(
        self, name: Node | Graph
    ) -> pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.DefaultGraph:
        identifier = name.identifier if isinstance(name, Graph) else name
        if identifier == DATASET_DEFAULT_GRAPH_ID:
            return pyoxigraph.DefaultGraph()
        return self(identifier)


def _sorted_statements(
    graph: Graph, terms: _OxigraphTerms, keep_graphs: bool
) -> list[pyoxigraph.Quad] | list[pyoxigraph.Triple]:
    """Return the statements of `graph` as pyoxigraph quads or triples, sorted.

    The order is by graph name, then subject, predicate and object, in their
    N-Triples form. Without `keep_graphs`, a dataset's graphs are merged.
    """
    if isinstance(graph, Dataset):
        quads = {
            (terms(s), terms(p), terms(o), terms.graph_name(g))
            for s, p, o, g in graph.quads((None, None, None, None))
        }
    else:
        default = pyoxigraph.DefaultGraph()
        quads = {(terms(s), terms(p), terms(o), default) for s, p, o in graph.triples((None, None, None))}
    if keep_graphs:
        return [pyoxigraph.Quad(*quad) for quad in sorted(quads, key=_sort_key)]
    return [pyoxigraph.Triple(*triple) for triple in sorted({quad[:3] for quad in quads}, key=_sort_key)]


def _sort_key(statement: tuple[object, ...]) -> tuple[str, ...]:
    """Order statements by graph name (when there is one), subject, predicate, object."""
    return tuple(str(term) for term in statement[3:] + statement[:3])


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` to a temporary file beside `path`, then rename it to `path`.

    The new file keeps the permission mode of the file it replaces (a new file gets the umask's
    default). Its content reaches the disk before the rename, and the rename after it where the
    system lets a folder be synced: a crash leaves the old file or the new one, whole.
    """
    with atomic_output(path) as file:
        file.write(data)


@contextmanager
def atomic_output(target: str | os.PathLike[str] | BinaryIO) -> Iterator[BinaryIO]:
    """A binary file to write piece by piece that replaces `target` whole when the block ends well.

    As :func:`write_atomically` does: a temporary file beside `target`, synced, then renamed;
    when the block raises, the temporary file is removed and `target` is left as it was. An open
    binary file as `target` (stdout's buffer) is written to directly, and so is a path that is not a
    regular file (``/dev/null``, a named pipe): a device holds no half-written file to protect.
    """
    if not isinstance(target, (str, os.PathLike)):
        yield target
        return
    path = Path(target)
    try:
        special = not stat.S_ISREG(os.stat(path).st_mode)
    except (FileNotFoundError, NotADirectoryError):
        special = False
    if special:  # /dev/null, /dev/stdout, a named pipe: renaming over it would put a file in its place
        with open(path, "wb") as device:
            yield device
        return
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    with removed_if_stopped(temporary):
        try:
            with open(temporary, "xb") as file:
                yield file
                file.flush()
                os.fsync(file.fileno())
            with suppress(FileNotFoundError):  # else a new file, with the umask's default mode
                os.chmod(temporary, stat.S_IMODE(os.stat(path).st_mode))
            with committing():
                os.replace(temporary, path)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
    sync_folder(path.parent)


# What a stopped command must not leave behind. Process-wide on purpose: a stop (Ctrl-C, a timeout)
# is the process's, and the command it stops may be anywhere below the command line.
_COMMITS = threading.RLock()
_LEFTOVERS: set[Path] = set()
_STOPPED = threading.Event()


@contextlib.contextmanager
def removed_if_stopped(path: Path) -> Iterator[None]:
    """Within the block, ``path`` (a temporary file or folder) is deleted if the command is stopped.

    The block removes it itself when it fails; a stop (:func:`stop_writing`) may come at any moment,
    between two steps of the block, and removes it then.
    """
    with _COMMITS:
        _refuse_after_stop()
        _LEFTOVERS.add(path)
    try:
        yield
    finally:
        with _COMMITS:
            _LEFTOVERS.discard(path)


@contextlib.contextmanager
def committing() -> Iterator[None]:
    """A step that puts a result in place (a rename): once begun, a stop waits for it to end.

    After a stop none begins: the thread that asks waits until the process exits.
    """
    with _COMMITS:
        _refuse_after_stop()
        yield


def stop_writing() -> None:
    """Let no write be put in place from now on, and delete every registered temporary file or folder.

    Waits for a rename under way (:func:`committing`). The command line calls it on Ctrl-C or
    when ``--timeout`` passes, then exits the process; the thread of the command never goes on.
    """
    with _COMMITS:
        _STOPPED.set()
        for path in _LEFTOVERS:
            for _attempt in range(5):  # a writer in another thread may still add a file meanwhile
                if path.is_dir() and not path.is_symlink():
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    path.unlink(missing_ok=True)
                if not os.path.lexists(path):
                    break
        _LEFTOVERS.clear()


def _refuse_after_stop() -> None:
    """In a command that was stopped, the thread that would write waits for the process to exit."""
    if _STOPPED.is_set() and threading.current_thread() is not threading.main_thread():
        threading.Event().wait()


def sync_folder(folder: Path) -> None:
    """Flush a folder's entries (a rename in it) to the disk, where the system allows it."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:  # Windows opens no folder
        return
    try:
        os.fsync(descriptor)
    except OSError:  # some file systems refuse to sync a folder
        pass
    finally:
        os.close(descriptor)
