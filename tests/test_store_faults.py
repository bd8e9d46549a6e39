"""What a store, a push and a long command do when things go wrong: one line, nothing half-done.

Each story is a fault a hostile or unlucky user met (issue 17): a store damaged on disk, a folder of
thousands of small files, a push killed or interrupted half-way, Ctrl-C during a long query. Every
command is the installed ``pmgraph``, run under limits on its memory (and open files) so that a
regression fails the test instead of taking the machine's memory. A push is stopped at a named
point with the private ``_PMGRAPH_FAULT`` variable (``pause:POINT`` waits there, ``fail:POINT``
fails there as a full disk would); nothing else of it is faked.
"""

from __future__ import annotations

import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import PMGRAPH, one_line_error

import pmgraph
from pmgraph.stores.disk import STATE_FILE, open_store

ROOT = Path(__file__).resolve().parents[1]
ACME = ROOT / "examples" / "acme"
TEAM_BEFORE = ROOT / "tests" / "fixtures" / "store" / "team_before.ttl"
TEAM_AFTER = ROOT / "tests" / "fixtures" / "store" / "team_after.ttl"
MEMORY = 3 << 30  # far above what these commands need (under 200 MB), far below the machine's
# A query of one's own that no store answers soon: every pair of statements with the same predicate.
ENDLESS = "SELECT (COUNT(*) AS ?pairs) WHERE { ?a ?p ?b . ?c ?p ?d }\n"


def limited(open_files: int | None = None) -> Callable[[], None]:
    """A preexec_fn: the child gets at most MEMORY of address space (and ``open_files`` files)."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
        if open_files:
            resource.setrlimit(resource.RLIMIT_NOFILE, (open_files, open_files))

    return limit


def pmgraph_run(*args: object, fault: str | None = None, open_files: int | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **({"_PMGRAPH_FAULT": fault} if fault else {})}
    return subprocess.run(
        [PMGRAPH, *map(str, args)], capture_output=True, text=True, timeout=600, env=env, preexec_fn=limited(open_files)
    )


def started(*args: object, fault: str | None = None) -> subprocess.Popen[str]:
    env = {**os.environ, **({"_PMGRAPH_FAULT": fault} if fault else {})}
    return subprocess.Popen(
        [PMGRAPH, *map(str, args)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, preexec_fn=limited()
    )


def pushed(store: Path, *paths: Path) -> Path:
    result = pmgraph_run("push", *paths, "--store", store)
    assert result.returncode == 0, result.stderr
    return store


def contents(store: Path) -> tuple[list[str], dict[str, object]]:
    """Every quad of a store (sorted) and its record without the checksums: what a push changes."""
    with open_store(store) as opened:
        quads = sorted(re.sub(r"_:[0-9A-Za-z]+", "_:b", str(quad)) for quad in opened)  # new ids on every read
    record = json.loads((store / STATE_FILE).read_text())
    record.pop("checksums")
    return quads, record


def beside(store: Path) -> list[str]:
    """What is in the store's parent folder: a push leaves only the store there."""
    return sorted(path.name for path in store.parent.iterdir())


# ---------------------------------------------------------------------------------------------
# A store damaged on disk
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def acme_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return pushed(tmp_path_factory.mktemp("acme") / "store", ACME)


def damaged_copy(store: Path, folder: Path, damage: Callable[[Path], None]) -> Path:
    copy = folder / "store"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(store, copy)
    damage(copy)
    return copy


