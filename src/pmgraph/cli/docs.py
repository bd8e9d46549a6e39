"""``pmgraph docs``: the HTML reference of pmgraph's ontology."""

from __future__ import annotations

import argparse

from pmgraph.cli.exits import EXIT_OK, write_error
from pmgraph.cli.options import Commands

__all__ = ["add_parser", "run"]


def add_parser(commands: Commands) -> None:
    """Add ``docs`` and its options to the commands."""
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
    docs.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run ``pmgraph docs``."""
    from pmgraph.render.reference import write_docs

    try:
        page = write_docs(args.output, alignments=not args.no_alignments)
    except OSError as error:
        return write_error(args.output, error)
    print(page)
    return EXIT_OK
