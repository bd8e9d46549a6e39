"""Who holds which role, and who is R, A, C or I for what, on which scope and when.

A role is held either through a ``pm:RoleAssignment`` (agent, role, scope, optional dates and
allocation) or through the short form ``?scope pm:projectManager ?person`` (and its four siblings),
read exactly as an assignment of the matching core role without dates. A missing start or end date
means the period is open on that side; two periods overlap when they share at least one day. These
are the readings of ``shapes/violations.ttl``.

Examples
--------
>>> from rdflib import Graph
>>> data = Graph().parse(format="turtle", data='''
...     @prefix pm: <https://w3id.org/pmgraph#> .
...     @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
...     <https://example.org/api> pm:projectManager <https://example.org/erin> .
...     <https://example.org/jon-api> pm:agent <https://example.org/jon> ; pm:role pm:ProjectManager ;
...         pm:scope <https://example.org/api> ; pm:startDate "2024-05-01"^^xsd:date .''')
>>> [(h.agent.removeprefix("https://example.org/"), h.period) for h in role_holdings(data)]
[('erin', ''), ('jon', 'from 2024-05-01')]
>>> role_holdings(data)[0].overlaps(role_holdings(data)[1])
True
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS
from rdflib.term import Node

from pmgraph.analysis.periods import Period, period_text
from pmgraph.namespace import PM

__all__ = [
    "SHORT_FORMS",
    "RACI_PROPERTIES",
    "RoleHolding",
    "ResponsibilityHolding",
    "role_holdings",
    "responsibility_holdings",
    "counts_as",
]

#: The short-form properties and the core role each stands for.
SHORT_FORMS: dict[URIRef, URIRef] = {
    PM.productManager: PM.ProductManager,
    PM.productOwner: PM.ProductOwner,
    PM.projectManager: PM.ProjectManager,
    PM.programManager: PM.ProgramManager,
    PM.portfolioManager: PM.PortfolioManager,
}

#: The RACI levels and the reference-model property (role to responsibility) of each.
RACI_PROPERTIES: dict[URIRef, URIRef] = {
    PM.Responsible: PM.responsibleFor,
    PM.Accountable: PM.accountableFor,
    PM.Consulted: PM.consultedOn,
    PM.Informed: PM.informedOn,
}

#: What a role assignment states about itself, besides its class.
ROLE_ASSIGNMENT_PROPERTIES = (PM.agent, PM.role, PM.scope, PM.startDate, PM.endDate, PM.allocation)
#: What a responsibility assignment states about itself, besides its class.
RESPONSIBILITY_ASSIGNMENT_PROPERTIES = (PM.agent, PM.responsibility, PM.scope, PM.raci, PM.startDate, PM.endDate)


def _day(value: Literal | None) -> datetime.date | None:
    """The day a date literal stands for; None when missing or not a valid xsd:date."""
    if value is not None and isinstance(value.value, datetime.date):
        return value.value
    return None


class _Period:
    """What a holding with a ``start`` and an ``end`` (literals or None) says about its period."""

    start: Literal | None
    end: Literal | None

    @property
    def period(self) -> str:
        """``2024-01-15 to 2024-09-30``, ``from 2024-05-01``, ``until 2024-09-30`` or ``""``."""
        return period_text(self.start, self.end)

    def overlaps(self, other: _Period) -> bool:
        """Whether the two periods share at least one day; a missing start or end is open."""
        return self.days.overlaps(other.days)

    @property
    def days(self) -> Period:
        """The period as days; a date that is not a valid ``xsd:date`` counts as open."""
        return Period(_day(self.start), _day(self.end))


@dataclass(frozen=True)
class RoleHolding(_Period):
    """An agent holding a role on a scope over a period.

    Attributes
    ----------
    assignment : rdflib term or None
        The ``pm:RoleAssignment`` node; None for a short-form statement.
    agent, role, scope : rdflib terms
    start, end : rdflib.Literal or None
        The dates as written; None when open on that side.
    allocation : rdflib.Literal or None
    short_form : rdflib.URIRef or None
        The short-form property (``pm:projectManager``...) that states it, if any.
    """

    assignment: Node | None
    agent: Node
    role: Node
    scope: Node
    start: Literal | None = None
    end: Literal | None = None
    allocation: Literal | None = None
    short_form: URIRef | None = None


@dataclass(frozen=True)
class ResponsibilityHolding(_Period):
    """An agent taking part in a responsibility on a scope at one RACI level (a ``pm:ResponsibilityAssignment``).

    Attributes
    ----------
    assignment : rdflib term
    agent, responsibility, scope, raci : rdflib terms
    start, end : rdflib.Literal or None
    """

    assignment: Node
    agent: Node
    responsibility: Node
    scope: Node
    raci: Node
    start: Literal | None = None
    end: Literal | None = None


def _dates(graph: Graph, node: Node) -> tuple[Literal | None, Literal | None]:
    """The node's start and end dates; the widest when it states several."""
    starts = [value for value in graph.objects(node, PM.startDate) if isinstance(value, Literal)]
    ends = [value for value in graph.objects(node, PM.endDate) if isinstance(value, Literal)]
    start = min(starts, key=lambda value: (_day(value) or datetime.date.min, str(value)), default=None)
    end = max(ends, key=lambda value: (_day(value) or datetime.date.max, str(value)), default=None)
    return start, end


