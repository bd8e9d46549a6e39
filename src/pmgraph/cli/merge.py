"""``pmgraph merge``: the files of several teams in one canonical file, and their conflicts."""

from __future__ import annotations

import argparse
import sys

from pmgraph.cli.exits import EXIT_OK, EXIT_VIOLATION, write_error
from pmgraph.cli.options import Commands
from pmgraph.cli.output import count
from pmgraph.errors import printable

__all__ = ["add_parser", "run"]


def add_parser(commands: Commands) -> None:
    """Add ``merge`` and its options to the commands."""
    merge = commands.add_parser(
        "merge",
        help="merge the files of several teams into one canonical file, and report their conflicts",
        description=(
            "Merge RDF files into one: every input triple is kept as written, in a canonical sorted form "
            "(the same bytes for the same inputs, whatever their order). TriG and N-Quads keep one named "
            "graph per file, named file:<path relative to the current folder>. Conflicts between the files "
            "are reported as warnings on stderr. With --check: print the conflicts and write nothing. "
            "Exit 0: merged (--check: no conflict); 1: --check found conflicts; 2: an input or the output "
            "could not be used."
        ),
    )
    merge.add_argument("paths", nargs="+", metavar="PATH", help="an RDF file, or a folder of them")
    merge.add_argument(
        "-o", "--output", metavar="OUT", help="where to write (may be one of the inputs); stdout if not given"
    )
    merge.add_argument(
        "--format", choices=("turtle", "trig", "nquads"), default="turtle",
        help="turtle (default, one graph), trig or nquads (one named graph per file)",
    )
    merge.add_argument("--check", action="store_true", help="only report the conflicts; exit 1 when there are any")
    merge.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run ``pmgraph merge``."""
    from pmgraph.exchange.merge import merge_files

    merged = merge_files(*args.paths)
    if args.check:
        for conflict in merged.conflicts:
            print(conflict)
        print(f"{count(len(merged.conflicts), 'conflict')} in {count(len(merged.files), 'file')}")
        return EXIT_VIOLATION if merged.conflicts else EXIT_OK
    for conflict in merged.conflicts:
        print(f"pmgraph: warning: {conflict}", file=sys.stderr)
    if args.output:
        try:
            merged.write(args.output, format=args.format)
        except OSError as error:
            return write_error(args.output, error)
    else:
        sys.stdout.write(merged.serialize(format=args.format))
    print(
        f"pmgraph: merged {count(len(merged.files), 'file')}: {count(merged.triple_count, 'triple')}, "
        f"{count(len(merged.conflicts), 'conflict')}" + (f" -> {printable(args.output)}" if args.output else ""),
        file=sys.stderr,
    )
    return EXIT_OK
