"""``pmgraph context``: the JSON-LD context of pmgraph's vocabulary, or data written as JSON-LD with it."""

from __future__ import annotations

import argparse
import sys

from pmgraph.cli.exits import EXIT_OK
from pmgraph.cli.options import Commands

__all__ = ["add_parser", "run"]


def add_parser(commands: Commands) -> None:
    """Add ``context`` and its options to the commands."""
    context = commands.add_parser(
        "context",
        help="print the JSON-LD context of pmgraph's vocabulary",
        description=(
            "Print the JSON-LD context generated from the ontology (one term per pm: term, such as "
            "\"startDate\"); with PATHs, print their data as JSON-LD compacted with that context."
        ),
    )
    context.add_argument("paths", nargs="*", metavar="PATH", help="RDF files or folders to write as JSON-LD")
    context.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run ``pmgraph context``."""
    import json

    from pmgraph.exchange.jsonld import json_ld_context, to_json_ld
    from pmgraph.rdf.reading import load

    if args.paths:
        sys.stdout.write(to_json_ld(load(*args.paths)))
    else:
        print(json.dumps(json_ld_context(), indent=2))
    return EXIT_OK