def _sorted(nodes: Iterable[Node]) -> list[Node]:
    return sorted(set(nodes), key=lambda node: node.n3())


def role_holdings(graph: Graph) -> tuple[RoleHolding, ...]:
    """Return every role held in the graph, from role assignments and short forms.

    A role assignment is any node with a ``pm:role``; it gives one holding per agent, role and
    scope it states (one of each in valid data). Holdings come sorted by scope, role, agent and
    assignment.

    Parameters
    ----------
    graph : rdflib.Graph
        The data; a :class:`rdflib.Dataset` is read as the union of its graphs.

    Returns
    -------
    tuple of RoleHolding
    """
    holdings = []
    for assignment in _sorted(graph.subjects(PM.role, None)):
        start, end = _dates(graph, assignment)
        allocations = _sorted(graph.objects(assignment, PM.allocation))
        for agent in _sorted(graph.objects(assignment, PM.agent)):
            for role in _sorted(graph.objects(assignment, PM.role)):
                for scope in _sorted(graph.objects(assignment, PM.scope)):
                    allocation = allocations[0] if allocations else None
                    holdings.append(RoleHolding(assignment, agent, role, scope, start, end, allocation))
    for short_form, role in SHORT_FORMS.items():
        for scope, agent in sorted(set(graph.subject_objects(short_form)), key=lambda pair: (pair[0].n3(), pair[1].n3())):
            holdings.append(RoleHolding(None, agent, role, scope, short_form=short_form))
    return tuple(
        sorted(holdings, key=lambda h: (h.scope.n3(), h.role.n3(), h.agent.n3(), h.assignment.n3() if h.assignment else ""))
    )


def responsibility_holdings(graph: Graph) -> tuple[ResponsibilityHolding, ...]:
    """Return every responsibility assignment in the graph (any node with a ``pm:raci``).

    Parameters
    ----------
    graph : rdflib.Graph

    Returns
    -------
    tuple of ResponsibilityHolding
        Sorted by scope, responsibility, agent, RACI level and assignment.
    """
    holdings = []
    for assignment in _sorted(graph.subjects(PM.raci, None)):
        start, end = _dates(graph, assignment)
        for agent in _sorted(graph.objects(assignment, PM.agent)):
            for responsibility in _sorted(graph.objects(assignment, PM.responsibility)):
                for scope in _sorted(graph.objects(assignment, PM.scope)):
                    for raci in _sorted(graph.objects(assignment, PM.raci)):
                        holdings.append(ResponsibilityHolding(assignment, agent, responsibility, scope, raci, start, end))
    return tuple(
        sorted(
            holdings,
            key=lambda h: (h.scope.n3(), h.responsibility.n3(), h.agent.n3(), h.raci.n3(), h.assignment.n3()),
        )
    )


def counts_as(role: Node, *graphs: Graph) -> frozenset[Node]:
    """Return the role and every role it is ``skos:broader`` (transitively): what it counts as.

    Examples
    --------
    >>> from rdflib import Graph, URIRef
    >>> tpm = URIRef("https://example.org/technical-program-manager")
    >>> data = Graph()
    >>> _ = data.add((tpm, SKOS.broader, PM.ProgramManager))
    >>> sorted(str(role).split("#")[-1].split("/")[-1] for role in counts_as(tpm, data))
    ['ProgramManager', 'technical-program-manager']
    """
    seen = {role}
    todo = [role]
    while todo:
        current = todo.pop()
        for graph in graphs:
            for broader in graph.objects(current, SKOS.broader):
                if broader not in seen:
                    seen.add(broader)
                    todo.append(broader)
    return frozenset(seen)
