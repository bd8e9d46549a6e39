"""Time every shipped query on a generated portfolio, each in a fresh process, and print a table.

Each query runs on pyoxigraph as the benchmark runs it (bench/run.py): the file loaded with
``pmgraph.rdf.reading.load_store`` and the ontology added, then ``store.query`` over the union of the
graphs with the parameters bound, and every row listed. Only the query is timed, not the load.
The parameters are those a user would typically pass (below, in the generated portfolio's
IRIs); optional ones are left to their defaults, except the day asked about, which is fixed so
that runs compare. A query that runs past ``--cap`` seconds is stopped and shown as ``> cap``.

    python bench/queries.py /tmp/portfolio-1000000.nt [--cap 120] [--repeat 3] [--query NAME ...]
        [--queries-from DIR]

The data comes from bench/generate.py. ``--queries-from`` times the ``NAME.rq`` files of another
folder instead (another version of the queries, such as ``git show``'s), for a before and after.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

AT = "2024-06-30"
GENERATED = "https://example.org/generated/"

#: What a user would typically ask each query, in the generated portfolio's terms.
PARAMETERS: dict[str, dict[str, str]] = {
    "accountable-for": {"scope": f"<{GENERATED}project/0>", "responsibility": "pm:Budgeting", "at": AT},
    "assignment-changes": {"from": "2024-06-01", "to": "2024-06-30"},
    "consulted-and-informed": {"scope": f"<{GENERATED}project/0>", "at": AT},
    "delivered-products": {"scope": f"<{GENERATED}project/0>", "at": AT},
    "over-allocated-people": {},
    "over-budget": {},
    "overdue-projects": {"at": AT},
    "parts-of-scope": {"scope": f"<{GENERATED}portfolio/0>"},
    "people-across-programs": {"portfolio": f"<{GENERATED}portfolio/0>"},
    "people-with-concurrent-roles": {},
    "product-teams": {"product": f"<{GENERATED}product/0>", "at": AT},
    "projects-with-several-accountable": {"at": AT},
    "projects-without-manager": {"at": AT},
    "reporting-chain": {"person": f"<{GENERATED}person/5000>"},
    "role-history": {"scope": f"<{GENERATED}project/0>", "role": "pm:ProjectManager"},
    "role-holders": {"scope": f"<{GENERATED}project/0>", "role": "pm:ProjectManager", "at": AT},
    "roles-for-responsibility": {"responsibility": "pm:Budgeting"},
    "scope-kpis": {"scope": f"<{GENERATED}project/0>"},
    "shared-responsibilities": {"role": "pm:ProductManager", "other": "pm:ProductOwner"},
    "term-source": {"term": "pm:Project"},
}

# What a child process runs: prints {"load": s, "seconds": best s, "rows": n}.
CHILD = r"""
import json, sys, time
import pyoxigraph
from pmgraph.rdf.reading import load_store
from pmgraph.queries.questions import checked_bindings, read_query, shipped_queries
from pmgraph.rdf.terms import oxigraph_term
from pmgraph.ontology import add_ontology

name, path, params, repeat, folder = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
asked = read_query(f"{folder}/{name}.rq") if folder else next(q for q in shipped_queries() if q.name == name)
at = params.pop("at", None)
bindings = checked_bindings(asked, {"pm": "https://w3id.org/pmgraph#"}, at=at, allow_service=False, params=params)
substitutions = {pyoxigraph.Variable(k): oxigraph_term(v) for k, v in bindings.items()}
started = time.perf_counter()
store = load_store(path)
add_ontology(store)
loaded = time.perf_counter() - started
times = []
for _ in range(repeat):
    start = time.perf_counter()
    rows = len(list(store.query(asked.text, substitutions=substitutions, use_default_graph_as_union=True)))
    times.append(time.perf_counter() - start)
print(json.dumps({"load": loaded, "seconds": min(times), "rows": rows}))
"""


def time_query(name: str, path: Path, cap: float, repeat: int, folder: Path | None = None) -> dict[str, object]:
    """Run one query in a fresh process: its best time over ``repeat`` runs, and its row count."""
    command = [sys.executable, "-c", CHILD, name, str(path), json.dumps(PARAMETERS[name]), str(repeat), str(folder or "")]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=cap)
    except subprocess.TimeoutExpired:
        return {"note": f"> {cap:.0f} s"}
    if done.returncode != 0 or not done.stdout.strip():
        return {"note": "failed: " + (done.stderr.strip().splitlines() or ["?"])[-1]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", type=Path, help="a generated portfolio (bench/generate.py)")
    parser.add_argument("--cap", type=float, default=120, help="stop a query's process after this many seconds")
    parser.add_argument("--repeat", type=int, default=1, help="run each query this many times, keep the best")
    parser.add_argument("--query", nargs="+", choices=sorted(PARAMETERS), help="only these queries")
    parser.add_argument("--queries-from", type=Path, metavar="DIR", help="time DIR/NAME.rq instead of the shipped queries")
    args = parser.parse_args(argv)
    source = args.queries_from or "the shipped queries"
    print(f"{args.path}, {source}: one fresh process per query, best of {args.repeat}, cap {args.cap:.0f} s")
    print("| query | parameters | seconds | rows |")
    print("|---|---|---:|---:|")
    from pmgraph.queries.questions import shipped_queries

    for name in sorted({q.name for q in shipped_queries()} - set(PARAMETERS)):
        print(f"| {name} | not timed: add its parameters to PARAMETERS in bench/queries.py | | |")
    for name in args.query or sorted(PARAMETERS):
        measured = time_query(name, args.path, args.cap, args.repeat, args.queries_from)
        given = " ".join(f"{k}={v.replace(f'<{GENERATED}', '').rstrip('>')}" for k, v in PARAMETERS[name].items())
        seconds = f"{measured['seconds']:.3f}" if "seconds" in measured else measured["note"]
        print(f"| {name} | {given} | {seconds} | {measured.get('rows', '')} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
