"""People's load over time, and key people: who is, on some day, the only manager of a scope.

A person's load is a step series of the sum of the stated allocations of the role assignments they
hold and of how many they hold; a key person's absence would leave a scope without a manager (the
holder of the manager role of its kind; a product's Product Manager or Product Owner).

Examples
--------
A product whose only manager is its Product Owner:

>>> import rdflib
>>> from pmgraph.analysis.people_facts import read_people_facts
>>> facts = read_people_facts(rdflib.Graph().parse(format="turtle", data='''
...     <https://example.org/app> a <https://w3id.org/pmgraph#Product> ;
...         <https://w3id.org/pmgraph#productOwner> <https://example.org/aisha> .'''))
>>> sole_managers(facts, None)
[KeyPerson(person='https://example.org/aisha', scopes=('https://example.org/app',))]
>>> [(load.person, load.peak_assignments) for load in person_loads({"https://example.org/aisha": facts.assignments}, None)]
[('https://example.org/aisha', 1)]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from pmgraph.analysis.people_facts import MANAGER_OF_KIND, AssignedRole, PeopleFacts
from pmgraph.analysis.periods import Period, merged_pieces, period_of, timeline
from pmgraph.namespace import PM

__all__ = ["LoadStep", "PersonLoad", "KeyPerson", "person_loads", "sole_managers"]

# The roles whose holders count as a scope's managers for key-person risk: the manager of each kind
# (MANAGER_OF_KIND), and a product is also managed by its Product Owner (a product needs a Product Manager or a Product Owner).
_MANAGERS_OF_KIND = {
    kind: frozenset({role, str(PM.ProductOwner)} if kind == str(PM.Product) else {role})
    for kind, role in MANAGER_OF_KIND.items()
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


def person_loads(by_agent: Mapping[str, list[AssignedRole]], day: int | None) -> list[PersonLoad]:
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


def _load_steps(held: list[AssignedRole], day: int | None) -> tuple[LoadStep, ...]:
    """An agent's load as a step series; with ``day``, only the step holding that day."""
    if len(held) == 1:  # the common case, without the general sweep
        [one] = held
        step = LoadStep(period_of(one.first, one.after_last), float(one.allocation or 0), 1, int(one.allocation is None))
        return (step,) if day is None or one.holds_on(day) else ()
    allocations = {index: assignment.allocation for index, assignment in enumerate(held)}
    pieces = merged_pieces(
        (
            first,
            after_last,
            (
                sum((allocations[i] for i in items if allocations[i] is not None), Decimal(0)),
                len(items),
                sum(allocations[i] is None for i in items),
            ),
        )
        for first, after_last, items in timeline(
            (assignment.first, assignment.after_last, index) for index, assignment in enumerate(held)
        )
    )
    return tuple(
        LoadStep(period_of(first, after_last), float(total), count, unstated)
        for first, after_last, (total, count, unstated) in pieces
        if day is None or first <= day < after_last
    )


def sole_managers(facts: PeopleFacts, day: int | None) -> list[KeyPerson]:
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
        for first, after_last, agents in timeline(spans):
            if len(agents) == 1 and (day is None or first <= day < after_last):
                sole[next(iter(agents))].add(scope)  # type: ignore[arg-type]
    by_scopes = sorted(sorted(sole), key=lambda person: -len(sole[person]))  # a stable sort: then by IRI
    return [KeyPerson(person, tuple(sorted(sole[person]))) for person in by_scopes]
