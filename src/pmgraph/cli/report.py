"""``pmgraph report``: one self-contained HTML page about the organisation."""

from __future__ import annotations

import argparse

from pmgraph.cli.exits import EXIT_OK, write_error
from pmgraph.cli.options import Commands, analysis_store, day

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
    report.add_argument("paths", nargs="+", metavar="PATH", help="an RDF file, or a folder of them")
    report.add_argument("-o", "--output", required=True, metavar="FILE.html", help="where to write the page")
    report.add_argument("--at", type=day, metavar="DATE", help="people: only the assignments in effect on this day")
    report.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run ``pmgraph report``."""
    from pmgraph.rdf.reading import rdf_files
    from pmgraph.render.report import write_report

    files = rdf_files(*args.paths)
    try:
        write_report(analysis_store(files), args.output, at=args.at, sources=[str(file) for file in files])
    except OSError as error:
        return write_error(args.output, error)
    return EXIT_OK
