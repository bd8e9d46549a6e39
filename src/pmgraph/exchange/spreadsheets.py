"""RACI matrices and role assignments in spreadsheets (CSV), to and from RDF.

Most RACI matrices live in spreadsheets. A RACI matrix in CSV has the responsibilities as rows and
the people, teams or roles as columns::

    Responsibility,acme:erin-castillo,acme:jon-park,pm:Sponsor
    Budgeting,A/R,,C
    Quality management,A,C,

- The first cell of the header is free text. Each other header cell names a column: an IRI
  (``https://example.org/acme/erin-castillo`` or ``<...>``) or a prefixed name (``acme:erin-castillo``).
  ``pm:`` is always known; other prefixes come from the caller (``--prefix acme=https://...``) or
  from the organisation's files given as `data`.
- The first cell of a row names a responsibility: a pm: local name (``Budgeting``), a prefixed name,
  an IRI, or a label matched without regard to case (``quality management``), among the
  responsibilities of the ontology and of `data`.
- A cell holds ``R``, ``A``, ``C`` or ``I``, or several of them (``A/R``, ``A,R``, ``AR``); an
  empty cell says nothing.
- A column whose IRI is a ``pm:Role`` (in the ontology or in `data`) is a role: its cells become
  the role's reference model (``pm:responsibleFor``, ``pm:accountableFor``, ``pm:consultedOn``,
  ``pm:informedOn``). Any other column is a person or a team: its cells become
  ``pm:ResponsibilityAssignment`` nodes on the scope, named
  ``<scope>-raci-<person>-<responsibility>-<level>`` from the local names (so that importing the
  same matrix twice gives the same IRIs). When `data` is given, a column must be a person, a team
  or a role that `data` or the ontology declares.

A role-assignment CSV has a header naming its columns, in any order: ``person`` (or ``agent``),
``role`` and ``scope`` (required), ``start``, ``end`` (``YYYY-MM-DD``) and ``allocation`` (a
number from 0 to 1). Each row becomes a ``pm:RoleAssignment`` named
``<scope>-<role>-<person>[-<start>]``.

Cells are separated by commas; a header with more semicolons or tabs than commas (as some
spreadsheet programs write) is read with that separator. A bad row is reported with its number
(the header is row 1), every bad row once; when any row is bad nothing is returned.

Examples
--------
>>> import pathlib, tempfile
>>> with tempfile.TemporaryDirectory() as folder:
...     path = pathlib.Path(folder, "raci.csv")
...     _ = path.write_text("Responsibility,acme:erin\\nBudgeting,A/R\\n")
...     graph = raci_from_csv(path, scope="acme:api", prefixes={"acme": "https://example.org/"})
>>> print(raci_to_csv(graph, scope="acme:api", prefixes={"acme": "https://example.org/"}), end="")
Responsibility,acme:erin
Budgeting,R/A
"""

from __future__ import annotations

import csv
import datetime
import decimal
import io
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from rdflib import RDF, RDFS, XSD, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from pmgraph.analysis.assignments import RACI_PROPERTIES, responsibility_holdings
from pmgraph.errors import InputError, SpreadsheetError
from pmgraph.namespace import PM
from pmgraph.rdf.reading import os_reason
from pmgraph.render.names import compact_iri

if TYPE_CHECKING:
    from pmgraph.organisation import DataSource

