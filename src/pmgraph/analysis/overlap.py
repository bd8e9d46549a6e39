"""Role overlap and people overlap, side by side: the two analyses, and the graph of both.

- :mod:`~pmgraph.analysis.role_overlap`, the role level: which role types share responsibilities,
  by Jaccard similarity, overlap coefficient and RACI-weighted Jaccard; clusters of roles that
  overlap most.
- :mod:`~pmgraph.analysis.people_overlap`, the people level, aware of time: people holding two or
  more distinct roles at once and known conflicting combinations; gaps and duplicates of
  accountability (:mod:`~pmgraph.analysis.accountability`); each person's load over time and
  key-person risk (:mod:`~pmgraph.analysis.workload`).

Each reads the graph through one SPARQL query on pyoxigraph (:mod:`~pmgraph.analysis.reading`).
This module holds what joins them, :func:`overlap_graph` (GraphML for Gephi and yEd), and names
every public name of both, as ``pmgraph.analysis.overlap`` always has.

Examples
--------
>>> import rdflib
>>> from pmgraph import PM
>>> result = role_overlap(rdflib.Graph())  # the reference model of the core roles alone
>>> pair = result.pair(str(PM.ProductManager), str(PM.ProductOwner))
>>> pair.jaccard, pair.overlap_coefficient, round(pair.weighted_jaccard, 3)
(0.875, 1.0, 0.414)
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import TYPE_CHECKING

from pmgraph.analysis.accountability import AccountabilityDuplicate, AccountabilityGap
from pmgraph.analysis.people_overlap import (
    CONFLICTS,
    ConcurrentRoles,
    ConflictingRoles,
    PeopleOverlap,
    PersonOverlap,
    people_overlap,
)
from pmgraph.analysis.periods import Period
from pmgraph.analysis.reading import analysis_store
from pmgraph.analysis.role_overlap import RACI_WEIGHTS, RoleOverlap, RolePair, role_overlap
from pmgraph.analysis.workload import KeyPerson, LoadStep, PersonLoad

if TYPE_CHECKING:
    import networkx

__all__ = [
    "RACI_WEIGHTS",
    "CONFLICTS",
    "analysis_store",
    "role_overlap",
    "people_overlap",
    "overlap_graph",
    "write_graphml",
    "RolePair",
    "RoleOverlap",
    "Period",
    "ConcurrentRoles",
    "ConflictingRoles",
    "PersonOverlap",
    "AccountabilityGap",
    "AccountabilityDuplicate",
    "LoadStep",
    "PersonLoad",
    "KeyPerson",
    "PeopleOverlap",
]


def overlap_graph(roles: RoleOverlap, people: PeopleOverlap | None = None) -> networkx.DiGraph:
    """The role, responsibility and person graph, for GraphML (Gephi, yEd).

    Nodes carry ``kind`` (``"role"``, ``"responsibility"`` or ``"person"``) and ``label``. Edges:
    role → responsibility (``kind="raci"``, ``raci``, ``weight``), role → role for every pair
    sharing a responsibility (``kind="overlap"``, ``weight`` = Jaccard, ``weighted_jaccard``,
    ``overlap_coefficient``), and, with ``people``, person → role for every role a person holds
    (``kind="holds"``, ``concurrent``: whether they hold it at the same time as another role,
    ``conflicts``: how many known conflicts involve it). Every ``weight`` is a float.

    Examples
    --------
    >>> import rdflib
    >>> from pmgraph import PM
    >>> graph = overlap_graph(role_overlap(rdflib.Graph()))
    >>> graph.nodes[str(PM.ProjectManager)]["label"], graph.number_of_nodes()
    ('Project Manager', 27)
    """
    import networkx as nx

    graph = nx.DiGraph(roles.bipartite_graph())
    graph.remove_edges_from([(u, v) for u, v in list(graph.edges) if graph.nodes[u]["kind"] == "responsibility"])
    for node in graph.nodes:
        del graph.nodes[node]["bipartite"]
    for u, v in graph.edges:
        graph.edges[u, v].update(kind="raci", weight=float(graph.edges[u, v]["weight"]))
    for pair in roles.pairs:
        graph.add_edge(
            pair.a,
            pair.b,
            kind="overlap",
            weight=pair.jaccard,
            weighted_jaccard=pair.weighted_jaccard,
            overlap_coefficient=pair.overlap_coefficient,
        )
    if people is None:
        return graph
    overlapping = {person.person: person for person in people.people}
    for held in people.load:
        graph.add_node(held.person, kind="person", label=people.label(held.person))
        person = overlapping.get(held.person)
        for role in held.roles:
            if role not in graph:
                graph.add_node(role, kind="role", label=people.label(role))
            graph.add_edge(
                held.person,
                role,
                kind="holds",
                weight=1.0,
                concurrent=person is not None and role in person.roles,
                conflicts=0 if person is None else sum(role in conflict.roles for conflict in person.conflicts),
            )
    return graph


def write_graphml(graph: networkx.Graph, path: str | os.PathLike[str]) -> None:
    """Write a graph as GraphML, replacing ``path`` atomically (nothing half-written on failure)."""
    import networkx as nx

    from pmgraph.rdf.writing import write_atomically

    buffer = io.BytesIO()
    nx.write_graphml(graph, buffer)
    write_atomically(Path(path), buffer.getvalue())
