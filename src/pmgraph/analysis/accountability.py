"""Holes in accountability: for every scope and responsibility, the periods with nobody accountable
(gaps) and those with several agents accountable at once (duplicates).

Accountability comes from explicit ``pm:ResponsibilityAssignment`` with ``pm:raci pm:Accountable``
and from the reference model of the roles held on the scope (rule 6's reading). A scope is expected
to have somebody accountable for what the reference model makes its kind's manager accountable for
(:data:`~pmgraph.analysis.people_facts.MANAGER_OF_KIND`), and for anything anybody is accountable
for there at some time, over its life: its own dates, or where it states none, from the first to the
last day any role assignment or accountable responsibility assignment on it is in effect.

Examples
--------
>>> import rdflib
>>> from pmgraph.analysis.people_facts import read_people_facts
>>> data = rdflib.Graph().parse(format="turtle", data='''
...     @prefix pm: <https://w3id.org/pmgraph#> .
...     @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
...     <https://example.org/api> a pm:Project ; pm:startDate "2024-01-01"^^xsd:date ;
...         pm:endDate "2024-12-31"^^xsd:date .
...     [] pm:agent <https://example.org/erin> ; pm:role pm:ProjectManager ;
...         pm:scope <https://example.org/api> ; pm:startDate "2024-03-01"^^xsd:date .''')
>>> gaps, duplicates = accountability_holes(read_people_facts(data), None)
>>> sorted({gap.period.text() for gap in gaps}), duplicates
(['2024-01-01 to 2024-02-29'], [])
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from pmgraph.analysis.people_facts import MANAGER_OF_KIND, PeopleFacts
from pmgraph.analysis.periods import OPEN_END, OPEN_START, Period, merged_pieces, period_of, timeline

__all__ = ["AccountabilityGap", "AccountabilityDuplicate", "accountability_holes"]


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


def accountability_holes(facts: PeopleFacts, day: int | None) -> tuple[list[AccountabilityGap], list[AccountabilityDuplicate]]:
    """Gaps and duplicates of accountability for every scope and responsibility."""
    empty: frozenset[str] = frozenset()
    accountable_for = {role: frozenset(held) for role, held in facts.accountable_for.items()}
    expected_of_kind = {kind: accountable_for.get(role, empty) for kind, role in MANAGER_OF_KIND.items()}
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
                    gaps.extend(AccountabilityGap(scope, r, period_of(first, after_last)) for r in responsibilities)
                else:
                    who = tuple(sorted(agents))
                    duplicates.extend(
                        AccountabilityDuplicate(scope, r, who, period_of(first, after_last)) for r in responsibilities
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
        for first, after_last, (alive, agents) in merged_pieces(
            (first, after_last, (None in items, frozenset(items - {None})))
            for first, after_last, items in timeline([(*life, None), *spans])  # None marks the life
        )
        if len(agents) > 1 or (alive and not agents)
    ]


def _scope_life(own: tuple[int, int] | None, assigned: tuple[int, int] | None) -> tuple[int, int]:
    """A scope's life: its own dates, and where it states none, the span of its assignments."""
    first, after_last = own if own is not None else (OPEN_START, OPEN_END)
    if assigned is not None:
        first = assigned[0] if first == OPEN_START else first
        after_last = assigned[1] if after_last == OPEN_END else after_last
    return first, after_last
