"""``pmgraph export-raci``: the RACI matrix of a scope, or the roles' reference model, as CSV."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pmgraph.cli.exits import EXIT_OK, usage_error, write_error
from pmgraph.cli.options import Commands, prefix_option, prefixes

__all__ = ["add_parser", "run"]


def add_parser(commands: Commands) -> None:
    """Add ``export-raci`` and its options to the commands."""
    export_raci = commands.add_parser(
        "export-raci",
        help="write the RACI matrix of a scope (or the roles' reference model) as CSV",
        description=(
            "Write the responsibility assignments on a scope as a RACI matrix in CSV, people and teams as "
            "columns; without --scope, the role-level reference model that the files state, roles as columns."
        ),
    )
    export_raci.add_argument("paths", nargs="+", metavar="PATH", help="an RDF file, or a folder of them")
    export_raci.add_argument("--scope", metavar="IRI", help="the scope (IRI or prefixed name)")
    prefix_option(export_raci)
    export_raci.add_argument("-o", "--output", metavar="OUT.csv", help="where to write the CSV; stdout if not given")
    export_raci.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run ``pmgraph export-raci``."""
    from pmgraph.exchange.spreadsheets import raci_to_csv
    from pmgraph.rdf.reading import load
    from pmgraph.rdf.writing import write_atomically

    try:
        text = raci_to_csv(load(*args.paths), scope=args.scope, prefixes=prefixes(args.prefix))
    except ValueError as error:
        return usage_error(str(error))
    if not args.output:
        sys.stdout.write(text)
        return EXIT_OK
    try:
        write_atomically(Path(args.output), text.encode("utf-8"))
    except OSError as error:
        return write_error(args.output, error)
    return EXIT_OK
