"""``pmgraph validate``: check RDF files (or a SPARQL server, or an on-disk store) against pmgraph's rules."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from pmgraph.cli.exits import EXIT_OK, EXIT_VIOLATION, usage_error
from pmgraph.cli.options import Commands, data_options, organisation, paths_or_endpoint
from pmgraph.cli.output import REPORT_FORMATS, REPORT_FORMATS_HELP, Progress, write_report

if TYPE_CHECKING:
    from pmgraph.validation.validator import ValidationReport

__all__ = ["add_parser", "run", "print_report"]


def add_parser(commands: Commands) -> None:
    """Add ``validate`` and its options to the commands."""
    validate = commands.add_parser(
        "validate",
        help="check RDF files against pmgraph's rules",
        description=(
            "Check RDF files against pmgraph's rules (SHACL shapes), together with the ontology. "
            "Exit 0: no Violation (warnings allowed); 1: at least one Violation; "
            "2: an input could not be read."
        ),
    )
    data_options(validate, "validate the data on a SPARQL server instead of files: each rule runs there")
    validate.add_argument(
        "--format",
        choices=REPORT_FORMATS,
        default="text",
        help=REPORT_FORMATS_HELP,
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
        help="further SHACL shapes (an organisation's rules) to check beside pmgraph's, as pmgraph shacl does; may be given several times",
    )
    validate.add_argument("--quiet", action="store_true", help="no progress on the terminal")
    validate.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run ``pmgraph validate``."""
    from pmgraph.rdf.reading import rdf_files
    from pmgraph.validation.validator import validate

    wrong = paths_or_endpoint(args)
    if wrong:
        return usage_error(wrong)
    if args.endpoint and (args.engine != "pmgraph" or args.shapes):
        return usage_error("--endpoint runs pmgraph's own rules on the server: --engine pyshacl and --shapes need files")
    progress = Progress(enabled=not args.quiet and sys.stderr.isatty())
    if args.paths:
        files = rdf_files(*args.paths)  # a missing file is told before anything is read
        progress.say(f"reading {len(files)} file{'s' if len(files) != 1 else ''}")
    with organisation(args) as data:
        if args.engine == "pyshacl":
            progress.say("validating with pySHACL")
        report = validate(
            data, engine=args.engine, extra_shapes=args.shapes, on_rule=progress.count("rules")
        )
    progress.done()
    return print_report(args, report, file_count=len(data.sources), source=args.endpoint or args.store)


def print_report(args: argparse.Namespace, report: ValidationReport, file_count: int, source: str | None = None) -> int:
    """Print a validation report in the format asked for (``args.format``), and return validate's exit code (pmgraph shacl's too)."""
    write_report(report, args.format, file_count=file_count, source=source)
    return EXIT_VIOLATION if report.counts["Violation"] else EXIT_OK
