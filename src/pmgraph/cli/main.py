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
import json
import os
import sys
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from pmgraph.cli import overlap, query, report, validate
from pmgraph.cli.exits import EXIT_BROKEN_PIPE, EXIT_INPUT_ERROR, EXIT_OK, EXIT_VIOLATION, usage_error, write_error
from pmgraph.cli.options import endpoint, endpoint_options, prefix_option, prefixes
from pmgraph.cli.output import count

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

    for command in (validate, query, overlap, report):
        command.add_parser(commands)

    merge = commands.add_parser(
        "merge",
        help="merge the files of several teams into one canonical file, and report their conflicts",
        description=(
            "Merge RDF files into one: every input triple is kept as written, in a canonical sorted form "
            "(the same bytes for the same inputs, whatever their order). TriG and N-Quads keep one named "
            "graph per file, named file:<path relative to the current folder>. Conflicts between the files "
            "are reported as warnings on stderr. With --check: print the conflicts and write nothing. "
            "Exit 0: merged (--check: no conflict); 1: --check found conflicts; 2: an input or the output "
            "could not be used."
        ),
    )
    merge.add_argument("paths", nargs="+", metavar="PATH", help="an RDF file, or a folder of them")
    merge.add_argument(
        "-o", "--output", metavar="OUT", help="where to write (may be one of the inputs); stdout if not given"
    )
    merge.add_argument(
        "--format", choices=("turtle", "trig", "nquads"), default="turtle",
        help="turtle (default, one graph), trig or nquads (one named graph per file)",
    )
    merge.add_argument("--check", action="store_true", help="only report the conflicts; exit 1 when there are any")
    merge.set_defaults(run=_merge)

    diff = commands.add_parser(
        "diff",
        help="what changed between two versions of a portfolio, by entity",
        description=(
            "Compare two versions (files or folders) as RDF: statements, not text; blank nodes are matched "
            "up to isomorphism. Changes are told by entity, in the domain's words. "
            "Exit 0: the same; 1: different; 2: an input could not be read."
        ),
    )
    diff.add_argument("old", metavar="OLD", help="the old version: an RDF file or a folder")
    diff.add_argument("new", metavar="NEW", help="the new version: an RDF file or a folder")
    diff.add_argument("--format", choices=("text", "json"), default="text", help="text for people (default) or json")
    diff.set_defaults(run=_diff)

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

    context = commands.add_parser(
        "context",
        help="print the JSON-LD context of pmgraph's vocabulary",
        description=(
            "Print the JSON-LD context generated from the ontology (one term per pm: term, such as "
            "\"startDate\"); with PATHs, print their data as JSON-LD compacted with that context."
        ),
    )
    context.add_argument("paths", nargs="*", metavar="PATH", help="RDF files or folders to write as JSON-LD")
    context.set_defaults(run=_context)

    docs = commands.add_parser(
        "docs",
        help="write the HTML reference of pmgraph's ontology",
        description=(
            "Write the HTML reference of pmgraph's ontology as DIR/index.html: every class, property, role, "
            "responsibility, KPI type, methodology and status with its label, definition, source, domain and "
            "range, the reference model as a role x responsibility RACI table, and the mappings to other "
            "vocabularies. Exit 0: written; 2: the folder or the page could not be written."
        ),
    )
    docs.add_argument("-o", "--output", required=True, metavar="DIR", help="the folder to write index.html in")
    docs.add_argument("--no-alignments", action="store_true", help="leave out the mappings to other vocabularies")
    docs.set_defaults(run=_docs)

    push = commands.add_parser(
        "push",
        help="upload RDF files to a SPARQL server (or write them into an on-disk store), each replacing a named graph whole",
        description=(
            "Upload RDF files to a SPARQL server through the Graph Store Protocol (PUT): each file replaces "
            "the named graph of its file: URI whole (or, with --graph, all of them go in one graph), and "
            "pmgraph's ontology replaces the graph https://w3id.org/pmgraph. Every file is read before "
            "anything is sent; a failed upload leaves that graph as it was. Credentials come from "
            "PMGRAPH_ENDPOINT_USER and PMGRAPH_ENDPOINT_PASSWORD or a netrc file. With --store DIR instead of "
            "--endpoint, the files go into an on-disk store in the folder DIR, which validate, query and overlap "
            "read with --store DIR; the store changes all at once or not at all. Exit 0: uploaded; "
            "2: a file could not be read, or the server or the store could not be used."
        ),
    )
    push.add_argument("paths", nargs="+", metavar="PATH", help="an RDF file, or a folder of them")
    push.add_argument("--graph", metavar="IRI", help="put all the files, merged, in this one named graph")
    push.add_argument("--no-ontology", action="store_true", help="do not upload pmgraph's ontology")
    push.add_argument(
        "--gsp",
        metavar="URL",
        help="the server's Graph Store Protocol endpoint (found for Oxigraph's /query and Virtuoso's /sparql)",
    )
    endpoint_options(push, "the server's SPARQL query endpoint, such as http://127.0.0.1:7878/query")
    push.set_defaults(run=_push)

    # The on-disk store (pmgraph.stores.disk): push writes it, the others read it instead of files.
    push.add_argument(
        "--store", metavar="DIR",
        help="write into an on-disk store in this folder instead of a server (created if missing); "
        "each file replaces its graphs, all at once or not at all",
    )
    return parser


