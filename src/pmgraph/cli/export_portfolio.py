"""``pmgraph export-portfolio``: an organisation's RDF as a portfolio workbook (.xlsx, or a folder of CSV files)."""

from __future__ import annotations

import argparse
import sys
from collections import Counter

from pmgraph.cli.exits import EXIT_OK, write_error
from pmgraph.cli.options import Commands

__all__ = ["add_parser", "run"]


def add_parser(commands: Commands) -> None:
    """Add ``export-portfolio`` and its options to the commands."""
    export_portfolio = commands.add_parser(
        "export-portfolio",
        help="write the portfolio workbook (one sheet per kind of thing) of RDF files",
        description=(
            "Write the portfolios, programs, projects, products, teams, people, role assignments and RACI of RDF "
            "files as the workbook that import-portfolio reads: an .xlsx file, or else a folder of CSV files. "
            "What no column holds (KPIs, roadmaps, ...) is left out and counted on stderr."
        ),
    )
    export_portfolio.add_argument("paths", nargs="+", metavar="PATH", help="an RDF file, or a folder of them")
    export_portfolio.add_argument(
        "--base", metavar="IRI", help="write IRIs under it as plain ids (by default the data's empty prefix, if any)"
    )
    export_portfolio.add_argument(
        "-o", "--output", required=True, metavar="OUT", help="an .xlsx workbook, or else a folder of CSV files"
    )
    export_portfolio.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run ``pmgraph export-portfolio``."""
    from pmgraph.exchange.workbook import workbook_sheets
    from pmgraph.render.names import PrefixedNames

    workbook = workbook_sheets(args.paths, base=args.base)
    try:
        workbook.write(args.output)
    except OSError as error:
        return write_error(args.output, error)
    if len(workbook.left_out):
        names = PrefixedNames.of(workbook.left_out)  # each property named once, whatever its count
        by_property = Counter(predicate for _, predicate, _ in workbook.left_out)
        counts = {names.name(predicate): count for predicate, count in by_property.items()}
        most = ", ".join(f"{name} ({count})" for name, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])))
        print(
            f"pmgraph: warning: {len(workbook.left_out)} statements have no column in the workbook and are left out: {most}",
            file=sys.stderr,
        )
    return EXIT_OK