__all__ = [
    "SpreadsheetError",
    "raci_from_csv",
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

_CELL_SEPARATORS = re.compile(r"[\s/,;+&]+")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# what a cell that names nothing should have held, for the messages
_A_NAME = "an IRI or a prefixed name such as acme:erin-castillo"
_A_ROLE = "a role (ProjectManager, Project Manager, pm:ProjectManager)"


@dataclass(frozen=True)
class _Vocabulary:
    """What names in a spreadsheet can refer to: prefixes, roles, responsibilities, agents."""

    prefixes: dict[str, str]
    knowledge: Graph  # the ontology together with the organisation's data
    checks_agents: bool  # the organisation's data was given: columns must be declared
    # what members() and named() found, by their arguments: a million rows name a few roles
    found: dict[tuple[object, ...], object] = field(default_factory=dict, compare=False, repr=False)

    def term(self, text: str) -> URIRef | None:
        """The IRI that a cell names (IRI or prefixed name), or None."""
        text = text.strip()
        if text.startswith("<") and text.endswith(">"):
            return _iri(text[1:-1])
        prefix, colon, local = text.partition(":")
        if colon and prefix in self.prefixes and not local.startswith("//"):
            return _iri(self.prefixes[prefix] + local)
        if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", text) and (":/" in text or text.startswith("urn:")):
            return _iri(text)
        return None

    def members(self, cls: URIRef) -> set[Node]:
        if ("members", cls) not in self.found:
            self.found["members", cls] = set(self.knowledge.subjects(RDF.type, cls))
        return self.found["members", cls]  # type: ignore[return-value]

    def named(self, text: str, cls: URIRef) -> tuple[URIRef | None, str | None]:
        """Find a member of `cls` by IRI, prefixed name, pm: local name or label; (IRI, problem)."""
        if ("named", text, cls) not in self.found:
            self.found["named", text, cls] = self._named(text, cls)
        return self.found["named", text, cls]  # type: ignore[return-value]

    def _named(self, text: str, cls: URIRef) -> tuple[URIRef | None, str | None]:
        members = self.members(cls)
        iri = self.term(text)
        if iri is not None:
            return iri, None
        if re.fullmatch(r"[A-Za-z_][\w-]*", text.strip()) and URIRef(PM._NS + text.strip()) in members:
            return URIRef(PM._NS + text.strip()), None
        wanted = text.strip().casefold()
        matches = sorted(
            member
            for member in members
            if any(str(label).casefold() == wanted for label in self.knowledge.objects(member, RDFS.label))
        )
        if len(matches) == 1:
            return matches[0], None
        if len(matches) > 1:
            return None, f"the label {text.strip()!r} names {len(matches)} things: {', '.join(map(self.short, matches))}"
        return None, None

    def short(self, iri: Node) -> str:
        """The prefixed name of an IRI when a prefix fits, otherwise the IRI."""
        return compact_iri(iri, self.prefixes) or str(iri)


def _iri(text: str) -> URIRef | None:
    """The IRI, when `text` is a valid absolute IRI."""
    import pyoxigraph

    try:
        pyoxigraph.NamedNode(text)
    except ValueError:
        return None
    return URIRef(text)


def _vocabulary(prefixes: Mapping[str, str] | None, data: Graph | None) -> _Vocabulary:
    from pmgraph.ontology import load_ontology

    knowledge = load_ontology()
    known = {"pm": str(PM._NS)}
    if data is not None:
        for s, p, o, *_ in data.quads((None, None, None, None)) if isinstance(data, Dataset) else data:
            knowledge.add((s, p, o))
        known.update({prefix: str(namespace) for prefix, namespace in data.namespaces()})
    known.update(prefixes or {})
    return _Vocabulary(known, knowledge, checks_agents=data is not None)


def _rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """The rows of a CSV file with their numbers (the header is row 1).

    Cells are stripped of spaces; empty cells at the end of a row (which spreadsheet programs
    often write) are left out, and so are blank rows. The file is read as the rows are, so a
    million rows take the memory of one.
    """
    try:
        with open(path, encoding="utf-8-sig", newline="") as file:
            first_line = file.readline()
            file.seek(0)
            delimiter = max(",;\t", key=lambda candidate: (first_line.count(candidate), candidate == ","))
            for number, row in enumerate(csv.reader(file, delimiter=delimiter), start=1):
                cells = [cell.strip() for cell in row]
                while cells and not cells[-1]:
                    cells.pop()
                if cells:
                    yield number, cells
    except OSError as error:
        raise InputError(path, os_reason(error)) from error
    except UnicodeDecodeError:
        raise InputError(path, f"not UTF-8 text (byte {_first_bad_byte(path)}); save the spreadsheet as CSV UTF-8") from None
    except csv.Error as error:
        raise InputError(path, f"not valid CSV: {error}") from error


def _first_bad_byte(path: Path) -> int:
    """Where a file stops being UTF-8, counting from 1: read again whole, as the reader saw a block only."""
    try:
        path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return error.start + 1
    return 0


def _slug(iri: Node) -> str:
    """``erin-castillo`` for ``acme:erin-castillo``, ``quality-management`` for ``pm:QualityManagement``."""
    local = re.split(r"[#/:]", str(iri).rstrip("/#"))[-1]
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", local).lower()


def _new_graph(vocabulary: _Vocabulary) -> Graph:
    graph = Graph(bind_namespaces="core")
    for prefix, namespace in vocabulary.prefixes.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


def raci_from_csv(
    path: str | os.PathLike[str],
    scope: str | None = None,
    prefixes: Mapping[str, str] | None = None,
    data: Graph | None = None,
) -> Graph:
    """Read a RACI matrix from a CSV file (see the module's docstring for the layout).

    Parameters
    ----------
    path : str or os.PathLike
        The CSV file.
    scope : str, optional
        The scope the people's assignments hold on: an IRI or a prefixed name. Needed when a column
        is a person or a team.
    prefixes : mapping of str to str, optional
        Prefixes for the names in the file, such as ``{"acme": "https://example.org/acme/"}``;
        ``pm`` is always known.
    data : rdflib.Graph, optional
        The organisation's files: their prefixes, roles, responsibilities and labels are known too,
        and every column must be a person, team or role they (or the ontology) declare.

    Returns
    -------
    rdflib.Graph
        The responsibility assignments and reference-model statements.

    Raises
    ------
    pmgraph.InputError
        If the file cannot be read as CSV, or a scope is needed and missing.
    SpreadsheetError
        If any row is bad; every bad row is listed.
    """
    path = Path(path)
    vocabulary = _vocabulary(prefixes, data)
    rows = list(_rows(path))
    if not rows:
        raise InputError(path, "empty file: expected a header row of people or roles")
    problems: list[InputError] = []
    header_number, header = rows[0]
    columns = _raci_columns(path, header_number, header, vocabulary, problems)
    is_role = {column: column in vocabulary.members(PM.Role) for column in columns.values()}
    scope_iri = vocabulary.term(scope) if scope else None
    if scope and scope_iri is None:
        raise InputError(path, f"the scope {scope!r} is not an IRI or a prefixed name with a known prefix")
    people = [vocabulary.short(column) for column in columns.values() if not is_role[column]]
    if people and scope_iri is None:
        raise InputError(
            path, f"the columns {', '.join(people)} are people or teams: give the scope they hold on (--scope)"
        )
    graph = _new_graph(vocabulary)
    for number, row in rows[1:]:
        responsibility, problem = vocabulary.named(row[0], PM.Responsibility)
        if responsibility is None:
            problems.append(InputError(path, problem or _unknown_responsibility(row[0]), line=number))
        if len(row) > len(header):
            problems.append(InputError(path, f"{len(row)} cells, but the header has {len(header)}", line=number))
            continue
        for index, cell in enumerate(row[1:], start=1):
            letters = _raci_letters(cell)
            if letters is None:
                column = header[index] if index < len(header) else f"column {index + 1}"
                problems.append(
                    InputError(path, f"{column}: {cell!r} is not R, A, C or I (or several, such as A/R)", line=number)
                )
            elif responsibility is not None and index in columns:
                _add_raci(graph, columns[index], is_role[columns[index]], responsibility, letters, scope_iri)
    if problems:
        raise SpreadsheetError(problems)
    return graph


def _unknown_responsibility(text: str) -> str:
    return (
        f"unknown responsibility {text!r}: give a pm: name (Budgeting), a label (Quality management), "
        "a prefixed name or an IRI"
    )


def _raci_columns(
    path: Path, number: int, header: list[str], vocabulary: _Vocabulary, problems: list[InputError]
) -> dict[int, URIRef]:
    """The IRI of each good column of a RACI header, by cell index; problems added to `problems`."""
    agents = vocabulary.members(PM.Person) | vocabulary.members(PM.Team) | vocabulary.members(PM.Role)
    columns: dict[int, URIRef] = {}
    slugs: dict[str, str] = {}
    for index, cell in enumerate(header[1:], start=1):
        iri = vocabulary.term(cell)
        if not cell:
            problems.append(InputError(path, f"column {index + 1} has no name: give a person, team or role", line=number))
        elif iri is None:
            problems.append(InputError(path, _name_problem(cell, vocabulary), line=number))
        elif vocabulary.checks_agents and iri not in agents:
            problems.append(InputError(path, f"{cell} is not a person, team or role of the data", line=number))
        elif iri in columns.values():
            problems.append(InputError(path, f"{cell} has two columns", line=number))
        elif _slug(iri) in slugs:
            problems.append(
                InputError(
                    path,
                    f"{cell} and {slugs[_slug(iri)]} end in the same name, which assignment IRIs are made of",
                    line=number,
                )
            )
        else:
            columns[index] = iri
            slugs[_slug(iri)] = cell
    return columns


def _raci_letters(cell: str) -> list[str] | None:
    """The RACI letters of a cell in R, A, C, I order ([] for an empty cell); None when it is not RACI."""
    letters = "".join(_CELL_SEPARATORS.split(cell.upper()))
    if any(letter not in RACI_LEVELS for letter in letters):
        return None
    return [letter for letter in RACI_LEVELS if letter in letters]


def _add_raci(
    graph: Graph, column: URIRef, is_role: bool, responsibility: URIRef, letters: list[str], scope: URIRef | None
) -> None:
    for letter in letters:
        level, reference_property = RACI_LEVELS[letter]
        if is_role:
            graph.add((column, reference_property, responsibility))
            continue
        assert scope is not None  # checked before the rows are read
        assignment = URIRef(f"{scope}-raci-{_slug(column)}-{_slug(responsibility)}-{_slug(level)}")
        graph.add((assignment, RDF.type, PM.ResponsibilityAssignment))
        graph.add((assignment, PM.agent, column))
        graph.add((assignment, PM.responsibility, responsibility))
        graph.add((assignment, PM.scope, scope))
        graph.add((assignment, PM.raci, level))


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
    vocabulary = _Vocabulary(
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
    vocabulary = _vocabulary(prefixes, data)
    graph = _new_graph(vocabulary)
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

    vocabulary = _vocabulary(prefixes, data)
    turtle = _TurtleBlocks([(prefix, str(namespace)) for prefix, namespace in _new_graph(vocabulary).namespaces()])
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
    path: Path, vocabulary: _Vocabulary
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
    for number, row in rows:
        if len(row) > len(header):
            problems.append(InputError(path, f"{len(row)} cells, but the header has {len(header)}", line=number))
            continue
        values = dict(zip(fields, row + [""] * (len(header) - len(row)), strict=True))
        assignment, reasons = _role_assignment(values, vocabulary)
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


def _role_assignment(
    values: dict[str | None, str], vocabulary: _Vocabulary
) -> tuple[tuple[URIRef, URIRef, URIRef, URIRef, dict[URIRef, tuple[str, URIRef]]] | None, list[str]]:
    """Read one row: ((assignment, person, role, scope, {property: literal}), reasons it is bad)."""
    reasons = []
    person = vocabulary.term(values["person"])
    if person is None:
        reasons.append(f"person: {_name_problem(values['person'], vocabulary)}")
    role, problem = vocabulary.named(values["role"], PM.Role)
    if role is None:
        reasons.append(
            f"role: {problem or _name_problem(values['role'], vocabulary, _A_ROLE)}"
        )
    elif vocabulary.checks_agents and role not in vocabulary.members(PM.Role):
        reasons.append(f"role: {values['role']} is not a pm:Role of the ontology or the data")
    scope = vocabulary.term(values["scope"])
    if scope is None:
        reasons.append(f"scope: {_name_problem(values['scope'], vocabulary)}")
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
    assignment = URIRef(f"{scope}-{_slug(role)}-{_slug(person)}{start}")
    return (assignment, person, role, scope, facts), reasons


def _day(text: str) -> datetime.date | None:
    if not _DATE.match(text):
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


def _name_problem(text: str, vocabulary: _Vocabulary, what: str = _A_NAME) -> str:
    """Say why a cell names nothing: missing, an unknown prefix, or not a name at all."""
    if not text:
        return "missing"
    prefix, colon, rest = text.partition(":")
    if colon and prefix not in vocabulary.prefixes and not rest.startswith("//"):
        return f"unknown prefix {prefix!r} in {text!r} (declare it with --prefix {prefix}=IRI)"
    return f"{text!r} is not {what}"


def _assignment_triples(
    assignment: URIRef, person: URIRef, role: URIRef, scope: URIRef, facts: dict[URIRef, tuple[str, URIRef]]
) -> Iterator[tuple[Node, Node, Node]]:
    yield assignment, RDF.type, PM.RoleAssignment
    yield assignment, PM.agent, person
    yield assignment, PM.role, role
    yield assignment, PM.scope, scope
    for prop, (text, datatype) in facts.items():
        yield assignment, prop, Literal(text, datatype=datatype, normalize=False)
