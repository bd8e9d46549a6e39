"""The ``pmgraph`` command line: parses arguments, calls the library, prints.

Each command is a module of this package (``pmgraph import-raci`` is :mod:`pmgraph.cli.import_raci`)
with ``add_parser(commands)``, which adds the command and its options, and ``run(args) -> int``.

Exit codes: 0 success (for ``validate``: no Violation; warnings allowed),
1 at least one Violation, 2 an input that cannot be read or a usage error.
An unreadable input is reported on stderr in one line that names the file
and, where known, the line: ``pmgraph: error: team.ttl:4: ...``.
When the reader of the output goes away early (``pmgraph ... | head -1``), the
command stops quietly with exit code 141, as a shell reports for a closed pipe.

Ctrl-C stops a command at once, whatever it is doing (a query runs in pyoxigraph, which does not
look at signals): the command runs in a thread of its own while the main thread waits for it, for
Ctrl-C, or for ``--timeout SECONDS`` (on files and stores; with ``--endpoint`` that bounds each wait
for the server). Stopped, pmgraph deletes what it was writing
(:func:`pmgraph.rdf.writing.stop_writing`: outputs are put in place only by a final rename, and a
rename under way ends first), says ``pmgraph: interrupted`` (exit 130) or that the time passed (exit 2),
and the process exits without waiting for the thread. The console script handles Ctrl-C so from
its first instant, before it imports this module (:mod:`pmgraph.cli.stopping`).
"""

from __future__ import annotations

import argparse
import importlib.metadata
import os
import sys
import threading
import time
import warnings
from collections.abc import Sequence
from typing import NoReturn

from pmgraph.cli import (
    context,
    diff,
    docs,
    export_portfolio,
    export_raci,
    import_assignments,
    import_portfolio,
    import_raci,
    import_vocabulary,
    merge,
    overlap,
    push,
    query,
    report,
    shacl,
    validate,
)
from pmgraph.cli.exits import EXIT_BROKEN_PIPE, EXIT_INPUT_ERROR, EXIT_INTERRUPTED, usage_error
from pmgraph.cli.options import time_limit
from pmgraph.cli.stopping import STOPPED, stopped

__all__ = ["main", "run"]

