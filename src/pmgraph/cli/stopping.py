"""How the ``pmgraph`` command stops early: on Ctrl-C, from its first instant, or when ``--timeout`` passes.

:func:`stop_at_ctrl_c` is the first thing the console script does (:func:`pmgraph.cli.run`), before
it imports the commands, rdflib and pyoxigraph (about half a second): from then on a Ctrl-C, whatever
the process is doing, deletes what the command was writing, says ``pmgraph: interrupted`` in one
line and ends the process with exit code 130. So this module imports nothing heavy.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from types import FrameType

from pmgraph.cli.exits import EXIT_INTERRUPTED

__all__ = ["STOPPED", "stop_at_ctrl_c", "stopped"]

#: Set when the command was stopped; its thread may still hold stdout, so nothing flushes it then.
STOPPED = threading.Event()

_FAULT = "_PMGRAPH_FAULT"  # tests only (as in pmgraph.stores.disk): "say:ctrl-c" says when Ctrl-C is handled

# Set when a stop begins: a second Ctrl-C then lets the first one finish deleting.
_stopping = threading.Event()


def stopped(code: int, message: str) -> int:
    """Delete what the stopped command was writing, say why it stopped, in one line, and return ``code``.

    What is being written is known to :mod:`pmgraph.rdf.writing` (see
    :func:`pmgraph.rdf.writing.stop_writing`); before that module is imported, nothing is.
    """
    _stopping.set()
    writing = sys.modules.get("pmgraph.rdf.writing")
    stop_writing = getattr(writing, "stop_writing", None)  # None while the module is being imported
    if stop_writing is not None:
        stop_writing()
    STOPPED.set()
    try:
        os.write(sys.stderr.fileno(), (message + "\n").encode())  # not through sys.stderr: the thread may hold it
    except (OSError, ValueError, AttributeError):
        print(message, file=sys.stderr)
    return code


def stop_at_ctrl_c() -> None:
    """From now on, Ctrl-C (SIGINT) stops the process: :func:`stopped`, then exit 130 at once.

    Python would raise KeyboardInterrupt wherever the main thread is, in the middle of an import
    as well, and print its traceback; the command's own thread never sees Ctrl-C. Call it from the
    main thread.
    """
    signal.signal(signal.SIGINT, _interrupted)
    if os.environ.get(_FAULT) == "say:ctrl-c":  # tests only: the moment from which Ctrl-C is handled
        os.write(sys.stderr.fileno(), b"ctrl-c handled\n")


def _interrupted(signum: int, frame: FrameType | None) -> None:
    if _stopping.is_set():  # a stop is under way (Ctrl-C twice, or --timeout just passed)
        return
    os._exit(stopped(EXIT_INTERRUPTED, "pmgraph: interrupted"))
