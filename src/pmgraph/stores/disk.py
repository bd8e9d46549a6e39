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
- the store's default graph: every statement of those graphs once, however many files state it
  (see :class:`StoredUnion`), which every question asks about;
- ``DIR/pmgraph.json``: the prefixes each file declares (the query table writes IRIs short with
  them, and ``--param`` reads prefixed names with them) and which ontology the store holds.

A push replaces the graphs of the files it is given, whole (pushing an updated file again gives
its new content, not the union of both), and leaves the graphs of other files alone. Every file is
read and checked before anything is written, and the store changes all at once or not at all,
its quads and ``pmgraph.json`` together: the new store is written in a hidden folder beside ``DIR``
(for an existing store, a copy of it whose unchanging ``.sst`` files are hard links), with one run
of pyoxigraph's bulk loader for all the files, its record written in it, and it takes the place of
``DIR`` in one step (``renameat2(RENAME_EXCHANGE)`` on Linux; elsewhere two renames).

A store that is damaged on disk is refused in one line before pyoxigraph reads it:
``pmgraph.json`` records the size and CRC-32 of each ``.sst`` file (RocksDB's files of data, never
changed once written), and opening the store read-only checks every one of them that is still there
(RocksDB checks its other files itself: which ``.sst`` files it needs, and their ends).

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
import glob
import hashlib
import importlib.metadata
import json
import os
import secrets
import shutil
import sys
import time
import zlib
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
    "StoredUnion",
    "open_store",
    "push_to_store",
    "store_version",
    "stored_data",
    "stored_prefixes",
]

#: The file, in a store's folder, where pmgraph keeps what a store needs besides its quads.
STATE_FILE = "pmgraph.json"
_STATE_FORMAT = 3  # 2: with the checksums of the .sst files; 3: each statement once in the default graph
_LOCK_FILE = "LOCK"  # RocksDB's lock file, which its writer holds
_CURRENT_FILE = "CURRENT"  # a file every RocksDB folder has: the mark of a store
_IN_USE = "the store is in use by another process"
_BEING_WRITTEN = "the store is being written by another process (pmgraph push); try again when it has finished"
_DAMAGED = "the store is damaged ({}): push the files again, into a new folder"
_FAULT = "_PMGRAPH_FAULT"  # tests only: "pause:POINT" or "fail:POINT" (see _fault_point)


