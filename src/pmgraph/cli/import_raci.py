"""``pmgraph import-raci``: a RACI matrix in a CSV file or an .xlsx workbook, as Turtle."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import TYPE_CHECKING

from pmgraph.cli.csv_import import add_import_options, import_spreadsheet
from pmgraph.cli.options import Commands
from pmgraph.cli.output import count

if TYPE_CHECKING:
    import rdflib

    from pmgraph.exchange.raci_matrix import RaciImport

__all__ = ["add_parser", "run", "summary"]


def add_parser(commands: Commands) -> None:
    """Add ``import-raci`` and its options to the commands."""
    import_raci = commands.add_parser(
        "import-raci",
        help="read a RACI matrix from a CSV file or an .xlsx workbook into Turtle",
        description=(
            "Read a RACI matrix into responsibility assignments on a scope, or into a role's reference model "
            "for role columns. Two layouts: responsibilities as rows and people, teams or roles as columns (cells "
            "R, A, C, I or several such as A/R); or transposed, with columns R, A, C, I (or Responsible, "
            "Accountable, Consulted, Informed) whose cells list names separated by commas or semicolons. Rows "
            "without a letter are section headings, kept as skos:Collection; a first column of ids is skipped. "
            "Names resolve as an IRI or prefixed name, the label of a core role or responsibility, a label in "
            "--data, or else with --base a new term. What the cells meant is told on stderr. Every bad row is "
            "reported as file:row: reason, and nothing is written. "
            "Exit 0: written; 2: a bad row, or an input or the output could not be used."
        ),
    )
    import_raci.add_argument("file", metavar="FILE", help="the RACI matrix: a .csv file or an .xlsx workbook")
    import_raci.add_argument(
        "--scope", metavar="IRI", help="the scope the people's assignments hold on (IRI or prefixed name)"
    )
    import_raci.add_argument(
        "--base", metavar="IRI",
        help="make new terms <IRI><slug> for texts that name no known role, person, team or responsibility "
        "(IRI or prefix, such as acme:)",
    )
    import_raci.add_argument("--sheet", metavar="NAME", help="the sheet of an .xlsx workbook (default: the first)")
    add_import_options(import_raci)
    import_raci.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run ``pmgraph import-raci``."""
    from pmgraph.exchange.raci_matrix import read_raci_matrix

    def read(path: str, **options: object) -> tuple[rdflib.Graph, Sequence[str]]:
        matrix = read_raci_matrix(path, **options)  # type: ignore[arg-type]
        return matrix.graph, summary(path, matrix, args.scope)

    return import_spreadsheet(args, args.file, read, scope=args.scope, base=args.base, sheet=args.sheet)


def summary(path: str, matrix: RaciImport, scope: str | None) -> list[str]:
    """What the cells of a matrix meant, for stderr: the counts first, then what was skipped.

    >>> from rdflib import Graph
    >>> from pmgraph.exchange.raci_matrix import RaciImport
    >>> summary("raci.csv", RaciImport(Graph(), 6, 2, (), 0, 1, ("raci.csv:1: column A: ...",)), "acme:api")
    ['raci.csv: 8 assignments (6 on acme:api, 2 in the reference model of roles), 0 new terms, 1 section', \
'raci.csv:1: column A: ...']
    """
    parts = [f"{matrix.assignments} on {scope}"] if matrix.assignments else []
    if matrix.reference:
        parts.append(f"{matrix.reference} in the reference model of roles")
    assignments = count(matrix.assignments + matrix.reference, "assignment")
    if parts:
        assignments += f" ({', '.join(parts)})"
    terms = count(len(matrix.new_terms), "new term")
    kinds = [count(matrix.new_roles, "role")] if matrix.new_roles else []
    if len(matrix.new_terms) > matrix.new_roles:
        responsibilities = len(matrix.new_terms) - matrix.new_roles
        kinds.append(f"{responsibilities} responsibilit{'y' if responsibilities == 1 else 'ies'}")
    if kinds:
        terms += f" ({', '.join(kinds)})"
    return [f"{path}: {assignments}, {terms}, {count(matrix.sections, 'section')}", *matrix.notes]
