"""The ``pmgraph`` command line: parses arguments, calls the library, prints.

Exit codes: 0 success (for ``validate``: no Violation; warnings allowed),
1 at least one Violation, 2 an input that cannot be read or a usage error.
An unreadable input is reported on stderr in one line that names the file
and, where known, the line: ``pmgraph: error: team.ttl:4: ...``.
When the reader of the output goes away early (``pmgraph ... | head -1``), the
command stops quietly with exit code 141, as a shell reports for a closed pipe.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import os
import sys
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from pmgraph.cli import context, diff, docs, merge, overlap, push, query, report, validate
from pmgraph.cli.exits import EXIT_BROKEN_PIPE, EXIT_INPUT_ERROR, EXIT_OK, usage_error, write_error
from pmgraph.cli.options import prefix_option, prefixes

if TYPE_CHECKING:
    import rdflib

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit code.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments after the program name; ``sys.argv[1:]`` by default.

    Returns
    -------
    int
        The exit code: 0, 1, 2, or 141 for a closed pipe (see the module's docstring).

    Examples
    --------
    >>> main(["--version"])  # doctest: +ELLIPSIS
    pmgraph ...
    0
    """
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # --help, --version and usage errors
        return stop.code if isinstance(stop.code, int) else EXIT_INPUT_ERROR
    # Imported here, past --help and --version: every command reads RDF.
    from pmgraph.errors import PmgraphError
    from pmgraph.rdf.reading import quiet_literal_conversion

    try:
        # rdflib logs a traceback, or warns, for each ill-typed literal ("12O000"^^xsd:decimal); the rules
        # report such values, so the noise is left out.
        with quiet_literal_conversion(), warnings.catch_warnings():
            warnings.filterwarnings("ignore", "Serializing weird numerical", UserWarning)
            code = args.run(args)
        sys.stdout.flush()  # a reader that stopped early (| head) shows here, not at exit
        return code
    except PmgraphError as error:  # every error pmgraph raises on purpose is one line, exit 2
        print(f"pmgraph: error: {error}", file=sys.stderr)
        return EXIT_INPUT_ERROR
    except BrokenPipeError:
        _stop_writing_to_stdout()
        return EXIT_BROKEN_PIPE
    # Last resorts, so that no input gives a traceback: one line, exit 2.
    except OSError as error:  # a file named in an option, an output that cannot be written
        return usage_error(_os_error_text(error))
    except RecursionError:
        return usage_error("an input is nested too deeply to be read (Python's recursion limit)")
    except MemoryError:
        return usage_error("out of memory while reading the inputs")


def run() -> NoReturn:
    """The ``pmgraph`` console script and ``python -m pmgraph``: :func:`main`, then leave at once.

    A command on a large graph ends holding it all in memory (a million triples in a pyoxigraph
    store and rdflib objects); freeing it piece by piece takes longer than a query (0.5 to 1 s at
    1M) and serves nothing as the process ends. So the output is flushed and the process exits
    without freeing it. Nothing is left half-done: every file is written and closed, and every
    on-disk store flushed and closed, before :func:`main` returns.
    """
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:  # the reader stopped after main's own flush
        code = EXIT_BROKEN_PIPE
    os._exit(code)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pmgraph",
        description="Validate and analyse portfolios, programs, projects, products and their roles, in RDF.",
    )
    parser.add_argument(
        "--version", action="version", version=f"pmgraph {importlib.metadata.version('pmgraph')}"
    )
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)
    for command in (validate, query, overlap, report, merge, diff):
        command.add_parser(commands)

    data_help = "the organisation's RDF files or folders: their prefixes, roles and labels are known (repeatable)"
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
    prefix_option(import_raci)
    import_raci.add_argument("--data", action="append", default=[], metavar="PATH", help=data_help)
    import_raci.add_argument("-o", "--output", metavar="OUT.ttl", help="where to write the Turtle; stdout if not given")
    import_raci.set_defaults(run=_import_raci)

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
    export_raci.set_defaults(run=_export_raci)

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
    prefix_option(import_assignments)
    import_assignments.add_argument("--data", action="append", default=[], metavar="PATH", help=data_help)
    import_assignments.add_argument(
        "-o", "--output", metavar="OUT.ttl", help="where to write the Turtle; stdout if not given"
    )
    import_assignments.set_defaults(run=_import_assignments)

    for command in (context, docs, push):
        command.add_parser(commands)
    return parser


def _import_spreadsheet(args: argparse.Namespace, read: Callable[..., rdflib.Graph], **options: object) -> int:
    """Read a spreadsheet with `read` and write its Turtle; every bad row on stderr, exit 2."""
    from pmgraph.rdf.reading import load
    from pmgraph.rdf.writing import dump
    from pmgraph.errors import SpreadsheetError

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
    if not args.output:
        sys.stdout.write(dump(graph))
        return EXIT_OK
    try:
        dump(graph, args.output)
    except OSError as error:
        return write_error(args.output, error)
    return EXIT_OK


def _import_raci(args: argparse.Namespace) -> int:
    """Run ``pmgraph import-raci``."""
    from pmgraph.exchange.spreadsheets import raci_from_csv

    return _import_spreadsheet(args, raci_from_csv, scope=args.scope)


def _import_assignments(args: argparse.Namespace) -> int:
    """Run ``pmgraph import-assignments``."""
    from pmgraph.exchange.spreadsheets import role_assignments_from_csv

    return _import_spreadsheet(args, role_assignments_from_csv)


def _export_raci(args: argparse.Namespace) -> int:
    """Run ``pmgraph export-raci``."""
    from pmgraph.rdf.reading import load
    from pmgraph.rdf.writing import write_atomically
    from pmgraph.exchange.spreadsheets import raci_to_csv

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


def _stop_writing_to_stdout() -> None:
    """Send what is left for stdout nowhere, once its reader has gone (``| head``).

    Python flushes stdout at exit; into the closed pipe that would print a BrokenPipeError.
    """
    import os

    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):  # stdout is not a file descriptor (captured, in tests)
        pass


def _os_error_text(error: OSError) -> str:
    """``team.ttl: permission denied``: the file an OSError names, and what went wrong."""
    from pmgraph.rdf.reading import os_reason

    return f"{error.filename}: {os_reason(error)}" if error.filename else os_reason(error)
