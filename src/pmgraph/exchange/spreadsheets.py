"""RACI matrices out to spreadsheets (CSV), and role assignments in from them.

:func:`raci_to_csv` writes the RACI matrix of a scope, or the roles' reference model, as CSV;
:mod:`pmgraph.exchange.raci_matrix` reads matrices in, as people write them.

A role-assignment CSV has a header naming its columns, in any order: ``person`` (or ``agent``),
``role`` and ``scope`` (required), ``start``, ``end`` (``YYYY-MM-DD``) and ``allocation`` (a
number from 0 to 1). Each row becomes a ``pm:RoleAssignment`` named
``<scope>-<role>-<person>[-<start>]``. Cells are separated by commas, semicolons or tabs (see
:mod:`pmgraph.exchange.sheets`). A bad row is reported with its number (the header is row 1),
every bad row once; when any row is bad nothing is returned.

Examples
--------
>>> from rdflib import Graph
>>> graph = Graph().parse(format="turtle", data='''
...     @prefix pm: <https://w3id.org/pmgraph#> . @prefix acme: <https://example.org/> .
...     acme:a1 a pm:ResponsibilityAssignment ; pm:agent acme:erin ; pm:responsibility pm:Budgeting ;
...         pm:scope acme:api ; pm:raci pm:Accountable .''')
>>> print(raci_to_csv(graph, scope="acme:api"), end="")
Responsibility,acme:erin
Budgeting,A
"""

from __future__ import annotations

import csv
import datetime
import decimal
import io
import os
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import RDF, XSD, Graph, Literal, URIRef
from rdflib.term import Node

from pmgraph.analysis.assignments import RACI_PROPERTIES, responsibility_holdings
from pmgraph.errors import InputError, SpreadsheetError
from pmgraph.exchange.sheets import read_rows
from pmgraph.exchange.vocabulary import Vocabulary, local_slug, name_problem, vocabulary_of
from pmgraph.namespace import PM

if TYPE_CHECKING:
    from pmgraph.organisation import DataSource

__all__ = [
    "SpreadsheetError",
    "raci_to_csv",
    "role_assignments_from_csv",
]

#: The RACI letters, in the order a cell lists them, with the level and the reference-model property.
RACI_LEVELS: dict[str, tuple[URIRef, URIRef]] = {
    str(level).removeprefix(PM._NS)[0]: (level, reference_property)
    for level, reference_property in RACI_PROPERTIES.items()
}

#: The columns of a role-assignment CSV, and the other names they may go by.
ASSIGNMENT_COLUMNS = {"person": "person", "agent": "person", "role": "role", "scope": "scope",
                      "start": "start", "end": "end", "allocation": "allocation"}

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# what a cell that names nothing should have held, for the messages
_A_ROLE = "a role (ProjectManager, Project Manager, pm:ProjectManager)"


def _rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """The rows of a CSV file with their numbers (the header is row 1); see :mod:`pmgraph.exchange.sheets`."""
    for row in read_rows(path):
        yield row.number, list(row.cells)


