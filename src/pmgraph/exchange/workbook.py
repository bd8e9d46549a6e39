"""A PMO's portfolio workbook, one sheet per kind of thing, to and from RDF.

Many PMOs keep their portfolio in spreadsheets. A portfolio workbook is an ``.xlsx`` file with one
sheet per kind of thing, or a folder of CSV files, one per kind (``projects.csv``); every sheet is
optional. Its first row names the columns, in any order and any case; the sheets and their columns
are in :data:`SHEETS` (``prefixes``: prefix, namespace; ``portfolios``; ``programs``; ``projects``;
``products``; ``teams``; ``people``; ``role assignments``; ``raci``).

- A row of ``portfolios``, ``programs``, ``projects``, ``products``, ``teams`` or ``people`` is one
  thing of that kind, named by its ``id`` and ``label``. A row of ``role assignments`` is one
  ``pm:RoleAssignment``; a row of ``raci`` one ``pm:ResponsibilityAssignment``. Their ``id`` may
  be left empty: it is then made of the other cells, as ``import-assignments`` and
  ``import-raci`` make them (``<scope>-<role>-<agent>[-<start>]``,
  ``<scope>-raci-<agent>-<responsibility>-<level>``).
- An id or a reference is an IRI (``https://example.org/acme/checkout-api`` or in ``<>``), a
  prefixed name whose prefix the ``prefixes`` sheet declares (``pm`` is known), or a plain name
  (``checkout-api``) under the base IRI: ``base`` given by the caller, or else the namespace of the
  row of ``prefixes`` whose prefix is empty. A cell of several references separates them with
  ``;`` (or ``,``). A reference must be the id of a row of a sheet of the kind the column names.
- A role, status, methodology, responsibility or RACI level is a pm: name (``ProjectManager``,
  ``OnHold``), its label in any case (``Project Manager``, ``on hold``), a prefixed name or an
  IRI; a RACI level also a letter (``R``, ``A``, ``C``, ``I``).
- Dates are ``YYYY-MM-DD`` (or date cells of the workbook). Numbers are written as in Turtle:
  ``500000`` is an ``xsd:integer``, ``125000.50`` an ``xsd:decimal`` kept as written; a budget or
  cost is not negative, an allocation is from 0 to 1.

Every bad cell is reported, with its sheet, row and column, and nothing is returned when there is
one. :func:`workbook_sheets` writes the same layout back from RDF, so that a workbook read and
written again gives the same sheets.

Examples
--------
>>> import pathlib, tempfile
>>> with tempfile.TemporaryDirectory() as folder:
...     _ = pathlib.Path(folder, "projects.csv").write_text(
...         "id,label,start,end,project manager\\n"
...         "checkout-api,Checkout API,2024-01-15,2024-09-30,erin\\n")
...     _ = pathlib.Path(folder, "people.csv").write_text("id,label\\nerin,Erin Castillo\\n")
...     graph = portfolio_from_workbook(folder, base="https://example.org/acme/")
>>> print(workbook_sheets(graph).sheets["projects"])
(('id', 'label', 'part of', 'start', 'end', 'budget', 'actual cost', 'status', 'depends on', \
'delivers', 'methodology', 'project manager'), ('checkout-api', 'Checkout API', '', '2024-01-15', \
'2024-09-30', '', '', '', '', '', '', 'erin'))
"""

from __future__ import annotations

import csv
import datetime
import io
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, RDFS, XSD, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from pmgraph.analysis.assignments import RACI_PROPERTIES
from pmgraph.errors import InputError, SpreadsheetError
from pmgraph.exchange.sheets import NEEDS_OPENPYXL, Row, column_letter, is_workbook, read_rows, sheet_names
from pmgraph.exchange.vocabulary import iri_of, local_slug
from pmgraph.namespace import PM
from pmgraph.render.names import PrefixedNames

__all__ = [
    "Column",
    "Sheet",
    "SHEETS",
    "PortfolioWorkbook",
    "portfolio_from_workbook",
    "workbook_sheets",
]


