"""The ``pmgraph`` command: a thin layer that parses arguments, calls the library and formats output."""

from pmgraph.cli.main import main, run

__all__ = ["main", "run"]
