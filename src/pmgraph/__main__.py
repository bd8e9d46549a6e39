"""Run the command line as ``python -m pmgraph``."""

from pmgraph.cli import run

# The guard keeps `pytest --doctest-modules` from running the CLI on import.
if __name__ == "__main__":
    run()
