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
import contextlib
import datetime
import importlib.metadata
import json
import os
import sys
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:
    import pyoxigraph
    import rdflib

    from pmgraph.stores.endpoint import Endpoint
    from pmgraph.queries.questions import ShippedQuery
    from pmgraph.validation.validator import ValidationReport, ValidationResult

__all__ = ["main"]

EXIT_OK = 0
EXIT_VIOLATION = 1
EXIT_INPUT_ERROR = 2
#: What a shell reports for a program stopped by a closed pipe (128 + SIGPIPE): ``pmgraph ... | head -1``.
EXIT_BROKEN_PIPE = 141


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
    from pmgraph.rdf.reading import _quiet_literal_conversion

    try:
        # rdflib logs a traceback, or warns, for each ill-typed literal ("12O000"^^xsd:decimal); the rules
        # report such values, so the noise is left out.
        with _quiet_literal_conversion(), warnings.catch_warnings():
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
        return _usage_error(_os_error_text(error))
    except RecursionError:
        return _usage_error("an input is nested too deeply to be read (Python's recursion limit)")
    except MemoryError:
        return _usage_error("out of memory while reading the inputs")


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

    validate = commands.add_parser(
        "validate",
        help="check RDF files against pmgraph's rules",
        description=(
            "Check RDF files against pmgraph's rules (SHACL shapes), together with the ontology. "
            "Exit 0: no Violation (warnings allowed); 1: at least one Violation; "
            "2: an input could not be read."
        ),
    )
    validate.add_argument("paths", nargs="*", metavar="PATH", help="an RDF file, or a folder of them")
    validate.add_argument(
        "--format",
        choices=("text", "json", "turtle"),
        default="text",
        help="text for people (default), json, or turtle (the SHACL validation report graph)",
    )
    validate.add_argument(
        "--engine",
        choices=("pmgraph", "pyshacl"),
        default="pmgraph",
        help="pmgraph: every rule as one SPARQL query on pyoxigraph (default, fast); pyshacl: pySHACL, node by node",
    )
    validate.add_argument(
        "--shapes",
        action="append",
        default=[],
        metavar="FILE",
        help="further SHACL shapes (Turtle) to check, by pySHACL; may be given several times",
    )
    _endpoint_options(validate, "validate the data on a SPARQL server instead of files: each rule runs there")
    validate.add_argument("--quiet", action="store_true", help="no progress on the terminal")
    validate.set_defaults(run=_validate)

    ask = commands.add_parser(
        "query",
        help="ask the data a shipped question (see --list) or your own SPARQL",
        description=(
            "Run a shipped question (by name; --list shows them) or a SPARQL SELECT file (.rq) over "
            "RDF files, together with pmgraph's ontology. Exit 0: the query ran; 2: an input could "
            "not be read, or the query or a parameter is wrong."
        ),
    )
    ask.add_argument("query", nargs="?", metavar="QUERY", help="a shipped query's name, or a .rq file")
    ask.add_argument("paths", nargs="*", metavar="PATH", help="an RDF file, or a folder of them")
    ask.add_argument("--list", action="store_true", help="list the shipped queries and their parameters")
    ask.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a parameter of the query; an IRI may be a prefixed name the data declares (acme:checkout-api)",
    )
    ask.add_argument("--at", metavar="DATE", help="the day asked about, YYYY-MM-DD (default: today)")
    ask.add_argument(
        "--format",
        choices=("table", "csv", "json"),
        default="table",
        help="table for people (default), csv, or json (SPARQL 1.1 Query Results JSON)",
    )
    ask.add_argument(
        "--allow-service", action="store_true", help="allow a query to call other SPARQL endpoints (SERVICE)"
    )
    _endpoint_options(ask, "ask a SPARQL server instead of files: the query runs there")
    ask.set_defaults(run=_query)

    overlap = commands.add_parser(
        "overlap",
        help="which roles share responsibilities; who holds overlapping or conflicting roles",
        description=(
            "--roles: compare roles by the responsibilities the reference model gives them (Jaccard, "
            "overlap coefficient, RACI-weighted Jaccard, clusters). --people: who holds two or more roles "
            "at once, known conflicting combinations, gaps and duplicates of accountability, load and "
            "key-person risk. Without --roles or --people, both. Exit 0: done; 2: an input or output "
            "could not be used."
        ),
    )
    overlap.add_argument("paths", nargs="*", metavar="PATH", help="an RDF file, or a folder of them")
    overlap.add_argument("--roles", action="store_true", help="the role-level analysis")
    overlap.add_argument("--people", action="store_true", help="the people-level analysis")
    overlap.add_argument(
        "--at", type=_day, metavar="DATE", help="people: only the assignments in effect on this day, YYYY-MM-DD"
    )
    overlap.add_argument(
        "--format", choices=("table", "json", "csv"), default="table", help="table for people (default), json or csv"
    )
    overlap.add_argument(
        "--plot", metavar="FILE.png", help="draw the role-overlap matrix as a heatmap (needs pmgraph[plot])"
    )
    overlap.add_argument(
        "--graphml", metavar="FILE", help="write the role, responsibility and person graph as GraphML (Gephi, yEd)"
    )
    _endpoint_options(overlap, "analyse the data on a SPARQL server instead of files: each analysis is one query there")
    overlap.set_defaults(run=_overlap)

    report = commands.add_parser(
        "report",
        help="write one HTML page: validation, role overlap, people, accountability",
        description=(
            "Write one self-contained HTML page about the organisation: the validation summary, the "
            "role-overlap heatmap, people with concurrent or conflicting roles, gaps and duplicates of "
            "accountability, load and key people. Exit 0: written; 2: an input or the output could "
            "not be used."
        ),
    )
    report.add_argument("paths", nargs="+", metavar="PATH", help="an RDF file, or a folder of them")
    report.add_argument("-o", "--output", required=True, metavar="FILE.html", help="where to write the page")
    report.add_argument("--at", type=_day, metavar="DATE", help="people: only the assignments in effect on this day")
    report.set_defaults(run=_report)

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

    prefix_help = "a prefix for names in the file, such as acme=https://example.org/acme/ (repeatable; pm is known)"
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
    import_raci.add_argument("--prefix", action="append", default=[], metavar="NAME=IRI", help=prefix_help)
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
    export_raci.add_argument("--prefix", action="append", default=[], metavar="NAME=IRI", help=prefix_help)
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
    import_assignments.add_argument("--prefix", action="append", default=[], metavar="NAME=IRI", help=prefix_help)
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
    _endpoint_options(push, "the server's SPARQL query endpoint, such as http://127.0.0.1:7878/query")
    push.set_defaults(run=_push)

    # The on-disk store (pmgraph.stores.disk): push writes it, the others read it instead of files.
    push.add_argument(
        "--store", metavar="DIR",
        help="write into an on-disk store in this folder instead of a server (created if missing); "
        "each file replaces its graphs, all at once or not at all",
    )
    for command in (validate, ask, overlap):
        command.add_argument(
            "--store", metavar="DIR", help="read an on-disk store that pmgraph push --store wrote, instead of files"
        )
    return parser


