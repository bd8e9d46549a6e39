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
from typing import TYPE_CHECKING, BinaryIO

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
    "write_role_assignments",
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
    vocabulary = vocabulary_of(prefixes, data)
    graph = vocabulary.new_graph()
    for _subject, assignment in _checked_assignments(Path(path), vocabulary):
        for triple in _assignment_triples(*assignment):
            graph.add(triple)
    return graph


def write_role_assignments(
    path: str | os.PathLike[str],
    output: str | os.PathLike[str] | BinaryIO,
    prefixes: Mapping[str, str] | None = None,
    data: Graph | None = None,
) -> None:
    """Read role assignments from a CSV file and write them as Turtle, row by row.

    Writes what ``dump(role_assignments_from_csv(path, prefixes, data), output)`` writes, byte for
    byte, in memory that does not grow with the rows' statements (a million rows in well under
    1 GB): each row's statements are written to a temporary file as they are read, then copied
    in the order of their subjects. A file `output` is replaced atomically, and only when every
    row is good.

    Parameters
    ----------
    path : str or os.PathLike
        The CSV file.
    output : str or os.PathLike or binary file
        Where to write the Turtle.
    prefixes, data
        As for :func:`role_assignments_from_csv`.

    Raises
    ------
    pmgraph.InputError, SpreadsheetError
        As :func:`role_assignments_from_csv` does; nothing is written then.
    OSError
        If `output` cannot be written.

    Examples
    --------
    >>> import io, pathlib, tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = pathlib.Path(folder, "roles.csv")
    ...     _ = path.write_text("person,role,scope,allocation\\nacme:erin,Project Manager,acme:api,0.50\\n")
    ...     out = io.BytesIO()
    ...     write_role_assignments(path, out, prefixes={"acme": "https://example.org/"})
    >>> print(out.getvalue().decode().replace("\\t", "  "), end="")  # statements after the first are indented with a tab
    @prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
    @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
    @prefix pm: <https://w3id.org/pmgraph#> .
    @prefix acme: <https://example.org/> .
    acme:api-project-manager-erin a pm:RoleAssignment ;
      pm:agent acme:erin ;
      pm:allocation 0.50 ;
      pm:role pm:ProjectManager ;
      pm:scope acme:api .
    """
    import tempfile

    from pmgraph.rdf.writing import atomic_output

    vocabulary = vocabulary_of(prefixes, data)
    turtle = _TurtleBlocks([(prefix, str(namespace)) for prefix, namespace in vocabulary.new_graph().namespaces()])
    blocks: list[tuple[str, int]] = []  # the subject (as dump sorts it); where its Turtle is << 32 | its length
    with tempfile.TemporaryFile() as held:
        batch: list[str] = []

        def write_batch() -> None:
            for subject, statements in zip(batch, turtle.blocks(), strict=True):
                blocks.append((subject, held.tell() << 32 | len(statements)))
                held.write(statements)
            batch.clear()

        for subject, assignment in _checked_assignments(Path(path), vocabulary):
            turtle.add(*assignment)
            batch.append(subject)
            if len(batch) == 1000:  # a thousand rows a call to the serializer
                write_batch()
        write_batch()
        blocks.sort()
        with atomic_output(output) as out:
            if blocks:
                out.write(turtle.prefix_lines())
            for _subject, place in blocks:
                held.seek(place >> 32)
                out.write(held.read(place & 0xFFFFFFFF))