#: The commands, in the order ``pmgraph --help`` lists them.
COMMANDS = (
    validate,
    query,
    overlap,
    report,
    merge,
    diff,
    import_raci,
    export_raci,
    import_assignments,
    import_portfolio,
    export_portfolio,
    context,
    docs,
    push,
    import_vocabulary,
    shacl,
)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit code.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments after the program name; ``sys.argv[1:]`` by default.

    Returns
    -------
    int
        The exit code: 0, 1, 2, 130 for Ctrl-C, or 141 for a closed pipe (see the module's docstring).

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
    try:
        return _run_stoppably(args)
    except KeyboardInterrupt:  # before the command's thread started, or after it ended
        return stopped(EXIT_INTERRUPTED, "pmgraph: interrupted")


def _run_stoppably(args: argparse.Namespace) -> int:
    """Run the command in a thread of its own; the main thread stays free for Ctrl-C and --timeout.

    A command that fails with an error pmgraph does not expect fails here, in the main thread,
    with its traceback, as it would have without the thread.
    """
    outcome: list[int | BaseException] = []

    def work() -> None:
        try:
            outcome.append(_run_command(args))
        except BaseException as error:  # noqa: BLE001 - handed to the main thread, raised there
            outcome.append(error)

    limit = time_limit(args)
    worker = threading.Thread(target=work, name="pmgraph command", daemon=True)
    try:
        worker.start()
        _wait_for(worker, limit)
    except KeyboardInterrupt:
        return stopped(EXIT_INTERRUPTED, "pmgraph: interrupted")
    if worker.is_alive():
        return stopped(
            EXIT_INPUT_ERROR, f"pmgraph: error: stopped after {limit:g} s (--timeout {limit:g}): nothing was written"
        )
    if isinstance(outcome[0], BaseException):
        raise outcome[0]
    return outcome[0]


def _wait_for(worker: threading.Thread, limit: float | None) -> None:
    """Wait for the command's thread to end, or for ``limit`` seconds, a tenth of a second at a time.

    CPython wakes a thread that waits on a lock only for a signal delivered to that thread: a
    Ctrl-C that reaches the process just before the wait begins, or in the command's thread, would
    be handled only when the command ends (never, for one that waits on its input). Each short
    wait ends by taking the interpreter's lock again, and Python then runs the pending handler.
    """
    deadline = None if limit is None else time.monotonic() + limit
    while worker.is_alive():
        left = None if deadline is None else deadline - time.monotonic()
        if left is not None and left <= 0:
            return
        worker.join(0.1 if left is None else min(left, 0.1))


def _run_command(args: argparse.Namespace) -> int:
    """Run the command that ``args`` names; an error pmgraph expects is one line and exit 2."""
    # Imported here, past --help and --version: every command reads RDF.
    from pmgraph.errors import PmgraphError
    from pmgraph.rdf.reading import quiet_literal_conversion

    try:
        # rdflib logs a traceback, or warns, for each ill-typed literal ("12O000"^^xsd:decimal); the rules
        # report such values, so the noise is left out.
        with quiet_literal_conversion(), warnings.catch_warnings():
            warnings.filterwarnings("ignore", "Serializing weird numerical", UserWarning)
            code = args.run(args)
        sys.stdout.flush()  # a reader that stopped early (| head) shows here, not at exit
        return code
    except PmgraphError as error:  # every error pmgraph raises on purpose is one line, exit 2
        print(f"pmgraph: error: {error}", file=sys.stderr)
        return EXIT_INPUT_ERROR
    except BrokenPipeError:
        _stop_writing_to_stdout()
        return EXIT_BROKEN_PIPE
    # Last resorts, so that no input gives a traceback: one line, exit 2.
    except OSError as error:  # a file named in an option, an output that cannot be written
        return usage_error(_os_error_text(error))
    except RecursionError:
        return usage_error("an input is nested too deeply to be read (Python's recursion limit)")
    except MemoryError:
        return usage_error("out of memory while reading the inputs")


def run() -> NoReturn:
    """The ``pmgraph`` console script and ``python -m pmgraph``: :func:`main`, then leave at once.

    A command on a large graph ends holding it all in memory (a million triples in a pyoxigraph
    store and rdflib objects); freeing it piece by piece takes longer than a query (0.5 to 1 s at
    1M) and serves nothing as the process ends. So the output is flushed and the process exits
    without freeing it. Nothing is left half-done: every file is written and closed, and every
    on-disk store flushed and closed, before :func:`main` returns.
    """
    code = main()
    if STOPPED.is_set():  # the command's thread may be inside a write to stdout: leave it be
        os._exit(code)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:  # the reader stopped after main's own flush
        code = EXIT_BROKEN_PIPE
    os._exit(code)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pmgraph",
        description="Validate and analyse portfolios, programs, projects, products and their roles, in RDF.",
    )
    parser.add_argument(
        "--version", action="version", version=f"pmgraph {importlib.metadata.version('pmgraph')}"
    )
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)
    for command in COMMANDS:
        command.add_parser(commands)
    return parser


def _stop_writing_to_stdout() -> None:
    """Send what is left for stdout nowhere, once its reader has gone (``| head``).

    Python flushes stdout at exit; into the closed pipe that would print a BrokenPipeError.
    """
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):  # stdout is not a file descriptor (captured, in tests)
        pass


def _os_error_text(error: OSError) -> str:
    """``team.ttl: permission denied``: the file an OSError names, and what went wrong."""
    from pmgraph.errors import printable
    from pmgraph.rdf.reading import os_reason

    return f"{printable(error.filename)}: {os_reason(error)}" if error.filename else os_reason(error)
