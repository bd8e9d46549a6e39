"""The ``pmgraph`` command: a thin layer that parses arguments, calls the library and formats output.

:func:`run` is the console script. The commands, rdflib and pyoxigraph take about half a second to
import, and a Ctrl-C in that time must be what it is later (one line, exit 130), not a
KeyboardInterrupt traceback from inside an import: so this package imports nothing heavy, and
:func:`run` sets what Ctrl-C does (:func:`pmgraph.cli.stopping.stop_at_ctrl_c`) before it imports the
command line. ``from pmgraph.cli import main`` gives :func:`pmgraph.cli.main.main`, imported then.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:
    from pmgraph.cli.main import main

__all__ = ["main", "run"]


def run() -> NoReturn:
    """The ``pmgraph`` console script and ``python -m pmgraph``: Ctrl-C handled, then :func:`pmgraph.cli.main.run`."""
    from pmgraph.cli.stopping import stop_at_ctrl_c

    stop_at_ctrl_c()
    _command_line().run()


def __getattr__(name: str) -> Any:
    if name == "main":
        return _command_line().main
    raise AttributeError(f"module 'pmgraph.cli' has no attribute {name!r}")


def _command_line() -> Any:  # the module pmgraph.cli.main
    # by its name in sys.modules: this package's attribute "main" may be the function already
    command_line = importlib.import_module("pmgraph.cli.main")
    # importing the module bound it to this package's name "main": the name is the function's
    globals()["main"] = command_line.main
    return command_line
