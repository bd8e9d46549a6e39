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
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
QUERIES = ("people-with-concurrent-roles", "projects-without-manager", "overdue-projects")
AT = "2024-06-30"
# The servers are started as the tests start them (tests/sparql_servers.py, their one home).
sys.path.insert(0, str(HERE.parent / "tests"))
from sparql_servers import oxigraph_server, virtuoso_server  # noqa: E402

sys.path.remove(str(HERE.parent / "tests"))


def timed(work: Callable[[], object], rounds: int) -> str:
    """The median wall time of ``work``, or why it has none."""
    seconds = []
    for _ in range(rounds):
        started = time.perf_counter()
        try:
            work()
        except Exception as error:  # noqa: BLE001 (a failed run is a cell of the table)
            print(f"  {type(error).__name__}: {error}", file=sys.stderr, flush=True)  # why, beside the table
            waited = re.search(r"no answer within (\S+) s", str(error))
            return f"> {waited[1]} s" if waited else f"failed ({type(error).__name__})"
        seconds.append(time.perf_counter() - started)
    return f"{statistics.median(seconds):.2f} s"


def rows_for(size: int, cap: float, rounds: int) -> list[str]:
    import pmgraph
    from pmgraph.stores.endpoint import Endpoint
    from pmgraph.validation.engine import compile_shapes, run_checks
    from pmgraph.validation.validator import rules

    rule_6 = [c for c in compile_shapes(rules()) if str(c.shape).endswith("#OneAccountableShape")]
    with (
        tempfile.TemporaryDirectory() as folder,
        oxigraph_server() as oxigraph,
        virtuoso_server(Path(folder), buffers=100_000) as virtuoso,
    ):
        path = Path(folder) / f"portfolio-{size}.nt"
        subprocess.run([sys.executable, str(HERE / "generate.py"), "--triples", str(size), "-o", str(path)],
                       check=True, capture_output=True)
        timings: dict[str, list[str]] = {}
        memory = {}
        timings["read the file / push"] = [timed(lambda: memory.setdefault("org", pmgraph.Organisation.open(path)), 1)]
        backends = {"memory": memory["org"]}
        for name, url in (("oxigraph", oxigraph.url), ("virtuoso", virtuoso.url)):
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
