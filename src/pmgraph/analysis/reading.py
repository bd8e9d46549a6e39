"""How the analyses read an organisation: SPARQL queries over the union of its graphs.

Each analysis (:mod:`~pmgraph.analysis.role_overlap`, :mod:`~pmgraph.analysis.people_facts` for the
people level) asks pyoxigraph one or two questions and works on the terms of their rows as plain
strings.

Examples
--------
>>> import rdflib
>>> question = "SELECT ?label WHERE { <https://w3id.org/pmgraph#ProjectManager> rdfs:label ?label }"
>>> [term_text(row["label"]) for row in solutions(rdflib.Graph(), "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> " + question)]
['Project Manager']
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import chain
from typing import TYPE_CHECKING

import pyoxigraph
import rdflib

if TYPE_CHECKING:
    from pmgraph.organisation import DataSource

__all__ = ["analysis_store", "solutions", "term_text"]


def analysis_store(data: rdflib.Graph) -> pyoxigraph.Store:
    """Return a pyoxigraph store holding ``data`` and pmgraph's ontology: a new one, or for a
    dataset that :func:`pmgraph.load` returned, the store underneath it (the ontology in a graph the
    dataset does not show).

    The same as ``pmgraph.Organisation.from_rdflib(data).store``; an :class:`pmgraph.Organisation`
    (``Organisation.open(*paths)`` for files, read without rdflib) is the handle to build once and
    run both analyses on.

    Parameters
    ----------
    data : rdflib.Graph or rdflib.Dataset
        The portfolio data (a Dataset counts as the union of its graphs). It is not changed.

    Returns
    -------
    pyoxigraph.Store
        The analyses query the union of its graphs.
    """
    from pmgraph.organisation import Organisation

    return Organisation.from_rdflib(data).store  # type: ignore[return-value]


def solutions(data: DataSource, *queries: str) -> Iterator[pyoxigraph.QuerySolution]:
    """The rows of each query in turn, over the union of the graphs of the organisation ``data``
    stands for (files are read once for all the queries)."""
    from pmgraph.organisation import Organisation

    organisation = Organisation.of(data)
    organisation.ready()
    store = organisation.store
    return chain.from_iterable(store.query(query, use_default_graph_as_union=True) for query in queries)  # type: ignore[misc]


def term_text(term: object) -> str:
    """An RDF term as the string results use: an IRI, ``_:id`` for a blank node, a literal's text."""
    if type(term) is pyoxigraph.BlankNode:
        return f"_:{term.value}"
    return term.value  # type: ignore[attr-defined]
