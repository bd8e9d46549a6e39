"""RACI matrices as people write them, in CSV or .xlsx, into responsibility assignments.

Two layouts are read, and told apart by the header:

- **responsibilities as rows, agents as columns**: the first column names the responsibility, each
  other column a person, team or role; a cell holds ``R``, ``A``, ``C`` or ``I``, several of them
  (``A/R``, ``a, r``, ``AR``) or the words (``Accountable``)::

      Activity,Product Manager,Tech Lead,acme:erin-castillo
      **Initiation Phase**,,,
      Use-case approval,A,C,R

- **transposed**: the first column names the responsibility, and two or more columns are named
  ``R``, ``A``, ``C``, ``I`` or ``Responsible``, ``Accountable``, ``Consulted``, ``Informed`` (any
  case, ``Responsible (R)`` too); a cell lists names separated by commas or semicolons::

      Activity,R,A,C,I
      Use-case approval,Tech Lead,Product Manager,"Security; Legal",

  Other columns of a transposed matrix (``Notes``) are skipped.

What else a matrix found in the wild holds:

- A row with no RACI letter is a **section heading** (``**Initiation Phase**``,
  ``GitHub Infrastructure,,``): it groups the rows under it, up to the next heading, as a
  ``skos:Collection`` whose ``rdfs:label`` is the heading and whose ``skos:member`` are the
  responsibilities of those rows. It is named ``<scope>-raci-section-<slug>`` (or
  ``<base>section-<slug>`` without a scope); a heading with no rows under it, or with neither a
  scope nor a base to name it, is left out and said so.
- A first column of numbers or ids (``#``, ``Step Id`` with ``1``, ``1.1``, ``GOV-01``) is skipped.
- Rows of one cell above the header (a title) are skipped.
- Markdown emphasis around a cell (``**Initiation Phase**``, ``_Build_``) is taken off.

A header cell, a row's responsibility or a name in a transposed cell is resolved in this order:

1. an IRI (``https://...`` or ``<...>``) or a prefixed name (``acme:erin``);
2. a pm: local name (``ProductOwner``, ``Budgeting``) or the label of a core role or responsibility,
   in any case (``product owner``, ``Quality management``);
3. a label (``rdfs:label`` or ``skos:prefLabel``) of a person, team, role or
   responsibility in the organisation's data;
4. with a `base`, a new term ``<base><slug>`` (``Use-case approval`` gives
   ``<base>use-case-approval``) with the text as its ``rdfs:label``, typed ``pm:Role`` (a column,
   or a name in a transposed cell) or ``pm:Responsibility`` (a row);
5. otherwise an error that names the text and says that a base makes new terms.

A column (or name) that is a ``pm:Role`` gives the role's reference model
(``pm:responsibleFor``, ...). Any other is a person or a team: its letters become
``pm:ResponsibilityAssignment`` nodes on the scope, named
``<scope>-raci-<agent>-<responsibility>-<level>``, so that importing the same matrix again gives
the same IRIs.

Every bad row or cell is reported, each as one :class:`~pmgraph.InputError` that names the file,
the sheet, the row and the column; when any is bad nothing is returned.

Examples
--------
>>> import pathlib, tempfile
>>> with tempfile.TemporaryDirectory() as folder:
...     path = pathlib.Path(folder, "raci.csv")
...     _ = path.write_text("Activity,R,A\\n**Build**,,\\nUse-case approval,Tech Lead,Product Manager\\n")
...     matrix = read_raci_matrix(path, base="https://example.org/acme/")
>>> matrix.reference, [str(term) for term in matrix.new_terms], matrix.sections
(2, ['https://example.org/acme/tech-lead', 'https://example.org/acme/use-case-approval'], 1)
>>> matrix.notes
()
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import SKOS
from rdflib.term import Node

from pmgraph.errors import InputError, SpreadsheetError
from pmgraph.exchange.sheets import Row, read_rows
from pmgraph.exchange.spreadsheets import RACI_LEVELS
from pmgraph.exchange.vocabulary import Vocabulary, local_slug, name_problem, text_slug, vocabulary_of
from pmgraph.namespace import PM

__all__ = ["RaciImport", "raci_from_csv", "raci_letters", "read_raci_matrix"]

#: The words of a header or a cell that name a RACI level, by the level's letter.
LEVEL_WORDS = {
    "r": "R", "responsible": "R", "a": "A", "accountable": "A",
    "c": "C", "consulted": "C", "i": "I", "informed": "I",
}

# an id in a matrix's first column: 1, 1.1, 2.3.1, A1, GOV-01, S_02, 4.
_ID = re.compile(r"[A-Za-z]{0,4}[-_.]?\d+(?:[.\-]\d+)*[a-z]?\.?")
_LETTER_SEPARATORS = re.compile(r"[\s/,;+&]+")
_NAME_SEPARATORS = re.compile(r"[,;\n]")
_STRONG = re.compile(r"(\*\*|__)(.+?)\1")
_EMPHASIS = re.compile(r"([*_])(.+)\1")
_PREFIXED_NAME = re.compile(r"[A-Za-z][\w.-]*:\S*")


@dataclass(frozen=True)
class RaciImport:
    """A RACI matrix read into RDF, and what its cells meant.

    Attributes
    ----------
    graph : rdflib.Graph
        The responsibility assignments, the roles' reference-model statements, the new terms and
        the sections.
    assignments : int
        The ``pm:ResponsibilityAssignment`` nodes on the scope (one per agent, responsibility and
        letter).
    reference : int
        The reference-model statements of role columns (``pm:responsibleFor``, ...).
    new_terms : tuple of rdflib.URIRef
        The roles and responsibilities made from texts with the base, in order of IRI.
    new_roles : int
        How many of the new terms are roles (the others are responsibilities).
    sections : int
        The section headings kept as ``skos:Collection``.
    notes : tuple of str
        What was skipped and why, one line each, with its place (``raci.csv:1: column A: ...``).
    """

    graph: Graph
    assignments: int
    reference: int
    new_terms: tuple[URIRef, ...]
    new_roles: int
    sections: int
    notes: tuple[str, ...]


def read_raci_matrix(
    path: str | os.PathLike[str],
    scope: str | None = None,
    base: str | None = None,
    prefixes: Mapping[str, str] | None = None,
    data: Graph | None = None,
    sheet: str | None = None,
) -> RaciImport:
    """Read a RACI matrix from a CSV file or a sheet of an .xlsx workbook (see the module's docstring).

    Parameters
    ----------
    path : str or os.PathLike
        The CSV file or the ``.xlsx`` workbook.
    scope : str, optional
        The scope the people's and teams' assignments hold on: an IRI or a prefixed name. Needed
        when a column (or a name in a transposed cell) is a person or a team.
    base : str, optional
        The IRI (or prefix, ``acme:``) that new terms are made under, for texts that name nothing
        known: ``<base><slug>``.
    prefixes : mapping of str to str, optional
        Prefixes for the names in the file, such as ``{"acme": "https://example.org/acme/"}``;
        ``pm`` is always known.
    data : rdflib.Graph, optional
        The organisation's files: their prefixes, people, teams, roles, responsibilities and labels
        are known too, and every column given by IRI must be a person, team or role they (or the
        ontology) declare.
    sheet : str, optional
        The sheet of a workbook; the first when not given.

    Returns
    -------
    RaciImport

    Raises
    ------
    pmgraph.InputError
        If the file cannot be read, has no header, or `scope` or `base` is not an IRI or a
        prefixed name with a known prefix.
    SpreadsheetError
        If any row or cell is bad; every one is listed.
    """
    vocabulary = vocabulary_of(prefixes, data)
    scope_iri = _argument_iri(path, "scope", scope, vocabulary)
    base_iri = _argument_iri(path, "base", base, vocabulary)
    rows = [_plain_row(row) for row in read_rows(path, sheet)]
    rows = [row for row in rows if row.cells]
    if not rows:
        raise InputError(path, "empty file: expected a header row of people or roles")
    matrix = _Matrix(vocabulary, scope_iri, base_iri)
    header_at = next((index for index, row in enumerate(rows) if len(row.cells) >= 2), None)
    if header_at is None:
        raise InputError(path, "no header row: expected a row naming the responsibilities' column, then people or roles")
    for title in rows[:header_at]:
        matrix.note(title, f"{title.cells[0]!r} is a title above the header: skipped")
    header, body = rows[header_at], rows[header_at + 1:]
    first = 1 if _has_id_column(header, body) else 0
    if first:
        matrix.note(header, f"{header.cells[0] or 'the first column'!r} holds ids, not responsibilities: column skipped", 0)
    levels = {index: letter for index, text in enumerate(header.cells) if index > first and (letter := _level_of(text))}
    if len(levels) >= 2:
        # the responsibilities are in the column just before the letters (Domain,Capability,Activity,R,A,C,I)
        activity = min(levels) - 1
        for index in range(first, activity):
            matrix.note(header, f"{header.cells[index]!r} is not the responsibilities' column: column skipped", index)
        matrix.read_transposed(header, body, max(first, activity), levels)
    else:
        matrix.read_by_columns(header, body, first)
    matrix.close_section()
    if matrix.problems:
        raise SpreadsheetError(matrix.problems)
    return RaciImport(
        graph=matrix.graph,
        assignments=len(set(matrix.graph.subjects(RDF.type, PM.ResponsibilityAssignment))),
        reference=sum(len(list(matrix.graph.triples((None, prop, None)))) for _, prop in RACI_LEVELS.values()),
        new_terms=tuple(sorted(matrix.minted)),
        new_roles=sum(kind == PM.Role for kind in matrix.minted.values()),
        sections=len(set(matrix.graph.subjects(RDF.type, SKOS.Collection))),
        notes=tuple(matrix.notes),
    )


def raci_from_csv(
    path: str | os.PathLike[str],
    scope: str | None = None,
    prefixes: Mapping[str, str] | None = None,
    data: Graph | None = None,
    base: str | None = None,
) -> Graph:
    """Read a RACI matrix from a CSV file or an .xlsx workbook: the graph of :func:`read_raci_matrix`.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = pathlib.Path(folder, "raci.csv")
    ...     _ = path.write_text("Responsibility,acme:erin\\nBudgeting,A/R\\n")
    ...     graph = raci_from_csv(path, scope="acme:api", prefixes={"acme": "https://example.org/"})
    >>> sorted(str(s) for s in graph.subjects(RDF.type, PM.ResponsibilityAssignment))
    ['https://example.org/api-raci-erin-budgeting-accountable', 'https://example.org/api-raci-erin-budgeting-responsible']
    """
    return read_raci_matrix(path, scope=scope, base=base, prefixes=prefixes, data=data).graph


def raci_letters(cell: str) -> list[str] | None:
    """The RACI letters of a cell in R, A, C, I order ([] for an empty cell); None when it is not RACI.

    >>> raci_letters("a/r"), raci_letters("Accountable, Consulted"), raci_letters("S")
    (['R', 'A'], ['A', 'C'], None)
    """
    letters: set[str] = set()
    for token in filter(None, _LETTER_SEPARATORS.split(cell.upper())):
        if len(token) > 1 and token.casefold() in LEVEL_WORDS:
            letters.add(LEVEL_WORDS[token.casefold()])
        elif all(letter in RACI_LEVELS for letter in token):
            letters.update(token)
        else:
            return None
    return [letter for letter in RACI_LEVELS if letter in letters]


def _level_of(header: str) -> str | None:
    """The letter a transposed matrix's column stands for: ``R``, ``Responsible (R)``; else None."""
    words = re.findall(r"[^\W\d_]+", header.casefold())
    letters = {LEVEL_WORDS.get(word) for word in words}
    if words and None not in letters and len(letters) == 1:
        return letters.pop()
    return None


def _plain(text: str) -> str:
    """A cell without the Markdown emphasis around it: ``**Initiation Phase**`` is ``Initiation Phase``."""
    text = _STRONG.sub(r"\2", text).strip()
    while (match := _EMPHASIS.fullmatch(text)) is not None:
        text = match.group(2).strip()
    return text


def _plain_row(row: Row) -> Row:
    cells = [_plain(cell) for cell in row.cells]
    while cells and not cells[-1]:
        cells.pop()
    return Row(row.path, row.sheet, row.number, tuple(cells))


def _has_id_column(header: Row, body: list[Row]) -> bool:
    """Whether the first column holds ids: every row with letters has an id there, like ``1.1``."""
    if len(header.cells) < 3:
        return False
    ids = [row.cells[0] for row in body if any(row.cells[2:]) and row.cells[0]]
    return bool(ids) and all(_ID.fullmatch(cell) for cell in ids)


def _argument_iri(path: str | os.PathLike[str], what: str, text: str | None, vocabulary: Vocabulary) -> URIRef | None:
    if text is None:
        return None
    iri = vocabulary.term(text)
    if iri is None:
        raise InputError(path, f"the {what} {text!r} is not an IRI or a prefixed name with a known prefix")
    return iri


@dataclass
class _Section:
    row: Row
    title: str
    members: list[URIRef] = field(default_factory=list)


class _Matrix:
    """The state of one matrix being read: the graph, the terms made, the problems and notes."""

    def __init__(self, vocabulary: Vocabulary, scope: URIRef | None, base: URIRef | None) -> None:
        self.vocabulary = vocabulary
        self.scope = scope
        self.base = base
        self.graph = vocabulary.new_graph()
        self.graph.bind("skos", SKOS)
        self.problems: list[InputError] = []
        self.notes: list[str] = []
        self.minted: dict[URIRef, URIRef] = {}  # new term: its class
        self.section: _Section | None = None
        self.first_row_of: dict[URIRef, Row] = {}
        self.people: dict[URIRef, str] = {}  # agents that are not roles: the text that named them
        self.slugs: dict[str, URIRef] = {}  # the people's and teams' slugs: no two alike
        self.slugs_of: dict[URIRef, str] = {}
        self.resolved: dict[tuple[str, URIRef], tuple[URIRef | None, str | None]] = {}
        # the labels of the core members and of all members, by the id of the set of members (agents
        # or responsibilities: two sets, kept for the whole matrix)
        self.label_indexes: dict[int, tuple[dict[str, tuple[URIRef, ...]], dict[str, tuple[URIRef, ...]]]] = {}
        self.roles = vocabulary.members(PM.Role)
        self.responsibilities = vocabulary.members(PM.Responsibility)
        self.agents = self.roles | vocabulary.members(PM.Person) | vocabulary.members(PM.Team)

    def note(self, row: Row, text: str, column: int | None = None) -> None:
        self.notes.append(str(row.problem(text, column)))

    def problem(self, row: Row, text: str, column: int | None = None) -> None:
        self.problems.append(row.problem(text, column))

    # -- the two layouts ------------------------------------------------------------------------

    def read_by_columns(self, header: Row, body: list[Row], first: int) -> None:
        """Responsibilities as rows, a person, team or role per column, letters in the cells."""
        columns: dict[int, URIRef] = {}
        for index in range(first + 1, len(header.cells)):
            text = header.cells[index]
            if not text:
                continue
            agent = self.agent(text, header, index)
            if agent is None:
                continue
            if agent in columns.values():
                self.problem(header, f"{text} has two columns", index)
            else:
                columns[index] = agent
        people = [self.vocabulary.short(agent) for agent in columns.values() if not self.is_role(agent)]
        if people and self.scope is None:
            self.problems.append(InputError(
                header.path, f"the columns {', '.join(people)} are people or teams: give the scope they hold on (--scope)"
            ))
        for row in body:
            marks = {index: cell for index, cell in enumerate(row.cells) if index > first and cell}
            if not marks:
                self.start_section(row, first)
                continue
            if len(row.cells) > len(header.cells):
                self.problem(row, f"{len(row.cells)} cells, but the header has {len(header.cells)}")
                continue
            responsibility = self.responsibility(row, first)
            for index, cell in marks.items():
                letters = raci_letters(cell)
                name = header.cells[index] or "a column with no name"
                if letters is None:
                    self.problem(row, f"{cell!r} under {name} is not R, A, C or I (or several, such as A/R)", index)
                elif not header.cells[index]:
                    self.problem(row, f"{cell!r} is under a column with no name: name the person, team or role", index)
                elif responsibility is not None and index in columns:
                    for letter in letters:
                        self.add(columns[index], responsibility, letter)

    def read_transposed(self, header: Row, body: list[Row], first: int, levels: dict[int, str]) -> None:
        """Responsibilities as rows, a column per RACI letter, names in the cells."""
        for index, text in enumerate(header.cells):
            if index > first and index not in levels and text:  # Notes, Comment
                self.note(header, f"{text!r} is not R, A, C or I: column skipped", index)
        for row in body:
            marks = {index: row.cells[index] for index in levels if index < len(row.cells) and row.cells[index]}
            if not marks:
                self.start_section(row, first)
                continue
            responsibility = self.responsibility(row, first)
            for index, cell in marks.items():
                for name in filter(None, (part.strip() for part in _NAME_SEPARATORS.split(cell))):
                    agent = self.agent(name, row, index)
                    if agent is not None and responsibility is not None:
                        self.add(agent, responsibility, levels[index])
        if self.people and self.scope is None:
            self.problems.append(InputError(
                header.path,
                f"the names {', '.join(sorted(self.people.values()))} are people or teams: "
                "give the scope they hold on (--scope)",
            ))

    # -- sections -------------------------------------------------------------------------------

    def start_section(self, row: Row, first: int) -> None:
        # the heading's text: in the responsibilities' column, or before it (in the ids' column)
        cells = row.cells[: first + 1]
        title = next((cell for cell in reversed(cells) if cell), "")
        self.close_section()
        if not title:
            self.note(row, "no responsibility and no letters: row skipped")
            return
        self.section = _Section(row, title)

    def close_section(self) -> None:
        section, self.section = self.section, None
        if section is None:
            return
        if not section.members:
            self.note(section.row, f"{section.title!r} has no RACI letter and no rows under it: skipped")
            return
        if self.scope is not None:
            collection = URIRef(f"{self.scope}-raci-section-{text_slug(section.title)}")
        elif self.base is not None:
            collection = URIRef(f"{self.base}section-{text_slug(section.title)}")
        else:
            self.note(section.row, f"section {section.title!r} not kept: give --scope or --base to name it")
            return
        self.graph.add((collection, RDF.type, SKOS.Collection))
        self.graph.add((collection, RDFS.label, Literal(section.title)))
        for member in section.members:
            self.graph.add((collection, SKOS.member, member))

    # -- names ----------------------------------------------------------------------------------

    def responsibility(self, row: Row, first: int) -> URIRef | None:
        """The responsibility a row is about, or None (and a problem) when its text names none."""
        text = row.cells[first] if first < len(row.cells) else ""
        if not text:
            self.problem(row, "letters but no responsibility: name it in this cell", first)
            return None
        iri, problem = self.known(text, self.responsibilities, PM.Responsibility)
        if iri is None and problem is None and self.base is not None:
            iri, problem = self.mint(text, PM.Responsibility, self.responsibilities)
        if iri is None:
            self.problem(row, problem or (
                f"unknown responsibility {text!r}: give a pm: name (Budgeting), a label (Quality management), "
                "a prefixed name or an IRI, or --base IRI to make new terms for such names"
            ), first)
            return None
        if self.section is not None and iri not in self.section.members:
            self.section.members.append(iri)
        if iri in self.first_row_of and self.first_row_of[iri] != row:
            self.note(row, f"{text!r} is the responsibility of row {self.first_row_of[iri].number} too: "
                           "their letters are put together", first)
        self.first_row_of.setdefault(iri, row)
        return iri

    def agent(self, text: str, row: Row, column: int) -> URIRef | None:
        """The person, team or role a header cell or a name in a cell names, or None (and a problem)."""
        vocabulary = self.vocabulary
        iri = vocabulary.term(text)
        if iri is not None and vocabulary.checks_agents and iri not in self.agents and iri not in self.minted:
            self.problem(row, f"{text} is not a person, team or role of the data", column)
            return None
        problem = None
        if iri is None:
            iri, problem = self.known(text, self.agents, PM.Role)
        if iri is None and problem is None and self.base is not None:
            iri, problem = self.mint(text, PM.Role, self.agents)
        if iri is None:
            self.problem(row, problem or (
                f"unknown person, team or role {text!r}: give a prefixed name or an IRI, the label of a core role "
                "(Product Owner) or of a person, team or role in --data, or --base IRI to make new terms for such names"
            ), column)
            return None
        if not self.is_role(iri) and iri not in self.people:
            slug = local_slug(iri)
            if self.slugs.setdefault(slug, iri) != iri:
                self.problem(row, f"{text} and {vocabulary.short(self.slugs[slug])} end in the same name, "
                                  "which assignment IRIs are made of", column)
                return None
            self.people[iri] = vocabulary.short(iri)
        return iri

    def known(self, text: str, members: set[Node], cls: URIRef) -> tuple[URIRef | None, str | None]:
        """Resolve a text among `members`: IRI, prefixed name, pm: name, core label, data label."""
        # a name comes back in many cells, and a label is looked for among all the data's members
        if (text, cls) not in self.resolved:
            self.resolved[text, cls] = self.look_up(text, members)
        return self.resolved[text, cls]

    def look_up(self, text: str, members: set[Node]) -> tuple[URIRef | None, str | None]:
        vocabulary = self.vocabulary
        iri = vocabulary.term(text)
        if iri is not None:
            return iri, None
        if _PREFIXED_NAME.fullmatch(text) and text.partition(":")[0] not in vocabulary.prefixes:
            return None, name_problem(text, vocabulary)
        if re.fullmatch(r"[A-Za-z_][\w-]*", text) and URIRef(PM._NS + text) in members:
            return URIRef(PM._NS + text), None
        if id(members) not in self.label_indexes:
            core = {member for member in members if (member, None, None) in vocabulary.ontology}
            self.label_indexes[id(members)] = (
                vocabulary.label_index(core, vocabulary.ontology), vocabulary.label_index(members, vocabulary.knowledge)
            )
        core_labels, data_labels = self.label_indexes[id(members)]
        iri, problem = vocabulary.labelled(text, members, vocabulary.ontology, core_labels)
        if iri is not None or problem is not None:
            return iri, problem
        return vocabulary.labelled(text, members, vocabulary.knowledge, data_labels)

    def mint(self, text: str, cls: URIRef, members: set[Node]) -> tuple[URIRef | None, str | None]:
        """A new term ``<base><slug>`` labelled `text`, of class `cls`; (IRI, problem)."""
        slug = text_slug(text)
        if not slug:
            return None, f"no name can be made of {text!r}: give an IRI or a prefixed name"
        iri = URIRef(f"{self.base}{slug}")
        if iri in self.minted and self.minted[iri] != cls:
            return None, f"{text!r} would be {self.vocabulary.short(iri)}, which this matrix makes a role and a responsibility"
        if iri in members:  # declared already, under another label: the same thing
            return iri, None
        if (iri, None, None) in self.vocabulary.knowledge:
            return None, f"{text!r} would be {self.vocabulary.short(iri)}, which the data declares as something else"
        if iri not in self.minted:
            self.minted[iri] = cls
            self.graph.add((iri, RDF.type, cls))
            self.graph.add((iri, RDFS.label, Literal(text)))
        return iri, None

    # -- what a letter says ---------------------------------------------------------------------

    def slug(self, iri: URIRef) -> str:
        """:func:`local_slug`, once per IRI: a matrix names the same few things in every row."""
        if iri not in self.slugs_of:
            self.slugs_of[iri] = local_slug(iri)
        return self.slugs_of[iri]

    def is_role(self, agent: URIRef) -> bool:
        """Whether a column or name is a role (its letters are its reference model), not a person or team."""
        return agent in self.roles or self.minted.get(agent) == PM.Role

    def add(self, agent: URIRef, responsibility: URIRef, letter: str) -> None:
        level, reference_property = RACI_LEVELS[letter]
        if self.is_role(agent):
            self.graph.add((agent, reference_property, responsibility))
            return
        if self.scope is None:  # reported once, by the layout's reader
            return
        assignment = URIRef(f"{self.scope}-raci-{self.slug(agent)}-{self.slug(responsibility)}-{self.slug(level)}")
        graph = self.graph
        graph.add((assignment, RDF.type, PM.ResponsibilityAssignment))
        graph.add((assignment, PM.agent, agent))
        graph.add((assignment, PM.responsibility, responsibility))
        graph.add((assignment, PM.scope, self.scope))
        graph.add((assignment, PM.raci, level))