@dataclass(frozen=True)
class Column:
    """One column of a sheet: its header, the property its cells give, and what a cell holds.

    ``kind`` is ``id``, ``text``, ``date``, ``amount`` (a number not below 0), ``share`` (a number
    from 0 to 1), ``refs`` (ids of rows of the sheets `targets`; several when `many`) or ``term``
    (a member of the ontology's class `vocabulary`).
    """

    header: str
    predicate: URIRef | None
    kind: str
    targets: tuple[str, ...] = ()
    vocabulary: URIRef | None = None
    many: bool = False
    required: bool = False
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Sheet:
    """One sheet of the workbook: its name, the class of its rows and its columns, in order."""

    name: str
    cls: URIRef | None
    columns: tuple[Column, ...]
    aliases: tuple[str, ...] = ()

    @property
    def is_assignment(self) -> bool:
        """Whether a row's id may be left empty, and is then made of its other cells."""
        return self.cls in (PM.RoleAssignment, PM.ResponsibilityAssignment)


_SCOPES = ("portfolios", "programs", "projects", "products", "teams")
_ID = Column("id", None, "id", required=True)
_LABEL = Column("label", RDFS.label, "text", required=True, aliases=("name",))
_START = Column("start", PM.startDate, "date", aliases=("start date",))
_END = Column("end", PM.endDate, "date", aliases=("end date",))
# a project states both its dates (docs/design.md, the rules: 2)
_PROJECT_DATES = (
    Column("start", PM.startDate, "date", required=True, aliases=("start date",)),
    Column("end", PM.endDate, "date", required=True, aliases=("end date",)),
)
_MONEY = (Column("budget", PM.budget, "amount"), Column("actual cost", PM.actualCost, "amount"))
_STATUS = Column("status", PM.status, "term", vocabulary=PM.LifecycleStatus)
_METHODOLOGY = Column("methodology", PM.follows, "term", vocabulary=PM.Methodology, aliases=("follows",))
_DELIVERS = Column("delivers", PM.delivers, "refs", ("products",), many=True)


# an assignment's id (made of its other cells when empty), agent and scope
_WHO = (
    Column("id", None, "id"),
    Column("agent", PM.agent, "refs", ("people", "teams"), required=True, aliases=("person",)),
)
_ON = Column("scope", PM.scope, "refs", _SCOPES, required=True)


def _managers(header: str, predicate: URIRef) -> Column:
    return Column(header, predicate, "refs", ("people",), many=True)


#: The sheets of a portfolio workbook, in the order they are written, with their columns.
SHEETS: tuple[Sheet, ...] = (
    Sheet("prefixes", None, (Column("prefix", None, "text"), Column("namespace", None, "text", required=True))),
    Sheet("portfolios", PM.Portfolio, (
        _ID, _LABEL, _START, _END, *_MONEY, _STATUS, _managers("portfolio manager", PM.portfolioManager),
    ), ("portfolio",)),
    Sheet("programs", PM.Program, (
        _ID, _LABEL, Column("part of", PM.partOf, "refs", ("portfolios",), many=True, aliases=("portfolio",)),
        _START, _END, *_MONEY, _STATUS, _DELIVERS, _managers("program manager", PM.programManager),
    ), ("program", "programmes", "programme")),
    Sheet("projects", PM.Project, (
        _ID, _LABEL,
        Column("part of", PM.partOf, "refs", ("programs", "portfolios"), many=True, aliases=("program",)),
        *_PROJECT_DATES, *_MONEY, _STATUS,
        Column("depends on", PM.dependsOn, "refs", ("projects",), many=True),
        _DELIVERS, _METHODOLOGY, _managers("project manager", PM.projectManager),
    ), ("project",)),
    Sheet("products", PM.Product, (
        _ID, _LABEL, _START, _END, *_MONEY, _STATUS,
        _managers("product manager", PM.productManager), _managers("product owner", PM.productOwner),
    ), ("product",)),
    Sheet("teams", PM.Team, (
        _ID, _LABEL, Column("works on", PM.worksOn, "refs", ("products", "projects"), many=True),
        _STATUS, _METHODOLOGY, _managers("product owner", PM.productOwner),
    ), ("team",)),
    Sheet("people", PM.Person, (
        _ID, _LABEL, Column("reports to", PM.reportsTo, "refs", ("people",), many=True),
        Column("member of", PM.memberOf, "refs", ("teams",), many=True),
    ), ("person", "persons")),
    Sheet("role assignments", PM.RoleAssignment, (
        *_WHO, Column("role", PM.role, "term", vocabulary=PM.Role, required=True), _ON,
        _START, _END, Column("allocation", PM.allocation, "share"),
    ), ("role assignment", "assignments")),
    Sheet("raci", PM.ResponsibilityAssignment, (
        *_WHO, Column("responsibility", PM.responsibility, "term", vocabulary=PM.Responsibility, required=True), _ON,
        Column("raci", PM.raci, "term", vocabulary=PM.RaciLevel, required=True, aliases=("level",)),
        _START, _END,
    ), ("responsibility assignments",)),
)

