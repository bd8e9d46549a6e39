"""Role overlap: which role types share responsibilities, and how much.

:func:`role_overlap` builds the bipartite graph of roles and the responsibilities the reference
model gives them (the nine core roles of the ontology and the organisation's own roles; a role
``skos:broader`` another inherits its RACI unless it states its own), and for every pair of roles
sharing a responsibility their Jaccard similarity, overlap coefficient and RACI-weighted Jaccard
similarity; then clusters of roles that overlap most. It reads the graph through one SPARQL query on
pyoxigraph and works on the rows with networkx.

Examples
--------
>>> import rdflib
>>> result = role_overlap(rdflib.Graph())  # the reference model of the core roles alone
>>> pair = result.pair(str(PM.ProductManager), str(PM.ProductOwner))
>>> pair.jaccard, pair.overlap_coefficient, round(pair.weighted_jaccard, 3)
(0.875, 1.0, 0.414)
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING

from pmgraph.analysis.reading import solutions, term_text
from pmgraph.namespace import PM
from pmgraph.render.tables import csv_text, text_table

if TYPE_CHECKING:
    import networkx

    from pmgraph.organisation import DataSource

__all__ = ["RACI_WEIGHTS", "role_overlap", "RolePair", "RoleOverlap"]

#: How much each RACI level weighs in the weighted Jaccard similarity: answering for a
#: responsibility (A) weighs most, doing its work (R) next, giving advice (C) less, being told (I)
#: least. A role holding a responsibility at several levels counts with the heaviest.
RACI_WEIGHTS: Mapping[str, int] = MappingProxyType({"A": 4, "R": 3, "C": 2, "I": 1})

_RACI_LETTER = {
    str(PM.accountableFor): "A",
    str(PM.responsibleFor): "R",
    str(PM.consultedOn): "C",
    str(PM.informedOn): "I",
}

# The reference RACI of every role, its own or inherited: a role counts with the RACI of the
# nearest role up its skos:broader chain (itself included) that states any RACI. The same reading
# as OneAccountableShape in shapes/violations.ttl.
_ROLE_RACI_QUERY = """
PREFIX pm: <https://w3id.org/pmgraph#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?role ?level ?responsibility ?roleLabel ?responsibilityLabel WHERE {
    { ?role a pm:Role } UNION { ?role skos:broader ?broader }
    ?role skos:broader* ?source .
    VALUES ?level { pm:responsibleFor pm:accountableFor pm:consultedOn pm:informedOn }
    ?source ?level ?responsibility .
    FILTER NOT EXISTS {
        ?role skos:broader* ?nearer .
        ?nearer skos:broader+ ?source ;
            pm:responsibleFor|pm:accountableFor|pm:consultedOn|pm:informedOn ?any .
    }
    OPTIONAL { ?role rdfs:label ?roleLabel }
    OPTIONAL { ?responsibility rdfs:label ?responsibilityLabel }
}
"""


@dataclass(frozen=True)
class RolePair:
    """Two roles that share at least one responsibility, and how much they overlap.

    Attributes
    ----------
    a, b : str
        The two roles' IRIs, ``a < b``.
    jaccard : float
        Shared responsibilities over all the responsibilities either role holds, at any RACI level.
    overlap_coefficient : float
        Shared responsibilities over those of the role holding fewer: 1.0 when one role's
        responsibilities are all among the other's.
    weighted_jaccard : float
        ``sum(min) / sum(max)`` over all responsibilities of the two roles' RACI weights
        (:data:`RACI_WEIGHTS`; 0 where a role does not hold the responsibility).
    shared : tuple of str
        The shared responsibilities, sorted.
    both_accountable : tuple of str
        The shared responsibilities for which both roles are Accountable, sorted: what two holders
        of these roles on one scope would both answer for.
    """

    a: str
    b: str
    jaccard: float
    overlap_coefficient: float
    weighted_jaccard: float
    shared: tuple[str, ...]
    both_accountable: tuple[str, ...]

    def to_json(self) -> dict[str, object]:
        """The pair as in ``overlap --roles --format json``."""
        return {
            "a": self.a,
            "b": self.b,
            "jaccard": self.jaccard,
            "shared": list(self.shared),
            "overlap_coefficient": self.overlap_coefficient,
            "weighted_jaccard": self.weighted_jaccard,
            "both_accountable": list(self.both_accountable),
        }


@dataclass(frozen=True)
class RoleOverlap:
    """The outcome of :func:`role_overlap`.

    Attributes
    ----------
    raci : mapping of str to mapping of str to str
        For every role holding at least one responsibility, the responsibilities it holds and at
        which RACI levels (``"A"``, ``"R"``, ``"C"``, ``"I"``, or several such as ``"RA"``).
    pairs : tuple of RolePair
        Every unordered pair of roles sharing at least one responsibility, by decreasing Jaccard
        similarity, then by IRIs.
    clusters : tuple of tuple of str
        The roles grouped by greedy modularity communities of the graph of roles weighted by
        their weighted Jaccard similarity; largest first, each sorted by label.
    labels : mapping of str to str
        The ``rdfs:label`` of the roles and responsibilities that have one.
    """

    raci: Mapping[str, Mapping[str, str]]
    pairs: tuple[RolePair, ...]
    clusters: tuple[tuple[str, ...], ...]
    labels: Mapping[str, str]

    @property
    def roles(self) -> tuple[str, ...]:
        """The roles, in the order of their clusters, then by label."""
        return tuple(itertools.chain.from_iterable(self.clusters))

    def label(self, iri: str) -> str:
        """The label of a role or responsibility, or its IRI when it has none."""
        return self.labels.get(str(iri), str(iri))

    def pair(self, a: str, b: str) -> RolePair | None:
        """The pair of the two roles (in either order), or None when they share nothing.

        A role is its IRI, as a string or an rdflib IRI (``pmgraph.PM.ProductOwner``).
        """
        a, b = sorted((str(a), str(b)))
        return next((pair for pair in self.pairs if (pair.a, pair.b) == (a, b)), None)

    def matrix(self, measure: str = "jaccard") -> list[list[float]]:
        """The square matrix of a similarity between every two roles, in the order of :attr:`roles`.

        Parameters
        ----------
        measure : {"jaccard", "overlap_coefficient", "weighted_jaccard"}
            1.0 on the diagonal, 0.0 for roles that share nothing.
        """
        roles = self.roles
        index = {role: i for i, role in enumerate(roles)}
        rows = [[1.0 if i == j else 0.0 for j in range(len(roles))] for i in range(len(roles))]
        for pair in self.pairs:
            value = getattr(pair, measure)
            rows[index[pair.a]][index[pair.b]] = rows[index[pair.b]][index[pair.a]] = value
        return rows

    def bipartite_graph(self) -> networkx.Graph:
        """The role × responsibility graph: an edge per role and responsibility it holds.

        Nodes carry ``kind`` (``"role"`` or ``"responsibility"``), ``label`` and ``bipartite``
        (0 for roles, 1 for responsibilities); edges carry ``raci`` (the levels) and ``weight``
        (the heaviest level's :data:`RACI_WEIGHTS`).
        """
        return _bipartite_graph(self.raci, self.labels)

    def to_json(self) -> dict[str, object]:
        """The result as docs/design.md states it (JSON formats: ``pairs``), with further keys.

        ``clusters`` (lists of role IRIs), ``roles`` (each role with its responsibilities and their
        RACI levels), ``weights`` (:data:`RACI_WEIGHTS`) and ``labels``.
        """
        return {
            "pairs": [pair.to_json() for pair in self.pairs],
            "clusters": [list(cluster) for cluster in self.clusters],
            "roles": [
                {"role": role, "responsibilities": dict(sorted(self.raci[role].items()))} for role in sorted(self.raci)
            ],
            "weights": dict(RACI_WEIGHTS),
            "labels": dict(sorted(self.labels.items())),
        }

    def to_csv(self) -> str:
        """One row per pair: a, b, the three measures, shared and both-accountable IRIs (space-separated)."""
        return csv_text(
            ["a", "b", "jaccard", "overlap_coefficient", "weighted_jaccard", "shared", "both_accountable"],
            [
                [p.a, p.b, p.jaccard, p.overlap_coefficient, p.weighted_jaccard, " ".join(p.shared), " ".join(p.both_accountable)]
                for p in self.pairs
            ],
        )

    def to_table(self) -> str:
        """The pairs and clusters, for people."""
        weights = " ".join(f"{level}={weight}" for level, weight in RACI_WEIGHTS.items())
        lines = [
            f"Role overlap: {len(self.raci)} roles, {len(self.pairs)} pairs sharing a responsibility",
            "",
            *text_table(
                ["role a", "role b", "Jaccard", "overlap", "weighted", "shared responsibilities"],
                [
                    [
                        self.label(p.a),
                        self.label(p.b),
                        f"{p.jaccard:.3f}",
                        f"{p.overlap_coefficient:.3f}",
                        f"{p.weighted_jaccard:.3f}",
                        ", ".join(self.label(r) for r in p.shared),
                    ]
                    for p in self.pairs
                ],
            ),
            "",
            (
                "Jaccard: shared / all held at any RACI level; overlap: shared / held by the smaller role; "
                f"weighted: RACI-weighted Jaccard ({weights})."
            ),
            "",
            "Clusters of roles that overlap most:",
            *(f"  {n}. {', '.join(self.label(role) for role in cluster)}" for n, cluster in enumerate(self.clusters, 1)),
        ]
        return "\n".join(lines)


def _bipartite_graph(raci: Mapping[str, Mapping[str, str]], labels: Mapping[str, str]) -> networkx.Graph:
    """The role × responsibility graph of :meth:`RoleOverlap.bipartite_graph`."""
    import networkx as nx

    graph = nx.Graph()
    for role in sorted(raci):
        graph.add_node(role, kind="role", label=labels.get(role, role), bipartite=0)
    for role in sorted(raci):
        for responsibility, levels in sorted(raci[role].items()):
            graph.add_node(responsibility, kind="responsibility", label=labels.get(responsibility, responsibility), bipartite=1)
            graph.add_edge(role, responsibility, raci=levels, weight=_weight(levels))
    return graph


def _weight(levels: str) -> int:
    """The weight of a role's hold on a responsibility: its heaviest RACI level."""
    return max(RACI_WEIGHTS[level] for level in levels)


def role_overlap(data: DataSource) -> RoleOverlap:
    """Compare roles by the responsibilities the reference model gives them.

    The roles are the nine core roles of pmgraph's ontology and every role the data defines
    (a ``pm:Role``, or a role ``skos:broader`` another) that holds at least one responsibility,
    its own or inherited: a role without RACI of its own takes that of the nearest broader role.

    Parameters
    ----------
    data : pmgraph.Organisation, path, list of paths, rdflib.Graph or rdflib.Dataset
        The organisation's data (see :meth:`pmgraph.Organisation.of`); the ontology is added (not
        to ``data``, which is not changed). A pyoxigraph store is queried as it is (the union of
        its graphs), and must hold the ontology.

    Returns
    -------
    RoleOverlap

    Examples
    --------
    A role of the organisation's own, narrower than the Project Manager and stating no RACI,
    inherits the Project Manager's and overlaps it fully:

    >>> import rdflib
    >>> data = rdflib.Graph().parse(format="turtle", data='''
    ...     @prefix pm: <https://w3id.org/pmgraph#> .
    ...     @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
    ...     @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    ...     <https://example.org/DeliveryLead> a pm:Role ; rdfs:label "Delivery Lead" ;
    ...         skos:broader pm:ProjectManager .''')
    >>> result = role_overlap(data)
    >>> pair = result.pair("https://example.org/DeliveryLead", str(PM.ProjectManager))
    >>> pair.jaccard, len(pair.shared), len(result.raci)
    (1.0, 10, 10)
    """
    import networkx as nx
    from networkx.algorithms import bipartite

    raci: dict[str, dict[str, str]] = defaultdict(dict)
    labels: dict[str, str] = {}
    for row in solutions(data, _ROLE_RACI_QUERY):
        role, responsibility = term_text(row["role"]), term_text(row["responsibility"])
        levels = raci[role].get(responsibility, "") + _RACI_LETTER[row["level"].value]
        raci[role][responsibility] = "".join(level for level in RACI_WEIGHTS if level in levels)
        _labelled(labels, role, row["roleLabel"])
        _labelled(labels, responsibility, row["responsibilityLabel"])

    graph = _bipartite_graph(raci, labels)
    roles = sorted(raci)
    jaccard = bipartite.overlap_weighted_projected_graph(graph, roles, jaccard=True)
    coefficient = bipartite.overlap_weighted_projected_graph(graph, roles, jaccard=False)
    weighted = bipartite.generic_weighted_projected_graph(graph, roles, weight_function=_weighted_jaccard)

    pairs = []
    for a, b in weighted.edges():
        a, b = sorted((a, b))
        shared = sorted(set(graph[a]) & set(graph[b]))
        pairs.append(
            RolePair(
                a=a,
                b=b,
                jaccard=jaccard[a][b]["weight"],
                overlap_coefficient=coefficient[a][b]["weight"],
                weighted_jaccard=weighted[a][b]["weight"],
                shared=tuple(shared),
                both_accountable=tuple(r for r in shared if "A" in raci[a][r] and "A" in raci[b][r]),
            )
        )
    pairs.sort(key=lambda pair: (-pair.jaccard, pair.a, pair.b))

    similarity = nx.Graph()
    similarity.add_nodes_from(roles)
    similarity.add_weighted_edges_from(
        sorted((pair.a, pair.b, pair.weighted_jaccard) for pair in pairs if pair.weighted_jaccard > 0)
    )
    communities = nx.community.greedy_modularity_communities(similarity, weight="weight")
    by_label = [sorted(community, key=lambda role: (labels.get(role, role), role)) for community in communities]
    clusters = sorted(by_label, key=lambda cluster: (-len(cluster), labels.get(cluster[0], cluster[0]), cluster[0]))
    return RoleOverlap(
        raci=MappingProxyType({role: MappingProxyType(dict(held)) for role, held in sorted(raci.items())}),
        pairs=tuple(pairs),
        clusters=tuple(tuple(cluster) for cluster in clusters),
        labels=MappingProxyType(labels),
    )


def _weighted_jaccard(graph: networkx.Graph, a: str, b: str) -> float:
    """``sum(min) / sum(max)`` of the two roles' weights over every responsibility either holds."""
    held_a = {r: graph[a][r]["weight"] for r in graph[a]}
    held_b = {r: graph[b][r]["weight"] for r in graph[b]}
    both = held_a.keys() | held_b.keys()
    smallest = sum(min(held_a.get(r, 0), held_b.get(r, 0)) for r in both)
    largest = sum(max(held_a.get(r, 0), held_b.get(r, 0)) for r in both)
    return smallest / largest


def _labelled(labels: dict[str, str], thing: str, label: object) -> None:
    """Keep the smallest label of ``thing`` (as :func:`pmgraph.render.names.label` does)."""
    if label is None:
        return
    text = term_text(label)
    if thing not in labels or text < labels[thing]:
        labels[thing] = text