class _TurtleBlocks:
    """Role assignments written as Turtle a batch at a time, each one's statements apart, as
    :func:`pmgraph.rdf.writing.dump` writes them: statements sorted, IRIs short with the prefixes
    that fit them, and, at the end, the ``@prefix`` lines of the prefixes used."""

    def __init__(self, bound: list[tuple[str, str]]):
        import pyoxigraph

        from pmgraph.rdf.prefixes import NamespaceIndex

        self._pyoxigraph = pyoxigraph
        self._index = NamespaceIndex(bound)
        self._position = {pair: number for number, pair in enumerate(bound)}
        self._fitting: dict[str, frozenset[tuple[str, str]]] = {}  # by IRI, for IRIs that recur
        self.used: set[tuple[str, str]] = set()
        self._batch: list[pyoxigraph.Triple] = []
        self._batch_prefixes: set[tuple[str, str]] = set()
        node = pyoxigraph.NamedNode
        self._type, self._role_assignment = node(str(RDF.type)), node(str(PM.RoleAssignment))
        self._agent, self._role, self._scope = node(str(PM.agent)), node(str(PM.role)), node(str(PM.scope))
        for constant in (RDF.type, PM.RoleAssignment, PM.agent, PM.role, PM.scope, *_FACT_ORDER):
            self._note(str(constant), recurs=True)
        self._every_batch = frozenset(self._batch_prefixes)  # what the statements of every row hold

    def add(
        self, assignment: URIRef, person: URIRef, role: URIRef, scope: URIRef, facts: dict[URIRef, tuple[str, URIRef]]
    ) -> None:
        """Add one assignment's statements to the batch, in dump's order (by predicate: each is there once)."""
        pyoxigraph = self._pyoxigraph
        subject = pyoxigraph.NamedNode(str(assignment))
        add = self._batch.append
        add(pyoxigraph.Triple(subject, self._type, self._role_assignment))
        add(pyoxigraph.Triple(subject, self._agent, pyoxigraph.NamedNode(str(person))))
        for prop in _FACT_ORDER[:2]:  # pm:allocation, pm:endDate
            self._add_fact(subject, prop, facts)
        add(pyoxigraph.Triple(subject, self._role, pyoxigraph.NamedNode(str(role))))
        add(pyoxigraph.Triple(subject, self._scope, pyoxigraph.NamedNode(str(scope))))
        self._add_fact(subject, PM.startDate, facts)
        self._note(str(assignment), recurs=False)
        self._note(str(person), recurs=False)
        self._note(str(role), recurs=True)
        self._note(str(scope), recurs=True)

    def blocks(self) -> list[bytes]:
        """The Turtle of each assignment of the batch, in the order they were added; the batch is emptied."""
        if not self._batch:
            return []
        pyoxigraph = self._pyoxigraph
        prefixes = dict(sorted(self._batch_prefixes, key=self._position.__getitem__))
        text = _without_prefix_lines(pyoxigraph.serialize(self._batch, format=pyoxigraph.RdfFormat.TURTLE, prefixes=prefixes))
        self._batch.clear()
        self._batch_prefixes = set(self._every_batch)
        # each assignment starts a line; its other statements follow on lines that start with a tab
        starts = [0] + [found.start() + 1 for found in re.finditer(rb"\n(?!\t)", text)][:-1]
        return [text[start:end] for start, end in zip(starts, [*starts[1:], len(text)], strict=True)]

    def prefix_lines(self) -> bytes:
        """The ``@prefix`` lines of every prefix that fits an IRI written, as pyoxigraph writes them."""
        pyoxigraph = self._pyoxigraph
        anything = pyoxigraph.NamedNode("urn:x")
        prefixes = dict(sorted(self.used, key=self._position.__getitem__))
        return _prefix_lines(
            pyoxigraph.serialize([pyoxigraph.Triple(anything, anything, anything)], format=pyoxigraph.RdfFormat.TURTLE, prefixes=prefixes)
        )

    def _add_fact(self, subject: object, prop: URIRef, facts: dict[URIRef, tuple[str, URIRef]]) -> None:
        if prop in facts:
            pyoxigraph = self._pyoxigraph
            text, datatype = facts[prop]
            literal = pyoxigraph.Literal(text, datatype=pyoxigraph.NamedNode(str(datatype)))
            self._batch.append(pyoxigraph.Triple(subject, pyoxigraph.NamedNode(str(prop)), literal))

    def _note(self, iri: str, recurs: bool) -> None:
        """Note the prefixes that fit an IRI written (kept by IRI when it recurs: roles, scopes)."""
        fitting = self._fitting.get(iri)
        if fitting is None:
            index = self._index
            fitting = frozenset((p, ns) for ns in index.namespaces_of(iri) for p in index.prefixes[ns])
            if recurs:
                self._fitting[iri] = fitting
        if fitting:
            self._batch_prefixes |= fitting
            self.used |= fitting


# pm:allocation, pm:endDate and pm:startDate, with the datatypes of their values, in dump's order
_FACT_ORDER = (PM.allocation, PM.endDate, PM.startDate, XSD.date, XSD.decimal)


def _prefix_lines(text: bytes) -> bytes:
    """The ``@prefix`` lines that start a Turtle text."""
    return text[: len(text) - len(_without_prefix_lines(text))]


def _without_prefix_lines(text: bytes) -> bytes:
    """A Turtle text without the ``@prefix`` lines that start it."""
    start = 0
    while text.startswith(b"@prefix ", start):
        start = text.index(b"\n", start) + 1
    return text[start:]


