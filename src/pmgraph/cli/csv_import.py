"""What ``import-raci`` and ``import-assignments`` share: their options, and a CSV file read into Turtle."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from pmgraph.cli.exits import EXIT_INPUT_ERROR, usage_error
from pmgraph.cli.options import prefix_option, prefixes
from pmgraph.cli.output import write_turtle

if TYPE_CHECKING:
    import rdflib

__all__ = ["add_import_options", "import_csv"]


def add_import_options(command: argparse.ArgumentParser) -> None:
    """Add --prefix, --data and -o/--output to a command that reads a CSV file into Turtle."""
    prefix_option(command)
    command.add_argument(
        "--data", action="append", default=[], metavar="PATH",
        help="the organisation's RDF files or folders: their prefixes, roles and labels are known (repeatable)",
    )
    command.add_argument("-o", "--output", metavar="OUT.ttl", help="where to write the Turtle; stdout if not given")


def import_csv(args: argparse.Namespace, read: Callable[..., rdflib.Graph], **options: object) -> int:
    """Read a spreadsheet with `read` and write its Turtle; every bad row on stderr, exit 2."""
    from pmgraph.errors import SpreadsheetError
    from pmgraph.rdf.reading import load

    try:
        declared = prefixes(args.prefix)
    except ValueError as error:
        return usage_error(str(error))
    data = load(*args.data) if args.data else None
    try:
        graph = read(args.csv, prefixes=declared, data=data, **options)
    except SpreadsheetError as error:
        for problem in error.problems:
            print(f"pmgraph: error: {problem}", file=sys.stderr)
        return EXIT_INPUT_ERROR
    return write_turtle(graph, args.output)