_RACI_LETTERS = {str(level).removeprefix(PM._NS)[0]: level for level in RACI_PROPERTIES}
_WHAT = {
    PM.LifecycleStatus: "a status (Planned, Active, OnHold or Closed)",
    PM.Methodology: "a methodology (Scrum, Kanban, Waterfall, ContinuousDelivery)",
    PM.Role: "a role of the ontology (ProjectManager, Project Manager, pm:ProjectManager)",
    PM.Responsibility: "a responsibility of the ontology (Budgeting, Quality management, pm:Budgeting)",
    PM.RaciLevel: "R, A, C or I (or Responsible, Accountable, Consulted, Informed)",
}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_INTEGER = re.compile(r"[0-9]+")
_DECIMAL = re.compile(r"[0-9]*\.[0-9]+|[0-9]+\.[0-9]*")
_PLAIN_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.~-]*")
_LIST_SEPARATORS = re.compile(r"\s*[;,\n]\s*")


def _key(name: str) -> str:
    """A sheet's or column's name as it is matched: any case, ``_`` and ``-`` as spaces."""
    return " ".join(re.split(r"[\s_-]+", name.strip().casefold())).strip()


_SHEET_OF = {_key(name): sheet for sheet in SHEETS for name in (sheet.name, *sheet.aliases)}


@dataclass
class _Problems:
    """The problems of a workbook, told in the order of its sheets, rows and columns."""

    sources: list[tuple[str, str | None]] = field(default_factory=list)  # (file, sheet), in order
    found: list[tuple[tuple[int, int, int], InputError]] = field(default_factory=list)

    def add(self, row: Row, reason: str, column: int | None = None, header: str | None = None) -> None:
        """``portfolio.xlsx: sheet projects, row 4, column C (start): reason``; a CSV file has no sheet."""
        places = [f"sheet {row.sheet}"] if row.sheet is not None else []
        places.append(f"row {row.number}")
        if column is not None:
            places.append(f"column {column_letter(column)}" + (f" ({header})" if header else ""))
        where = self.sources.index((row.path, row.sheet))
        self.found.append(((where, row.number, -1 if column is None else column), InputError(
            row.path, f"{', '.join(places)}: {reason}"
        )))

    def add_sheet(self, where: str, reason: str) -> None:
        """A problem of a whole sheet, told before those of its rows."""
        self.found.append(((len(self.sources) - 1, 0, -1), InputError(where, reason)))

    def __bool__(self) -> bool:
        return bool(self.found)

    def errors(self) -> list[InputError]:
        return [error for _, error in sorted(self.found, key=lambda found: found[0])]


class _BadCell(Exception):
    """What is wrong with a cell, in words; the reader adds where the cell is."""


