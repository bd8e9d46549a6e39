"""What the test modules share: running the installed ``pmgraph`` command, checking the one line
of a refused run, the union of a dataset's graphs, and the wheel of this checkout.

pytest puts this folder on ``sys.path`` (the default "prepend" import mode, as for the other
``from test_rules import ...``), so a test module says ``from conftest import run``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
from rdflib import Graph

REPO = Path(__file__).resolve().parents[1]
# The console script that pip installed beside this Python, not a copy on PATH.
PMGRAPH = Path(sys.executable).parent / "pmgraph"


def run(
    *args: object,
    program: str | Path = PMGRAPH,
    cwd: str | Path | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = 300,
    preexec_fn: Callable[[], object] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run the installed ``pmgraph`` command (or ``program``) with ``args``, as strings.

    ``env`` holds variables set for this run over the environment of the tests. Nothing is
    checked: the exit code and the output, as text, are the test's to judge.
    """
    return subprocess.run(
        [str(program), *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
        env=None if env is None else {**os.environ, **env},
        timeout=timeout,
        preexec_fn=preexec_fn,
    )


def one_error_line(stderr: str) -> str:
    """The one line a refused input gives, checked to be one line and no traceback."""
    assert "Traceback" not in stderr
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("pmgraph: error: ")
    return lines[0]


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    """The error that a run reported: exit 2, one stderr line, no traceback."""
    assert result.returncode == 2, result.stderr
    return one_error_line(result.stderr)


def union(dataset: Graph) -> Graph:
    """The triples of every graph of a dataset (as :func:`pmgraph.load` gives), in one graph."""
    graph = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel of this checkout, built once for the tests that look into it or install it."""
    outdir = tmp_path_factory.mktemp("dist")
    built = run("-m", "build", "--wheel", "--outdir", outdir, REPO, program=sys.executable, cwd=outdir, timeout=900)
    assert built.returncode == 0, f"the wheel was not built:\n{built.stdout}\n{built.stderr}"
    [path] = outdir.glob("pmgraph-*.whl")
    return path


def files_in_wheel(wheel: Path, folder: str) -> set[str]:
    """The names of the files a wheel holds in a folder (``pmgraph/exchange/mappings/``), without it."""
    import zipfile

    return {name.removeprefix(folder) for name in zipfile.ZipFile(wheel).namelist() if name.startswith(folder)}
