"""``pmgraph validate``: check RDF files (or a SPARQL server, or an on-disk store) against pmgraph's rules."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from pmgraph.cli.exits import EXIT_OK, EXIT_VIOLATION, usage_error
from pmgraph.cli.options import Commands, endpoint, endpoint_options, paths_or_endpoint, store_option
from pmgraph.cli.output import Progress, text_report

if TYPE_CHECKING:
    from pmgraph.validation.validator import ValidationReport

__all__ = ["add_parser", "run"]


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
    endpoint_options(validate, "validate the data on a SPARQL server instead of files: each rule runs there")
    validate.add_argument("--quiet", action="store_true", help="no progress on the terminal")
    store_option(validate)
    validate.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run ``pmgraph validate``."""
    from pmgraph.rdf.reading import load, load_store, rdf_files
    from pmgraph.validation.validator import add_ontology, validate, validate_store

    wrong = paths_or_endpoint(args)
    if wrong:
        return usage_error(wrong)
    if args.endpoint:
        return _run_on_endpoint(args)
    if args.store:
        return _run_on_store(args)
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


def _run_on_endpoint(args: argparse.Namespace) -> int:
    """Run ``pmgraph validate --endpoint URL``: every rule runs on the server."""
    from pmgraph.stores.endpoint import validate_endpoint

    if args.engine != "pmgraph" or args.shapes:
        return usage_error("--endpoint runs pmgraph's own rules on the server: --engine pyshacl and --shapes need files")
    report = validate_endpoint(endpoint(args))
    return _print_report(args, report, file_count=0, source=args.endpoint)


def _run_on_store(args: argparse.Namespace) -> int:
    """Run ``pmgraph validate --store DIR``: the rules on the store, without parsing the files again."""
    from pmgraph.stores.disk import open_store, validate_stored

    progress = Progress(enabled=not args.quiet and sys.stderr.isatty())
    with open_store(args.store) as store:
        report = validate_stored(
            store, engine=args.engine, extra_shapes=args.shapes, on_rule=progress.count("rules"), threads=2
        )
    progress.done()
    return _print_report(args, report, file_count=0, source=args.store)


def _print_report(args: argparse.Namespace, report: ValidationReport, file_count: int, source: str | None = None) -> int:
    """Print a validation report in the format asked for, and return validate's exit code."""
    if args.format == "json":
        import json

        print(json.dumps(report.to_json(), indent=2))
    elif args.format == "turtle":
        sys.stdout.write(report.to_turtle())
    else:
        print(text_report(report, file_count=file_count, source=source))
    return EXIT_VIOLATION if report.counts["Violation"] else EXIT_OK