def overwrite(name: str, where: str) -> Callable[[Path], None]:
    """Write 21 bytes of garbage into a file of the store (``MANIFEST``: RocksDB's list of files)."""

    def damage(store: Path) -> None:
        path = next(store.glob("MANIFEST-*")) if name == "MANIFEST" else store / name
        size = path.stat().st_size
        with open(path, "r+b") as file:
            file.seek({"start": 0, "middle": size // 2, "end": size - 21}[where])
            file.write(bytes(range(7, 28)))

    return damage


def largest_sst(store: Path) -> str:
    return max(store.glob("*.sst"), key=lambda path: path.stat().st_size).name


def test_21_bytes_overwritten_in_any_sst_file_is_one_line_exit_2(acme_store: Path, tmp_path: Path) -> None:
    for sst in sorted(acme_store.glob("*.sst")):
        copy = damaged_copy(acme_store, tmp_path, overwrite(sst.name, "middle"))
        assert one_line_error(pmgraph_run("validate", "--store", copy)) == (
            f"pmgraph: error: {copy}: the store is damaged ({sst.name} has changed since pmgraph push wrote it): "
            "push the files again, into a new folder"
        )


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (lambda name: overwrite(name, "start"), "{name} has changed since pmgraph push wrote it"),
        (lambda name: overwrite(name, "end"), "{name} has changed since pmgraph push wrote it"),
        (lambda name: lambda store: os.truncate(store / name, 100), "{name} holds 100 bytes, not the {size} it was written with"),
        (lambda name: lambda store: (store / name).unlink(), "Corruption: Corruption: IO error: No such file or directory: "),
        (lambda name: lambda store: (store / "CURRENT").write_text("MANIFEST-9\n"), "MANIFEST-9: No such file or directory"),
        (lambda name: overwrite("MANIFEST", "middle"), "Corruption: "),
    ],
    ids=["start", "end", "truncated", "deleted", "current", "manifest"],
)
def test_a_truncated_deleted_or_altered_file_is_one_line_exit_2(
    damage: Callable[[str], Callable[[Path], None]], reason: str, acme_store: Path, tmp_path: Path
) -> None:
    name = largest_sst(acme_store)
    copy = damaged_copy(acme_store, tmp_path, damage(name))
    for command in (["validate"], ["query", "projects-without-manager"], ["overlap", "--people"]):
        error = one_line_error(pmgraph_run(*command, "--store", copy))
        assert error.startswith(f"pmgraph: error: {copy}: the store is damaged (")
        assert reason.format(name=name, size=(acme_store / name).stat().st_size) in error
        assert error.endswith("): push the files again, into a new folder")


def test_the_python_api_refuses_a_damaged_store(acme_store: Path, tmp_path: Path) -> None:
    copy = damaged_copy(acme_store, tmp_path, overwrite(largest_sst(acme_store), "middle"))
    with pytest.raises(pmgraph.StoreError, match="the store is damaged"):
        pmgraph.Organisation.open_store(copy)
    assert pmgraph.validate(pmgraph.Organisation.open_store(acme_store)).conforms  # the original is whole


def test_a_store_is_not_pushed_into_when_damaged(acme_store: Path, tmp_path: Path) -> None:
    copy = damaged_copy(acme_store, tmp_path, overwrite(largest_sst(acme_store), "middle"))
    error = one_line_error(pmgraph_run("push", TEAM_BEFORE, "--store", copy))
    assert error.startswith(f"pmgraph: error: {copy}: the store is damaged (")
    assert beside(copy) == ["store"]


# ---------------------------------------------------------------------------------------------
# Thousands of small files
# ---------------------------------------------------------------------------------------------


def small_files(folder: Path, count: int) -> Path:
    folder.mkdir()
    for i in range(count):
        (folder / f"project-{i:05d}.ttl").write_text(
            "@prefix ex: <https://example.org/> .\n@prefix pm: <https://w3id.org/pmgraph#> .\n"
            f'ex:p{i} a pm:Project ; pm:projectManager ex:m{i} .\nex:m{i} ex:name "Manager {i}" .\n'
        )
    return folder


