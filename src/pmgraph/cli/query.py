"""``pmgraph query``: ask the data a shipped question, or a SPARQL SELECT of one's own."""

from __future__ import annotations

import argparse
import sys

from pmgraph.cli.exits import EXIT_OK, usage_error
from pmgraph.cli.options import Commands, data_options, organisation, paths_or_endpoint
from pmgraph.cli.output import query_menu

__all__ = ["add_parser", "run"]


def add_parser(commands: Commands) -> None:
    """Add ``query`` and its options to the commands."""
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
    data_options(ask, "ask a SPARQL server instead of files: the query runs there")
    ask.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run ``pmgraph query``."""
    from pathlib import Path

    from pmgraph.errors import QueryError
    from pmgraph.queries.questions import (
        RESERVED_NAMES,
        find_query,
        query,
        shipped_queries,
    )

    if args.list:
        print(query_menu(shipped_queries()))
        return EXIT_OK
    if args.query is None or not (args.paths or args.endpoint or args.store):
        return usage_error("give a query (a name from 'pmgraph query --list', or a .rq file) and at least one PATH")
    wrong = paths_or_endpoint(args)
    if wrong:
        return usage_error(wrong)
    params: dict[str, str] = {}
    for given in args.param:
        name, equals, value = given.partition("=")
        if not equals or not name:
            return usage_error(f"--param expects NAME=VALUE, not {given!r}")
        if name in params or (name == "at" and args.at is not None):
            return usage_error(f"parameter {name!r} is given twice")
        if name in RESERVED_NAMES:
            return usage_error(f"no query takes a parameter named {name!r}")
        params[name] = value
    at = params.pop("at", args.at)
    # A shipped query is named; a file of one's own is a .rq path.
    asked = Path(args.query) if args.query.endswith(".rq") or "/" in args.query else args.query
    try:
        find_query(asked)  # a wrong name or .rq file is told before the data is read
        with organisation(args) as data:
            result = query(data, asked, at=at, allow_service=args.allow_service, **params)
    except QueryError as error:
        return usage_error(str(error))
    if args.format == "json":
        import json

        print(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
    elif args.format == "csv":
        sys.stdout.write(result.to_csv())
    else:
        print(result.to_table())
    return EXIT_OK