@dataclass
class _Names:
    """How the cells name things: the prefixes of the workbook, its base IRI and the ontology's terms."""

    prefixes: dict[str, str]
    base: str | None
    ontology: Graph = field(repr=False)
    known: dict[URIRef, dict[str, URIRef]] = field(default_factory=dict, repr=False)  # _terms, by vocabulary

    def iri(self, text: str) -> URIRef:
        """The IRI that an id or a reference names; _BadCell says why it names none."""
        if text.startswith("<") and text.endswith(">"):
            return _iri(text[1:-1], f"{text!r} is not a valid IRI")
        prefix, colon, local = text.partition(":")
        if colon and not local.startswith("//") and not (prefix == "urn" and prefix not in self.prefixes):
            if prefix not in self.prefixes:
                raise _BadCell(f"unknown prefix {prefix!r} in {text!r}: declare it in sheet prefixes")
            return _iri(self.prefixes[prefix] + local, f"{text!r} does not make a valid IRI")
        if colon:
            return _iri(text, f"{text!r} is not a valid IRI")
        if not _PLAIN_NAME.fullmatch(text):
            raise _BadCell(f"{text!r} is not an id (a plain name such as checkout-api, a prefixed name or an IRI)")
        if self.base is None:
            raise _BadCell(
                f"{text!r} is a plain name: give a base IRI (--base, or a row of sheet prefixes with an empty "
                "prefix) to make IRIs of plain names, or write a prefixed name"
            )
        return _iri(self.base + text, f"{text!r} does not make a valid IRI")

    def term(self, text: str, vocabulary: URIRef) -> URIRef:
        """The member of `vocabulary` that a cell names: pm: name, label (any case), prefixed name, IRI."""
        if vocabulary == PM.RaciLevel and text.upper() in _RACI_LETTERS:
            return _RACI_LETTERS[text.upper()]
        named = self._terms(vocabulary)
        if text in named or text.casefold() in named:
            return named.get(text) or named[text.casefold()]
        if ":" in text or text.startswith("<"):
            try:
                iri = self.iri(text)
            except _BadCell:
                iri = None
            if iri in named.values():
                return iri  # type: ignore[return-value]
        raise _BadCell(f"{text!r} is not {_WHAT[vocabulary]}")

    def _terms(self, vocabulary: URIRef) -> dict[str, URIRef]:
        """The members of `vocabulary` by pm: name and by label in lower case (read once)."""
        if vocabulary in self.known:
            return self.known[vocabulary]
        named = self.known[vocabulary] = {}
        for member in sorted(self.ontology.subjects(RDF.type, vocabulary)):
            if isinstance(member, URIRef):
                named.update({str(label).casefold(): member for label in self.ontology.objects(member, RDFS.label)})
        for member in sorted(self.ontology.subjects(RDF.type, vocabulary)):
            if isinstance(member, URIRef) and member.startswith(PM._NS):
                named[member.removeprefix(PM._NS)] = member
        return named


def _iri(text: str, problem: str) -> URIRef:
    """The IRI, when `text` is a valid absolute IRI; else _BadCell(problem)."""
    iri = iri_of(text)
    if iri is None:
        raise _BadCell(problem)
    return iri


def _number(text: str, highest: int | None = None) -> Literal:
    """A cell's number, typed as Turtle types it (integer or decimal, as written); _BadCell if not one."""
    what = "a number from 0 to 1, such as 0.5" if highest is not None else (
        "a number that is not negative, such as 500000 or 125000.50"
    )
    if _INTEGER.fullmatch(text):
        value = Literal(text, datatype=XSD.integer, normalize=False)
    elif _DECIMAL.fullmatch(text):
        value = Literal(text, datatype=XSD.decimal, normalize=False)
    else:
        raise _BadCell(f"{text!r} is not {what}")
    if highest is not None and value.toPython() > highest:
        raise _BadCell(f"{text!r} is not {what}")
    return value


def _date(text: str) -> Literal:
    """A cell's date; _BadCell if it is not one."""
    if not _is_date(text):
        raise _BadCell(f"{text!r} is not a date YYYY-MM-DD")
    return Literal(text, datatype=XSD.date)


def _is_date(text: str) -> bool:
    try:
        return bool(_DATE.fullmatch(text)) and bool(datetime.date.fromisoformat(text))
    except ValueError:
        return False


def _is_amount(text: str) -> bool:
    return bool(_INTEGER.fullmatch(text) or _DECIMAL.fullmatch(text))


@dataclass(frozen=True)
class _Table:
    """The rows of one sheet, with the column each header cell names."""

    sheet: Sheet
    header: Row
    columns: dict[int, Column]
    rows: list[Row]


def portfolio_from_workbook(path: str | os.PathLike[str], base: str | None = None) -> Graph:
    """Read a portfolio workbook (see the module's docstring for its sheets and cells) into RDF.

    Parameters
    ----------
    path : str or os.PathLike
        An ``.xlsx`` workbook (openpyxl, ``pip install 'pmgraph[xlsx]'``) or a folder of CSV files
        named for the sheets (``projects.csv``, ``role_assignments.csv``).
    base : str, optional
        The IRI that plain ids (``checkout-api``) are made under; it overrides the row of sheet
        ``prefixes`` with an empty prefix.

    Returns
    -------
    rdflib.Graph
        The things of every sheet, their facts and assignments, with the workbook's prefixes bound
        (the base as the empty prefix).

    Raises
    ------
    pmgraph.InputError
        If `path` is neither a folder nor a workbook, or cannot be read.
    SpreadsheetError
        If any sheet, header or cell is bad; every problem is listed, with sheet, row and column.
    """
    from pmgraph.ontology import load_ontology

    problems = _Problems()
    tables = _read_tables(Path(path), problems)
    names = _Names({"pm": str(PM._NS)}, None, load_ontology())
    if "prefixes" in tables:
        _read_prefixes(tables.pop("prefixes"), names, problems)
    if base is not None:
        if iri_of(base) is None:
            raise InputError(path, f"the base {base!r} is not an IRI")
        names.base = base
    graph = Graph(bind_namespaces="core")
    for prefix, namespace in names.prefixes.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    if names.base is not None:
        graph.bind("", names.base, override=True, replace=True)
    ids = _read_ids(tables, names, problems)
    for table in tables.values():
        _read_facts(table, names, ids, graph, problems)
    if problems:
        raise SpreadsheetError(problems.errors())
    return graph