def test_2000_small_files_push_within_bounded_memory_and_open_files(tmp_path: Path) -> None:
    files = small_files(tmp_path / "projects", 2000)
    store = tmp_path / "store"
    result = pmgraph_run("push", files, "--store", store, open_files=128)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines()[0] == f"pmgraph: replaced 2001 graphs at {store}"
    assert result.stdout.splitlines()[1:] == [f"<{path.as_uri()}>: 3 triples" for path in sorted(files.iterdir())]
    assert beside(store) == ["projects", "store"]
    again = pmgraph_run("push", files, "--store", store, open_files=128)  # into the store it made
    assert again.returncode == 0, again.stderr
    assert beside(store) == ["projects", "store"]
    count = pmgraph_run("query", "--store", store, write_query(tmp_path, "SELECT (COUNT(*) AS ?n) WHERE { ?p a <https://w3id.org/pmgraph#Project> }"), "--format", "csv")
    assert count.stdout == "n\n2000\n"


def write_query(folder: Path, text: str) -> Path:
    path = folder / "question.rq"
    path.write_text(text)
    return path


@pytest.mark.parametrize("existing", [False, True], ids=["new store", "existing store"])
def test_a_push_that_fails_leaves_no_hidden_folder(existing: bool, tmp_path: Path) -> None:
    files = small_files(tmp_path / "projects", 200)
    store = pushed(tmp_path / "store", TEAM_BEFORE) if existing else tmp_path / "store"
    before = contents(store) if existing else None
    failed = pmgraph_run("push", files, "--store", store, fault="fail:recording")
    left = ", and is left as it was" if existing else ""
    assert one_line_error(failed) == f"pmgraph: error: {store}: cannot be written{left}: no space left on device"
    assert beside(store) == (["projects", "store"] if existing else ["projects"])
    if existing:
        assert contents(store) == before


# ---------------------------------------------------------------------------------------------
# A push stopped half-way: the store is the one before or the one after, never a mix
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def before_and_after(tmp_path_factory: pytest.TempPathFactory) -> tuple[tuple[object, ...], tuple[object, ...]]:
    """What a store holds before the push of team_after.ttl, and after it."""
    folder = tmp_path_factory.mktemp("expected")
    store = pushed(folder / "store", ACME, TEAM_BEFORE)
    before = contents(store)
    pushed(store, TEAM_AFTER)
    return before, contents(store)


def paused(store: Path, point: str) -> subprocess.Popen[str]:
    """A push of team_after.ttl into the store, waiting at ``point``."""
    push = started("push", TEAM_AFTER, "--store", store, fault=f"pause:{point}")
    assert push.stderr is not None and push.stderr.readline() == f"paused at {point}\n"
    return push


@pytest.mark.parametrize(("point", "changed"), [("recording", False), ("recorded", False), ("committed", True)])
def test_a_push_killed_at_any_point_leaves_the_store_before_or_after(
    point: str, changed: bool, before_and_after: tuple[object, object], tmp_path: Path
) -> None:
    store = pushed(tmp_path / "store", ACME, TEAM_BEFORE)
    push = paused(store, point)
    push.kill()
    push.communicate(timeout=60)
    assert contents(store) == before_and_after[changed]
    checked = pmgraph_run("validate", "--store", store)
    assert (checked.returncode, checked.stderr) == (1 if changed else 0, "")  # team_after.ttl has a Violation
    pushed(store, TEAM_AFTER)  # the hidden folder a kill left behind is deleted by the next push
    assert contents(store) == before_and_after[1]
    assert beside(store) == ["store"]


@pytest.mark.parametrize(("point", "changed"), [("recording", False), ("recorded", False), ("committed", True)])
def test_ctrl_c_during_a_push_leaves_the_store_before_or_after_and_nothing_beside(
    point: str, changed: bool, before_and_after: tuple[object, object], tmp_path: Path
) -> None:
    store = pushed(tmp_path / "store", ACME, TEAM_BEFORE)
    push = paused(store, point)
    push.send_signal(signal.SIGINT)
    out, err = push.communicate(timeout=60)
    assert (push.returncode, err) == (130, "pmgraph: interrupted\n")
    assert contents(store) == before_and_after[changed]
    assert beside(store) == ["store"]


