"""The on-disk store: a portfolio parsed once, kept in a folder, reopened without parsing again.

``pmgraph push PATH... --store DIR`` writes the files into a pyoxigraph store (RocksDB) in the
folder ``DIR``; ``pmgraph validate``, ``query`` and ``overlap`` with ``--store DIR`` then open it
read-only and run the same rules, questions and analyses as on the files, with the same results.

What a store holds, and how a push changes it:

- each file in the named graph of its absolute ``file:`` URI, and the named graphs ``G`` of a TriG,
  N-Quads or JSON-LD file in ``<file URI>#graph=<G>``, as :func:`pmgraph.load` names them (so every
  triple keeps its file, and a file's graphs can be replaced whole);
- pmgraph's ontology in the graph ``https://w3id.org/pmgraph``, which the rules, the shipped
  queries and the analyses read;
- ``DIR/pmgraph.json``: the prefixes each file declares (the query table writes IRIs short with
  them, and ``--param`` reads prefixed names with them) and which ontology the store holds.

A push replaces the graphs of the files it is given, whole (pushing an updated file again gives
its new content, not the union of both), and leaves the graphs of other files alone. Every file is
read and checked before anything is written, and the store changes all at once or not at all: a
new store is written beside ``DIR`` with pyoxigraph's bulk loader and renamed into place at the
end; an existing one is changed by one SPARQL update, a single transaction.

One process writes a store at a time, and nobody reads it meanwhile. A writer holds RocksDB's lock
on ``DIR/LOCK``; a reader holds a shared lock on the same file while it reads. So a second writer,
or a writer while someone reads, is told ``the store is in use by another process``, and a reader
while a push writes is told ``the store is being written by another process``: nothing waits,
nothing is corrupted. (pyoxigraph leaves reading a store that another process writes undefined.)

Literals: pyoxigraph keeps numbers, booleans and date-times in their canonical form
(``"0.50"^^xsd:decimal`` comes back as ``"0.5"``). Validating the files reports a value as the
file writes it; validating a store reports it as the store holds it, without reading the files
again (they may have changed or gone). Every other result is the same, but for blank node ids
(new on every read) and the order of the items listed in a message (GROUP_CONCAT's, which depends
on how the engine walks its indexes, as on a SPARQL server).

Examples
--------
>>> import pathlib, tempfile, pmgraph
>>> with tempfile.TemporaryDirectory() as folder:
...     apollo = pathlib.Path(folder, "apollo.ttl")
...     _ = apollo.write_text(
...         '@prefix ex: <https://example.org/> .\\n'
...         '@prefix pm: <https://w3id.org/pmgraph#> .\\n'
...         'ex:apollo a pm:Project ; pm:projectManager ex:erin .\\n'
...     )
...     pushed = push_to_store(pathlib.Path(folder, "store"), apollo)
...     with pmgraph.Organisation.open_store(pathlib.Path(folder, "store")) as stored:
...         holders = pmgraph.query(stored, "role-holders", scope="ex:apollo", role="pm:ProjectManager", at="2024-06-01")
>>> [(graph.graph.rsplit("/", 1)[-1], graph.triples) for graph in pushed[1:]]
[('apollo.ttl', 2)]
>>> [str(row[0]) for row in holders.rows]
['https://example.org/erin']
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import importlib.metadata
import json
import os
import secrets
import shutil
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph

from pmgraph.errors import StoreError
from pmgraph.rdf.reading import os_reason

if TYPE_CHECKING:

    import rdflib

    from pmgraph.stores.endpoint import PushedGraph

__all__ = [
    "STATE_FILE",
    "StoreError",
    "open_store",
    "push_to_store",
    "store_version",
    "stored_data",
    "stored_prefixes",
]

#: The file, in a store's folder, where pmgraph keeps what a store needs besides its quads.
STATE_FILE = "pmgraph.json"
_STATE_FORMAT = 1
_LOCK_FILE = "LOCK"  # RocksDB's lock file, which its writer holds
_CURRENT_FILE = "CURRENT"  # a file every RocksDB folder has: the mark of a store
_IN_USE = "the store is in use by another process"
_BEING_WRITTEN = "the store is being written by another process (pmgraph push); try again when it has finished"


@dataclass(frozen=True)
class _State:
    """What ``DIR/pmgraph.json`` records: who wrote the store, its ontology, each file's prefixes."""

    written_by: str = ""
    ontology: str = ""
    prefixes: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # by file URI

    def to_json(self) -> dict[str, object]:
        return {
            "format": _STATE_FORMAT,
            "written_by": self.written_by,
            "ontology": self.ontology,
            "files": {uri: {"prefixes": dict(self.prefixes[uri])} for uri in sorted(self.prefixes)},
        }