def _checked_assignments(
    path: Path, vocabulary: Vocabulary
) -> Iterator[tuple[str, tuple[URIRef, URIRef, URIRef, URIRef, dict[URIRef, tuple[str, URIRef]]]]]:
    """The role assignments of a CSV file's good rows, as they are read, each with its IRI as N-Triples
    writes it (``<...>``); at the end, a SpreadsheetError listing every bad row, if any (the caller
    then discards what it made of the good ones)."""
    rows = _rows(path)
    header_number, header = next(rows, (0, []))
    if not header:
        raise InputError(path, "empty file: expected a header row (person, role, scope, start, end, allocation)")
    fields = [ASSIGNMENT_COLUMNS.get(cell.casefold()) for cell in header]
    unknown = [cell for cell, field in zip(header, fields, strict=True) if field is None]
    missing = [field for field in ("person", "role", "scope") if field not in fields]
    if unknown or missing:
        reasons = [f"unknown column {cell!r}" for cell in unknown] + [f"no {field} column" for field in missing]
        raise InputError(
            path, f"{'; '.join(reasons)}: the columns are person, role, scope, start, end, allocation", line=header_number
        )
    problems: list[InputError] = []
    first_row_of: dict[str, int] = {}  # by the assignment's IRI as N-Triples writes it
    roles = _Roles(vocabulary)
    for number, row in rows:
        if len(row) > len(header):
            problems.append(InputError(path, f"{len(row)} cells, but the header has {len(header)}", line=number))
            continue
        values = dict(zip(fields, row + [""] * (len(header) - len(row)), strict=True))
        assignment, reasons = _role_assignment(values, vocabulary, roles)
        subject = f"<{assignment[0]}>" if assignment else ""
        if subject in first_row_of:
            reasons.append(f"the same person, role, scope and start as row {first_row_of[subject]}")
        if reasons:
            problems.append(InputError(path, "; ".join(reasons), line=number))
            continue
        assert assignment is not None
        first_row_of[subject] = number
        yield subject, assignment
    if problems:
        raise SpreadsheetError(problems)


class _Roles:
    """The roles of a vocabulary, each cell's text looked up once: a million rows name a few roles."""

    def __init__(self, vocabulary: Vocabulary):
        self.vocabulary = vocabulary
        self.members = vocabulary.members(PM.Role)
        self._found: dict[str, tuple[URIRef | None, str | None]] = {}

    def named(self, text: str) -> tuple[URIRef | None, str | None]:
        """(the role, or None; why not) for a cell, as :meth:`Vocabulary.named` finds it."""
        if text not in self._found:
            self._found[text] = self.vocabulary.named(text, PM.Role)
        return self._found[text]


def _role_assignment(
    values: dict[str | None, str], vocabulary: Vocabulary, roles: _Roles
) -> tuple[tuple[URIRef, URIRef, URIRef, URIRef, dict[URIRef, tuple[str, URIRef]]] | None, list[str]]:
    """Read one row: ((assignment, person, role, scope, {property: literal}), reasons it is bad)."""
    reasons = []
    person = vocabulary.term(values["person"])
    if person is None:
        reasons.append(f"person: {name_problem(values['person'], vocabulary)}")
    role, problem = roles.named(values["role"])
    if role is None:
        reasons.append(
            f"role: {problem or name_problem(values['role'], vocabulary, _A_ROLE)}"
        )
    elif vocabulary.checks_agents and role not in roles.members:
        reasons.append(f"role: {values['role']} is not a pm:Role of the ontology or the data")
    scope = vocabulary.term(values["scope"])
    if scope is None:
        reasons.append(f"scope: {name_problem(values['scope'], vocabulary)}")
    facts: dict[URIRef, tuple[str, URIRef]] = {}  # property: (lexical form, datatype)
    days = {}
    for field, prop in (("start", PM.startDate), ("end", PM.endDate)):
        text = values.get(field, "")
        if text:
            day = _day(text)
            if day is None:
                reasons.append(f"{field}: {text!r} is not a valid date written YYYY-MM-DD")
            else:
                days[field] = day
                facts[prop] = (text, XSD.date)
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
            facts[PM.allocation] = (allocation, XSD.decimal)
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
    assignment: URIRef, person: URIRef, role: URIRef, scope: URIRef, facts: dict[URIRef, tuple[str, URIRef]]
) -> Iterator[tuple[Node, Node, Node]]:
    yield assignment, RDF.type, PM.RoleAssignment
    yield assignment, PM.agent, person
    yield assignment, PM.role, role
    yield assignment, PM.scope, scope
    for prop, (text, datatype) in facts.items():
        yield assignment, prop, Literal(text, datatype=datatype, normalize=False)