def _endpoint_options(command: argparse.ArgumentParser, help: str, required: bool = False) -> None:
    """Add --endpoint URL and --timeout SECONDS to a command."""
    command.add_argument("--endpoint", metavar="URL", required=required, help=help)
    command.add_argument(
        "--timeout", type=_seconds, default=60.0, metavar="SECONDS",
        help="how long to wait for the server to connect or send data (default: 60)",
    )


def _seconds(text: str) -> float:
    """Read a positive number of seconds given on the command line (argparse reports a wrong one)."""
    try:
        seconds = float(text)
    except ValueError:
        seconds = 0.0
    if not 0 < seconds < float("inf"):
        raise argparse.ArgumentTypeError(f"not a number of seconds above 0: {text!r}")
    return seconds


def _endpoint(args: argparse.Namespace) -> Endpoint:
    """The SPARQL server that --endpoint names (with --gsp and --timeout)."""
    from pmgraph.stores.endpoint import Endpoint

    return Endpoint(args.endpoint, gsp=getattr(args, "gsp", None), timeout=args.timeout)


def _paths_or_endpoint(args: argparse.Namespace) -> str | None:
    """What is wrong when a command is given two of PATHs, --endpoint and --store, or none."""
    given = [name for name, value in (("PATHs", args.paths), ("--endpoint URL", args.endpoint), ("--store DIR", args.store)) if value]
    if len(given) > 1:
        return f"give {given[0]} or {given[1]}, not both"
    if not given:
        return "give at least one PATH (an RDF file or folder), --endpoint URL or --store DIR"
    return None


