"""The documentation site builds strictly, and every example in it runs and prints what it shows.

The site is ``docs/`` built by mkdocs (``mkdocs.yml``): a broken link, a missing page, a docstring
that does not render or a placeholder that the build cannot fill stops ``mkdocs build --strict``.

Examples are fenced blocks of two kinds, in the pages of ``docs/`` and in ``README.md``:

- ````` ```console `````: lines starting with ``$ `` are shell commands (a ``\\`` at the end of a
  line continues it), the lines after each command are what it prints, stdout and stderr
  together. ``...`` stands for any text, as in a doctest. A command ending with `` &`` is started in
  the background (a server, ``--bind HOST:PORT``, waited for until it answers) and stopped when the
  page is done; the port 7878 that the pages show is replaced by a free one. ``$?`` is the exit
  code of the command before, as in one shell.
- ````` ```pycon `````: a Python session (``>>>`` and ``...`` prompts, the printed value below),
  run as a doctest.

The blocks of one page run in order, in one fresh folder holding a copy of ``examples/``,
``tests/fixtures/``, ``ontology/`` and ``shapes/`` and, at its top, the files of
``docs/examples/PAGE/``; a page that says ``<!-- examples run in: FOLDER -->`` runs them in that
folder of the copy. The pycon blocks of a page share their names. Any other fenced code is
a file's content (Turtle, CSV, SPARQL, text), never a command: a ``python``, ``bash``, ``sh`` or
``shell`` block, which a reader would take for something to run, fails the test.
"""

from __future__ import annotations

import doctest
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
PAGES = sorted(DOCS.rglob("*.md")) + [ROOT / "README.md"]
BIN = Path(sys.executable).parent
FENCE = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
NOT_RUNNABLE = {"python", "py", "bash", "sh", "shell"}
SHOWN_PORT = "7878"
RUN_IN = re.compile(r"<!-- examples run in: (\S+) -->")


@dataclass(frozen=True)
class Block:
    language: str
    text: str
    line: int


def blocks(page: Path) -> list[Block]:
    text = page.read_text(encoding="utf-8")
    return [
        Block(match.group(1), match.group(2), text.count("\n", 0, match.start()) + 1)
        for match in FENCE.finditer(text)
    ]


def page_id(page: Path) -> str:
    return str(page.relative_to(ROOT))


# ---------------------------------------------------------------------------------------------
# The site builds
# ---------------------------------------------------------------------------------------------


def test_the_site_builds_strictly_with_the_ontology_reference(tmp_path):
    site = tmp_path / "site"
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(ROOT / "mkdocs.yml"), "-d", str(site)],
        capture_output=True, text=True, cwd=ROOT, env=environment, timeout=600,
    )

    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    reference = (site / "ontology" / "index.html").read_text(encoding="utf-8")
    assert 'id="ProjectManager"' in reference
    model = (site / "model" / "index.html").read_text(encoding="utf-8")
    assert 'class="mermaid"' in model and "Project --&gt; Program : partOf" in model
    api = (site / "api" / "index.html").read_text(encoding="utf-8")
    assert 'id="pmgraph.Organisation"' in api
    benchmarks = (site / "benchmarks" / "index.html").read_text(encoding="utf-8")
    assert "pyoxigraph Store.load, lenient" in benchmarks


