"""``pmgraph import --from org|schema|doap|proj FILE...``: data in another vocabulary, as pm: Turtle."""

from __future__ import annotations

import argparse

from pmgraph.cli.exits import usage_error
from pmgraph.cli.options import Commands
from pmgraph.cli.output import write_turtle

__all__ = ["add_parser", "run"]


def add_parser(commands: Commands) -> None:
    """Add ``import`` and its options to the commands."""
    from pmgraph.exchange.vocabularies import VOCABULARIES

    command = commands.add_parser(
        "import",
        help="turn W3C ORG, schema.org, DOAP or PROJ data into pmgraph's vocabulary",
        description=(
            "Read RDF files written in another vocabulary and write them as pmgraph data (Turtle): W3C ORG "
            "memberships, posts and roles (--from org), schema.org Projects and Roles, JSON-LD with "
            '"@context": "https://schema.org" read offline (--from schema), DOAP projects and their people '
            "(--from doap), CSIRO PROJ projects (--from proj). Each mapping is a SPARQL CONSTRUCT query shipped "
            "in pmgraph/exchange/mappings/. Exit 0: written; 2: an input could not be read or the output "
            "written (nothing is written then)."
        ),
    )
    command.add_argument(
        "--from", dest="vocabulary", required=True, metavar="|".join(VOCABULARIES),
        help="the vocabulary the files are written in",
    )
    command.add_argument("paths", nargs="+", metavar="FILE", help="an RDF file, or a folder of them")
    command.add_argument(
        "--base", metavar="IRI",
        help="where nodes without an IRI (blank nodes, roles given by name) are named "
             "(default: the first FILE's file: URI and #)",
    )
    command.add_argument("-o", "--output", metavar="OUT.ttl", help="where to write the Turtle; stdout if not given")
    command.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run ``pmgraph import``."""
    from pmgraph.exchange.vocabularies import VOCABULARIES, import_vocabulary

    if args.vocabulary not in VOCABULARIES:
        return usage_error(f"--from {args.vocabulary!r}: choose one of {', '.join(VOCABULARIES)}")
    if args.base is not None and not _is_iri(args.base):
        return usage_error(f"--base {args.base!r}: not an absolute IRI, such as https://example.org/acme/")
    return write_turtle(import_vocabulary(args.vocabulary, *args.paths, base=args.base), args.output)


def _is_iri(text: str) -> bool:
    """Whether pyoxigraph takes the text as an absolute IRI."""
    import pyoxigraph

    try:
        pyoxigraph.NamedNode(text)
    except ValueError:
        return False
    return ":" in text