def _merge(args: argparse.Namespace) -> int:
    """Run ``pmgraph merge``."""
    from pmgraph.exchange.merge import merge_files

    merged = merge_files(*args.paths)
    if args.check:
        for conflict in merged.conflicts:
            print(conflict)
        print(f"{count(len(merged.conflicts), 'conflict')} in {count(len(merged.files), 'file')}")
        return EXIT_VIOLATION if merged.conflicts else EXIT_OK
    for conflict in merged.conflicts:
        print(f"pmgraph: warning: {conflict}", file=sys.stderr)
    if args.output:
        try:
            merged.write(args.output, format=args.format)
        except OSError as error:
            return write_error(args.output, error)
    else:
        sys.stdout.write(merged.serialize(format=args.format))
    print(
        f"pmgraph: merged {count(len(merged.files), 'file')}: {count(merged.triple_count, 'triple')}, "
        f"{count(len(merged.conflicts), 'conflict')}" + (f" -> {args.output}" if args.output else ""),
        file=sys.stderr,
    )
    return EXIT_OK


def _diff(args: argparse.Namespace) -> int:
    """Run ``pmgraph diff``."""
    from pmgraph.exchange.diff import diff_versions
    from pmgraph.rdf.reading import load

    changes = diff_versions(load(args.old), load(args.new))
    if args.format == "json":
        print(json.dumps(changes.to_json(), indent=2, ensure_ascii=False))
    else:
        print(changes.to_text())
    return EXIT_OK if changes.same else EXIT_VIOLATION


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


def _context(args: argparse.Namespace) -> int:
    """Run ``pmgraph context``."""
    from pmgraph.exchange.jsonld import json_ld_context, to_json_ld
    from pmgraph.rdf.reading import load

    if args.paths:
        sys.stdout.write(to_json_ld(load(*args.paths)))
    else:
        print(json.dumps(json_ld_context(), indent=2))
    return EXIT_OK


def _docs(args: argparse.Namespace) -> int:
    """Run ``pmgraph docs``."""
    from pmgraph.render.reference import write_docs

    try:
        page = write_docs(args.output, alignments=not args.no_alignments)
    except OSError as error:
        return write_error(args.output, error)
    print(page)
    return EXIT_OK


def _push(args: argparse.Namespace) -> int:
    """Run ``pmgraph push``."""
    from pmgraph.stores.endpoint import push

    if bool(args.endpoint) == bool(args.store):
        return usage_error("give --endpoint URL or --store DIR" + (", not both" if args.store else ""))
    if args.store:
        from pmgraph.stores.disk import push_to_store

        if args.graph or args.gsp or args.no_ontology:
            return usage_error("--graph, --gsp and --no-ontology are for --endpoint; a store keeps each file's graphs and the ontology")
        pushed = push_to_store(args.store, *args.paths)
        where = args.store
    else:
        server = endpoint(args)
        try:
            pushed = push(server, *args.paths, graph=args.graph, ontology=not args.no_ontology)
        except ValueError as error:
            return usage_error(str(error))
        where = server.gsp_url
    for graph in pushed:
        print(f"<{graph.graph}>: {count(graph.triples, 'triple')}")
    print(f"pmgraph: replaced {count(len(pushed), 'graph')} at {where}", file=sys.stderr)
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
