"""``pmgraph report``: one self-contained HTML page about the organisation."""

from __future__ import annotations

import argparse

from pmgraph.cli.exits import EXIT_OK, usage_error, write_error
from pmgraph.cli.options import (
    Commands,
    data_options,
    day,
    organisation,
    paths_or_endpoint,
)

__all__ = ["add_parser", "run"]


def add_parser(commands: Commands) -> None:
    """Add ``report`` and its options to the commands."""
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
    data_options(report, "report on the data on a SPARQL server instead of files: each rule and analysis runs there")
    report.add_argument("-o", "--output", required=True, metavar="FILE.html", help="where to write the page")
    report.add_argument("--at", type=day, metavar="DATE", help="people: only the assignments in effect on this day")
    report.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run ``pmgraph report``."""
    from pmgraph.render.report import write_report

    wrong = paths_or_endpoint(args)
    if wrong:
        return usage_error(wrong)
    try:
        with organisation(args) as data:
            write_report(data, args.output, at=args.at)
    except OSError as error:
        return write_error(args.output, error)
    return EXIT_OK
