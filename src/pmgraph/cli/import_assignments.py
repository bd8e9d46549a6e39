"""``pmgraph import-assignments``: role assignments in a CSV file, as Turtle."""

from __future__ import annotations

import argparse

from pmgraph.cli.csv_import import add_import_options, import_spreadsheet
from pmgraph.cli.options import Commands

__all__ = ["add_parser", "run"]


def add_parser(commands: Commands) -> None:
    """Add ``import-assignments`` and its options to the commands."""
    import_assignments = commands.add_parser(
        "import-assignments",
        help="read role assignments (person, role, scope, start, end, allocation) from a CSV file",
        description=(
            "Read a CSV file of role assignments, one per row, with the columns person, role, scope and "
            "optionally start, end (YYYY-MM-DD) and allocation (0 to 1), into pm:RoleAssignment nodes. Every "
            "bad row is reported as file:row: reason, and nothing is written. "
            "Exit 0: written; 2: a bad row, or an input or the output could not be used."
        ),
    )
    import_assignments.add_argument("csv", metavar="FILE.csv", help="the role assignments")
    add_import_options(import_assignments)
    import_assignments.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run ``pmgraph import-assignments``: the rows are written as they are read (a million in under 1 GB)."""
    import sys

    from pmgraph.exchange.spreadsheets import write_role_assignments

    def write(path: str, **given: object) -> tuple[None, list[str]]:
        write_role_assignments(path, args.output or sys.stdout.buffer, **given)  # type: ignore[arg-type]
        return None, []

    return import_spreadsheet(args, args.csv, write)
