"""People overlap, aware of time: people holding two or more distinct roles at once, and the known
conflicting combinations among them; with the holes in accountability
(:mod:`~pmgraph.analysis.accountability`), each person's load over time and key-person risk
(:mod:`~pmgraph.analysis.workload`), all from two queries (:mod:`~pmgraph.analysis.people_facts`).

Two periods overlap when they share at least one day.
"""

from __future__ import annotations

import datetime
import gc
import itertools
from collections import defaultdict
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING

from pmgraph.analysis.accountability import AccountabilityDuplicate, AccountabilityGap, accountability_holes
from pmgraph.analysis.people_facts import AssignedRole, PeopleFacts, read_people_facts
from pmgraph.analysis.periods import Period, period_of
from pmgraph.analysis.workload import KeyPerson, PersonLoad, person_loads, sole_managers
from pmgraph.namespace import PM
from pmgraph.render.tables import csv_text, text_table

if TYPE_CHECKING:
    from pmgraph.organisation import DataSource

__all__ = ["CONFLICTS", "people_overlap", "ConcurrentRoles", "ConflictingRoles", "PersonOverlap", "PeopleOverlap"]

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

# The managers a Sponsor funds and holds to account.
_SPONSORED_MANAGERS = frozenset({str(PM.ProjectManager), str(PM.ProgramManager), str(PM.PortfolioManager)})


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
        return csv_text(["person", "role_a", "role_b", "scope_a", "scope_b", "start", "end", "conflict"], rows)

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
    >>> import rdflib
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
    facts = read_people_facts(data)
    day = None if at is None else at.toordinal()
    assignments = [a for a in facts.assignments if day is None or a.holds_on(day)]

    held_by: dict[str, list[AssignedRole]] = defaultdict(list)
    for assignment in assignments:
        held_by[assignment.agent].append(assignment)
    by_agent = {agent: held_by[agent] for agent in sorted(held_by)}  # as the results list them, by IRI
    people = [
        person
        for agent, held in by_agent.items()
        if len(held) > 1 and (person := _person_overlap(agent, held, facts))  # one assignment overlaps none
    ]
    gaps, duplicates = accountability_holes(facts, day)
    load = person_loads(by_agent, day)
    key_people = sole_managers(facts, day)

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


def _person_overlap(agent: str, held: list[AssignedRole], facts: PeopleFacts) -> PersonOverlap | None:
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
            period = period_of(max(a.first, b.first), min(a.after_last, b.after_last))
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


def _conflict(a: AssignedRole, b: AssignedRole, facts: PeopleFacts) -> str | None:
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
