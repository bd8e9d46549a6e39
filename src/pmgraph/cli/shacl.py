"""``pmgraph shacl``: any RDF data against any SHACL shapes, with nothing of pmgraph's own added."""

from __future__ import annotations

import argparse
import sys

from pmgraph.cli import validate
from pmgraph.cli.options import Commands
from pmgraph.cli.output import Progress

__all__ = ["add_parser", "run"]


def add_parser(commands: Commands) -> None:
    """Add ``shacl`` and its options to the commands."""
    shacl = commands.add_parser(
        "shacl",
        help="check any RDF files against any SHACL shapes",
        description=(
            "Check RDF files against SHACL shapes (SHACL Core and SHACL-SPARQL), without pmgraph's "
            "ontology or rules. The shapes are first checked against the W3C's SHACL-for-SHACL shapes. "
            "Each shape runs as SPARQL on pyoxigraph; a shape using what pmgraph's engine does not "
            "evaluate runs alone on pySHACL. Exit 0: no Violation (warnings allowed); 1: at least one "
            "Violation; 2: an input could not be read, or a shape is broken."
        ),
    )
    shacl.add_argument("paths", nargs="+", metavar="DATA", help="RDF files or folders of the data")
    shacl.add_argument(
        "--shapes", action="append", required=True, metavar="FILE",
        help="a SHACL shapes file (Turtle, or any RDF syntax pmgraph reads); may be given several times",
    )
    # The formats of validate, written by the same code (a format added to validate comes here too).
    formats = _validate_option("--format")
    shacl.add_argument("--format", choices=formats.choices, default=formats.default, help=formats.help)
    shacl.add_argument("--quiet", action="store_true", help="no progress on the terminal")
    shacl.set_defaults(run=run)


def _validate_option(option: str) -> argparse.Action:
    """An option of ``pmgraph validate`` as its module declares it."""
    scratch = argparse.ArgumentParser()
    validate.add_parser(scratch.add_subparsers())
    command = next(a for a in scratch._actions if isinstance(a, argparse._SubParsersAction)).choices["validate"]
    return next(a for a in command._actions if option in a.option_strings)


def run(args: argparse.Namespace) -> int:
    """Run ``pmgraph shacl``."""
    from pmgraph.rdf.reading import rdf_files
    from pmgraph.validation.shacl import shacl

    files = rdf_files(*args.paths)  # a missing file is told before anything is read
    progress = Progress(enabled=not args.quiet and sys.stderr.isatty())
    progress.say(f"reading {len(files)} file{'s' if len(files) != 1 else ''}")
    report = shacl(files, args.shapes, on_check=progress.count("shapes"))
    progress.done()
    return validate.print_report(args, report, file_count=len(files))
