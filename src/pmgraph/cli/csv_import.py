"""What ``import-raci`` and ``import-assignments`` share: their options, and a spreadsheet read into Turtle."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from pmgraph.cli.exits import EXIT_INPUT_ERROR, EXIT_OK, usage_error, write_error
from pmgraph.cli.options import prefix_option, prefixes
from pmgraph.cli.output import write_turtle

if TYPE_CHECKING:
    import rdflib

__all__ = ["add_import_options", "import_csv", "import_spreadsheet"]


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
    return import_spreadsheet(args, args.csv, lambda path, **given: (read(path, **given), []), **options)


def import_spreadsheet(
    args: argparse.Namespace,
    path: str,
    read: Callable[..., tuple[rdflib.Graph | None, Sequence[str]]],
    **options: object,
) -> int:
    """Read a spreadsheet with `read` into (graph, lines to tell), write the graph's Turtle, tell the lines.

    Every bad row goes to stderr (``pmgraph: error: file:row: reason``) with exit 2 and nothing
    written; the lines told (what the cells meant) go to stderr once the Turtle is written. A
    `read` that writes the Turtle itself as it reads (``import-assignments``) gives None as graph.
    """
    from pmgraph.errors import SpreadsheetError
    from pmgraph.rdf.reading import load

    try:
        declared = prefixes(args.prefix)
    except ValueError as error:
        return usage_error(str(error))
    data = load(*args.data) if args.data else None
    try:
        graph, told = read(path, prefixes=declared, data=data, **options)
    except SpreadsheetError as error:
        for problem in error.problems:
            print(f"pmgraph: error: {problem}", file=sys.stderr)
        return EXIT_INPUT_ERROR
    except OSError as error:  # a reader that writes as it reads could not write the output
        return write_error(args.output, error)
    code = EXIT_OK if graph is None else write_turtle(graph, args.output)
    if code == EXIT_OK:
        for line in told:
            print(f"pmgraph: {line}", file=sys.stderr)
    return code
