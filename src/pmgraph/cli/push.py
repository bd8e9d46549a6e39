"""``pmgraph push``: RDF files to a SPARQL server, or into an on-disk store, each replacing a named graph whole."""

from __future__ import annotations

import argparse
import sys

from pmgraph.cli.exits import EXIT_OK, usage_error
from pmgraph.cli.options import Commands, endpoint, endpoint_options
from pmgraph.cli.output import count

__all__ = ["add_parser", "run"]


def add_parser(commands: Commands) -> None:
    """Add ``push`` and its options to the commands."""
    push = commands.add_parser(
        "push",
        help="upload RDF files to a SPARQL server (or write them into an on-disk store), each replacing a named graph whole",
        description=(
            "Upload RDF files to a SPARQL server through the Graph Store Protocol (PUT): each file replaces "
            "the named graph of its file: URI whole (or, with --graph, all of them go in one graph), and "
            "pmgraph's ontology replaces the graph https://w3id.org/pmgraph. Every file is read before "
            "anything is sent; a failed upload leaves that graph as it was. Credentials come from "
            "PMGRAPH_ENDPOINT_USER and PMGRAPH_ENDPOINT_PASSWORD or a netrc file. With --store DIR instead of "
            "--endpoint, the files go into an on-disk store in the folder DIR, which validate, query and overlap "
            "read with --store DIR; the store changes all at once or not at all. Exit 0: uploaded; "
            "2: a file could not be read, or the server or the store could not be used."
        ),
    )
    push.add_argument("paths", nargs="+", metavar="PATH", help="an RDF file, or a folder of them")
    push.add_argument("--graph", metavar="IRI", help="put all the files, merged, in this one named graph")
    push.add_argument("--no-ontology", action="store_true", help="do not upload pmgraph's ontology")
    push.add_argument(
        "--gsp",
        metavar="URL",
        help="the server's Graph Store Protocol endpoint (found for Oxigraph's /query and Virtuoso's /sparql)",
    )
    endpoint_options(push, "the server's SPARQL query endpoint, such as http://127.0.0.1:7878/query")
    # The on-disk store (pmgraph.stores.disk): push writes it, the others read it instead of files.
    push.add_argument(
        "--store", metavar="DIR",
        help="write into an on-disk store in this folder instead of a server (created if missing); "
        "each file replaces its graphs, all at once or not at all",
    )
    push.add_argument(
        "--no-validate", action="store_true",
        help="with --store: do not validate the store after writing it (by default push validates it once, in memory, "
        "and keeps the findings, which validate --store then reads instead of validating again)",
    )
    push.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run ``pmgraph push``."""
    from pmgraph.stores.endpoint import push

    if bool(args.endpoint) == bool(args.store):
        return usage_error("give --endpoint URL or --store DIR" + (", not both" if args.store else ""))
    if args.store:
        from pmgraph.stores.disk import push_to_store

        if args.graph or args.gsp or args.no_ontology:
            return usage_error("--graph, --gsp and --no-ontology are for --endpoint; a store keeps each file's graphs and the ontology")
        pushed = push_to_store(args.store, *args.paths)
        where = args.store
    else:
        if args.no_validate:
            return usage_error("--no-validate is for --store: push does not validate a server")
        server = endpoint(args)
        try:
            pushed = push(server, *args.paths, graph=args.graph, ontology=not args.no_ontology)
        except ValueError as error:
            return usage_error(str(error))
        where = server.gsp_url
    for graph in pushed:
        print(f"<{graph.graph}>: {count(graph.triples, 'triple')}")
    print(f"pmgraph: replaced {count(len(pushed), 'graph')} at {where}", file=sys.stderr)
    if args.store and not args.no_validate:
        _validated(args.store)
    return EXIT_OK


def _validated(store: str) -> None:
    """Validate the store just written, keep its findings, and say in one line what they are."""
    from pmgraph.validation.validator import keep_findings

    counts = keep_findings(store).counts
    print(
        f"pmgraph: the store holds {count(counts['Violation'], 'violation')}, {count(counts['Warning'], 'warning')}, "
        f"{counts['Info']} info (pmgraph validate --store {store} lists them)",
        file=sys.stderr,
    )
