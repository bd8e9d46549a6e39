"""An organisation's graph: the one handle that every pmgraph operation takes.

An :class:`Organisation` holds the data of an organisation (its portfolios, programs, projects,
products, teams, people, role and responsibility assignments) together with pmgraph's ontology,
in pyoxigraph: in memory (read from files and folders, or copied from an rdflib graph), in an
on-disk store that ``pmgraph push --store`` wrote, or behind a SPARQL endpoint. It knows the
prefixes the data declares and the files the data came from. Validation, questions, both overlap
analyses and the report take it, and are written once over the one interface every backend
satisfies (:class:`pmgraph.stores.SparqlStore`): a ``query`` method answering SPARQL over the union
of the store's graphs as :meth:`pyoxigraph.Store.query` does, each statement once however many files
state it (on a store and a server, from a graph that push keeps so).

The module-level functions (:func:`pmgraph.validate`, :func:`pmgraph.query`,
:func:`pmgraph.role_overlap`, :func:`pmgraph.people_overlap`) accept an organisation, a path, a
list of paths or an rdflib graph alike (:meth:`Organisation.of`); build the organisation once to run
several of them without reading the files again.

Examples
--------
>>> import pmgraph
>>> acme = pmgraph.Organisation.open("examples/acme/")
>>> acme
Organisation(4 files, in memory)
>>> pmgraph.validate(acme).conforms
True
>>> pmgraph.query(acme, "projects-without-manager").rows
()
>>> first = pmgraph.role_overlap(acme).pairs[0]
>>> first.a.rsplit("#")[-1], first.b.rsplit("#")[-1], first.jaccard
('ProductManager', 'ProductOwner', 0.875)
>>> [person.person.rsplit("/")[-1] for person in pmgraph.people_overlap(acme).people]
['aisha-khan', 'dana-whitfield']
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Union

if TYPE_CHECKING:
    import pyoxigraph
    import rdflib

    from pmgraph.stores.endpoint import Endpoint

__all__ = ["Organisation", "DataSource", "as_rdflib"]

PM_NAMESPACE = "https://w3id.org/pmgraph#"

Where = Literal["memory", "disk", "endpoint"]


class Organisation:
    """An organisation's data with pmgraph's ontology, held in pyoxigraph.

    Build one with :meth:`open` (files and folders), :meth:`open_store` (an on-disk store),
    :meth:`at_endpoint` (a SPARQL server) or :meth:`from_rdflib` (an rdflib graph or dataset);
    :meth:`of` takes any of those inputs. It is not an rdflib graph: :meth:`to_rdflib` gives one.
    The operations are functions that take it (:func:`pmgraph.validate`, :func:`pmgraph.query`,
    :func:`pmgraph.role_overlap`, :func:`pmgraph.people_overlap`), so that this module, below
    them, imports none of them.

    Attributes
    ----------
    store : pyoxigraph.Store or pmgraph.Endpoint
        Where the data is: every operation asks it SPARQL over the union of its graphs.
    prefixes : mapping of str to str
        The prefixes the data declares (``pm:`` among them), to read and write prefixed names.
    sources : tuple of pathlib.Path
        The files the data was read from (none for a store, an endpoint or an rdflib graph).
    where : {"memory", "disk", "endpoint"}
    """

    def __init__(
        self,
        store: pyoxigraph.Store | Endpoint,
        *,
        prefixes: Mapping[str, str] | None = None,
        sources: Iterable[str | os.PathLike[str]] = (),
        where: Where = "memory",
        rdflib_data: rdflib.Graph | None = None,
        closing: contextlib.ExitStack | None = None,
        folder: str | os.PathLike[str] | None = None,
    ):
        self.store = store
        self.prefixes: Mapping[str, str] = {"pm": PM_NAMESPACE, **(prefixes or {})}
        self.sources: tuple[Path, ...] = tuple(Path(source) for source in sources)
        self.where: Where = where
        # the rdflib graph this organisation was copied from: values as it writes them, and the
        # data pySHACL sees
        self._rdflib_data = rdflib_data
        self._closing = closing
        self._checked = False
        self._folder = folder

    @property
    def folder(self) -> Path | None:
        """The folder of the on-disk store the data is in (None for the other kinds)."""
        return None if self._folder is None else Path(self._folder)

    # -- building one ------------------------------------------------------------------------

    @classmethod
    def open(cls, *paths: str | os.PathLike[str]) -> Organisation:
        """Read RDF files and folders into memory, as ``pmgraph validate PATH...`` does.

        Every statement is held once however many files state it, with the ontology beside it;
        no rdflib objects are made. Raises :class:`pmgraph.InputError` for a file that cannot be read.
        """
        from pmgraph.ontology import add_ontology
        from pmgraph.rdf.reading import load_merged_store, rdf_files
        from pmgraph.rdf.sparql import usable_prefixes

        files = rdf_files(*paths)
        store, prefixes = load_merged_store(*files)
        add_ontology(store)
        return cls(store, prefixes=usable_prefixes(prefixes.items()), sources=files)

    @classmethod
    def open_store(cls, folder: str | os.PathLike[str]) -> Organisation:
        """Open an on-disk store that ``pmgraph push --store`` wrote, read-only.

        Use it in a ``with`` block (or call :meth:`close`): the store stays locked for reading
        until then. Raises :class:`pmgraph.StoreError` for a folder that is not such a store.
        """
        from pmgraph.stores.disk import open_store, stored_prefixes

        closing = contextlib.ExitStack()
        try:
            store = closing.enter_context(open_store(folder))
            prefixes = stored_prefixes(folder)
        except BaseException:
            closing.close()
            raise
        return cls(store, prefixes=prefixes, where="disk", closing=closing, folder=folder)

    @classmethod
    def at_endpoint(
        cls, endpoint: str | Endpoint, *, prefixes: Mapping[str, str] | None = None, timeout: float = 60.0
    ) -> Organisation:
        """The data on a SPARQL server (a URL, or a :class:`pmgraph.Endpoint`), as ``pmgraph push`` leaves it.

        Nothing is fetched until an operation asks. ``prefixes`` are those to read prefixed names
        with (the server knows nothing of the files' prefixes).
        """
        from pmgraph.stores.endpoint import Endpoint

        server = endpoint if isinstance(endpoint, Endpoint) else Endpoint(endpoint, timeout=timeout)
        return cls(server, prefixes=prefixes, where="endpoint")

    @classmethod
    def from_rdflib(cls, data: rdflib.Graph, *, with_ontology: bool = True) -> Organisation:
        """Copy an rdflib graph or dataset (the union of its graphs) into memory, with the ontology.

        ``data`` is not changed. ``with_ontology=False`` leaves the ontology out, for data that holds it.
        A dataset that :func:`pmgraph.load` returned is not copied: its pyoxigraph store is queried as
        it is, with the ontology in a graph of its own that the dataset does not show.
        """
        import rdflib

        from pmgraph.ontology import add_ontology
        from pmgraph.rdf.sparql import data_prefixes
        from pmgraph.rdf.store import OxigraphStore
        from pmgraph.rdf.terms import to_store

        underneath = data.store
        if isinstance(underneath, OxigraphStore) and isinstance(data, rdflib.Dataset) and with_ontology:
            # pmgraph.load's dataset: its pyoxigraph store is queried as it is, the ontology in a
            # graph of its own that the dataset does not show; copied only when a statement is in
            # two graphs, which the union of its graphs would count twice
            underneath.add_ontology(add_ontology)
            if not underneath.shares_statements():
                return cls(underneath.oxigraph(), prefixes=data_prefixes(data), rdflib_data=data)
        store = to_store(data)
        if with_ontology:
            add_ontology(store)
        return cls(store, prefixes=data_prefixes(data), rdflib_data=data)

    @classmethod
    def of(cls, data: DataSource) -> Organisation:
        """The organisation that ``data`` stands for: itself, files and folders, or an rdflib graph.

        A pyoxigraph store or an endpoint is taken as it is: it must hold pmgraph's ontology.
        """
        import rdflib

        from pmgraph.stores import SparqlStore
        from pmgraph.stores.endpoint import Endpoint

        if isinstance(data, Organisation):
            return data
        if isinstance(data, rdflib.Graph):
            return cls.from_rdflib(data)
        if isinstance(data, (str, os.PathLike)):
            return cls.open(data)
        if isinstance(data, Endpoint):
            return cls.at_endpoint(data)
        if isinstance(data, SparqlStore):  # a pyoxigraph store, or an open store (StoredUnion)
            return cls(data)
        if isinstance(data, (list, tuple)) and all(isinstance(path, (str, os.PathLike)) for path in data):
            return cls.open(*data)
        raise TypeError(
            f"expected an Organisation, a path, a list of paths, an rdflib graph, a pyoxigraph store "
            f"or an Endpoint; got {type(data).__name__}"
        )

    # -- using it ------------------------------------------------------------------------------





    def to_rdflib(self) -> rdflib.Dataset:
        """The data as an rdflib Dataset (without pmgraph's ontology).

        Read from the files again when the organisation came from files (one named graph per
        file, as :func:`pmgraph.load` gives); the rdflib graph it was copied from, as it is;
        else every statement of the store but the ontology's, each named graph kept.
        """
        import rdflib

        from pmgraph.ontology import ONTOLOGY_GRAPH
        from pmgraph.rdf.prefixes import bind_prefixes
        from pmgraph.rdf.reading import load
        from pmgraph.stores.closures import CLOSURE_GRAPH
        from pmgraph.stores.endpoint import UNION_GRAPH
        from pmgraph.rdf.terms import rdflib_term

        if self.sources:
            return load(*self.sources)
        if isinstance(self._rdflib_data, rdflib.Dataset):
            return self._rdflib_data
        dataset = rdflib.Dataset(default_union=True)
        if self._rdflib_data is not None:
            for triple in self._rdflib_data:
                dataset.add(triple)
            return dataset
        bind_prefixes(dataset, self.prefixes.items())
        for row in self.store.query(
            f"SELECT ?s ?p ?o ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER (?g NOT IN (<{ONTOLOGY_GRAPH}>, <{CLOSURE_GRAPH}>, <{UNION_GRAPH}>)) }}"
        ):
            graph = dataset.graph(rdflib_term(row["g"]))
            graph.add((rdflib_term(row["s"]), rdflib_term(row["p"]), rdflib_term(row["o"])))
        return dataset

    # -- what operations need to know --------------------------------------------------------

    def as_written(self) -> tuple[rdflib.Graph | None, tuple[Path, ...] | None]:
        """Where a reported value is found as the input wrote it: an rdflib graph, or files.

        A store keeps numbers in canonical form (``"0.50"`` as ``0.5``). Data read from files or
        copied from rdflib has its values read back from those; a store or a server reports
        values as it holds them (the files may have changed since they were pushed), and an
        empty graph says so.
        """
        import rdflib

        if self._rdflib_data is not None:
            return self._rdflib_data, None
        if self.sources:
            return None, self.sources
        if self.where == "disk":
            return rdflib.Graph(), None
        return None, None  # a store handed over as it is, or a server: its graphs name their files

    def ready(self) -> None:
        """Check that the store can answer: a server must hold pmgraph's ontology in the union of
        its graphs (:func:`pmgraph.stores.endpoint.check_server`, once). Every operation calls it
        before its first question; it costs nothing for a local store."""
        if self.where != "endpoint" or self._checked:
            return
        from pmgraph.stores.endpoint import check_server

        check_server(self.store)  # type: ignore[arg-type]
        self._checked = True

    def origin(self) -> str:
        """Where the data is, in words: ``from 4 files``, ``in the on-disk store acme.store``, ``on the SPARQL server URL``."""
        if self.where == "endpoint":
            return f"on the SPARQL server {getattr(self.store, 'url', '')}"
        if self.where == "disk":
            return f"in the on-disk store {self._folder}"
        count = len(self.sources)
        return f"from {count} file{'s' if count != 1 else ''}" if self.sources else "in memory"

    def close(self) -> None:
        """Let go of an on-disk store (its lock); nothing for the other kinds."""
        if self._closing is not None:
            self._closing.close()
            self._closing = None

    def __enter__(self) -> Organisation:
        return self

    def __exit__(self, kind: object, error: object, traceback: object) -> None:
        self.close()
        if self.where == "disk" and isinstance(error, RuntimeError) and "Corruption" in str(error):
            # RocksDB found a damaged block while answering (pmgraph checks its files on opening;
            # one written since by another writer is not checked): the store's one-line error
            from pmgraph.errors import StoreError

            reason = " ".join(str(error).split())
            raise StoreError(self._folder or "", f"the store is damaged ({reason}): push the files again, into a new folder") from error

    def __repr__(self) -> str:
        where = {"memory": "in memory", "disk": "on disk", "endpoint": f"at {getattr(self.store, 'url', '?')}"}[self.where]
        if self.sources:
            count = len(self.sources)
            return f"Organisation({count} file{'s' if count != 1 else ''}, {where})"
        return f"Organisation({where})"


def as_rdflib(data: DataSource) -> rdflib.Graph:
    """``data`` as an rdflib graph, for the operations written over rdflib (JSON-LD, spreadsheets).

    An rdflib graph is returned as it is; anything else is :meth:`Organisation.of` it, then
    :meth:`Organisation.to_rdflib`.
    """
    import rdflib

    if isinstance(data, rdflib.Graph):
        return data
    return Organisation.of(data).to_rdflib()




#: What the module-level functions accept as an organisation's data.
DataSource = Union[Organisation, "rdflib.Graph", str, os.PathLike, "list[str | os.PathLike[str]]", "pyoxigraph.Store", "Endpoint"]
