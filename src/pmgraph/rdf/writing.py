"""Writing RDF: :func:`dump` (sorted, lexical forms kept) and the one atomic file writer.

Every file pmgraph writes goes through :func:`write_atomically`: a temporary file beside the
target, flushed to the disk, then renamed over it, so that a reader or a crash sees the old file or
the new one, never part of one.
"""

from __future__ import annotations

import os
import secrets
import stat
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

__all__ = ["dump", "write_atomically", "atomic_output", "sync_folder", "DUMP_FORMATS"]

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
    binary file as `target` (stdout's buffer) is written to directly.
    """
    if not isinstance(target, (str, os.PathLike)):
        yield target
        return
    path = Path(target)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    try:
        with open(temporary, "xb") as file:
            yield file
            file.flush()
            os.fsync(file.fileno())
        with suppress(FileNotFoundError):  # else a new file, with the umask's default mode
            os.chmod(temporary, stat.S_IMODE(os.stat(path).st_mode))
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    sync_folder(path.parent)


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