def test_ctrl_c_while_a_new_store_is_written_leaves_no_store(tmp_path: Path) -> None:
    store = tmp_path / "store"
    push = started("push", ACME, "--store", store, fault="pause:recorded")
    assert push.stderr is not None and push.stderr.readline() == "paused at recorded\n"
    push.send_signal(signal.SIGINT)
    out, err = push.communicate(timeout=60)
    assert (push.returncode, out, err) == (130, "", "pmgraph: interrupted\n")
    assert list(tmp_path.iterdir()) == []


def test_a_prefix_record_that_cannot_be_written_changes_nothing(
    before_and_after: tuple[object, object], tmp_path: Path
) -> None:
    store = pushed(tmp_path / "store", ACME, TEAM_BEFORE)
    failed = pmgraph_run("push", TEAM_AFTER, "--store", store, fault="fail:recording")
    assert one_line_error(failed) == f"pmgraph: error: {store}: cannot be written, and is left as it was: no space left on device"
    assert contents(store) == before_and_after[0]
    assert beside(store) == ["store"]


# ---------------------------------------------------------------------------------------------
# Ctrl-C and --timeout during a long query
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def portfolio(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated portfolio of 200,000 triples (bench/generate.py)."""
    path = tmp_path_factory.mktemp("portfolio") / "portfolio.nt"
    subprocess.run(
        [sys.executable, ROOT / "bench" / "generate.py", "--triples", "200000", "-o", path], check=True, capture_output=True
    )
    return path


def running_its_command(process: subprocess.Popen[str]) -> None:
    """Wait until pmgraph runs its command: its thread for it has started (Python is imported)."""
    for _ in range(600):
        if len(os.listdir(f"/proc/{process.pid}/task")) > 1:
            return
        time.sleep(0.1)
    raise AssertionError("pmgraph did not start its command within 60 s")


def test_ctrl_c_during_an_aggregate_query_stops_at_once(portfolio: Path, tmp_path: Path) -> None:
    query = started("query", write_query(tmp_path, ENDLESS), portfolio)
    running_its_command(query)
    time.sleep(2)  # well into the query, inside pyoxigraph
    asked = time.monotonic()
    query.send_signal(signal.SIGINT)
    out, err = query.communicate(timeout=60)
    assert (query.returncode, out, err) == (130, "", "pmgraph: interrupted\n")
    assert time.monotonic() - asked < 5


def test_timeout_bounds_a_query_on_files(portfolio: Path, tmp_path: Path) -> None:
    result = pmgraph_run("query", write_query(tmp_path, ENDLESS), portfolio, "--timeout", "3")
    assert (result.returncode, result.stdout) == (2, "")
    assert one_line_error(result) == "pmgraph: error: stopped after 3 s (--timeout 3): nothing was written"


@pytest.mark.parametrize("command", [["validate"], ["query", "people-with-concurrent-roles"], ["overlap", "--people"]])
def test_timeout_bounds_validate_query_and_overlap_on_a_store(command: list[str], acme_store: Path) -> None:
    result = pmgraph_run(*command, "--store", acme_store, "--timeout", "0.001")
    assert (result.returncode, result.stdout) == (2, "")
    assert one_line_error(result) == "pmgraph: error: stopped after 0.001 s (--timeout 0.001): nothing was written"
    assert pmgraph_run(*command, "--store", acme_store, "--timeout", "600").returncode in (0, 1)


def test_ctrl_c_while_merge_writes_leaves_no_file(
    portfolio: Path, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    # eight names for the portfolio: a merge of several seconds even on a quiet machine, so the
    # interruption comes while it works (one file merged in under a second at times)
    inputs = tmp_path_factory.mktemp("inputs")
    for n in range(8):
        os.link(portfolio, inputs / f"team-{n}.nt")
    merge = started("merge", inputs, "-o", tmp_path / "merged.ttl")
    running_its_command(merge)
    time.sleep(1)
    merge.send_signal(signal.SIGINT)
    out, err = merge.communicate(timeout=60)
    assert (merge.returncode, err) == (130, "pmgraph: interrupted\n")
    assert list(tmp_path.iterdir()) == []
