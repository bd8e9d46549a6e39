"""``pmgraph diff``: what changed between two versions of a portfolio, by entity."""

from __future__ import annotations

import argparse

from pmgraph.cli.exits import EXIT_OK, EXIT_VIOLATION
from pmgraph.cli.options import Commands

__all__ = ["add_parser", "run"]


def add_parser(commands: Commands) -> None:
    """Add ``diff`` and its options to the commands."""
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
    diff.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run ``pmgraph diff``."""
    from pmgraph.exchange.diff import diff_files

    changes = diff_files(args.old, args.new)
    if args.format == "json":
        import json

        print(json.dumps(changes.to_json(), indent=2, ensure_ascii=False))
    else:
        print(changes.to_text())
    return EXIT_OK if changes.same else EXIT_VIOLATION