def _read_tables(path: Path, problems: _Problems) -> dict[str, _Table]:
    """Each sheet of a workbook or CSV file of a folder, by the name of the sheet it is."""
    if path.is_dir():
        sources = [(file, None, file.stem) for file in sorted(path.iterdir()) if file.suffix.casefold() == ".csv"]
        if not sources:
            raise InputError(path, "no .csv file in the folder: a portfolio workbook folder holds projects.csv, ...")
    elif is_workbook(path):
        sources = [(path, name, name) for name in sheet_names(path)]
    elif path.exists():
        raise InputError(path, "not a portfolio workbook: give an .xlsx workbook or a folder of CSV files")
    else:
        raise InputError(path, "no such file or folder")
    tables: dict[str, _Table] = {}
    for file, sheet_name, name in sources:
        problems.sources.append((str(file), sheet_name))
        sheet = _SHEET_OF.get(_key(name))
        if sheet is None:
            problems.add_sheet(str(file), f"unknown sheet {name!r}: the sheets are {_names(SHEETS)}")
            continue
        if sheet.name in tables:
            problems.add_sheet(str(file), f"{name!r} is a second {sheet.name} sheet")
            continue
        rows = list(read_rows(file, sheet_name))
        if rows:
            tables[sheet.name] = _Table(sheet, rows[0], _header(sheet, rows[0], problems), rows[1:])
        for row in rows[1:]:
            if len(row.cells) > len(rows[0].cells):  # a cell no column heads would be lost without a word
                problems.add(row, f"{row.cells[-1]!r} is in no column: the header has none there", len(row.cells) - 1)
    return tables


def _names(items: Iterable[Sheet | Column]) -> str:
    return ", ".join(item.name if isinstance(item, Sheet) else item.header for item in items)


def _header(sheet: Sheet, header: Row, problems: _Problems) -> dict[int, Column]:
    """The column each header cell names, by index; a bad or missing column is a problem."""
    known = {_key(name): column for column in sheet.columns for name in (column.header, *column.aliases)}
    columns: dict[int, Column] = {}
    for index, text in enumerate(header.cells):
        column = known.get(_key(text))
        if column is None:
            problems.add(header, f"unknown column {text!r}: the columns of sheet {sheet.name} are "
                                 f"{_names(sheet.columns)}", index)
        elif column in columns.values():
            problems.add(header, f"a second {column.header} column", index)
        else:
            columns[index] = column
    for column in sheet.columns:
        if column.required and column not in columns.values():
            problems.add(header, f"no {column.header} column: sheet {sheet.name} needs one")
    return columns


def _cells(table: _Table, row: Row) -> Iterator[tuple[int, Column, str]]:
    for index, column in table.columns.items():
        yield index, column, row.cells[index] if index < len(row.cells) else ""


def _read_prefixes(table: _Table, names: _Names, problems: _Problems) -> None:
    for row in table.rows:
        cells = {column.header: (index, text) for index, column, text in _cells(table, row)}
        prefix_index, prefix = cells.get("prefix", (None, ""))
        index, namespace = cells["namespace"]
        if prefix and not re.fullmatch(r"[A-Za-z][\w.-]*", prefix):
            problems.add(row, f"{prefix!r} is not a prefix (a name such as acme)", prefix_index, "prefix")
        elif iri_of(namespace) is None:
            problems.add(row, f"{namespace!r} is not an IRI", index, "namespace")
        elif prefix:
            names.prefixes[prefix] = namespace
        else:
            names.base = namespace