def test_the_readme_is_short_and_starts_with_the_two_quick_start_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    ci_line = (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()[-1]

    assert len(readme) <= 200
    quick_start = readme.index("## Quick start")
    first_block = readme[readme.index("```", quick_start) + 1 :]
    commands = first_block[: first_block.index("```")]
    assert commands[0].endswith("pmgraph validate examples/acme/ && .venv/bin/pmgraph overlap --people examples/acme/")
    assert commands[1] == ci_line


def test_no_file_of_the_project_refers_to_a_design_file_outside_it():
    outside = "DESIGN" + ".md"  # spelt in two halves so that this file does not refer to it either
    tracked = subprocess.run(["git", "ls-files"], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    citing = [
        name for name in tracked.splitlines()
        if (ROOT / name).is_file() and outside in (ROOT / name).read_text(encoding="utf-8", errors="replace")
    ]

    assert citing == []


# ---------------------------------------------------------------------------------------------
# Every example runs
# ---------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(host: str, port: int, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the background command stopped (exit {process.returncode})")
        with socket.socket() as probe:
            if probe.connect_ex((host, port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError(f"nothing answered on {host}:{port} within {seconds} s")


def commands_of(text: str) -> list[tuple[str, str]]:
    """The commands of a console block, each with the output shown below it."""
    steps: list[tuple[str, list[str]]] = []
    lines = iter(text.splitlines())
    for line in lines:
        if line.startswith("$ "):
            command = line[2:]
            while command.endswith("\\"):
                command += "\n" + next(lines)  # bash reads the backslash-newline as a space
            steps.append((command, []))
        else:
            assert steps, f"output before any command: {line!r}"
            steps[-1][1].append(line)
    return [(command, "\n".join(output)) for command, output in steps]


def same_output(want: str, got: str) -> bool:
    def tidy(text: str) -> str:
        return "\n".join(line.rstrip() for line in text.strip("\n").splitlines())

    want, got = tidy(want), tidy(got)
    return want == got or doctest.OutputChecker().check_output(want + "\n", got + "\n", doctest.ELLIPSIS)


def folder_for(page: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "work"
    folder.mkdir()
    for name in ("examples", "ontology", "shapes"):
        shutil.copytree(ROOT / name, folder / name)
    shutil.copytree(ROOT / "tests" / "fixtures", folder / "tests" / "fixtures")
    own = DOCS / "examples" / page.stem
    if own.is_dir():
        shutil.copytree(own, folder, dirs_exist_ok=True)
    run_in = RUN_IN.search(page.read_text(encoding="utf-8"))
    return folder / run_in.group(1) if run_in else folder


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_no_example_looks_runnable_without_being_run(page):
    unrun = [f"{page_id(page)}:{block.line}" for block in blocks(page) if block.language in NOT_RUNNABLE]

    assert unrun == [], "write commands as ```console ($ ...) and Python as ```pycon (>>> ...)"


@pytest.mark.parametrize(
    "page", [page for page in PAGES if any(b.language in ("console", "pycon") for b in blocks(page))], ids=page_id
)
def test_every_example_of_the_page_prints_what_it_shows(page, tmp_path, monkeypatch):
    folder = folder_for(page, tmp_path)
    port = str(free_port())
    environment = {
        **os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", "COLUMNS": "100",
        "PYTHONUNBUFFERED": "1",  # stdout and stderr interleave as on a terminal
    }
    status = 0  # the exit code of the last command, which ``$?`` gives the next one
    background: list[subprocess.Popen] = []
    globs: dict[str, object] = {"__name__": "__docs__"}
    monkeypatch.chdir(folder)
    try:
        for block in blocks(page):
            where = f"{page_id(page)}:{block.line}"
            text = block.text.replace(SHOWN_PORT, port)
            if block.language == "console":
                for command, want in commands_of(text):
                    if command.endswith("&"):
                        if shutil.which(command.split()[0], path=environment["PATH"]) is None:
                            pytest.skip(f"{where}: {command.split()[0]} is not installed (the test extra brings it)")
                        process = subprocess.Popen(
                            ["bash", "-c", "exec " + command[:-1]], cwd=folder, env=environment,
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                        )
                        background.append(process)
                        bind = re.search(r"--bind ([\d.]+):(\d+)", command)
                        if bind:
                            wait_for(bind.group(1), int(bind.group(2)), process)
                        continue
                    result = subprocess.run(
                        ["bash", "-c", f"(exit {status}); {command}"], cwd=folder, env=environment, stdin=subprocess.DEVNULL,
                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=300,
                    )
                    status = result.returncode
                    assert same_output(want, result.stdout), (
                        f"{where}: $ {command}\n--- shown:\n{want}\n--- printed (exit {result.returncode}):\n{result.stdout}"
                    )
            elif block.language == "pycon":
                test = doctest.DocTestParser().get_doctest(text, globs, where, str(page), block.line)
                report: list[str] = []
                runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
                runner.run(test, out=report.append, clear_globs=False)
                globs.update(test.globs)  # a DocTest runs in a copy: the next block sees these names
                assert runner.failures == 0, "".join(report)
    finally:
        for process in background:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
