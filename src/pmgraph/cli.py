"""The ``pmgraph`` command line: parses arguments, calls the library, prints.

Exit codes: 0 success (for ``validate``: no Violation; warnings allowed),
1 at least one Violation, 2 an input that cannot be read or a usage error.
An unreadable input is reported on stderr in one line that names the file
and, where known, the line: ``pmgraph: error: team.ttl:4: ...``.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pmgraph.validation import ValidationReport, ValidationResult

__all__ = ["main"]

EXIT_OK = 0
EXIT_VIOLATION = 1
EXIT_INPUT_ERROR = 2


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit code.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments after the program name; ``sys.argv[1:]`` by default.

    Returns
    -------
    int
        The exit code: 0, 1 or 2 (see the module's docstring).

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
    from pmgraph.io import InputError

    try:
        return args.run(args)
    except InputError as error:
        print(f"pmgraph: error: {error}", file=sys.stderr)
        return EXIT_INPUT_ERROR


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
    validate.add_argument("paths", nargs="+", metavar="PATH", help="an RDF file, or a folder of them")
    validate.add_argument(
        "--format",
        choices=("text", "json", "turtle"),
        default="text",
        help="text for people (default), json, or turtle (the SHACL validation report graph)",
    )
    validate.set_defaults(run=_validate)
    return parser


def _validate(args: argparse.Namespace) -> int:
    """Run ``pmgraph validate``."""
    from pmgraph.io import load, rdf_files
    from pmgraph.validation import validate

    files = rdf_files(*args.paths)
    report = validate(load(*files))
    if args.format == "json":
        print(json.dumps(report.to_json(), indent=2))
    elif args.format == "turtle":
        sys.stdout.write(report.to_turtle())
    else:
        print(text_report(report, file_count=len(files)))
    return EXIT_VIOLATION if report.counts["Violation"] else EXIT_OK


def text_report(report: ValidationReport, file_count: int) -> str:
    """Write a validation report for people: results grouped by focus node.

    Parameters
    ----------
    report : pmgraph.ValidationReport
        The report of :func:`pmgraph.validate`.
    file_count : int
        How many files were validated, for the summary line.

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
        f"{counts['Info']} info in {_count(file_count, 'file')}"
    )
    lines.append("FAILED" if counts["Violation"] else "OK")
    return "\n".join(lines)


def _count(number: int, noun: str) -> str:
    """Return ``"1 file"`` or ``"3 files"``."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
