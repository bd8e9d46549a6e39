"""Ctrl-C from the first instant pmgraph runs (issue 17): one line, exit 130, nothing written.

pmgraph takes about half a second to import its commands, rdflib and pyoxigraph; a Ctrl-C then
printed a KeyboardInterrupt traceback from inside an import. The console script now sets what
Ctrl-C does before it imports anything heavy. The tests start the installed ``pmgraph`` with the
private ``_PMGRAPH_FAULT=say:ctrl-c``, which makes it say ``ctrl-c handled`` on stderr at the moment
it handles Ctrl-C, and send SIGINT at moments after that one: while it imports, parses its
arguments, or waits for its input (a named pipe no one writes to, so it never ends by itself).

Before that moment only Python itself runs (starting the interpreter, ``site``, the console script's
own imports): what a Ctrl-C does then is Python's, and no code of a package can change it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from conftest import PMGRAPH

import pmgraph


def started_and_handling_ctrl_c(*args: object) -> subprocess.Popen[str]:
    """The installed pmgraph, started with ``args``, once it handles Ctrl-C."""
    process = subprocess.Popen(
        [str(PMGRAPH), *map(str, args)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "_PMGRAPH_FAULT": "say:ctrl-c"},
    )
    assert process.stderr is not None and process.stderr.readline() == "ctrl-c handled\n"
    return process


@pytest.mark.parametrize("milliseconds", [0, 10, 50, 200, 1000])
def test_ctrl_c_at_any_moment_after_pmgraph_starts_is_one_line_and_exit_130(milliseconds, tmp_path):
    os.mkfifo(tmp_path / "assignments.csv")
    command = started_and_handling_ctrl_c("import-assignments", tmp_path / "assignments.csv", "-o", tmp_path / "out.ttl")

    time.sleep(milliseconds / 1000)
    command.send_signal(signal.SIGINT)
    out, err = command.communicate(timeout=60)

    assert (command.returncode, out, err) == (130, "", "pmgraph: interrupted\n")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["assignments.csv"]


def test_ctrl_c_twice_is_still_one_line(tmp_path):
    os.mkfifo(tmp_path / "assignments.csv")
    command = started_and_handling_ctrl_c("import-assignments", tmp_path / "assignments.csv")

    command.send_signal(signal.SIGINT)
    command.send_signal(signal.SIGINT)
    out, err = command.communicate(timeout=60)

    assert (command.returncode, out, err) == (130, "", "pmgraph: interrupted\n")


def test_the_console_script_imports_nothing_heavy_before_it_handles_ctrl_c():
    """What the console script imports (``from pmgraph.cli import run``) before ``run()`` sets the handler."""
    imported = subprocess.run(
        [sys.executable, "-c", "import sys; from pmgraph.cli import run; print(' '.join(sorted(sys.modules)))"],
        capture_output=True, text=True, check=True,
    ).stdout.split()
    heavy = ("rdflib", "pyoxigraph", "pmgraph.cli.main", "pmgraph.cli.stopping", "importlib.metadata", "argparse")
    assert [name for name in imported if name.startswith(heavy)] == []
    assert [name for name in imported if name.startswith("pmgraph")] == ["pmgraph", "pmgraph.cli"]


def test_main_is_the_command_line_function():
    ran = subprocess.run(
        [sys.executable, "-c", "from pmgraph.cli import main, run\nfrom pmgraph.cli import main\nprint(main(['--version']))"],
        capture_output=True, text=True, check=False,
    )
    assert ran.stdout.splitlines() == [f"pmgraph {pmgraph.__version__}", "0"], ran.stderr