def _validate(args: argparse.Namespace) -> int:
    """Run ``pmgraph validate``."""
    from pmgraph.rdf.reading import load, load_store, rdf_files
    from pmgraph.validation.validator import add_ontology, validate, validate_store

    wrong = _paths_or_endpoint(args)
    if wrong:
        return _usage_error(wrong)
    if args.endpoint:
        return _validate_endpoint(args)
    if args.store:
        return _validate_stored(args)
    files = rdf_files(*args.paths)
    progress = Progress(enabled=not args.quiet and sys.stderr.isatty())
    progress.say(f"reading {len(files)} file{'s' if len(files) != 1 else ''}")
    if args.engine == "pyshacl":
        data = load(*files)
        progress.say("validating with pySHACL")
        report = validate(data, engine="pyshacl", extra_shapes=args.shapes)
    else:
        store = load_store(*files)
        add_ontology(store)
        report = validate_store(
            store,
            extra_shapes=args.shapes,
            extra_data=load(*files) if args.shapes else None,
            on_rule=progress.count("rules"),
            threads=2,
            sources=files,
        )
    progress.done()
    return _print_report(args, report, file_count=len(files))


def _print_report(args: argparse.Namespace, report: ValidationReport, file_count: int, source: str | None = None) -> int:
    """Print a validation report in the format asked for, and return validate's exit code."""
    if args.format == "json":
        print(json.dumps(report.to_json(), indent=2))
    elif args.format == "turtle":
        sys.stdout.write(report.to_turtle())
    else:
        print(text_report(report, file_count=file_count, source=source))
    return EXIT_VIOLATION if report.counts["Violation"] else EXIT_OK


def text_report(report: ValidationReport, file_count: int, source: str | None = None) -> str:
    """Write a validation report for people: results grouped by focus node.

    Parameters
    ----------
    report : pmgraph.ValidationReport
        The report of :func:`pmgraph.validate`.
    file_count : int
        How many files were validated, for the summary line.
    source : str, optional
        Where the data was validated instead of files (a SPARQL endpoint's URL).

    Returns
    -------
    str
        One block per focus node (its label and IRI, then one
        ``  Severity: message`` line per result), a summary line, and ``OK``
        or ``FAILED``.
    """
    lines = []
    results_by_focus: dict[str, list[ValidationResult]] = {}
    for result in report.results:
        results_by_focus.setdefault(result.focus, []).append(result)
    for focus, results in results_by_focus.items():
        node = focus if focus.startswith("_:") else f"<{focus}>"
        label = results[0].focus_label
        lines.append(f"{label} {node}" if label else node)
        lines.extend(f"  {result.severity}: {result.message}" for result in results)
        lines.append("")
    counts = report.counts
    lines.append(
        f"{_count(counts['Violation'], 'violation')}, {_count(counts['Warning'], 'warning')}, "
        f"{counts['Info']} info " + (f"at {source}" if source else f"in {_count(file_count, 'file')}")
    )
    lines.append("FAILED" if counts["Violation"] else "OK")
    return "\n".join(lines)