@dataclass(frozen=True)
class _State:
    """What ``DIR/pmgraph.json`` records: who wrote the store, its ontology, each file's prefixes."""

    written_by: str = ""
    ontology: str = ""
    prefixes: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # by file URI
    checksums: Mapping[str, tuple[int, int]] = field(default_factory=dict)  # .sst file: (size, CRC-32)
    format: int = _STATE_FORMAT

    def to_json(self) -> dict[str, object]:
        return {
            "format": _STATE_FORMAT,
            "written_by": self.written_by,
            "ontology": self.ontology,
            "files": {uri: {"prefixes": dict(self.prefixes[uri])} for uri in sorted(self.prefixes)},
            "checksums": {name: list(self.checksums[name]) for name in sorted(self.checksums)},
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


class StoredUnion:
    """An on-disk store, asked about the union of its graphs with each statement once.

    A store keeps each file in a graph of its own, so a statement that two files make is in two
    graphs, and pyoxigraph's union of the graphs (``use_default_graph_as_union=True``) matches it
    twice: a sum, a COUNT or a join would count it twice, where the files read into memory count
    it once. :func:`push_to_store` therefore keeps every statement of the store's graphs once in
    its default graph (a set, as every RDF graph is), and :meth:`query` reads that graph whatever
    ``use_default_graph_as_union`` says. :meth:`quads_for_pattern` gives the statements of the
    named graphs (where each file states them); anything else is the pyoxigraph store's own.

    Examples
    --------
    >>> import pyoxigraph
    >>> store = pyoxigraph.Store()
    >>> erin, load = pyoxigraph.NamedNode("https://example.org/erin"), pyoxigraph.NamedNode("https://example.org/load")
    >>> for graph in ("file:///team-a.ttl", "file:///team-b.ttl", None):  # as push keeps it
    ...     store.add(pyoxigraph.Quad(erin, load, pyoxigraph.Literal("0.6"), graph and pyoxigraph.NamedNode(graph)))
    >>> count = "SELECT (COUNT(*) AS ?n) WHERE { ?who <https://example.org/load> ?share }"
    >>> [row["n"].value for row in store.query(count, use_default_graph_as_union=True)]
    ['3']
    >>> [row["n"].value for row in StoredUnion(store).query(count, use_default_graph_as_union=True)]
    ['1']
    >>> len(list(StoredUnion(store).quads_for_pattern(erin, None, None)))
    2
    """

    __slots__ = ("_store",)

    def __init__(self, store: pyoxigraph.Store):
        self._store = store

    def query(self, query: str, *, use_default_graph_as_union: bool = False, **options: object) -> object:
        """:meth:`pyoxigraph.Store.query` on the default graph, where each statement of the store is once."""
        return self._store.query(query, **options)  # type: ignore[arg-type]

    def quads_for_pattern(
        self, subject: object, predicate: object, object: object, graph_name: object = None
    ) -> Iterator[pyoxigraph.Quad]:
        """:meth:`pyoxigraph.Store.quads_for_pattern`; with no ``graph_name``, those of the named graphs."""
        quads = self._store.quads_for_pattern(subject, predicate, object, graph_name)  # type: ignore[arg-type]
        if graph_name is not None:
            return quads
        return (quad for quad in quads if not isinstance(quad.graph_name, pyoxigraph.DefaultGraph))

    @property
    def union_in_default_graph(self) -> pyoxigraph.Store:
        """The pyoxigraph store underneath, whose default graph holds each statement of the store once."""
        return self._store

    def __getattr__(self, name: str) -> object:
        return getattr(self._store, name)

    def __iter__(self) -> Iterator[pyoxigraph.Quad]:
        return iter(self._store)

    def __len__(self) -> int:
        return len(self._store)

    def __repr__(self) -> str:
        return f"StoredUnion({self._store!r})"


@contextlib.contextmanager
def open_store(path: str | os.PathLike[str], *, read_only: bool = True) -> Iterator[pyoxigraph.Store]:
    """Open an on-disk store, for the duration of a ``with`` block.

    Read-only (the default), the folder must hold a store that :func:`push_to_store` wrote, with
    the ontology of this version of pmgraph; a shared lock keeps writers out while the block
    runs. Read-write, a missing folder or an empty one becomes a new, empty store; RocksDB's lock
    keeps every other writer and reader out. Use the store only inside the block.

    Read-only, the store comes as a :class:`StoredUnion`: each file's data is in a named graph of
    its own, and its queries read the default graph, where :func:`push_to_store` keeps every
    statement of the named graphs once (``use_default_graph_as_union=True`` asks the same), as
    :func:`pmgraph.validation.validator.validate_store`, :func:`pmgraph.role_overlap` and
    :func:`pmgraph.people_overlap` do. Read-write, it is the :class:`pyoxigraph.Store` itself.

    Parameters
    ----------
    path : str or os.PathLike
        The store's folder.
    read_only : bool, default True

    Yields
    ------
    StoredUnion (read-only) or pyoxigraph.Store

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
        if state.format < 3:
            raise StoreError(
                folder,
                f"it was written by {state.written_by or 'an older pmgraph'}, which kept a statement that several files make "
                "once per file: push the files again (pmgraph push PATH... --store DIR) to bring it up to date",
            )
        _check_files(folder, state)
        yield StoredUnion(_opened(folder, read_only=True))  # type: ignore[misc]


def push_to_store(path: str | os.PathLike[str], *paths: str | os.PathLike[str]) -> tuple[PushedGraph, ...]:
    """Write RDF files into an on-disk store, each replacing its graphs whole.

    Every file is read and checked first, so a bad file writes nothing. The store then changes
    all at once or not at all, quads and record together (see the module's docstring): the new
    store is written beside the folder (from a copy of an existing store) with one run of
    pyoxigraph's bulk loader, and takes the folder's place in one step. pmgraph's ontology
    replaces the graph ``https://w3id.org/pmgraph`` on every push, and the files' prefixes and
    the checksums of the store's files are recorded in ``DIR/pmgraph.json``.

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
        If the folder is a file or a folder of other files, is in use by another process, is a
        damaged store, or cannot be written; the store is left as it was.
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
        with _exclusive_lock(folder):
            state = _read_state(folder, required=False)
            _check_files(folder, state)
            for left in folder.parent.glob(f".{glob.escape(folder.name)}.pmgraph-*.tmp"):
                shutil.rmtree(left, ignore_errors=True)  # of a push killed (SIGKILL) here before
            return _written(folder, files, state)
    return _written(folder, files, _State())


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

    from pmgraph.rdf.prefixes import bind_prefixes
    from pmgraph.rdf.sparql import data_prefixes

    state = _read_state(Path(path), required=True)
    namespaces = rdflib.Dataset()
    for uri in sorted(state.prefixes):
        bind_prefixes(namespaces, state.prefixes[uri].items())
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


def stored_data(store: pyoxigraph.Store | StoredUnion) -> rdflib.Dataset:
    """A new rdflib dataset with the data of a store, a named graph per store graph, without the ontology.

    The default graph, where push keeps each statement of the named graphs once, is left out.

    For what needs rdflib (pySHACL); the store itself is not changed.
    """
    import rdflib

    from pmgraph.rdf.terms import rdflib_term
    from pmgraph.ontology import ONTOLOGY_GRAPH

    ontology = pyoxigraph.NamedNode(ONTOLOGY_GRAPH)
    dataset = rdflib.Dataset(default_union=True)
    graphs: dict[object, rdflib.Graph] = {}
    for quad in store:
        name = quad.graph_name
        if name == ontology or isinstance(name, pyoxigraph.DefaultGraph):
            continue
        if name not in graphs:
            graphs[name] = dataset.graph(rdflib_term(name))
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
        if "No such file" in reason:  # a file that RocksDB's list of files names is gone
            raise StoreError(folder, _DAMAGED.format(reason)) from error
        raise StoreError(folder, f"cannot be opened as a store: {reason}") from error
    except RuntimeError as error:  # RocksDB's "Corruption: ..." about a file it checks itself
        raise StoreError(folder, _DAMAGED.format(_reason(error))) from error


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


@contextlib.contextmanager
def _exclusive_lock(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on RocksDB's lock file while a push replaces the store.

    It is refused while another process writes the store (RocksDB's lock) or reads it (the
    readers' shared lock), and keeps both out until the new store has taken the old one's place.
    """
    try:
        import fcntl
    except ImportError:
        yield
        return
    try:
        descriptor = os.open(folder / _LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as error:
        raise StoreError(folder, os_reason(error)) from error
    try:
        try:
            fcntl.lockf(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as error:
            if error.errno in (errno.EAGAIN, errno.EACCES):
                raise StoreError(folder, _IN_USE) from error
            raise StoreError(folder, f"cannot be locked for writing: {os_reason(error)}") from error
        yield
    finally:
        os.close(descriptor)


def _check_files(folder: Path, state: _State) -> None:
    """Refuse a store whose ``.sst`` files are not those its push wrote (their size and CRC-32).

    Reads each file in pieces of 1 MiB, so the memory it takes does not grow with the store. A
    recorded file that is gone is left to RocksDB to miss (a later writer may have merged it away).
    """
    for name, (size, checksum) in state.checksums.items():
        try:
            with open(folder / name, "rb") as file:
                found = os.fstat(file.fileno()).st_size
                if found != size:
                    raise StoreError(folder, _DAMAGED.format(f"{name} holds {found} bytes, not the {size} it was written with"))
                if _crc32(file) != checksum:
                    raise StoreError(folder, _DAMAGED.format(f"{name} has changed since pmgraph push wrote it"))
        except FileNotFoundError:
            continue
        except OSError as error:
            raise StoreError(folder, f"cannot be read: {name}: {os_reason(error)}") from error


def _checksums(folder: Path) -> dict[str, tuple[int, int]]:
    """The size and CRC-32 of each ``.sst`` file of a closed store."""
    sums = {}
    for path in sorted(folder.glob("*.sst")):
        with open(path, "rb") as file:
            sums[path.name] = (os.fstat(file.fileno()).st_size, _crc32(file))
    return sums


def _crc32(file: object) -> int:
    checksum = 0
    while chunk := file.read(1 << 20):  # type: ignore[attr-defined]
        checksum = zlib.crc32(chunk, checksum)
    return checksum


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
        checksums = {str(name): (int(size), int(crc)) for name, (size, crc) in state.get("checksums", {}).items()}
        return _State(str(state["written_by"]), str(state["ontology"]), prefixes, checksums, int(state.get("format", 0)))
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
    from pmgraph.rdf.limits import parser_buffer_limit
    from pmgraph.rdf.reading import syntax_error, read_rdf_file
    from pmgraph.stores.endpoint import file_graph_name

    rdf_format, content = read_rdf_file(path)
    base_iri = file_graph_name(path)
    prefixes: dict[str, str] = {}
    if content:
        parser = pyoxigraph.parse(input=content, format=rdf_format, base_iri=base_iri)
        try:
            with parser_buffer_limit(path, rdf_format):
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
    # A blank node is the file's own, as pmgraph.load reads it: _:b in two files is two nodes.
    for quad in pyoxigraph.parse(input=file.content, format=file.rdf_format, base_iri=file.base_iri, rename_blank_nodes=True):
        name = quad.graph_name
        target = graph
        if not isinstance(name, pyoxigraph.DefaultGraph):
            if name not in named:
                inner = name.value if isinstance(name, pyoxigraph.NamedNode) else f"_:{name.value}"
                named[name] = pyoxigraph.NamedNode(f"{file.graph}#graph={graph_fragment(inner)}")
            target = named[name]
        yield pyoxigraph.Quad(quad.subject, quad.predicate, quad.object, target)


def _written(folder: Path, files: list[_File], state: _State) -> tuple[PushedGraph, ...]:
    """Write the store that ``folder`` becomes in a hidden folder beside it, then put it in place.

    For an existing store (``state`` read from it, its lock held), the hidden folder starts as a
    copy of it; the files' old graphs are dropped there and all the files bulk loaded in one run.
    Its record goes in it, checksums included, once it is closed; then it takes the place of
    ``folder`` in one step, and the old store, now in the hidden folder, is deleted. Whatever
    stops the push before that step (an error, Ctrl-C, a timeout) leaves ``folder`` as it was and
    deletes the hidden folder.
    """
    from pmgraph.rdf.writing import committing, removed_if_stopped, sync_folder

    staging = folder.parent / f".{folder.name}.pmgraph-{secrets.token_hex(8)}.tmp"
    replacing = _folder_kind(folder) == "store"
    with removed_if_stopped(staging):
        try:
            try:
                if replacing:
                    _copy_store(folder, staging)
                pushed = _load_files(staging, files, rebuild=replacing and state.format < 3)  # closes the store
                _fault_point("recording")
                _write_state(staging, _next_state(state, files, _checksums(staging)))
                _fault_point("recorded")
            except OSError as error:
                if replacing:
                    raise StoreError(folder, f"cannot be written, and is left as it was: {_reason(error)}") from error
                raise StoreError(folder, f"cannot be written: {_reason(error)}") from error
            with committing():
                _put_in_place(staging, folder, replacing)
            _fault_point("committed")
        finally:
            shutil.rmtree(staging, ignore_errors=True)  # the store replaced, or the one not put in place
    sync_folder(folder.parent)
    return pushed


def _copy_store(folder: Path, copy: Path) -> None:
    """A copy of a closed store that another pyoxigraph can open and change, the original untouched.

    RocksDB never changes an ``.sst`` file once written, so those are hard links (copies where the
    file system has none); its other files (its list of files, its log) are copied.
    """
    copy.mkdir()
    for path in folder.iterdir():
        if path.name in (_LOCK_FILE, STATE_FILE) or path.name.startswith("LOG") or not path.is_file():
            continue
        if path.suffix == ".sst":
            try:
                os.link(path, copy / path.name)
                continue
            except OSError:
                pass
        shutil.copyfile(path, copy / path.name)


def _load_files(folder: Path, files: list[_File], rebuild: bool = False) -> tuple[PushedGraph, ...]:
    """Drop the files' old graphs from the store in ``folder``, bulk load them all, and close it.

    One run of the bulk loader for all the files: a run per file would write a set of ``.sst``
    files per file, which RocksDB then keeps open and merges (time and memory growing faster than
    the number of files). Each statement also goes in the default graph, where it is once however
    many files state it (:class:`StoredUnion`); one that no file states any more leaves it. With
    ``rebuild`` (a store of an older pmgraph, its default graph empty), every other graph's
    statements are put there too.
    """
    store = pyoxigraph.Store(str(folder))
    try:
        ours = {file.graph for file in files}
        for graph in _graphs(store):
            if _file_graph(graph) in ours:
                # what only this graph states leaves the default graph with it (the new file puts
                # back what it states again): a look-up per statement of the graph, not of the store
                store.update(_STATED_ONLY_IN.format(graph=f"<{graph}>"))
                store.remove_graph(pyoxigraph.NamedNode(graph))
        store.bulk_extend(_also_in_default_graph(quad for file in files for quad in _quads(file)))
        if rebuild:
            store.bulk_extend(_also_in_default_graph(store.quads_for_pattern(None, None, None, None), again=False))
        for file in files:  # a file without triples keeps an (empty) graph of its own
            store.add_graph(pyoxigraph.NamedNode(file.graph))
        store.flush()
        return _pushed(store, files)
    finally:
        del store  # pyoxigraph closes a store when the last reference to it goes


# The statements of a graph (about to be removed) that no other graph states, out of the default graph.
_STATED_ONLY_IN = (
    "DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} "
    "FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} FILTER (?other != {graph}) }} }}"
)


def _also_in_default_graph(quads: Iterator[pyoxigraph.Quad], again: bool = True) -> Iterator[pyoxigraph.Quad]:
    """Each quad of a named graph (``again``: as it is, then) in the default graph; the bulk loader
    writes a statement that is there already once."""
    for quad in quads:
        if isinstance(quad.graph_name, pyoxigraph.DefaultGraph):
            continue
        if again:
            yield quad
        yield pyoxigraph.Quad(quad.subject, quad.predicate, quad.object)


def _put_in_place(staging: Path, folder: Path, replacing: bool) -> None:
    """Give ``folder`` the store in ``staging``: renamed onto a missing or empty folder, or exchanged
    with an existing store in one step, which leaves the old one in ``staging``."""
    try:
        if not replacing:
            os.rename(staging, folder)  # an empty folder is replaced; one with files is refused
            return
        if not _exchanged(staging, folder):
            # No atomic exchange here (not Linux): two renames, with an instant between them
            # in which ``folder`` does not exist.
            aside = staging.with_name(staging.name + ".old")
            os.rename(folder, aside)
            os.rename(staging, folder)
            os.rename(aside, staging)
    except OSError as error:
        if not replacing and _folder_kind(folder) == "store":
            raise StoreError(folder, "another process wrote a store here meanwhile; nothing was written: push again") from error
        raise StoreError(folder, f"cannot be written{', and is left as it was' if replacing else ''}: {_reason(error)}") from error


def _exchanged(first: Path, second: Path) -> bool:
    """Swap two folders in one step (Linux's ``renameat2`` with ``RENAME_EXCHANGE``); False where it does not exist."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    at_cwd, exchange = -100, 2  # AT_FDCWD, RENAME_EXCHANGE
    if renameat2(at_cwd, os.fsencode(first), at_cwd, os.fsencode(second), exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL):  # an old kernel, a file system without it
        return False
    raise OSError(code, os.strerror(code), str(second))


def _fault_point(point: str) -> None:
    """Tests only: stop here as a crash or an interruption would (``_PMGRAPH_FAULT=pause:POINT``
    waits, after saying so on stderr; ``fail:POINT`` fails as a full disk would)."""
    fault = os.environ.get(_FAULT)
    if not fault or fault.partition(":")[2] != point:
        return
    if fault.startswith("fail:"):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    print(f"paused at {point}", file=sys.stderr, flush=True)
    time.sleep(600)


def _graphs(store: pyoxigraph.Store) -> list[str]:
    """The IRIs of the store's named graphs."""
    return [name.value for name in store.named_graphs() if isinstance(name, pyoxigraph.NamedNode)]


def _file_graph(graph: str) -> str:
    """The graph of the file a graph belongs to: itself, or ``F`` for a TriG file's ``F#graph=G``."""
    return graph.split("#graph=", 1)[0]  # a file: URI has no "#" of its own: Path.as_uri() writes it %23


def _pushed(store: pyoxigraph.Store, files: list[_File]) -> tuple[PushedGraph, ...]:
    """What each file's graphs hold now: one query for all the graphs."""
    from pmgraph.stores.endpoint import PushedGraph

    triples = dict.fromkeys((file.graph for file in files), 0)
    counts = store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    for row in counts:  # type: ignore[union-attr]
        base = _file_graph(row["g"].value)  # type: ignore[index]
        if base in triples:
            triples[base] += int(row["n"].value)  # type: ignore[index]
    return tuple(PushedGraph(file.graph, triples[file.graph], (str(file.path),)) for file in files)


def _next_state(state: _State, files: list[_File], checksums: Mapping[str, tuple[int, int]]) -> _State:
    """The store's record after a push of ``files`` (the ontology is the first)."""
    prefixes = {**state.prefixes, **{file.graph: file.prefixes for file in files[1:]}}
    return _State(_version(), _ontology_digest(), prefixes, checksums)


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
