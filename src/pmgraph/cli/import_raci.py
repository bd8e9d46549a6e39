"""``pmgraph import-raci``: a RACI matrix in a CSV file, as Turtle."""

from __future__ import annotations

import argparse

from pmgraph.cli.csv_import import add_import_options, import_csv
from pmgraph.cli.options import Commands

__all__ = ["add_parser", "run"]


def add_parser(commands: Commands) -> None:
    """Add ``import-raci`` and its options to the commands."""
    import_raci = commands.add_parser(
        "import-raci",
        help="read a RACI matrix from a CSV file into Turtle",
        description=(
            "Read a RACI matrix (responsibilities as rows, people, teams or roles as columns, cells R, A, C, I "
            "or several such as A/R) into responsibility assignments on a scope, or into a role's reference "
            "model for role columns. Every bad row is reported as file:row: reason, and nothing is written. "
            "Exit 0: written; 2: a bad row, or an input or the output could not be used."
        ),
    )
    import_raci.add_argument("csv", metavar="FILE.csv", help="the RACI matrix")
    import_raci.add_argument(
        "--scope", metavar="IRI", help="the scope the people's assignments hold on (IRI or prefixed name)"
    )
    add_import_options(import_raci)
    import_raci.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run ``pmgraph import-raci``."""
    from pmgraph.exchange.spreadsheets import raci_from_csv

    return import_csv(args, raci_from_csv, scope=args.scope)