def _read_ids(tables: Mapping[str, _Table], names: _Names, problems: _Problems) -> dict[str, set[URIRef]]:
    """The ids of the rows of each sheet of things; a bad or repeated id is a problem."""
    ids: dict[str, set[URIRef]] = {}
    for table in tables.values():
        if table.sheet.is_assignment:
            continue
        first_row: dict[URIRef, int] = {}
        for row in table.rows:
            for index, column, text in _cells(table, row):
                if column.kind != "id":
                    continue
                try:
                    iri = names.iri(text) if text else None
                except _BadCell as problem:
                    problems.add(row, str(problem), index, column.header)
                    continue
                if iri is None:
                    problems.add(row, "empty: every row needs an id", index, column.header)
                elif iri in first_row:
                    problems.add(row, f"the id {text!r} is also in row {first_row[iri]}", index, column.header)
                else:
                    first_row[iri] = row.number
        ids[table.sheet.name] = set(first_row)
    return ids


def _read_facts(
    table: _Table, names: _Names, ids: Mapping[str, set[URIRef]], graph: Graph, problems: _Problems
) -> None:
    """Add the facts of every good row of a sheet to `graph`; every bad cell is a problem."""
    sheet = table.sheet
    made: dict[URIRef, int] = {}
    for row in table.rows:
        subject: URIRef | None = None
        facts: list[tuple[URIRef, Node]] = []
        dates: dict[URIRef, tuple[int, datetime.date]] = {}
        bad = False
        for index, column, text in _cells(table, row):
            try:
                if column.kind == "id":
                    subject = names.iri(text) if text else None
                    continue
                values = _values(column, text, names, ids)
            except _BadCell as problem:
                if column.kind != "id" or sheet.is_assignment:  # _read_ids told the bad ids of other sheets
                    problems.add(row, str(problem), index, column.header)
                bad = True
                continue
            facts += [(column.predicate, value) for value in values]  # type: ignore[misc]
            if column.kind == "date" and values:
                dates[column.predicate] = (index, values[0].toPython())  # type: ignore[index]
        if PM.startDate in dates and PM.endDate in dates and dates[PM.endDate][1] < dates[PM.startDate][1]:
            index, end = dates[PM.endDate]
            problems.add(row, f"ends ({end}) before it starts ({dates[PM.startDate][1]})", index, "end")
            bad = True
        if bad or (subject is None and not sheet.is_assignment):  # a missing id was told by _read_ids
            continue
        if sheet.is_assignment:
            given = subject is not None
            subject = subject if subject is not None else _made_id(sheet, dict(facts))
            if subject in made:
                reason = "the id is also in" if given else (
                    "the same agent, role, scope and start as" if sheet.cls == PM.RoleAssignment
                    else "the same agent, responsibility, scope and RACI level as"
                )
                problems.add(row, f"{reason} row {made[subject]}")
                continue
            made[subject] = row.number
        assert subject is not None and sheet.cls is not None
        graph.add((subject, RDF.type, sheet.cls))
        for predicate, value in facts:
            graph.add((subject, predicate, value))


def _values(column: Column, text: str, names: _Names, ids: Mapping[str, set[URIRef]]) -> list[Node]:
    """The RDF values of a cell; _BadCell says why it has none."""
    if not text:
        if column.required:
            raise _BadCell(f"empty: every row needs its {column.header}")
        return []
    if column.kind == "text":
        return [Literal(text)]
    if column.kind == "date":
        return [_date(text)]
    if column.kind in ("amount", "share"):
        return [_number(text, 1 if column.kind == "share" else None)]
    if column.kind == "term":
        assert column.vocabulary is not None
        return [names.term(text, column.vocabulary)]
    parts = [part for part in _LIST_SEPARATORS.split(text) if part]
    if len(parts) > 1 and not column.many:
        raise _BadCell(f"{text!r} names {len(parts)} things; give one")
    found: list[Node] = []
    for part in parts:
        iri = names.iri(part)
        if not any(iri in ids.get(target, ()) for target in column.targets):
            raise _BadCell(f"{part!r} is not the id of a row of sheet {' or '.join(column.targets)}")
        found.append(iri)
    return found


