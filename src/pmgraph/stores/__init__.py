"""Where an organisation's graph lives: in memory, in an on-disk store (:mod:`~pmgraph.stores.disk`),
or behind a SPARQL endpoint (:mod:`~pmgraph.stores.endpoint`).

Every operation of pmgraph asks its questions through one interface, :class:`SparqlStore`, that
each of them satisfies: :class:`pyoxigraph.Store` (in memory or on disk) as it is, and
:class:`pmgraph.Endpoint` for a server. An operation is therefore written once; the
:class:`pmgraph.Organisation` handle says which store holds the data.

>>> import pyoxigraph, pmgraph
>>> isinstance(pyoxigraph.Store(), SparqlStore), isinstance(pmgraph.Endpoint("http://127.0.0.1:7878/query"), SparqlStore)
(True, True)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol, runtime_checkable

__all__ = ["SparqlStore"]


@runtime_checkable
class SparqlStore(Protocol):
    """What pmgraph needs of a store: SPARQL over the union of its graphs, as pyoxigraph answers it.

    ``query`` runs a SELECT (rows of pyoxigraph terms, indexed by variable name, with a
    ``variables`` attribute) or an ASK (a bool or :class:`pyoxigraph.QueryBoolean`).
    ``substitutions`` binds variables to RDF terms; ``use_default_graph_as_union`` asks about the
    union of all graphs (a store that keeps one graph per file) rather than the default graph, each
    statement once however many graphs hold it: an on-disk store
    (:class:`pmgraph.stores.disk.StoredUnion`) and a server (:data:`pmgraph.stores.endpoint.UNION_GRAPH`)
    answer it from a graph that push keeps of each statement once.
    """

    def query(
        self,
        query: str,
        *,
        substitutions: Mapping[Any, Any] | None = None,
        use_default_graph_as_union: bool = False,
    ) -> Any: ...

    def quads_for_pattern(self, subject: Any, predicate: Any, object: Any, graph_name: Any = None) -> Any: ...
