"""Role overlap: which roles share responsibilities, and which people hold overlapping roles.

Two analyses, each reading the graph through one SPARQL query on pyoxigraph and working on the
rows with networkx and plain Python:

- :func:`role_overlap`, the role level: the bipartite graph of roles and the responsibilities the
  reference model gives them (the nine core roles of the ontology and the organisation's own
  roles; a role ``skos:broader`` another inherits its RACI unless it states its own), and for
  every pair of roles sharing a responsibility their Jaccard similarity, overlap coefficient and
  RACI-weighted Jaccard similarity; clusters of roles that overlap most.
- :func:`people_overlap`, the people level, aware of time: people holding two or more distinct
  roles at once, known conflicting combinations, gaps and duplicates of accountability on every
  scope, each person's load over time, and key-person risk.

Role assignments are read as in ``shapes/violations.ttl``: a ``pm:RoleAssignment`` (or any node
with ``pm:agent``, ``pm:role`` and ``pm:scope``), or the short form ``?scope pm:projectManager
?person`` (and its four siblings) read as an assignment without dates. A missing date leaves a
period open on that side; two periods overlap when they share at least one day.

Examples
--------
>>> result = role_overlap(rdflib.Graph())  # the reference model of the core roles alone
>>> pair = result.pair(str(PM.ProductManager), str(PM.ProductOwner))
>>> pair.jaccard, pair.overlap_coefficient, round(pair.weighted_jaccard, 3)
(0.875, 1.0, 0.414)
"""

from __future__ import annotations

import csv
import datetime
import gc
import io
import itertools
import os
from collections import defaultdict
from collections.abc import Hashable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, NamedTuple

import pyoxigraph
import rdflib

from pmgraph.analysis.assignments import SHORT_FORMS
from pmgraph.analysis.periods import Period
from pmgraph.namespace import PM
from pmgraph.render.tables import text_table

if TYPE_CHECKING:
    import networkx

    from pmgraph.organisation import DataSource

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

#: The known conflicting combinations of roles held by one person at the same time, by kind, with
#: why they conflict. Roles count as the core role they are ``skos:broader`` (transitively).
CONFLICTS: Mapping[str, str] = MappingProxyType(
    {
        "product-owner-and-scrum-master": (
            "Product Owner and Scrum Master of the same team: Scrum keeps apart the one who decides "
            "what the team builds and the one who guards how it works"
        ),
        "product-manager-and-project-manager": (
            "Product Manager of a product and Project Manager of a project that delivers it: the one "
            "who decides what is worth building also answers for the project's budget and schedule, "
            "so nobody weighs scope against time and money"
        ),
        "product-owner-and-project-manager": (
            "Product Owner of a team or product and Project Manager of a project that team works on "
            "or that delivers that product: the same tension as Product Manager and Project Manager, "
            "at the level of one team"
        ),
        "program-manager-and-project-manager": (
            "Program Manager of a program and Project Manager of one of its projects: the one who "
            "arbitrates between the program's projects runs one of them"
        ),
        "sponsor-and-manager": (
            "Sponsor and manager of the same project, program or portfolio: the one who funds the "
            "work and holds its manager to account is that manager"
        ),
    }
)

# The role that manages each kind of scope: the role its short form names (the Product Owner for a
# team). The reference accountabilities of this role are what a scope of that kind must have
# somebody accountable for (besides whatever anybody is accountable for there).
_MANAGER_OF_KIND = {
    str(PM.Portfolio): str(PM.PortfolioManager),
    str(PM.Program): str(PM.ProgramManager),
    str(PM.Project): str(PM.ProjectManager),
    str(PM.Product): str(PM.ProductManager),
    str(PM.Team): str(PM.ProductOwner),
}
# The roles whose holders count as a scope's managers for key-person risk: as above, and a product
# is also managed by its Product Owner (a product needs a Product Manager or a Product Owner).
_MANAGERS_OF_KIND = {
    kind: frozenset({role, str(PM.ProductOwner)} if kind == str(PM.Product) else {role})
    for kind, role in _MANAGER_OF_KIND.items()
}

# The managers a Sponsor funds and holds to account.
_SPONSORED_MANAGERS = frozenset({str(PM.ProjectManager), str(PM.ProgramManager), str(PM.PortfolioManager)})

# Days are ordinals; a period is the half-open range [first day, day after the last). An open start
# is _OPEN_START, an open end _OPEN_END: before and after every real day.
_OPEN_START = 0
_OPEN_END = datetime.date.max.toordinal() + 2


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


def _query(data: DataSource, query: str) -> pyoxigraph.QuerySolutions:
    """Run a query over the union of the graphs of the organisation ``data`` stands for."""
    from pmgraph.organisation import Organisation

    organisation = Organisation.of(data)
    organisation.ready()
    return organisation.store.query(query, use_default_graph_as_union=True)  # type: ignore[return-value]


def _text(term: object) -> str:
    """An RDF term as the string results use: an IRI, ``_:id`` for a blank node, a literal's text."""
    if type(term) is pyoxigraph.BlankNode:
        return f"_:{term.value}"
    return term.value  # type: ignore[attr-defined]