def _made_id(sheet: Sheet, facts: Mapping[URIRef, Node]) -> URIRef:
    """The id of an assignment row without one, made as import-assignments and import-raci make it."""
    scope, agent = facts[PM.scope], local_slug(facts[PM.agent])
    if sheet.cls == PM.RoleAssignment:
        start = f"-{facts[PM.startDate]}" if PM.startDate in facts else ""
        return URIRef(f"{scope}-{local_slug(facts[PM.role])}-{agent}{start}")
    return URIRef(f"{scope}-raci-{agent}-{local_slug(facts[PM.responsibility])}-{local_slug(facts[PM.raci])}")


@dataclass(frozen=True)
class PortfolioWorkbook:
    """A portfolio workbook made from RDF: its sheets, and the statements that no column holds.

    Attributes
    ----------
    sheets : dict of str to tuple of tuple of str
        Every sheet of :data:`SHEETS`, by name, in order: its header row, then a row per thing,
        sorted by id.
    left_out : rdflib.Graph
        The statements of the data that no sheet holds (KPIs, roadmaps, a second label, ...).
    """

    sheets: dict[str, tuple[tuple[str, ...], ...]]
    left_out: Graph

    def write(self, path: str | os.PathLike[str]) -> None:
        """Write the sheets to an ``.xlsx`` workbook, or else to a folder of CSV files (made if missing).

        A workbook is replaced atomically; in a folder each CSV file is. Dates are written as date
        cells and whole numbers as number cells in a workbook; other numbers as the text they are
        in RDF, so that they keep every digit.

        Raises
        ------
        SpreadsheetError
            If `path` is a workbook and openpyxl is not installed.
        OSError
            If a file cannot be written.
        """
        from pmgraph.rdf.writing import write_atomically

        path = Path(path)
        if is_workbook(path):
            write_atomically(path, _xlsx_bytes(path, self.sheets))
            return
        path.mkdir(parents=True, exist_ok=True)
        for name, rows in self.sheets.items():
            text = io.StringIO()
            csv.writer(text, lineterminator="\n").writerows(rows)
            write_atomically(path / f"{name.replace(' ', '_')}.csv", text.getvalue().encode("utf-8"))


def _xlsx_bytes(path: Path, sheets: Mapping[str, tuple[tuple[str, ...], ...]]) -> bytes:
    try:
        import openpyxl
    except ModuleNotFoundError as error:
        raise SpreadsheetError([InputError(path, NEEDS_OPENPYXL.replace("reading", "writing"))]) from error
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    kinds = {sheet.name: {column.header: column.kind for column in sheet.columns} for sheet in SHEETS}
    for name, rows in sheets.items():
        worksheet = workbook.create_sheet(name)
        header, *body = rows
        worksheet.append(header)
        for row in body:
            worksheet.append([_xlsx_cell(kinds[name][column], text) for column, text in zip(header, row, strict=True)])
        for index, column in enumerate(header, start=1):
            if kinds[name][column] == "date":
                for (cell,) in worksheet.iter_rows(min_row=2, min_col=index, max_col=index):
                    cell.number_format = "yyyy-mm-dd"
    file = io.BytesIO()
    workbook.save(file)
    return file.getvalue()


def _xlsx_cell(kind: str, text: str) -> object:
    """A cell's value in a workbook: a date, a whole number, or the text (which keeps every digit)."""
    if kind == "date" and _is_date(text):
        return datetime.date.fromisoformat(text)
    if kind in ("amount", "share") and _INTEGER.fullmatch(text) and (text == "0" or not text.startswith("0")):
        return int(text)
    return text


