"""``pmgraph import-portfolio``: a PMO's portfolio workbook (.xlsx, or a folder of CSV files), as Turtle."""

from __future__ import annotations

import argparse
import sys

from pmgraph.cli.exits import EXIT_INPUT_ERROR
from pmgraph.cli.options import Commands
from pmgraph.cli.output import write_turtle

__all__ = ["add_parser", "run"]


def add_parser(commands: Commands) -> None:
    """Add ``import-portfolio`` and its options to the commands."""
    import_portfolio = commands.add_parser(
        "import-portfolio",
        help="read a portfolio workbook (one sheet per kind of thing) into Turtle",
        description=(
            "Read a portfolio workbook, an .xlsx file or a folder of CSV files with one sheet per kind of thing "
            "(prefixes, portfolios, programs, projects, products, teams, people, role assignments, raci), into "
            "Turtle. Every bad cell is reported with its sheet, row and column, and nothing is written. "
            "Exit 0: written; 2: a bad cell, or an input or the output could not be used."
        ),
    )
    import_portfolio.add_argument("workbook", metavar="WORKBOOK", help="an .xlsx workbook or a folder of CSV files")
    import_portfolio.add_argument(
        "--base", metavar="IRI", help="the IRI that plain ids such as checkout-api are made under"
    )
    import_portfolio.add_argument("-o", "--output", metavar="OUT.ttl", help="where to write the Turtle; stdout if not given")
    import_portfolio.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run ``pmgraph import-portfolio``."""
    from pmgraph.errors import SpreadsheetError
    from pmgraph.exchange.workbook import portfolio_from_workbook

    try:
        graph = portfolio_from_workbook(args.workbook, base=args.base)
    except SpreadsheetError as error:
        for problem in error.problems:
            print(f"pmgraph: error: {problem}", file=sys.stderr)
        return EXIT_INPUT_ERROR
    return write_turtle(graph, args.output)
