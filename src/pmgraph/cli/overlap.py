"""``pmgraph overlap``: which roles share responsibilities; who holds overlapping or conflicting roles."""

from __future__ import annotations

import argparse
import sys

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
    """Add ``overlap`` and its options to the commands."""
    overlap = commands.add_parser(
        "overlap",
        help="which roles share responsibilities; who holds overlapping or conflicting roles",
        description=(
            "--roles: compare roles by the responsibilities the reference model gives them (Jaccard, "
            "overlap coefficient, RACI-weighted Jaccard, clusters). --people: who holds two or more roles "
            "at once, known conflicting combinations, gaps and duplicates of accountability, load and "
            "key-person risk. Without --roles or --people, both. Exit 0: done; 2: an input or output "
            "could not be used."
        ),
    )
    overlap.add_argument("--roles", action="store_true", help="the role-level analysis")
    overlap.add_argument("--people", action="store_true", help="the people-level analysis")
    overlap.add_argument(
        "--at", type=day, metavar="DATE", help="people: only the assignments in effect on this day, YYYY-MM-DD"
    )
    overlap.add_argument(
        "--format", choices=("table", "json", "csv"), default="table", help="table for people (default), json or csv"
    )
    overlap.add_argument(
        "--plot", metavar="FILE.png", help="draw the role-overlap matrix as a heatmap (needs pmgraph[plot])"
    )
    overlap.add_argument(
        "--graphml", metavar="FILE", help="write the role, responsibility and person graph as GraphML (Gephi, yEd)"
    )
    data_options(overlap, "analyse the data on a SPARQL server instead of files: each analysis is one query there")
    overlap.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run ``pmgraph overlap``."""
    from pmgraph.analysis.overlap import (
        overlap_graph,
        people_overlap,
        role_overlap,
        write_graphml,
    )
    from pmgraph.render.report import write_heatmap

    roles_asked = args.roles or not args.people
    people_asked = args.people or not args.roles
    if args.format == "csv" and roles_asked and people_asked:
        return usage_error("--format csv writes one table: give --roles or --people")
    wrong = paths_or_endpoint(args)
    if wrong:
        return usage_error(wrong)
    with organisation(args) as data:
        roles = role_overlap(data)
        people = people_overlap(data, at=args.at) if people_asked or args.graphml else None
    pictures = [
        (args.plot, lambda: write_heatmap(roles, args.plot)),
        (args.graphml, lambda: write_graphml(overlap_graph(roles, people), args.graphml)),
    ]
    for path, write in pictures:
        if path is None:
            continue
        try:
            write()
        except ModuleNotFoundError as error:  # matplotlib, for --plot: the message names the extra
            return usage_error(str(error))
        except OSError as error:
            return write_error(path, error)
    results = [result for result, asked in ((roles, roles_asked), (people, people_asked)) if asked]
    if args.format == "json":
        import json

        merged: dict[str, object] = {}
        labels: dict[str, str] = {}
        for result in results:
            answer = result.to_json()
            labels.update(answer.pop("labels"))
            merged.update(answer)
        merged["labels"] = dict(sorted(labels.items()))
        print(json.dumps(merged, indent=2, ensure_ascii=False))
    elif args.format == "csv":
        sys.stdout.write(results[0].to_csv())
    else:
        print("\n\n".join(result.to_table() for result in results))
    return EXIT_OK
