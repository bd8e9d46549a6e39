"""Time pmgraph on SPARQL servers beside the in-memory path, in one run, on generated portfolios.

For each size, an Oxigraph server (in memory, ``--union-default-graph``) and a Virtuoso (Debian's
``virtuoso-opensource``, a fresh database in a temporary folder) are started on 127.0.0.1, the
portfolio is pushed to each once (``pmgraph.push``: its graph, the ontology and the closures), and
then, on the files read into memory and on each server: validate, three shipped questions and
both overlap analyses; the row "rule 6" times that rule alone (one accountable agent, the
heaviest join), on all three. Wall time of the work only, in this process (a server's time is
spent in the server), each the median of ``--rounds``.

    python bench/servers.py [--sizes 100000 1000000] [--cap 600] [--rounds 1]

``python bench/run.py --servers`` runs it after its own table and puts both in bench/results.md.
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
QUERIES = ("people-with-concurrent-roles", "projects-without-manager", "overdue-projects")
AT = "2024-06-30"
# A Virtuoso's settings (virtuoso.ini): every file in one folder, loopback only, no row limit.
# tests/test_endpoint.py starts its Virtuoso with them too.
VIRTUOSO_SETTINGS = """\
[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty_buffers}
DirsAllowed = .
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerThreads = 4
[SPARQL]
ResultSetMaxRows = 10000000
MaxQueryExecutionTime = 0
MaxQueryCostEstimationTime = 0
"""
# Let the anonymous endpoint write, as pmgraph push (and the tests) push without a password (the
# notes of ../shared/notes/sparql-servers.md); the dba user (password dba) signs in at /sparql-auth.
GRANTS = (
    'GRANT SPARQL_UPDATE TO "SPARQL"; GRANT EXECUTE ON DB.DBA.SPARQL_INSERT_DICT_CONTENT TO "SPARQL"; '
    'GRANT EXECUTE ON DB.DBA.SPARQL_DELETE_DICT_CONTENT TO "SPARQL"; DB.DBA.RDF_DEFAULT_USER_PERMS_SET (\'nobody\', 7);'
)


def _port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _answering(url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped (exit {process.returncode})")
        with contextlib.suppress(OSError):
            with urllib.request.urlopen(f"{url}?query=ASK%7B%7D", timeout=2):
                return
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def oxigraph() -> Iterator[str]:
    command = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
    port = _port()
    process = subprocess.Popen([command, "serve", "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _answering(f"http://127.0.0.1:{port}/query", process)
        yield f"http://127.0.0.1:{port}/query"
    finally:
        _stop(process)


@contextlib.contextmanager
def virtuoso() -> Iterator[str]:
    with tempfile.TemporaryDirectory() as folder:
        sql_port, http_port = _port(), _port()
        ini = Path(folder) / "virtuoso.ini"
        ini.write_text(VIRTUOSO_SETTINGS.format(
            folder=folder, sql_port=sql_port, http_port=http_port, buffers=100_000, dirty_buffers=60_000
        ))
        process = subprocess.Popen(["virtuoso-t", "+foreground", "+configfile", str(ini)], cwd=folder,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            _answering(f"http://127.0.0.1:{http_port}/sparql", process)
            subprocess.run(["isql-vt", f"127.0.0.1:{sql_port}", "dba", "dba", f"exec={GRANTS}"],
                           check=True, capture_output=True, timeout=60)
            yield f"http://127.0.0.1:{http_port}/sparql"
        finally:
            _stop(process)


def timed(work: Callable[[], object], rounds: int) -> str:
    """The median wall time of ``work``, or why it has none."""
    seconds = []
    for _ in range(rounds):
        started = time.perf_counter()
        try:
            work()
        except Exception as error:  # noqa: BLE001 (a failed run is a cell of the table)
            return f"failed ({type(error).__name__})"
        seconds.append(time.perf_counter() - started)
    return f"{statistics.median(seconds):.2f} s"


def rows_for(size: int, cap: float, rounds: int) -> list[str]:
    import pmgraph
    from pmgraph.stores.endpoint import Endpoint
    from pmgraph.validation.engine import compile_shapes, run_checks
    from pmgraph.validation.validator import rules

    rule_6 = [c for c in compile_shapes(rules()) if str(c.shape).endswith("#OneAccountableShape")]
    with tempfile.TemporaryDirectory() as folder, oxigraph() as oxigraph_url, virtuoso() as virtuoso_url:
        path = Path(folder) / f"portfolio-{size}.nt"
        subprocess.run([sys.executable, str(HERE / "generate.py"), "--triples", str(size), "-o", str(path)],
                       check=True, capture_output=True)
        timings: dict[str, list[str]] = {}
        memory = {}
        timings["read the file / push"] = [timed(lambda: memory.setdefault("org", pmgraph.Organisation.open(path)), 1)]
        backends = {"memory": memory["org"]}
        for name, url in (("oxigraph", oxigraph_url), ("virtuoso", virtuoso_url)):
            endpoint = Endpoint(url, timeout=cap)
            timings["read the file / push"].append(timed(lambda e=endpoint: pmgraph.push(e, path), 1))
            backends[name] = pmgraph.Organisation.at_endpoint(endpoint)
        work: dict[str, Callable[[object], object]] = {
            "validate": lambda data: pmgraph.validate(data),
            "rule 6": lambda data: list(run_checks(data.store, rule_6, union=True)),
            **{f"query {name}": (lambda data, n=name: pmgraph.query(data, n, **_on_the_day(n))) for name in QUERIES},
            "overlap --roles": lambda data: pmgraph.role_overlap(data),
            "overlap --people": lambda data: pmgraph.people_overlap(data),
        }
        for what, run in work.items():
            timings[what] = [timed(lambda d=data: run(d), rounds) for data in backends.values()]
            print(f"{size:,} {what}: {timings[what]}", flush=True)
    return [f"| {size:,} | {what} | {' | '.join(cells)} |" for what, cells in timings.items()]


def _on_the_day(name: str) -> dict[str, str]:
    """The day a question is asked about, when it takes one (as bench/run.py asks it)."""
    from pmgraph.queries.questions import find_query

    return {"at": AT} if "at" in {p.name for p in find_query(name).parameters} else {}


def table(sizes: list[int], cap: float = 600, rounds: int = 1) -> str:
    lines = [
        "| triples | what | in memory | Oxigraph server 0.5 | Virtuoso 7.2 |",
        "|---:|---|---:|---:|---:|",
    ]
    for size in sizes:
        lines += rows_for(size, cap, rounds)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--cap", type=float, default=600, help="seconds to wait for a server's answer")
    parser.add_argument("--rounds", type=int, default=1, help="runs of each timed part (the median is shown)")
    args = parser.parse_args(argv)
    print("\n" + table(args.sizes, args.cap, args.rounds))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