@dataclass(frozen=True)
class _File:
    """An RDF file read and checked, ready to be written into a store."""

    path: Path
    graph: str  # the named graph of its default-graph triples
    base_iri: str  # its file: URI, against which its relative IRIs are resolved
    rdf_format: pyoxigraph.RdfFormat
    content: bytes
    prefixes: Mapping[str, str]


@contextlib.contextmanager
def open_store(path: str | os.PathLike[str], *, read_only: bool = True) -> Iterator[pyoxigraph.Store]:
    """Open an on-disk store, for the duration of a ``with`` block.

    Read-only (the default), the folder must hold a store that :func:`push_to_store` wrote, with
    the ontology of this version of pmgraph; a shared lock keeps writers out while the block
    runs. Read-write, a missing folder or an empty one becomes a new, empty store; RocksDB's lock
    keeps every other writer and reader out. Use the store only inside the block.

    The data is in named graphs: query their union with ``use_default_graph_as_union=True``, as
    :func:`pmgraph.validation.validator.validate_store`, :func:`pmgraph.role_overlap` and
    :func:`pmgraph.people_overlap` do.

    Parameters
    ----------
    path : str or os.PathLike
        The store's folder.
    read_only : bool, default True

    Yields
    ------
    pyoxigraph.Store

    Raises
    ------
    StoreError
        If the folder is missing (read-only), is a file or a folder of other files, cannot be
        read, is in use by another process, or holds a store of another pmgraph's ontology.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     with open_store(pathlib.Path(folder, "store"), read_only=False) as store:
    ...         print(len(store))
    ...     with open_store(pathlib.Path(folder, "nowhere")):  # doctest: +ELLIPSIS
    ...         pass
    Traceback (most recent call last):
    ...
    pmgraph.errors.StoreError: .../nowhere: no store here: write one with pmgraph push PATH... --store DIR
    """
    folder = Path(path)
    kind = _folder_kind(folder)
    if not read_only:
        _refuse_other_folders(folder, kind)
        store = _opened(folder, read_only=False)
        yield store
        store.flush()  # not when the block failed: its error is the one to tell
        return
    if kind != "store":
        _refuse_other_folders(folder, kind)
        reason = "an empty folder" if kind == "empty" else "no store here"
        raise StoreError(folder, f"{reason}: write one with pmgraph push PATH... --store DIR")
    with _shared_lock(folder):
        state = _read_state(folder, required=True)
        if state.ontology != _ontology_digest():
            raise StoreError(
                folder,
                f"it holds another version of pmgraph's ontology (written by {state.written_by or 'another tool'}; "
                f"this is {_version()}): push the files again (pmgraph push PATH... --store DIR) to bring it up to date",
            )
        yield _opened(folder, read_only=True)