def _labelled(labels: dict[str, str], thing: str, label: object) -> None:
    """Keep the smallest label of ``thing`` (as :func:`pmgraph.render.names.label` does)."""
    if label is None:
        return
    text = _text(label)
    if thing not in labels or text < labels[thing]:
        labels[thing] = text


# ---------------------------------------------------------------------------------------------
# Role level
# ---------------------------------------------------------------------------------------------

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
        return _csv(
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
    for row in _query(data, _ROLE_RACI_QUERY):
        role, responsibility = _text(row["role"]), _text(row["responsibility"])
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


# ---------------------------------------------------------------------------------------------
# People level
# ---------------------------------------------------------------------------------------------

_SHORT_FORM_VALUES = " ".join(f"(<{form}> <{role}>)" for form, role in SHORT_FORMS.items())

# Everything the people analysis reads, one kind of row per UNION branch (?kind says which), so
# that each branch is one pass over its triples. An assignment's patterns start with the property
# only its kind of node has (pm:role, pm:raci): Oxigraph joins them in the order written.
_PEOPLE_QUERY = f"""
PREFIX pm: <https://w3id.org/pmgraph#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?kind ?subject ?agent ?role ?scope ?responsibility ?raci ?start ?end ?allocation ?object WHERE {{
    {{
        # a role assignment, written out
        ?subject pm:role ?role ; pm:agent ?agent ; pm:scope ?scope .
        OPTIONAL {{ ?subject pm:startDate ?start }}
        OPTIONAL {{ ?subject pm:endDate ?end }}
        OPTIONAL {{ ?subject pm:allocation ?allocation }}
        BIND ("role assignment" AS ?kind)
    }} UNION {{
        # a role assignment in the short form, without dates
        VALUES (?shortForm ?role) {{ {_SHORT_FORM_VALUES} }}
        ?scope ?shortForm ?agent .
        BIND ("role assignment" AS ?kind)
    }} UNION {{
        ?subject pm:raci ?raci ; pm:responsibility ?responsibility ; pm:agent ?agent ; pm:scope ?scope .
        OPTIONAL {{ ?subject pm:startDate ?start }}
        OPTIONAL {{ ?subject pm:endDate ?end }}
        BIND ("responsibility assignment" AS ?kind)
    }} UNION {{
        # what each role is accountable for, its own or inherited (as in OneAccountableShape)
        {{ ?role a pm:Role }} UNION {{ ?role skos:broader ?broader }}
        ?role skos:broader* ?source .
        ?source pm:accountableFor ?responsibility .
        FILTER NOT EXISTS {{
            ?role skos:broader* ?nearer .
            ?nearer skos:broader+ ?source ;
                pm:responsibleFor|pm:accountableFor|pm:consultedOn|pm:informedOn ?any .
        }}
        BIND ("accountable" AS ?kind)
    }} UNION {{
        # the core roles each role counts as
        {{ ?role a pm:Role }} UNION {{ ?role skos:broader ?broader }}
        ?role skos:broader* ?object .
        ?object a pm:Role ; rdfs:isDefinedBy <https://w3id.org/pmgraph> .
        BIND ("counts as" AS ?kind)
    }} UNION {{
        VALUES ?object {{ pm:Portfolio pm:Program pm:Project pm:Product pm:Team }}
        ?scope a ?object .
        OPTIONAL {{ ?scope pm:startDate ?start }}
        OPTIONAL {{ ?scope pm:endDate ?end }}
        BIND ("scope" AS ?kind)
    }} UNION {{
        VALUES (?kind ?structure) {{ ("delivers" pm:delivers) ("partOf" pm:partOf) ("worksOn" pm:worksOn) }}
        ?subject ?structure ?object .
    }} UNION {{
        ?subject rdfs:label ?object .
        BIND ("label" AS ?kind)
    }}
}}
"""


def _period(first: int, after_last: int) -> Period:
    """The Period of the half-open ordinal range [first, after_last)."""
    return Period(
        None if first == _OPEN_START else datetime.date.fromordinal(first),
        None if after_last == _OPEN_END else datetime.date.fromordinal(after_last - 1),
    )


def _date(text: str) -> datetime.date | None:
    """The day of an ``xsd:date`` lexical form (a time zone is ignored); None if it is not a date."""
    try:
        return datetime.date.fromisoformat(text[:10])
    except ValueError:
        return None


@dataclass(frozen=True)
class ConcurrentRoles:
    """One person holding two distinct roles on days they share.

    Attributes
    ----------
    roles, scopes : tuple of two str
        The two roles, and the scope each is held on.
    assignments : tuple of two (str or None)
        The two role assignments; None for one written in the short form.
    period : Period
        The days both are held.
    """

    roles: tuple[str, str]
    scopes: tuple[str, str]
    assignments: tuple[str | None, str | None]
    period: Period

    def to_json(self) -> dict[str, object]:
        return {"roles": list(self.roles), "scopes": list(self.scopes), "assignments": list(self.assignments), **self.period.to_json()}


@dataclass(frozen=True)
class ConflictingRoles:
    """Two roles one person holds at once that are known to conflict (see :data:`CONFLICTS`).

    Attributes
    ----------
    kind : str
        A key of :data:`CONFLICTS`.
    roles, scopes : tuple of two str
    period : Period
    """

    kind: str
    roles: tuple[str, str]
    scopes: tuple[str, str]
    period: Period

    def to_json(self) -> dict[str, object]:
        return {"kind": self.kind, "roles": list(self.roles), "scopes": list(self.scopes), **self.period.to_json()}


@dataclass(frozen=True)
class PersonOverlap:
    """A person (or team) holding two or more distinct roles at the same time.

    Attributes
    ----------
    person : str
    roles : tuple of str
        The distinct roles held at the same time as another, sorted.
    concurrent : tuple of ConcurrentRoles
        Every two assignments of distinct roles that share days.
    conflicts : tuple of ConflictingRoles
        Those of them that are known conflicting combinations.
    """

    person: str
    roles: tuple[str, ...]
    concurrent: tuple[ConcurrentRoles, ...]
    conflicts: tuple[ConflictingRoles, ...]

    def to_json(self) -> dict[str, object]:
        return {
            "person": self.person,
            "roles": list(self.roles),
            "concurrent": [item.to_json() for item in self.concurrent],
            "conflicts": [item.to_json() for item in self.conflicts],
        }


@dataclass(frozen=True)
class AccountabilityGap:
    """A scope and responsibility with nobody accountable, over a period of the scope's life."""

    scope: str
    responsibility: str
    period: Period

    def to_json(self) -> dict[str, object]:
        return {"scope": self.scope, "responsibility": self.responsibility, **self.period.to_json()}


@dataclass(frozen=True)
class AccountabilityDuplicate:
    """A scope and responsibility with several agents accountable at once, over a period."""

    scope: str
    responsibility: str
    agents: tuple[str, ...]
    period: Period

    def to_json(self) -> dict[str, object]:
        return {
            "scope": self.scope,
            "responsibility": self.responsibility,
            "agents": list(self.agents),
            **self.period.to_json(),
        }


@dataclass(frozen=True)
class LoadStep:
    """A person's load over a period during which it does not change.

    Attributes
    ----------
    period : Period
    allocation : float
        The sum of the stated allocations of the assignments held (unstated ones add nothing).
    assignments : int
        How many role assignments are held.
    unstated : int
        How many of them state no allocation.
    """

    period: Period
    allocation: float
    assignments: int
    unstated: int

    def to_json(self) -> dict[str, object]:
        return {
            **self.period.to_json(),
            "allocation": self.allocation,
            "assignments": self.assignments,
            "unstated": self.unstated,
        }


@dataclass(frozen=True)
class PersonLoad:
    """A person's load over time: a step series from their first assignment to their last.

    Attributes
    ----------
    person : str
    roles : tuple of str
        The distinct roles the person holds (on ``at``, if the analysis was restricted to a day).
    steps : tuple of LoadStep
    """

    person: str
    roles: tuple[str, ...]
    steps: tuple[LoadStep, ...]

    @property
    def peak_allocation(self) -> float:
        return max((step.allocation for step in self.steps), default=0.0)

    @property
    def peak_assignments(self) -> int:
        return max((step.assignments for step in self.steps), default=0)

    @property
    def states_allocation(self) -> bool:
        """Whether any of the person's assignments states an allocation."""
        return any(step.unstated < step.assignments for step in self.steps)

    def to_json(self) -> dict[str, object]:
        return {
            "person": self.person,
            "roles": list(self.roles),
            "peak_allocation": self.peak_allocation,
            "peak_assignments": self.peak_assignments,
            "steps": [step.to_json() for step in self.steps],
        }


@dataclass(frozen=True)
class KeyPerson:
    """A person who is, on some day, the only manager of each of ``scopes``."""

    person: str
    scopes: tuple[str, ...]

    def to_json(self) -> dict[str, object]:
        return {"person": self.person, "scopes": list(self.scopes)}


@dataclass(frozen=True)
class PeopleOverlap:
    """The outcome of :func:`people_overlap`.

    Attributes
    ----------
    at : datetime.date or None
        The day the analysis was restricted to, if any.
    people : tuple of PersonOverlap
        People holding two or more distinct roles at the same time, by IRI.
    gaps : tuple of AccountabilityGap
        By scope, responsibility and start.
    duplicates : tuple of AccountabilityDuplicate
        By scope, responsibility and start.
    load : tuple of PersonLoad
        Every agent holding a role, by IRI.
    key_people : tuple of KeyPerson
        By decreasing number of scopes, then IRI.
    labels : mapping of str to str
        The labels of the people, roles, scopes and responsibilities named in the result.
    """

    at: datetime.date | None
    people: tuple[PersonOverlap, ...]
    gaps: tuple[AccountabilityGap, ...]
    duplicates: tuple[AccountabilityDuplicate, ...]
    load: tuple[PersonLoad, ...]
    key_people: tuple[KeyPerson, ...]
    labels: Mapping[str, str]

    @property
    def conflicts(self) -> tuple[ConflictingRoles, ...]:
        """Every conflict of every person."""
        return tuple(conflict for person in self.people for conflict in person.conflicts)

    def label(self, iri: str) -> str:
        """The label of a node named in the result, or its IRI when it has none."""
        return self.labels.get(str(iri), str(iri))

    def to_json(self) -> dict[str, object]:
        """The result as docs/design.md states it (JSON formats: ``people``), with further keys.

        ``at``, ``gaps``, ``duplicates``, ``load``, ``key_people`` and ``labels``.
        """
        return {
            "people": [person.to_json() for person in self.people],
            "at": None if self.at is None else self.at.isoformat(),
            "gaps": [gap.to_json() for gap in self.gaps],
            "duplicates": [duplicate.to_json() for duplicate in self.duplicates],
            "load": [load.to_json() for load in self.load],
            "key_people": [key.to_json() for key in self.key_people],
            "labels": dict(sorted(self.labels.items())),
        }

    def to_csv(self) -> str:
        """One row per two roles a person holds at once, with the conflict's kind if they conflict."""
        conflicts = {
            (person.person, conflict.roles, conflict.scopes, conflict.period): conflict.kind
            for person in self.people
            for conflict in person.conflicts
        }
        rows = [
            [
                person.person,
                *item.roles,
                *item.scopes,
                *(value or "" for value in item.period.to_json().values()),
                conflicts.get((person.person, item.roles, item.scopes, item.period), ""),
            ]
            for person in self.people
            for item in person.concurrent
        ]
        return _csv(["person", "role_a", "role_b", "scope_a", "scope_b", "start", "end", "conflict"], rows)

    def to_table(self) -> str:
        """A summary for people: concurrent and conflicting roles, gaps, duplicates, load, key people."""
        name = self.label
        when = "" if self.at is None else f" on {self.at}"
        lines = [f"People holding two or more roles at the same time{when}: {len(self.people)}"]
        for person in self.people:
            lines.append(f"  {name(person.person)}: {', '.join(name(role) for role in person.roles)}")
            for item in person.concurrent:
                lines.append(
                    f"    {name(item.roles[0])} of {name(item.scopes[0])} and {name(item.roles[1])} of "
                    f"{name(item.scopes[1])}, {item.period.text()}"
                )
        lines += ["", f"Conflicting roles: {len(self.conflicts)}"]
        for person in self.people:
            for conflict in person.conflicts:
                lines.append(
                    f"  {name(person.person)}: {name(conflict.roles[0])} of {name(conflict.scopes[0])} and "
                    f"{name(conflict.roles[1])} of {name(conflict.scopes[1])}, {conflict.period.text()} ({conflict.kind})"
                )
        lines += ["", f"Gaps, nobody accountable: {len(self.gaps)}"]
        lines += [f"  {name(g.scope)}: {name(g.responsibility)}, {g.period.text()}" for g in self.gaps]
        lines += ["", f"Duplicates, several accountable at once: {len(self.duplicates)}"]
        lines += [
            f"  {name(d.scope)}: {name(d.responsibility)}: {', '.join(map(name, d.agents))}, {d.period.text()}"
            for d in self.duplicates
        ]
        lines += ["", "Load at its peak:" if self.at is None else f"Load{when}:"]
        lines += ["  nobody holds a role"] if not self.load else text_table(
            ["person", "allocation", "assignments at once"],
            [
                [
                    name(load.person),
                    f"{load.peak_allocation:g}" if load.states_allocation else "unstated",
                    str(load.peak_assignments),
                ]
                for load in sorted(self.load, key=lambda load: (-load.peak_allocation, -load.peak_assignments, name(load.person)))
            ],
            indent="  ",
        )
        lines += ["", f"Key people, the only manager of a scope {'on some day' if self.at is None else when.strip()}: {len(self.key_people)}"]
        lines += [
            f"  {name(key.person)}: {len(key.scopes)} ({', '.join(map(name, key.scopes))})" for key in self.key_people
        ]
        return "\n".join(lines)


class _Assignment(NamedTuple):
    """A role assignment as the analysis reads it: days as a half-open ordinal range."""

    iri: str | None
    agent: str
    role: str
    scope: str
    first: int
    after_last: int
    allocation: Decimal | None

    def holds_on(self, day: int) -> bool:
        return self.first <= day < self.after_last


@dataclass
class _Facts:
    """What the people query returned, gathered by kind."""

    assignments: list[_Assignment]
    accountable: list[tuple[str, str, str, int, int]]  # agent, scope, responsibility, first, after_last
    accountable_for: dict[str, set[str]]  # role -> responsibilities
    counts_as: dict[str, set[str]]  # role -> core roles
    kinds: dict[str, frozenset[str]]  # scope -> classes (none for a scope of an unknown kind)
    scope_days: dict[str, tuple[int, int]]  # scope -> its own dates, as a half-open ordinal range
    structure: set[tuple[str, str, str]]  # (subject, "delivers"|"partOf"|"worksOn", object)
    labels: dict[str, str]


def _read_people_facts(data: DataSource) -> _Facts:
    """Run the people query once and sort its rows by kind.

    A triple stated in several files comes once per file: assignments are kept once each.
    """
    facts = _Facts([], [], defaultdict(set), defaultdict(set), {}, {}, set(), {})
    kinds: dict[str, set[str]] = defaultdict(set)
    labels, structure = facts.labels, facts.structure
    days, allocations = _Days(), _Allocations()
    accountable = str(PM.Accountable)
    # Each kind of row reads only the columns it binds, by position (in the order of the query's
    # SELECT): on a large portfolio that is much faster than unpacking every column, or by name.
    for row in _query(data, _PEOPLE_QUERY):
        kind = row[0].value
        if kind == "label":  # ?subject ?object
            thing, label = _text(row[1]), _text(row[10])
            known = labels.get(thing)
            if known is None or label < known:  # the smallest label, as _labelled keeps
                labels[thing] = label
        elif kind == "role assignment":  # ?subject ?agent ?role ?scope ?start ?end ?allocation
            first, after_last = days.range(row[7], row[8])
            if first >= after_last:
                continue  # it ends before it starts: rule 2 reports it, and it holds on no day
            subject, allocation = row[1], row[9]
            facts.assignments.append(
                _Assignment(
                    None if subject is None else _text(subject),
                    _text(row[2]),
                    _text(row[3]),
                    _text(row[4]),
                    first,
                    after_last,
                    None if allocation is None else allocations[_text(allocation)],
                )
            )
        elif kind == "scope":  # ?scope ?object (its class) ?start ?end
            scope = _text(row[4])
            kinds[scope].add(row[10].value)
            facts.scope_days[scope] = days.range(row[7], row[8])
        elif kind == "responsibility assignment":  # ?agent ?scope ?responsibility ?raci ?start ?end
            scope = _text(row[4])
            if row[6].value == accountable:
                first, after_last = days.range(row[7], row[8])
                facts.accountable.append((_text(row[2]), scope, _text(row[5]), first, after_last))
            kinds.setdefault(scope, set())  # a scope, of whatever kind
        elif kind == "accountable":  # ?role ?responsibility
            facts.accountable_for[_text(row[3])].add(_text(row[5]))
        elif kind == "counts as":  # ?role ?object
            facts.counts_as[_text(row[3])].add(_text(row[10]))
        else:  # delivers, partOf, worksOn: ?subject ?object
            structure.add((_text(row[1]), kind, _text(row[10])))
    facts.assignments = list(dict.fromkeys(facts.assignments))
    facts.accountable = list(dict.fromkeys(facts.accountable))
    for assignment in facts.assignments:
        kinds.setdefault(assignment.scope, set())
        facts.counts_as[assignment.role].add(assignment.role)
    # frozen, so that a scope's kinds can key what the analysis works out once for each set of kinds
    facts.kinds = {scope: frozenset(classes) for scope, classes in kinds.items()}
    return facts


class _Days(dict[str, int | None]):
    """Date texts as ordinals, each distinct text read once (a portfolio repeats its dates).

    ``days["2024-01-15"]`` is the ordinal of that day, None if the text is not a date.
    """

    def __missing__(self, text: str) -> int | None:
        day = _date(text)
        self[text] = ordinal = None if day is None else day.toordinal()
        return ordinal

    def range(self, start: object, end: object) -> tuple[int, int]:
        """The half-open ordinal range of two optional date literals (unreadable dates stay open)."""
        first = None if start is None else self[start.value]  # type: ignore[attr-defined]
        last = None if end is None else self[end.value]  # type: ignore[attr-defined]
        return (_OPEN_START if first is None else first, _OPEN_END if last is None else last + 1)


class _Allocations(dict[str, Decimal | None]):
    """Stated allocations as Decimals (exact sums), each distinct text read once.

    ``allocations["0.5"]`` is ``Decimal("0.5")``; None if the text is not a number.
    """

    def __missing__(self, text: str) -> Decimal | None:
        try:
            allocation: Decimal | None = Decimal(text)
        except InvalidOperation:
            allocation = None
        self[text] = allocation
        return allocation


def people_overlap(data: DataSource, at: datetime.date | None = None) -> PeopleOverlap:
    """Find the people who hold overlapping or conflicting roles, and the holes in accountability.

    Parameters
    ----------
    data : pmgraph.Organisation, path, list of paths, rdflib.Graph or rdflib.Dataset
        The organisation's data (see :meth:`pmgraph.Organisation.of`); the ontology is added (not
        to ``data``, which is not changed). A pyoxigraph store is queried as it is (the union of
        its graphs), and must hold the ontology.
    at : datetime.date, optional
        Look at this day only: only the assignments in effect that day count, and gaps,
        duplicates, load steps and key people are those of that day.

    Returns
    -------
    PeopleOverlap
        - ``people``: everyone holding two or more distinct roles whose assignments share a day,
          with every such two assignments (roles, scopes, shared period) and the known
          conflicting combinations among them (:data:`CONFLICTS`).
        - ``gaps`` and ``duplicates``: for every scope and responsibility, the periods with
          nobody accountable or several agents accountable at once. Accountability comes from
          explicit ``pm:ResponsibilityAssignment`` with ``pm:raci pm:Accountable`` and from the
          reference model of the roles held on the scope (rule 6's reading). A scope is expected
          to have somebody accountable for what the reference model makes its kind's manager
          accountable for (the Project Manager's responsibilities on a project; a team's Product
          Owner's on a team), and for anything anybody is accountable for there at some time,
          over its life: its own dates, or where it states none, from the first to the last day
          any role assignment or accountable responsibility assignment on it is in effect.
        - ``load``: for every agent holding a role, a step series of the sum of stated
          allocations and the number of role assignments held.
        - ``key_people``: people who are, on some day, the only manager of a scope (the holder of
          the manager role of its kind; a product's Product Manager or Product Owner): their
          absence would leave it without one.

    Examples
    --------
    >>> data = rdflib.Graph().parse(format="turtle", data='''
    ...     @prefix pm: <https://w3id.org/pmgraph#> .
    ...     @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
    ...     @prefix ex: <https://example.org/> .
    ...     ex:team a pm:Team ; pm:productOwner ex:priya .
    ...     ex:priya-master pm:agent ex:priya ; pm:role pm:ScrumMaster ; pm:scope ex:team ;
    ...         pm:startDate "2024-01-01"^^xsd:date .''')
    >>> [person] = people_overlap(data).people
    >>> person.person, person.conflicts[0].kind, person.conflicts[0].period.text()
    ('https://example.org/priya', 'product-owner-and-scrum-master', 'from 2024-01-01')
    """
    with _collector_paused():
        return _people_overlap(data, at)


def _people_overlap(data: DataSource, at: datetime.date | None) -> PeopleOverlap:
    """:func:`people_overlap`, with the garbage collector paused."""
    facts = _read_people_facts(data)
    day = None if at is None else at.toordinal()
    assignments = [a for a in facts.assignments if day is None or a.holds_on(day)]

    held_by: dict[str, list[_Assignment]] = defaultdict(list)
    for assignment in assignments:
        held_by[assignment.agent].append(assignment)
    by_agent = {agent: held_by[agent] for agent in sorted(held_by)}  # as the results list them, by IRI
    people = [
        person
        for agent, held in by_agent.items()
        if len(held) > 1 and (person := _person_overlap(agent, held, facts))  # one assignment overlaps none
    ]
    gaps, duplicates = _accountability(facts, day)
    load = _person_loads(by_agent, day)
    key_people = _key_people(facts, day)

    named: set[str] = set()
    for person in people:
        named.add(person.person)
        for item in person.concurrent:
            named.update(item.roles + item.scopes)
    for gap in gaps:
        named.update((gap.scope, gap.responsibility))
    for duplicate in duplicates:
        named.update((duplicate.scope, duplicate.responsibility, *duplicate.agents))
    for held in load:
        named.update((held.person, *held.roles))
    for key in key_people:
        named.update((key.person, *key.scopes))
    return PeopleOverlap(
        at=at,
        people=tuple(people),
        gaps=tuple(gaps),
        duplicates=tuple(duplicates),
        load=tuple(load),
        key_people=tuple(key_people),
        labels=MappingProxyType({iri: facts.labels[iri] for iri in sorted(named) if iri in facts.labels}),
    )


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector, and restore it as it was.

    A large portfolio makes hundreds of thousands of small objects, none in a cycle; the collector
    would walk all of them again and again, which costs about a third of the analysis.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _person_overlap(agent: str, held: list[_Assignment], facts: _Facts) -> PersonOverlap | None:
    """The distinct roles an agent holds on shared days, and the conflicts among them."""
    if len({assignment.role for assignment in held}) < 2:
        return None
    ordered = sorted(held, key=lambda a: (a.first, a.after_last, a.role, a.scope, a.iri or ""))
    concurrent = []
    conflicts = []
    for i, one in enumerate(ordered):
        # sorted by first day: the later assignments that overlap this one come right after it
        for other in itertools.islice(ordered, i + 1, None):
            if other.first >= one.after_last:
                break
            if other.role == one.role:
                continue
            a, b = sorted((one, other), key=lambda x: (x.role, x.scope, x.first, x.iri or ""))
            period = _period(max(a.first, b.first), min(a.after_last, b.after_last))
            concurrent.append(ConcurrentRoles((a.role, b.role), (a.scope, b.scope), (a.iri, b.iri), period))
            kind = _conflict(a, b, facts)
            if kind is not None:
                conflicts.append(ConflictingRoles(kind, (a.role, b.role), (a.scope, b.scope), period))
    if not concurrent:
        return None

    def order(item: ConcurrentRoles | ConflictingRoles) -> tuple[object, ...]:
        return (item.period.start or datetime.date.min, item.roles, item.scopes)

    return PersonOverlap(
        person=agent,
        roles=tuple(sorted({role for item in concurrent for role in item.roles})),
        concurrent=tuple(sorted(concurrent, key=order)),
        conflicts=tuple(sorted(conflicts, key=order)),
    )


def _conflict(a: _Assignment, b: _Assignment, facts: _Facts) -> str | None:
    """The kind of conflict (a key of CONFLICTS) between two concurrent assignments, or None."""
    product_owner, project_manager = str(PM.ProductOwner), str(PM.ProjectManager)
    for one, other in ((a, b), (b, a)):
        one_is, other_is = facts.counts_as[one.role], facts.counts_as[other.role]
        same_scope = one.scope == other.scope
        # the project `other` manages, if it is a Project Manager's assignment
        project = other.scope if project_manager in other_is else None
        delivers_one = (project, "delivers", one.scope) in facts.structure
        if same_scope and product_owner in one_is and str(PM.ScrumMaster) in other_is:
            return "product-owner-and-scrum-master"
        if project and str(PM.ProductManager) in one_is and delivers_one:
            return "product-manager-and-project-manager"
        if project and product_owner in one_is and (delivers_one or (one.scope, "worksOn", project) in facts.structure):
            return "product-owner-and-project-manager"
        if project and str(PM.ProgramManager) in one_is and (project, "partOf", one.scope) in facts.structure:
            return "program-manager-and-project-manager"
        if same_scope and str(PM.Sponsor) in one_is and not _SPONSORED_MANAGERS.isdisjoint(other_is):
            return "sponsor-and-manager"
    return None


def _timeline(spans: Iterable[tuple[int, int, Hashable]]) -> list[tuple[int, int, frozenset[Hashable]]]:
    """Cut time at every start and end of the spans: each piece with the spans' items in effect.

    The pieces run from the first start to the last end, those with nothing in effect included.
    """
    events: dict[int, list[tuple[int, Hashable]]] = defaultdict(list)
    for first, after_last, item in spans:
        if first < after_last:
            events[first].append((1, item))
            events[after_last].append((-1, item))
    pieces = []
    active: dict[Hashable, int] = defaultdict(int)
    previous = None
    for moment in sorted(events):
        if previous is not None:
            pieces.append((previous, moment, frozenset(item for item, count in active.items() if count)))
        for change, item in events[moment]:
            active[item] += change
        previous = moment
    return pieces


def _merged(pieces: Iterable[tuple[int, int, Hashable]]) -> list[tuple[int, int, Hashable]]:
    """Join consecutive pieces that carry the same value."""
    merged: list[tuple[int, int, Hashable]] = []
    for first, after_last, value in pieces:
        if merged and merged[-1][1] == first and merged[-1][2] == value:
            merged[-1] = (merged[-1][0], after_last, value)
        else:
            merged.append((first, after_last, value))
    return merged


def _accountability(facts: _Facts, day: int | None) -> tuple[list[AccountabilityGap], list[AccountabilityDuplicate]]:
    """Gaps and duplicates of accountability for every scope and responsibility."""
    empty: frozenset[str] = frozenset()
    accountable_for = {role: frozenset(held) for role, held in facts.accountable_for.items()}
    expected_of_kind = {kind: accountable_for.get(role, empty) for kind, role in _MANAGER_OF_KIND.items()}
    expected_of_kinds: dict[frozenset[str], frozenset[str]] = {}  # worked out once for each set of kinds
    # on each scope: who is accountable for which responsibilities, and when
    sources: dict[str, list[tuple[int, int, str, frozenset[str]]]] = defaultdict(list)
    for agent, scope, responsibility, first, after_last in facts.accountable:
        sources[scope].append((first, after_last, agent, frozenset({responsibility})))
    for assignment in facts.assignments:
        held = accountable_for.get(assignment.role, empty)
        sources[assignment.scope].append((assignment.first, assignment.after_last, assignment.agent, held))

    gaps, duplicates = [], []
    for scope, kinds in facts.kinds.items():  # every scope with a source is there
        if kinds not in expected_of_kinds:
            expected_of_kinds[kinds] = empty.union(*(expected_of_kind.get(kind, empty) for kind in kinds))
        on_scope = sources.get(scope, [])
        expected = expected_of_kinds[kinds].union(*[source[3] for source in on_scope])
        if not expected:
            continue
        assigned = (min([s[0] for s in on_scope]), max([s[1] for s in on_scope])) if on_scope else None
        life = _scope_life(facts.scope_days.get(scope), assigned)
        for spans, responsibilities in _covered_by(expected, on_scope):
            for first, after_last, agents in _accountable_pieces(life, spans):
                if day is not None and not first <= day < after_last:
                    continue
                if not agents:
                    gaps.extend(AccountabilityGap(scope, r, _period(first, after_last)) for r in responsibilities)
                else:
                    who = tuple(sorted(agents))
                    duplicates.extend(
                        AccountabilityDuplicate(scope, r, who, _period(first, after_last)) for r in responsibilities
                    )

    def order(item: AccountabilityGap | AccountabilityDuplicate) -> tuple[str, str, datetime.date]:
        return (item.scope, item.responsibility, item.period.start or datetime.date.min)

    return sorted(gaps, key=order), sorted(duplicates, key=order)


def _covered_by(
    expected: frozenset[str], on_scope: list[tuple[int, int, str, frozenset[str]]]
) -> list[tuple[list[tuple[int, int, str]], frozenset[str]]]:
    """Group the expected responsibilities of a scope by the sources that cover them.

    The responsibilities a role brings share their spans: time is then cut once for each group.
    Each group comes with the spans (first day, day after the last, agent) of its sources.
    """
    groups: list[tuple[list[tuple[int, int, str]], frozenset[str]]] = [([], expected)]
    for first, after_last, agent, held in on_scope:
        refined = []
        for spans, responsibilities in groups:
            if responsibilities.isdisjoint(held):
                refined.append((spans, responsibilities))
            elif responsibilities <= held:
                refined.append(([*spans, (first, after_last, agent)], responsibilities))
            else:
                refined.append(([*spans, (first, after_last, agent)], responsibilities & held))
                refined.append((spans, responsibilities - held))
        groups = refined
    return groups


def _accountable_pieces(
    life: tuple[int, int], spans: list[tuple[int, int, str]]
) -> list[tuple[int, int, frozenset[str]]]:
    """Where accountability fails: the pieces of time with several agents accountable, and the
    pieces of the scope's life with nobody accountable (those with no agents)."""
    if len(spans) <= 1:  # the common case, without the general sweep: nobody outside the one span
        nobody: frozenset[str] = frozenset()
        if not spans:
            return [(*life, nobody)] if life[0] < life[1] else []
        first, after_last, _agent = spans[0]
        if first <= life[0] and life[1] <= after_last:
            return []  # the span covers the whole life
        pieces = ((life[0], min(first, life[1])), (max(after_last, life[0]), life[1]))
        return [(start, end, nobody) for start, end in pieces if start < end]
    return [
        (first, after_last, agents)
        for first, after_last, (alive, agents) in _merged(
            (first, after_last, (None in items, frozenset(items - {None})))
            for first, after_last, items in _timeline([(*life, None), *spans])  # None marks the life
        )
        if len(agents) > 1 or (alive and not agents)
    ]


def _scope_life(own: tuple[int, int] | None, assigned: tuple[int, int] | None) -> tuple[int, int]:
    """A scope's life: its own dates, and where it states none, the span of its assignments."""
    first, after_last = own if own is not None else (_OPEN_START, _OPEN_END)
    if assigned is not None:
        first = assigned[0] if first == _OPEN_START else first
        after_last = assigned[1] if after_last == _OPEN_END else after_last
    return first, after_last


def _person_loads(by_agent: Mapping[str, list[_Assignment]], day: int | None) -> list[PersonLoad]:
    """The load of each agent, from the assignments each holds."""
    # One assignment makes one step, which depends only on its days and allocation: a portfolio
    # repeats those, so each such step is made once and shared (steps are frozen).
    single_steps: dict[tuple[int, int, Decimal | None], tuple[LoadStep, ...]] = {}
    loads = []
    for agent, held in by_agent.items():
        if len(held) == 1:
            [one] = held
            key = (one.first, one.after_last, one.allocation)
            if key not in single_steps:
                single_steps[key] = _load_steps(held, day)
            loads.append(PersonLoad(agent, (one.role,), single_steps[key]))
        else:
            loads.append(PersonLoad(agent, tuple(sorted({a.role for a in held})), _load_steps(held, day)))
    return loads


def _load_steps(held: list[_Assignment], day: int | None) -> tuple[LoadStep, ...]:
    """An agent's load as a step series; with ``day``, only the step holding that day."""
    if len(held) == 1:  # the common case, without the general sweep
        [one] = held
        step = LoadStep(_period(one.first, one.after_last), float(one.allocation or 0), 1, int(one.allocation is None))
        return (step,) if day is None or one.holds_on(day) else ()
    allocations = {index: assignment.allocation for index, assignment in enumerate(held)}
    pieces = _merged(
        (
            first,
            after_last,
            (
                sum((allocations[i] for i in items if allocations[i] is not None), Decimal(0)),
                len(items),
                sum(allocations[i] is None for i in items),
            ),
        )
        for first, after_last, items in _timeline(
            (assignment.first, assignment.after_last, index) for index, assignment in enumerate(held)
        )
    )
    return tuple(
        LoadStep(_period(first, after_last), float(total), count, unstated)
        for first, after_last, (total, count, unstated) in pieces
        if day is None or first <= day < after_last
    )


def _key_people(facts: _Facts, day: int | None) -> list[KeyPerson]:
    """The people who are, on some day (on ``day``, if given), the only manager of a scope."""
    managers_of_kinds: dict[frozenset[str], frozenset[str]] = {}
    managing: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for assignment in facts.assignments:
        kinds = facts.kinds[assignment.scope]
        if kinds not in managers_of_kinds:
            managers_of_kinds[kinds] = frozenset().union(*(_MANAGERS_OF_KIND.get(kind, ()) for kind in kinds))
        if not managers_of_kinds[kinds].isdisjoint(facts.counts_as[assignment.role]):
            managing[assignment.scope].append((assignment.first, assignment.after_last, assignment.agent))
    sole: dict[str, set[str]] = defaultdict(set)
    for scope, spans in managing.items():
        agent = spans[0][2]
        if all(span[2] == agent for span in spans):  # one manager, without the sweep
            if day is None or any(first <= day < after_last for first, after_last, _agent in spans):
                sole[agent].add(scope)
            continue
        for first, after_last, agents in _timeline(spans):
            if len(agents) == 1 and (day is None or first <= day < after_last):
                sole[next(iter(agents))].add(scope)  # type: ignore[arg-type]
    by_scopes = sorted(sorted(sole), key=lambda person: -len(sole[person]))  # a stable sort: then by IRI
    return [KeyPerson(person, tuple(sorted(sole[person]))) for person in by_scopes]


# ---------------------------------------------------------------------------------------------
# The graph for Gephi and yEd
# ---------------------------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------------------------
# Text output
# ---------------------------------------------------------------------------------------------


def _csv(header: list[str], rows: Iterable[list[object]]) -> str:
    """A CSV text with a header row (numbers as Python writes them)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()