def _count(number: int, noun: str) -> str:
    """Return ``"1 file"`` or ``"3 files"``."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _query(args: argparse.Namespace) -> int:
    """Run ``pmgraph query``."""
    from pathlib import Path

    from pmgraph.rdf.reading import rdf_files
    from pmgraph.errors import QueryError
    from pmgraph.queries.questions import RESERVED_NAMES, query_files, shipped_queries

    if args.list:
        print(query_menu(shipped_queries()))
        return EXIT_OK
    if args.query is None or not (args.paths or args.endpoint or args.store):
        return _usage_error("give a query (a name from 'pmgraph query --list', or a .rq file) and at least one PATH")
    wrong = _paths_or_endpoint(args)
    if wrong:
        return _usage_error(wrong)
    params: dict[str, str] = {}
    for given in args.param:
        name, equals, value = given.partition("=")
        if not equals or not name:
            return _usage_error(f"--param expects NAME=VALUE, not {given!r}")
        if name in params or (name == "at" and args.at is not None):
            return _usage_error(f"parameter {name!r} is given twice")
        if name in RESERVED_NAMES:
            return _usage_error(f"no query takes a parameter named {name!r}")
        params[name] = value
    at = params.pop("at", args.at)
    # A shipped query is named; a file of one's own is a .rq path.
    asked = Path(args.query) if args.query.endswith(".rq") or "/" in args.query else args.query
    try:
        if args.endpoint:
            from pmgraph.stores.endpoint import query_endpoint

            result = query_endpoint(_endpoint(args), asked, at=at, allow_service=args.allow_service, **params)
        elif args.store:
            from pmgraph.stores.disk import open_store, query_store, stored_prefixes

            with open_store(args.store) as store:
                prefixes = stored_prefixes(args.store)
                result = query_store(store, asked, prefixes=prefixes, at=at, allow_service=args.allow_service, **params)
        else:
            result = query_files(rdf_files(*args.paths), asked, at=at, allow_service=args.allow_service, **params)
    except QueryError as error:
        return _usage_error(str(error))
    if args.format == "json":
        print(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
    elif args.format == "csv":
        sys.stdout.write(result.to_csv())
    else:
        print(result.to_table())
    return EXIT_OK


def _usage_error(message: str) -> int:
    """Say what is wrong on stderr, in one line, and return exit code 2."""
    print(f"pmgraph: error: {message}", file=sys.stderr)
    return EXIT_INPUT_ERROR


def query_menu(queries: Sequence[ShippedQuery]) -> str:
    """Write the menu of ``pmgraph query --list``: each query, what it answers, its parameters.

    Parameters
    ----------
    queries : sequence of pmgraph.queries.questions.ShippedQuery
        The queries, as :func:`pmgraph.queries.questions.shipped_queries` gives them.

    Returns
    -------
    str
        A block per query (its name and description, then one line per parameter), and how to
        run one.
    """
    placeholders = {"iri": "IRI", "date": "DATE", "literal": "TEXT", "decimal": "NUMBER", "integer": "INTEGER"}
    lines = []
    for shipped in queries:
        lines.append(f"{shipped.name}")
        lines.append(f"    {shipped.description}")
        options = [
            (f"--at {placeholders[p.type]}" if p.name == "at" else f"--param {p.name}={placeholders[p.type]}", p.meaning)
            for p in shipped.parameters
        ]
        width = max((len(option) for option, _meaning in options), default=0)
        lines.extend(f"    {option.ljust(width)}  {meaning}" for option, meaning in options)
        lines.append("")
    lines.append("Run one: pmgraph query NAME PATH... [--param NAME=VALUE ...] [--at DATE] [--format table|csv|json]")
    lines.append("An IRI may be written as a prefixed name that the data declares, such as acme:checkout-api or pm:Budgeting.")
    return "\n".join(lines)


def _day(text: str) -> datetime.date:
    """Read a YYYY-MM-DD date given on the command line (argparse reports a wrong one)."""
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _analysis_store(paths: Sequence[str]) -> pyoxigraph.Store:
    """The files' data and pmgraph's ontology in one store, read without rdflib (the fast path)."""
    from pmgraph.rdf.reading import load_store
    from pmgraph.validation.validator import add_ontology

    store = load_store(*paths)
    add_ontology(store)
    return store


def _overlap(args: argparse.Namespace) -> int:
    """Run ``pmgraph overlap``."""
    from pmgraph.analysis.overlap import overlap_graph, people_overlap, role_overlap, write_graphml
    from pmgraph.render.report import write_heatmap

    roles_asked = args.roles or not args.people
    people_asked = args.people or not args.roles
    if args.format == "csv" and roles_asked and people_asked:
        return _usage_error("--format csv writes one table: give --roles or --people")
    wrong = _paths_or_endpoint(args)
    if wrong:
        return _usage_error(wrong)
    with contextlib.ExitStack() as opened:
        if args.endpoint:
            from pmgraph.stores.endpoint import check_server

            store = _endpoint(args)
            check_server(store)
        elif args.store:
            from pmgraph.stores.disk import open_store

            store = opened.enter_context(open_store(args.store))
        else:
            store = _analysis_store(args.paths)
        roles = role_overlap(store)
        people = people_overlap(store, at=args.at) if people_asked or args.graphml else None
    pictures = [
        (args.plot, lambda: write_heatmap(roles, args.plot)),
        (args.graphml, lambda: write_graphml(overlap_graph(roles, people), args.graphml)),
    ]
    for path, write in pictures:
        if path is None:
            continue
        try:
            write()
        except ModuleNotFoundError as error:  # matplotlib, for --plot: the message names the extra
            return _usage_error(str(error))
        except OSError as error:
            return _write_error(path, error)
    results = [result for result, asked in ((roles, roles_asked), (people, people_asked)) if asked]
    if args.format == "json":
        merged: dict[str, object] = {}
        labels: dict[str, str] = {}
        for result in results:
            answer = result.to_json()
            labels.update(answer.pop("labels"))
            merged.update(answer)
        merged["labels"] = dict(sorted(labels.items()))
        print(json.dumps(merged, indent=2, ensure_ascii=False))
    elif args.format == "csv":
        sys.stdout.write(results[0].to_csv())
    else:
        print("\n\n".join(result.to_table() for result in results))
    return EXIT_OK


def _write_error(path: str, error: OSError) -> int:
    """Say that an output file could not be written, in one line, and return exit code 2."""
    from pmgraph.rdf.reading import _os_reason

    return _usage_error(f"{path}: {_os_reason(error)}")


def _report(args: argparse.Namespace) -> int:
    """Run ``pmgraph report``."""
    from pmgraph.rdf.reading import rdf_files
    from pmgraph.render.report import write_report

    files = rdf_files(*args.paths)
    try:
        write_report(_analysis_store(files), args.output, at=args.at, sources=[str(file) for file in files])
    except OSError as error:
        return _write_error(args.output, error)
    return EXIT_OK


def _merge(args: argparse.Namespace) -> int:
    """Run ``pmgraph merge``."""
    from pmgraph.exchange.merge import merge_files

    merged = merge_files(*args.paths)
    if args.check:
        for conflict in merged.conflicts:
            print(conflict)
        print(f"{_count(len(merged.conflicts), 'conflict')} in {_count(len(merged.files), 'file')}")
        return EXIT_VIOLATION if merged.conflicts else EXIT_OK
    for conflict in merged.conflicts:
        print(f"pmgraph: warning: {conflict}", file=sys.stderr)
    if args.output:
        try:
            merged.write(args.output, format=args.format)
        except OSError as error:
            return _write_error(args.output, error)
    else:
        sys.stdout.write(merged.serialize(format=args.format))
    print(
        f"pmgraph: merged {_count(len(merged.files), 'file')}: {_count(merged.triple_count, 'triple')}, "
        f"{_count(len(merged.conflicts), 'conflict')}" + (f" -> {args.output}" if args.output else ""),
        file=sys.stderr,
    )
    return EXIT_OK


def _diff(args: argparse.Namespace) -> int:
    """Run ``pmgraph diff``."""
    from pmgraph.exchange.diff import diff_files

    changes = diff_files(args.old, args.new)
    if args.format == "json":
        print(json.dumps(changes.to_json(), indent=2, ensure_ascii=False))
    else:
        print(changes.to_text())
    return EXIT_OK if changes.same else EXIT_VIOLATION


def _prefixes(declarations: Sequence[str]) -> dict[str, str]:
    """``["acme=https://example.org/acme/"]`` as ``{"acme": "https://example.org/acme/"}``."""
    prefixes = {}
    for declaration in declarations:
        prefix, equals, namespace = declaration.partition("=")
        if not equals or not prefix or not namespace:
            raise ValueError(f"--prefix {declaration!r}: write NAME=IRI, such as acme=https://example.org/acme/")
        prefixes[prefix] = namespace
    return prefixes


def _import_spreadsheet(args: argparse.Namespace, read: Callable[..., rdflib.Graph], **options: object) -> int:
    """Read a spreadsheet with `read` and write its Turtle; every bad row on stderr, exit 2."""
    from pmgraph.rdf.reading import load
    from pmgraph.rdf.writing import dump
    from pmgraph.errors import SpreadsheetError

    try:
        prefixes = _prefixes(args.prefix)
    except ValueError as error:
        return _usage_error(str(error))
    data = load(*args.data) if args.data else None
    try:
        graph = read(args.csv, prefixes=prefixes, data=data, **options)
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
        return _write_error(args.output, error)
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
        text = raci_to_csv(load(*args.paths), scope=args.scope, prefixes=_prefixes(args.prefix))
    except ValueError as error:
        return _usage_error(str(error))
    if not args.output:
        sys.stdout.write(text)
        return EXIT_OK
    try:
        write_atomically(Path(args.output), text.encode("utf-8"))
    except OSError as error:
        return _write_error(args.output, error)
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
        return _write_error(args.output, error)
    print(page)
    return EXIT_OK


def _validate_endpoint(args: argparse.Namespace) -> int:
    """Run ``pmgraph validate --endpoint URL``: every rule runs on the server."""
    from pmgraph.stores.endpoint import validate_endpoint

    if args.engine != "pmgraph" or args.shapes:
        return _usage_error("--endpoint runs pmgraph's own rules on the server: --engine pyshacl and --shapes need files")
    report = validate_endpoint(_endpoint(args))
    return _print_report(args, report, file_count=0, source=args.endpoint)


def _push(args: argparse.Namespace) -> int:
    """Run ``pmgraph push``."""
    from pmgraph.stores.endpoint import push

    if bool(args.endpoint) == bool(args.store):
        return _usage_error("give --endpoint URL or --store DIR" + (", not both" if args.store else ""))
    if args.store:
        from pmgraph.stores.disk import push_to_store

        if args.graph or args.gsp or args.no_ontology:
            return _usage_error("--graph, --gsp and --no-ontology are for --endpoint; a store keeps each file's graphs and the ontology")
        pushed = push_to_store(args.store, *args.paths)
        where = args.store
    else:
        endpoint = _endpoint(args)
        try:
            pushed = push(endpoint, *args.paths, graph=args.graph, ontology=not args.no_ontology)
        except ValueError as error:
            return _usage_error(str(error))
        where = endpoint.gsp_url
    for graph in pushed:
        print(f"<{graph.graph}>: {_count(graph.triples, 'triple')}")
    print(f"pmgraph: replaced {_count(len(pushed), 'graph')} at {where}", file=sys.stderr)
    return EXIT_OK


class Progress:
    """Progress of long work, on one rewritten line of a terminal's stderr; silent otherwise.

    >>> Progress(enabled=False).say("reading 3 files")  # prints nothing
    """

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def say(self, text: str) -> None:
        if self.enabled:
            sys.stderr.write(f"\r\x1b[Kpmgraph: {text}")
            sys.stderr.flush()

    def count(self, things: str) -> Callable[[int, int], None]:
        """A callback ``(done, total)`` that shows ``checking things done/total``."""
        return lambda done, total: self.say(f"checking {things} {done}/{total}")

    def done(self) -> None:
        if self.enabled:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()


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
    from pmgraph.rdf.reading import _os_reason

    return f"{error.filename}: {_os_reason(error)}" if error.filename else _os_reason(error)


def _validate_stored(args: argparse.Namespace) -> int:
    """Run ``pmgraph validate --store DIR``: the rules on the store, without parsing the files again."""
    from pmgraph.stores.disk import open_store, validate_stored

    progress = Progress(enabled=not args.quiet and sys.stderr.isatty())
    with open_store(args.store) as store:
        report = validate_stored(
            store, engine=args.engine, extra_shapes=args.shapes, on_rule=progress.count("rules"), threads=2
        )
    progress.done()
    return _print_report(args, report, file_count=0, source=args.store)