def push_to_store(path: str | os.PathLike[str], *paths: str | os.PathLike[str]) -> tuple[PushedGraph, ...]:
    """Write RDF files into an on-disk store, each replacing its graphs whole.

    Every file is read and checked first, so a bad file writes nothing. The store then changes
    all at once or not at all (see the module's docstring): a missing folder, or an empty one,
    becomes a new store, written beside it with pyoxigraph's bulk loader and renamed into place;
    an existing store is changed by one transaction. pmgraph's ontology replaces the graph
    ``https://w3id.org/pmgraph`` on every push, and the files' prefixes are recorded in
    ``DIR/pmgraph.json``.

    Parameters
    ----------
    path : str or os.PathLike
        The store's folder.
    *paths : str or os.PathLike
        Files and folders, as for :func:`pmgraph.load`.

    Returns
    -------
    tuple of pmgraph.stores.endpoint.PushedGraph
        The graphs replaced, the ontology first, then a file's graph per file, each with how
        many triples its file holds now (counting those of a TriG file's named graphs).

    Raises
    ------
    pmgraph.InputError
        If a file cannot be read (nothing is written).
    StoreError
        If the folder is a file or a folder of other files, is in use by another process, or
        cannot be written; the store is left as it was.
    """
    from pmgraph._resources import ontology_file
    from pmgraph.rdf.reading import rdf_files
    from pmgraph.ontology import ONTOLOGY_GRAPH

    folder = Path(path)
    kind = _folder_kind(folder)
    _refuse_other_folders(folder, kind)
    files = [_read_checked(file) for file in rdf_files(*paths)]  # everything before any write
    files.insert(0, _read_checked(ontology_file(), graph=ONTOLOGY_GRAPH))
    if kind == "store":
        return _replace_graphs(folder, files)
    return _create(folder, files)


def stored_prefixes(path: str | os.PathLike[str]) -> dict[str, str]:
    """The prefixes the files in a store declare, as :func:`pmgraph.query` reads them from the files.

    As with :func:`pmgraph.load`, rdflib's usual prefixes come first, then each file's, in the
    order of the files' ``file:`` URIs (a later file may bind a prefix again); ``pm:`` is always
    there.

    Raises
    ------
    StoreError
        If the folder holds no store that :func:`push_to_store` wrote.
    """
    import rdflib

    from pmgraph.rdf.sparql import data_prefixes

    state = _read_state(Path(path), required=True)
    namespaces = rdflib.Dataset()
    for uri in sorted(state.prefixes):
        for prefix, namespace in state.prefixes[uri].items():
            namespaces.bind(prefix, namespace)
    return data_prefixes(namespaces)


def store_version(path: str | os.PathLike[str]) -> str:
    """A digest of the store's files that changes with every write to the store, whoever writes.

    RocksDB writes its log, its table files or its manifest on every change (and never while a
    store is only read), so the names, sizes and modification times of those files tell one state
    of the data from any other. pmgraph's own files (``pmgraph*``, hidden ones), the lock and RocksDB's
    information log are left out. Call it while the store is open for reading, so no writer
    changes it meanwhile: what is computed from the data then belongs to this version.

    >>> import pathlib, tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     team, store = pathlib.Path(folder, "team.nt"), pathlib.Path(folder, "store")
    ...     _ = team.write_text('<https://example.org/a> <https://example.org/b> "1" .\\n')
    ...     _ = push_to_store(store, team)
    ...     before = store_version(store)
    ...     with open_store(store):
    ...         unchanged = store_version(store) == before
    ...     _ = team.write_text('<https://example.org/a> <https://example.org/b> "2" .\\n')
    ...     _ = push_to_store(store, team)
    ...     changed = store_version(store) != before
    >>> unchanged, changed
    (True, True)
    """
    digest = hashlib.sha256()
    for entry in sorted(os.scandir(path), key=lambda entry: entry.name):
        if entry.name.startswith(("pmgraph", ".", "LOG", _LOCK_FILE)) or not entry.is_file(follow_symlinks=False):
            continue
        status = entry.stat(follow_symlinks=False)
        digest.update(f"{entry.name}\0{status.st_size}\0{status.st_mtime_ns}\n".encode())
    return "sha256:" + digest.hexdigest()


