"""What the people analysis reads of an organisation, in two queries: role assignments, accountable
responsibility assignments, what each role is accountable for and counts as, scopes with their kinds
and dates, how scopes hang together (delivers, part of, works on), and labels.

Role assignments are read as in ``shapes/violations.ttl``: a ``pm:RoleAssignment`` (or any node
with ``pm:agent``, ``pm:role`` and ``pm:scope``), or the short form ``?scope pm:projectManager
?person`` (and its four siblings) read as an assignment without dates. A missing date leaves a
period open on that side. Days are ordinals (:mod:`~pmgraph.analysis.periods`).

Examples
--------
>>> import rdflib
>>> data = rdflib.Graph().parse(format="turtle", data='''
...     @prefix pm: <https://w3id.org/pmgraph#> .
...     <https://example.org/api> a pm:Project ; pm:projectManager <https://example.org/erin> .''')
>>> facts = read_people_facts(data)
>>> [(a.agent, a.role.removeprefix("https://w3id.org/pmgraph#"), a.scope) for a in facts.assignments]
[('https://example.org/erin', 'ProjectManager', 'https://example.org/api')]
>>> sorted(facts.kinds["https://example.org/api"])
['https://w3id.org/pmgraph#Project']
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, NamedTuple

from pmgraph.analysis.assignments import SHORT_FORMS
from pmgraph.analysis.periods import DayOrdinals
from pmgraph.analysis.reading import solutions, term_text
from pmgraph.namespace import PM

if TYPE_CHECKING:
    from pmgraph.organisation import DataSource

__all__ = ["MANAGER_OF_KIND", "AssignedRole", "PeopleFacts", "read_people_facts"]

#: The role that manages each kind of scope: the role its short form names (the Product Owner for a
#: team). The reference accountabilities of this role are what a scope of that kind must have
#: somebody accountable for (besides whatever anybody is accountable for there).
MANAGER_OF_KIND = {
    str(PM.Portfolio): str(PM.PortfolioManager),
    str(PM.Program): str(PM.ProgramManager),
    str(PM.Project): str(PM.ProjectManager),
    str(PM.Product): str(PM.ProductManager),
    str(PM.Team): str(PM.ProductOwner),
}

_SHORT_FORM_VALUES = " ".join(f"(<{form}> <{role}>)" for form, role in SHORT_FORMS.items())

# Everything the people analysis reads of the data, one kind of row per UNION branch (?kind says
# which), so that each branch is one pass over its triples. An assignment's patterns start with the
# property only its kind of node has (pm:role, pm:raci): Oxigraph joins them in the order written.
# What the roles are accountable for and count as (the role model, a few dozen rows) is a query of
# its own, with the same columns: in one UNION with it, Virtuoso 7.2 answers rows of the scope branch
# (an OPTIONAL that matches nothing, after a small branch) without ?scope, as many as the small
# branch has rows (tests/test_virtuoso.py, test_canary_an_optional_after_a_small_union_branch_loses_a_column).
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

_ROLE_MODEL_QUERY = f"""
PREFIX pm: <https://w3id.org/pmgraph#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?kind ?subject ?agent ?role ?scope ?responsibility ?raci ?start ?end ?allocation ?object WHERE {{
    {{
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
    }}
}}
"""


class AssignedRole(NamedTuple):
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
class PeopleFacts:
    """What the people query returned, gathered by kind."""

    assignments: list[AssignedRole]
    accountable: list[tuple[str, str, str, int, int]]  # agent, scope, responsibility, first, after_last
    accountable_for: dict[str, set[str]]  # role -> responsibilities
    counts_as: dict[str, set[str]]  # role -> core roles
    kinds: dict[str, frozenset[str]]  # scope -> classes (none for a scope of an unknown kind)
    scope_days: dict[str, tuple[int, int]]  # scope -> its own dates, as a half-open ordinal range
    structure: set[tuple[str, str, str]]  # (subject, "delivers"|"partOf"|"worksOn", object)
    labels: dict[str, str]


def read_people_facts(data: DataSource) -> PeopleFacts:
    """Run the people query and the role model's once and sort their rows by kind.

    A triple stated in several files comes once per file: assignments are kept once each.
    """
    facts = PeopleFacts([], [], defaultdict(set), defaultdict(set), {}, {}, set(), {})
    kinds: dict[str, set[str]] = defaultdict(set)
    labels, structure = facts.labels, facts.structure
    days, allocations = DayOrdinals(), _Allocations()
    accountable = str(PM.Accountable)
    # Each kind of row reads only the columns it binds, by position (in the order of the query's
    # SELECT): on a large portfolio that is much faster than unpacking every column, or by name.
    for row in solutions(data, _PEOPLE_QUERY, _ROLE_MODEL_QUERY):
        kind = row[0].value
        if kind == "label":  # ?subject ?object
            thing, label = term_text(row[1]), term_text(row[10])
            known = labels.get(thing)
            if known is None or label < known:  # the smallest label, as role_overlap keeps
                labels[thing] = label
        elif kind == "role assignment":  # ?subject ?agent ?role ?scope ?start ?end ?allocation
            first, after_last = days.range(row[7], row[8])
            if first >= after_last:
                continue  # it ends before it starts: rule 2 reports it, and it holds on no day
            subject, allocation = row[1], row[9]
            facts.assignments.append(
                AssignedRole(
                    None if subject is None else term_text(subject),
                    term_text(row[2]),
                    term_text(row[3]),
                    term_text(row[4]),
                    first,
                    after_last,
                    None if allocation is None else allocations[term_text(allocation)],
                )
            )
        elif kind == "scope":  # ?scope ?object (its class) ?start ?end
            scope = term_text(row[4])
            kinds[scope].add(row[10].value)
            facts.scope_days[scope] = days.range(row[7], row[8])
        elif kind == "responsibility assignment":  # ?agent ?scope ?responsibility ?raci ?start ?end
            scope = term_text(row[4])
            if row[6].value == accountable:
                first, after_last = days.range(row[7], row[8])
                facts.accountable.append((term_text(row[2]), scope, term_text(row[5]), first, after_last))
            kinds.setdefault(scope, set())  # a scope, of whatever kind
        elif kind == "accountable":  # ?role ?responsibility
            facts.accountable_for[term_text(row[3])].add(term_text(row[5]))
        elif kind == "counts as":  # ?role ?object
            facts.counts_as[term_text(row[3])].add(term_text(row[10]))
        else:  # delivers, partOf, worksOn: ?subject ?object
            structure.add((term_text(row[1]), kind, term_text(row[10])))
    facts.assignments = list(dict.fromkeys(facts.assignments))
    facts.accountable = list(dict.fromkeys(facts.accountable))
    for assignment in facts.assignments:
        kinds.setdefault(assignment.scope, set())
        facts.counts_as[assignment.role].add(assignment.role)
    # frozen, so that a scope's kinds can key what the analysis works out once for each set of kinds
    facts.kinds = {scope: frozenset(classes) for scope, classes in kinds.items()}
    return facts


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
