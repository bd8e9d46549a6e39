"""The options that several commands share, and the readers of what they name.

PATHs, ``--endpoint URL`` (with ``--timeout``) and ``--store DIR`` say where a command finds its
data; ``--at DATE`` the day asked about; ``--prefix NAME=IRI`` the prefixes of a spreadsheet.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import datetime

    from pmgraph.organisation import Organisation
    from pmgraph.stores.endpoint import Endpoint

__all__ = [
    "Commands",
    "endpoint_options",
    "store_option",
    "prefix_option",
    "day",
    "endpoint",
    "paths_or_endpoint",
    "prefixes",
    "data_options",
    "organisation",
    "time_limit",
    "ENDPOINT_TIMEOUT",
]


#: How long a command waits for a SPARQL server, by default (``--timeout``).
ENDPOINT_TIMEOUT = 60.0


def time_limit(args: argparse.Namespace) -> float | None:
    """How long the command may run: ``--timeout`` when it reads files or a store (with
    ``--endpoint`` the timeout bounds each wait for the server instead), else no limit."""
    if getattr(args, "endpoint", None):
        return None
    limit: float | None = getattr(args, "timeout", None)
    return limit


class Commands(Protocol):
    """Where a command module adds its subparser: what ``ArgumentParser.add_subparsers`` returns."""

    def add_parser(self, name: str, **kwargs: Any) -> argparse.ArgumentParser: ...


def endpoint_options(command: argparse.ArgumentParser, help: str, required: bool = False) -> None:
    """Add --endpoint URL, --timeout SECONDS and --max-answer MIB to a command."""
    command.add_argument("--endpoint", metavar="URL", required=required, help=help)
    command.add_argument(
        "--timeout", type=_seconds, default=None, metavar="SECONDS",
        help="with --endpoint, how long each request to the server may take in all, its answer read (default: 60); "
        "with files or --store, how long the command may run (default: no limit)",
    )
    command.add_argument(
        "--max-answer", type=_mebibytes, default=256, metavar="MIB",
        help="the largest answer to read from the server, in MiB (default: 256)",
    )


def store_option(command: argparse.ArgumentParser) -> None:
    """Add --store DIR to a command that reads the on-disk store (pmgraph.stores.disk) instead of files."""
    command.add_argument(
        "--store", metavar="DIR", help="read an on-disk store that pmgraph push --store wrote, instead of files"
    )


def prefix_option(command: argparse.ArgumentParser) -> None:
    """Add --prefix NAME=IRI (repeatable) to a command that reads or writes a spreadsheet; see :func:`prefixes`."""
    command.add_argument(
        "--prefix", action="append", default=[], metavar="NAME=IRI",
        help="a prefix for names in the file, such as acme=https://example.org/acme/ (repeatable; pm is known)",
    )


def _positive(unit: str) -> Callable[[str], float]:
    """A reader of a positive number of ``unit`` given on the command line (argparse reports a wrong one)."""

    def read(text: str) -> float:
        try:
            number = float(text)
        except ValueError:
            number = 0.0
        if not 0 < number < float("inf"):
            raise argparse.ArgumentTypeError(f"not a number of {unit} above 0: {text!r}")
        return number

    return read


_seconds = _positive("seconds")
_mebibytes = _positive("MiB")


def day(text: str) -> datetime.date:
    """Read a YYYY-MM-DD date given on the command line (argparse reports a wrong one)."""
    import datetime

    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def endpoint(args: argparse.Namespace) -> Endpoint:
    """The SPARQL server that --endpoint names (with --gsp and --timeout)."""
    from pmgraph.stores.endpoint import Endpoint

    return Endpoint(
        args.endpoint, gsp=getattr(args, "gsp", None), timeout=args.timeout or ENDPOINT_TIMEOUT,
        max_answer_bytes=int(args.max_answer * 2**20),
    )


def paths_or_endpoint(args: argparse.Namespace) -> str | None:
    """What is wrong when a command is given two of PATHs, --endpoint and --store, or none."""
    given = [name for name, value in (("PATHs", args.paths), ("--endpoint URL", args.endpoint), ("--store DIR", args.store)) if value]
    if len(given) > 1:
        return f"give {given[0]} or {given[1]}, not both"
    if not given:
        return "give at least one PATH (an RDF file or folder), --endpoint URL or --store DIR"
    return None


def prefixes(declarations: Sequence[str]) -> dict[str, str]:
    """``["acme=https://example.org/acme/"]`` as ``{"acme": "https://example.org/acme/"}``.

    Raises
    ------
    ValueError
        If a declaration is not NAME=IRI; the message names it.
    """
    found = {}
    for declaration in declarations:
        prefix, equals, namespace = declaration.partition("=")
        if not equals or not prefix or not namespace:
            raise ValueError(f"--prefix {declaration!r}: write NAME=IRI, such as acme=https://example.org/acme/")
        found[prefix] = namespace
    return found


def data_options(command: argparse.ArgumentParser, endpoint_help: str) -> None:
    """Add where a command finds its data: PATHs, or --endpoint URL (with --timeout), or --store DIR."""
    command.add_argument("paths", nargs="*", metavar="PATH", help="an RDF file, or a folder of them")
    endpoint_options(command, endpoint_help)
    store_option(command)


def organisation(args: argparse.Namespace) -> Organisation:
    """The organisation that PATHs, --endpoint URL or --store DIR name: the one place a command
    builds the handle it hands to the library (:class:`pmgraph.Organisation`).

    Use it in a ``with`` block: an on-disk store stays locked for reading until the block ends.
    Check :func:`paths_or_endpoint` first.
    """
    from pmgraph.organisation import Organisation

    if args.endpoint:
        return Organisation.at_endpoint(endpoint(args))
    if args.store:
        return Organisation.open_store(args.store)
    return Organisation.open(*args.paths)