def stored_data(store: pyoxigraph.Store) -> rdflib.Dataset:
    """A new rdflib dataset with the data of a store, a named graph per store graph, without the ontology.

    For what needs rdflib (pySHACL); the store itself is not changed.
    """
    import rdflib
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    from pmgraph.rdf.terms import rdflib_term
    from pmgraph.ontology import ONTOLOGY_GRAPH

    ontology = pyoxigraph.NamedNode(ONTOLOGY_GRAPH)
    dataset = rdflib.Dataset(default_union=True)
    graphs: dict[object, rdflib.Graph] = {}
    for quad in store:
        name = quad.graph_name
        if name == ontology:
            continue
        if name not in graphs:
            default = isinstance(name, pyoxigraph.DefaultGraph)
            graphs[name] = dataset.graph(DATASET_DEFAULT_GRAPH_ID if default else rdflib_term(name))
        graphs[name].add((rdflib_term(quad.subject), rdflib_term(quad.predicate), rdflib_term(quad.object)))
    return dataset


# ---------------------------------------------------------------------------------------------
# The folder
# ---------------------------------------------------------------------------------------------


def _folder_kind(folder: Path) -> str:
    """``"missing"``, ``"file"``, ``"empty"`` (folder), ``"store"`` (RocksDB's files) or ``"other"``."""
    try:
        if not folder.exists():
            return "missing"
        if not folder.is_dir():
            return "file"
        if (folder / _CURRENT_FILE).is_file():
            return "store"
        return "other" if any(folder.iterdir()) else "empty"
    except OSError as error:
        raise StoreError(folder, os_reason(error)) from error


def _refuse_other_folders(folder: Path, kind: str) -> None:
    """Refuse a path that is a file, or a folder of files other than a store's."""
    if kind == "file":
        raise StoreError(folder, "is a file; a store is a folder (give a new folder, or a store's folder)")
    if kind == "other":
        raise StoreError(
            folder, "is a folder of other files, not a store: give a new or empty folder, or a store that pmgraph push wrote"
        )


def _opened(folder: Path, read_only: bool) -> pyoxigraph.Store:
    """The pyoxigraph store in ``folder``; RocksDB's lock refused is a StoreError that says so."""
    try:
        return pyoxigraph.Store.read_only(str(folder)) if read_only else pyoxigraph.Store(str(folder))
    except OSError as error:
        reason = _reason(error)
        if "lock" in reason.lower():  # "IO error: While lock file: DIR/LOCK: Resource temporarily unavailable"
            raise StoreError(folder, _IN_USE) from error
        raise StoreError(folder, f"cannot be opened as a store: {reason}") from error