def raci_to_csv(data: DataSource, scope: str | None = None, prefixes: Mapping[str, str] | None = None) -> str:
    """Write the RACI matrix of a scope, or the roles' reference model, as CSV.

    Parameters
    ----------
    data : pmgraph.Organisation, path, list of paths or rdflib.Graph
        The organisation's data (see :meth:`pmgraph.Organisation.of`; a :class:`rdflib.Dataset`
        is read as the union of its graphs).
    scope : str, optional
        An IRI or prefixed name: the matrix of the ``pm:ResponsibilityAssignment`` nodes on that
        scope, people and teams as columns (their dates are not shown). Without a scope: the
        reference model that `data` states, roles as columns.
    prefixes : mapping of str to str, optional
        Prefixes to write names with, besides ``pm`` and those bound in `data`.

    Returns
    -------
    str
        The CSV text: a header ``Responsibility,<column>...``, then one row per responsibility.
        Rows and columns are sorted by their names; a cell lists its letters in R, A, C, I order,
        separated by ``/``. pm: responsibilities are written by their local name (``Budgeting``),
        other names as prefixed names where a prefix fits, otherwise as IRIs.

    Raises
    ------
    ValueError
        If `scope` is not an IRI or a prefixed name with a known prefix.
    """
    from pmgraph.organisation import as_rdflib

    data = as_rdflib(data)
    vocabulary = Vocabulary(
        {"pm": str(PM._NS), **{p: str(ns) for p, ns in data.namespaces()}, **(prefixes or {})}, data, False
    )
    cells: dict[tuple[Node, Node], set[str]] = {}
    if scope is not None:
        scope_iri = vocabulary.term(scope)
        if scope_iri is None:
            raise ValueError(f"the scope {scope!r} is not an IRI or a prefixed name with a known prefix")
        letter_of = {level: letter for letter, (level, _) in RACI_LEVELS.items()}
        for holding in responsibility_holdings(data):
            if holding.scope == scope_iri and holding.raci in letter_of:
                cells.setdefault((holding.responsibility, holding.agent), set()).add(letter_of[holding.raci])
    else:
        for letter, (_, reference_property) in RACI_LEVELS.items():
            for role, responsibility in data.subject_objects(reference_property):
                cells.setdefault((responsibility, role), set()).add(letter)

    def row_name(responsibility: Node) -> str:
        if str(responsibility).startswith(PM._NS):
            return str(responsibility).removeprefix(PM._NS)
        return vocabulary.short(responsibility)

    rows = sorted({responsibility for responsibility, _ in cells}, key=lambda node: (row_name(node), str(node)))
    columns = sorted({column for _, column in cells}, key=lambda node: (vocabulary.short(node), str(node)))
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(["Responsibility", *map(vocabulary.short, columns)])
    for responsibility in rows:
        row = [row_name(responsibility)]
        for column in columns:
            letters = cells.get((responsibility, column), set())
            row.append("/".join(letter for letter in RACI_LEVELS if letter in letters))
        writer.writerow(row)
    return text.getvalue()


def role_assignments_from_csv(
    path: str | os.PathLike[str],
    prefixes: Mapping[str, str] | None = None,
    data: Graph | None = None,
) -> Graph:
    """Read role assignments from a CSV file: person, role, scope, start, end, allocation.

    Parameters
    ----------
    path : str or os.PathLike
        The CSV file; its header names the columns (see the module's docstring).
    prefixes : mapping of str to str, optional
        Prefixes for the names in the file; ``pm`` is always known.
    data : rdflib.Graph, optional
        The organisation's files: their prefixes and roles are known too.

    Returns
    -------
    rdflib.Graph
        One ``pm:RoleAssignment`` per row.

    Raises
    ------
    pmgraph.InputError
        If the file cannot be read as CSV or its header lacks a required column.
    SpreadsheetError
        If any row is bad; every bad row is listed.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = pathlib.Path(folder, "roles.csv")
    ...     _ = path.write_text("person,role,scope,start\\nacme:erin,Project Manager,acme:api,2024-01-15\\n")
    ...     graph = role_assignments_from_csv(path, prefixes={"acme": "https://example.org/"})
    >>> sorted(str(s) for s in graph.subjects(RDF.type, PM.RoleAssignment))
    ['https://example.org/api-project-manager-erin-2024-01-15']
    """
    path = Path(path)
    vocabulary = vocabulary_of(prefixes, data)
    rows = list(_rows(path))
    if not rows:
        raise InputError(path, "empty file: expected a header row (person, role, scope, start, end, allocation)")
    header_number, header = rows[0]
    fields = [ASSIGNMENT_COLUMNS.get(cell.casefold()) for cell in header]
    unknown = [cell for cell, field in zip(header, fields, strict=True) if field is None]
    missing = [field for field in ("person", "role", "scope") if field not in fields]
    if unknown or missing:
        reasons = [f"unknown column {cell!r}" for cell in unknown] + [f"no {field} column" for field in missing]
        raise InputError(
            path, f"{'; '.join(reasons)}: the columns are person, role, scope, start, end, allocation", line=header_number
        )
    problems: list[InputError] = []
    graph = vocabulary.new_graph()
    first_row_of: dict[URIRef, int] = {}
    for number, row in rows[1:]:
        if len(row) > len(header):
            problems.append(InputError(path, f"{len(row)} cells, but the header has {len(header)}", line=number))
            continue
        values = dict(zip(fields, row + [""] * (len(header) - len(row)), strict=True))
        assignment, reasons = _role_assignment(values, vocabulary)
        if assignment and assignment[0] in first_row_of:
            reasons.append(f"the same person, role, scope and start as row {first_row_of[assignment[0]]}")
        if reasons:
            problems.append(InputError(path, "; ".join(reasons), line=number))
            continue
        assert assignment is not None
        first_row_of[assignment[0]] = number
        for triple in _assignment_triples(*assignment):
            graph.add(triple)
    if problems:
        raise SpreadsheetError(problems)
    return graph