def workbook_sheets(data: object, base: str | None = None) -> PortfolioWorkbook:
    """The portfolio workbook of an organisation's data: the layout :func:`portfolio_from_workbook` reads.

    Parameters
    ----------
    data : pmgraph.Organisation, path, list of paths or rdflib.Graph
        The organisation's data (a :class:`rdflib.Dataset` is read as the union of its graphs).
    base : str, optional
        IRIs under it are written as plain names (and it is the row of sheet ``prefixes`` with an
        empty prefix); by default the data's empty prefix, if it binds one.

    Returns
    -------
    PortfolioWorkbook
        Every sheet, and the statements no column holds. An IRI is written as a plain name under
        the base, a prefixed name when one of the data's prefixes fits (sheet ``prefixes`` lists
        those used), or whole; a pm: term by its local name, a RACI level by its letter; several
        references in one cell are sorted and separated by ``; ``.
    """
    statements, bound = _statements(data)
    facts: dict[Node, dict[Node, list[Node]]] = {}
    of_class: dict[Node, list[URIRef]] = {}
    for s, p, o in statements:
        facts.setdefault(s, {}).setdefault(p, []).append(o)
        if p == RDF.type and isinstance(s, URIRef):
            of_class.setdefault(o, []).append(s)
    base = base if base is not None else bound.get("")
    writer = _Writer({prefix: ns for prefix, ns in bound.items() if prefix}, base)
    covered: set[tuple[Node, Node, Node]] = set()
    sheets: dict[str, tuple[tuple[str, ...], ...]] = {}
    for sheet in SHEETS[1:]:
        rows = []
        for subject in of_class.get(sheet.cls, ()):
            covered.add((subject, RDF.type, sheet.cls))
            rows.append(tuple(_cell(subject, facts[subject], column, writer, covered) for column in sheet.columns))
        sheets[sheet.name] = (tuple(column.header for column in sheet.columns), *sorted(rows))
    prefixes = [("", base)] if base is not None and writer.uses_base else []
    prefixes += sorted((prefix, writer.prefixes[prefix]) for prefix in writer.used - {"pm"})  # pm is known
    left_out = Graph(bind_namespaces="none")
    for prefix, namespace in bound.items():
        left_out.bind(prefix, namespace, override=True, replace=True)
    for statement in statements - covered:
        left_out.add(statement)
    return PortfolioWorkbook({"prefixes": (("prefix", "namespace"), *prefixes), **sheets}, left_out)


def _statements(data: object) -> tuple[set[tuple[Node, Node, Node]], dict[str, str]]:
    """The statements of an organisation's data, each once, and the prefixes it binds."""
    from pmgraph.organisation import as_rdflib

    graph = as_rdflib(data)  # type: ignore[arg-type]
    triples = (
        ((s, p, o) for s, p, o, _ in graph.quads((None, None, None, None))) if isinstance(graph, Dataset) else graph
    )
    return set(triples), {prefix: str(namespace) for prefix, namespace in graph.namespaces()}


@dataclass
class _Writer:
    """How the cells of a written workbook name IRIs, and which prefixes and base they use."""

    prefixes: dict[str, str]
    base: str | None
    used: set[str] = field(default_factory=set)
    uses_base: bool = False

    def __post_init__(self) -> None:
        self._names = PrefixedNames(self.prefixes)  # indexed once, for every cell of the workbook

    def name(self, iri: URIRef) -> str:
        local = str(iri).removeprefix(self.base) if self.base and str(iri).startswith(self.base) else None
        if local and _PLAIN_NAME.fullmatch(local) and ":" not in local:
            self.uses_base = True
            return local
        short = self._names.compact(iri)
        if short and " " not in short:
            self.used.add(short.partition(":")[0])
            return short
        return str(iri) if ":" in str(iri) and "://" in str(iri) else f"<{iri}>"


def _cell(
    subject: URIRef, about: Mapping[Node, list[Node]], column: Column, writer: _Writer,
    covered: set[tuple[Node, Node, Node]],
) -> str:
    """The text of one cell of a thing's row (`about`: its values by property); the statements it
    holds are added to `covered`."""
    if column.kind == "id":
        return writer.name(subject)
    assert column.predicate is not None
    wanted = URIRef if column.kind in ("refs", "term") else Literal
    values = sorted((value for value in about.get(column.predicate, ()) if isinstance(value, wanted)), key=str)
    if column.kind == "date":
        values = [value for value in values if _is_date(str(value))]
    elif column.kind in ("amount", "share"):
        values = [value for value in values if _is_amount(str(value))]
    values = values if column.many else values[:1]
    for value in values:
        covered.add((subject, column.predicate, value))
    if column.kind == "refs":
        return "; ".join(sorted(writer.name(value) for value in values))
    if column.kind == "term":
        return "; ".join(_term_text(value, writer) for value in values)
    return "; ".join(str(value) for value in values)


def _term_text(term: Node, writer: _Writer) -> str:
    """``ProjectManager`` for a pm: term, ``A`` for pm:Accountable, else the term's name."""
    letters = {level: letter for letter, level in _RACI_LETTERS.items()}
    if term in letters:
        return letters[term]
    if str(term).startswith(PM._NS):
        return str(term).removeprefix(PM._NS)
    return writer.name(term)  # type: ignore[arg-type]