@contextlib.contextmanager
def _shared_lock(folder: Path) -> Iterator[None]:
    """Hold a shared lock on RocksDB's lock file: no writer can open the store meanwhile.

    RocksDB's writer takes an exclusive ``fcntl`` lock on ``LOCK``; a shared one on the same file
    is refused while it writes, and keeps it from starting. Where ``fcntl`` does not exist
    (Windows), nothing is locked.
    """
    try:
        import fcntl
    except ImportError:
        yield
        return
    try:
        descriptor = os.open(folder / _LOCK_FILE, os.O_RDONLY)
    except FileNotFoundError:  # never opened for writing here: nothing to wait for
        yield
        return
    except OSError as error:
        raise StoreError(folder, os_reason(error)) from error
    try:
        try:
            fcntl.lockf(descriptor, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError as error:
            if error.errno in (errno.EAGAIN, errno.EACCES):  # a writer holds it
                raise StoreError(folder, _BEING_WRITTEN) from error
            raise StoreError(folder, f"cannot be locked for reading: {os_reason(error)}") from error
        yield
    finally:
        os.close(descriptor)  # releases the lock


def _read_state(folder: Path, required: bool) -> _State:
    """``DIR/pmgraph.json``; without it a new state (or, if ``required``, a StoreError)."""
    path = folder / STATE_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        if not required:
            return _State()
        if _folder_kind(folder) != "store":
            raise StoreError(folder, "no store here: write one with pmgraph push PATH... --store DIR") from None
        raise StoreError(
            folder, f"a store that pmgraph push did not write (it has no {STATE_FILE}): push the files into it first"
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise StoreError(path, os_reason(error) if isinstance(error, OSError) else "not UTF-8 text") from error
    try:
        state = json.loads(text)
        if state.get("format", 0) > _STATE_FORMAT:
            raise StoreError(folder, f"written by a newer pmgraph ({state.get('written_by')}); this is {_version()}")
        prefixes = {uri: dict(entry["prefixes"]) for uri, entry in state["files"].items()}
        return _State(str(state["written_by"]), str(state["ontology"]), prefixes)
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise StoreError(path, f"not the record pmgraph push writes ({type(error).__name__}: {error})") from error


def _write_state(folder: Path, state: _State) -> None:
    from pmgraph.rdf.writing import write_atomically

    write_atomically(folder / STATE_FILE, (json.dumps(state.to_json(), indent=2) + "\n").encode("utf-8"))


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------


def _read_checked(path: Path, graph: str | None = None) -> _File:
    """Read a file and parse it once, so that nothing is written when it is not valid.

    Its triples go in ``graph``; by default in the graph of its ``file:`` URI.
    """
    from pmgraph.rdf.reading import syntax_error, read_rdf_file
    from pmgraph.stores.endpoint import file_graph_name

    rdf_format, content = read_rdf_file(path)
    base_iri = file_graph_name(path)
    prefixes: dict[str, str] = {}
    if content:
        parser = pyoxigraph.parse(input=content, format=rdf_format, base_iri=base_iri)
        try:
            for _quad in parser:
                pass
        except SyntaxError as error:
            raise syntax_error(path, rdf_format, error) from error
        prefixes = dict(parser.prefixes)
    return _File(path, graph or base_iri, base_iri, rdf_format, content, prefixes)


def _quads(file: _File) -> Iterator[pyoxigraph.Quad]:
    """A file's quads, in its graph and, for a TriG, N-Quads or JSON-LD file, ``<graph>#graph=<G>``."""
    from pmgraph.rdf.reading import graph_fragment

    graph = pyoxigraph.NamedNode(file.graph)
    named: dict[object, pyoxigraph.NamedNode] = {}
    for quad in pyoxigraph.parse(input=file.content, format=file.rdf_format, base_iri=file.base_iri):
        name = quad.graph_name
        target = graph
        if not isinstance(name, pyoxigraph.DefaultGraph):
            if name not in named:
                inner = name.value if isinstance(name, pyoxigraph.NamedNode) else f"_:{name.value}"
                named[name] = pyoxigraph.NamedNode(f"{file.graph}#graph={graph_fragment(inner)}")
            target = named[name]
        yield pyoxigraph.Quad(quad.subject, quad.predicate, quad.object, target)


def _create(folder: Path, files: list[_File]) -> tuple[PushedGraph, ...]:
    """Write a new store beside ``folder`` with the bulk loader, then rename it to ``folder``."""
    from pmgraph.rdf.writing import sync_folder

    staging = folder.parent / f".{folder.name}.pmgraph-{secrets.token_hex(8)}.tmp"
    try:
        try:
            pushed = _bulk_written(staging, files)
            _write_state(staging, _next_state(_State(), files))
        except OSError as error:
            raise StoreError(folder, f"cannot be written: {_reason(error)}") from error
        try:
            os.rename(staging, folder)  # an empty folder is replaced; one with files is refused
        except OSError as error:
            if _folder_kind(folder) == "store":
                raise StoreError(folder, "another process wrote a store here meanwhile; nothing was written: push again") from error
            raise StoreError(folder, f"cannot be written: {_reason(error)}") from error
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    sync_folder(folder.parent)
    return pushed


def _bulk_written(staging: Path, files: list[_File]) -> tuple[PushedGraph, ...]:
    """Write the files into a new store in ``staging`` with pyoxigraph's bulk loader, and close it."""
    store = pyoxigraph.Store(str(staging))
    for file in files:
        store.add_graph(pyoxigraph.NamedNode(file.graph))
        if not file.content:
            continue
        if file.rdf_format.supports_datasets:
            store.bulk_extend(_quads(file))
        else:
            store.bulk_load(
                input=file.content, format=file.rdf_format, base_iri=file.base_iri,
                to_graph=pyoxigraph.NamedNode(file.graph),
            )
    store.flush()
    return _pushed(store, files)


def _replace_graphs(folder: Path, files: list[_File]) -> tuple[PushedGraph, ...]:
    """Replace the files' graphs in an existing store, in one transaction."""
    with open_store(folder, read_only=False) as store:
        state = _read_state(folder, required=False)
        ours = {file.graph for file in files}
        stale = [graph for graph in _graphs(store) if _file_graph(graph) in ours]
        try:
            store.update(_replacement(stale, files))
        except (OSError, SyntaxError) as error:
            raise StoreError(folder, f"cannot be written, and is left as it was: {_reason(error)}") from error
        pushed = _pushed(store, files)
        _write_state(folder, _next_state(state, files))
    return pushed


def _graphs(store: pyoxigraph.Store) -> list[str]:
    """The IRIs of the store's named graphs."""
    return [name.value for name in store.named_graphs() if isinstance(name, pyoxigraph.NamedNode)]


def _file_graph(graph: str) -> str:
    """The graph of the file a graph belongs to: itself, or ``F`` for a TriG file's ``F#graph=G``."""
    return graph.split("#graph=", 1)[0]  # a file: URI has no "#" of its own: Path.as_uri() writes it %23


def _replacement(stale: list[str], files: list[_File]) -> str:
    """One SPARQL update that drops the files' old graphs and inserts their triples."""
    operations = [f"DROP SILENT GRAPH <{graph}>" for graph in stale]
    operations += [f"CREATE SILENT GRAPH <{file.graph}>" for file in files]
    blocks = []
    for file in files:
        for graph, triples in _graph_triples(file):
            blocks.append(f"GRAPH <{graph}> {{\n{triples}}}")
    operations.append("INSERT DATA {\n" + "\n".join(blocks) + "\n}")
    return " ;\n".join(operations)


def _graph_triples(file: _File) -> Iterator[tuple[str, str]]:
    """Each graph of a file, with its triples as N-Triples (valid in a SPARQL ``INSERT DATA``)."""
    if not file.content:
        return
    n_triples = pyoxigraph.RdfFormat.N_TRIPLES
    if not file.rdf_format.supports_datasets:
        triples = (pyoxigraph.Triple(q.subject, q.predicate, q.object) for q in _quads(file))
        yield file.graph, pyoxigraph.serialize(triples, format=n_triples).decode("utf-8")
        return
    by_graph: dict[str, list[pyoxigraph.Triple]] = {}
    for quad in _quads(file):
        by_graph.setdefault(quad.graph_name.value, []).append(pyoxigraph.Triple(quad.subject, quad.predicate, quad.object))
    for graph, triples in by_graph.items():
        yield graph, pyoxigraph.serialize(triples, format=n_triples).decode("utf-8")


def _pushed(store: pyoxigraph.Store, files: list[_File]) -> tuple[PushedGraph, ...]:
    """What each file's graphs hold now."""
    from pmgraph.stores.endpoint import PushedGraph

    triples = dict.fromkeys((file.graph for file in files), 0)
    for graph in _graphs(store):
        base = _file_graph(graph)
        if base in triples:
            count = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
            triples[base] += int(next(iter(count))["n"].value)  # type: ignore[call-overload, index]
    return tuple(PushedGraph(file.graph, triples[file.graph], (str(file.path),)) for file in files)


def _next_state(state: _State, files: list[_File]) -> _State:
    """The store's record after a push of ``files`` (the ontology is the first)."""
    prefixes = {**state.prefixes, **{file.graph: file.prefixes for file in files[1:]}}
    return _State(_version(), _ontology_digest(), prefixes)


def _ontology_digest() -> str:
    from pmgraph._resources import ontology_file

    return "sha256:" + hashlib.sha256(ontology_file().read_bytes()).hexdigest()


def _version() -> str:
    return f"pmgraph {importlib.metadata.version('pmgraph')}"


def _reason(error: Exception) -> str:
    """What went wrong, in one line: the system's words for an OSError, else RocksDB's or the parser's."""
    if isinstance(error, OSError) and error.strerror:
        return os_reason(error)
    return " ".join(str(error).split())