def _role_assignment(
    values: dict[str | None, str], vocabulary: Vocabulary
) -> tuple[tuple[URIRef, URIRef, URIRef, URIRef, dict[URIRef, Literal]] | None, list[str]]:
    """Read one row: ((assignment, person, role, scope, {property: literal}), reasons it is bad)."""
    reasons = []
    person = vocabulary.term(values["person"])
    if person is None:
        reasons.append(f"person: {name_problem(values['person'], vocabulary)}")
    role, problem = vocabulary.named(values["role"], PM.Role)
    if role is None:
        reasons.append(
            f"role: {problem or name_problem(values['role'], vocabulary, _A_ROLE)}"
        )
    elif vocabulary.checks_agents and role not in vocabulary.members(PM.Role):
        reasons.append(f"role: {values['role']} is not a pm:Role of the ontology or the data")
    scope = vocabulary.term(values["scope"])
    if scope is None:
        reasons.append(f"scope: {name_problem(values['scope'], vocabulary)}")
    facts: dict[URIRef, Literal] = {}
    days = {}
    for field, prop in (("start", PM.startDate), ("end", PM.endDate)):
        text = values.get(field, "")
        if text:
            day = _day(text)
            if day is None:
                reasons.append(f"{field}: {text!r} is not a valid date written YYYY-MM-DD")
            else:
                days[field] = day
                facts[prop] = Literal(text, datatype=XSD.date)
    if len(days) == 2 and days["end"] < days["start"]:
        reasons.append(f"end {days['end']} is before start {days['start']}")
    allocation = values.get("allocation", "")
    if allocation:
        try:
            share = decimal.Decimal(allocation)
        except decimal.InvalidOperation:
            share = None
        if share is None or not share.is_finite() or not 0 <= share <= 1:
            reasons.append(f"allocation: {allocation!r} is not a number from 0 to 1, such as 0.5")
        else:
            facts[PM.allocation] = Literal(allocation, datatype=XSD.decimal, normalize=False)
    if reasons or person is None or role is None or scope is None:
        return None, reasons
    start = f"-{values['start']}" if values.get("start") else ""
    assignment = URIRef(f"{scope}-{local_slug(role)}-{local_slug(person)}{start}")
    return (assignment, person, role, scope, facts), reasons


def _day(text: str) -> datetime.date | None:
    if not _DATE.match(text):
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


def _assignment_triples(
    assignment: URIRef, person: URIRef, role: URIRef, scope: URIRef, facts: dict[URIRef, Literal]
) -> Iterator[tuple[Node, Node, Node]]:
    yield assignment, RDF.type, PM.RoleAssignment
    yield assignment, PM.agent, person
    yield assignment, PM.role, role
    yield assignment, PM.scope, scope
    for prop, value in facts.items():
        yield assignment, prop, value
