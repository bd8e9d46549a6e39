"""Benchmark pmgraph against its baselines, side by side in one run, on generated portfolios.

For 10k, 100k and 1M triples (bench/generate.py, with injected defects) it measures, each in a
fresh process (wall time and peak memory):

- load: pmgraph's pyoxigraph store vs rdflib's parser, and vs pyoxigraph's own loader (strict, and
  lenient: what pmgraph's load stands on), these three in turn ``--rounds`` times (the median);
- validate: ``pmgraph validate`` (files to report, pmgraph's engine) vs pySHACL on the same shapes
  and data (``--engine pyshacl``), and Apache Jena's SHACL validator where Debian's
  ``libapache-jena-java`` is installed (bench/jena.py; the row says whether its results are pmgraph's);
  and ``pmgraph validate`` beside the same without looking up where each finding is stated
  (``ValidationResult.sources``), in turn ``--rounds`` times (target: at most 1.1x);
- the on-disk store: ``push --store`` (files into a new store, validated once and its findings
  kept) and opening that store again, ready for a first query, each beside loading the file into
  memory; ``validate --store`` of that store beside ``validate FILE``, in turn ``--rounds`` times;
- three shipped queries: pyoxigraph vs rdflib's SPARQL engine, on data already loaded;
- the role and people overlap analyses, on data already loaded (target: under 5 s at 1M);
- ``pmgraph merge FILE -o OUT`` beside pyoxigraph's own load of the file, and ``pmgraph diff FILE
  FILE`` beside pyoxigraph's own load of both (target: within 4x of it, at most 1.5 GB at 1M),
  these four in turn ``--rounds`` times, as the loads are.
- an organisation's rules (examples/organisation/rules.ttl, ten rules in SHACL Core and SPARQL):
  the time they add to ``pmgraph validate`` (``--shapes``) beside the time pmgraph's own rules take
  (validate minus load; target: no more), their queries alone on one thread beside pmgraph's own
  rules' (on data loaded), and ``pmgraph shacl`` on them beside pySHACL and Jena on
  the same rules and data (``--only-org-rules`` measures these rows alone, and with ``--out`` puts
  them in place of the same rows of the table already there, keeping its other rows);
- the Python API: ``pmgraph.validate(pmgraph.load(FILE))`` vs ``pmgraph validate FILE``, and
  ``pmgraph.role_overlap(pmgraph.load(FILE))`` vs ``role_overlap(Organisation.open(FILE))``, each
  reading the file in its time, in turn ``--rounds`` times (target: within 1.2x, time and memory).

Each result is printed with its ratio to the baseline. A baseline that runs past ``--cap`` seconds
is stopped and shown as ``> cap``. Prints a Markdown table (docs/benchmarks.md includes bench/results.md).

    python bench/run.py [--sizes 10000 100000 1000000] [--cap 300] [--rounds 3] [--out bench/results.md]
        [--servers [100000 1000000]]

With ``--assignments ROWS...``, a table times ``pmgraph import-assignments`` of a CSV file of that many
role assignments (bench/assignments.py) beside Python's csv module reading the same rows (target:
linear, under 1 GB at a million rows); with ``--sizes`` given no size, that table alone
(``--sizes --assignments 100000 1000000 --out bench/assignments.md``).

With ``--servers``, a second table times pmgraph on an Oxigraph server and on Virtuoso beside the
in-memory path (bench/servers.py).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
QUERIES = ("people-with-concurrent-roles", "projects-without-manager", "overdue-projects")
AT = "2024-06-30"
# An organisation's own rules (ten, SHACL Core and SPARQL), for validate --shapes and pmgraph shacl.
ORG_RULES = HERE.parent / "examples" / "organisation" / "rules.ttl"

# The prefix of the names in bench/assignments.py's rows, as import-assignments is given it.
ASSIGNMENTS_PREFIX = "gen=https://example.org/generated/"

# What a child process runs: prints {"seconds": ...} for the timed part only.
CHILD = r'''
import json, sys, time
task, path = sys.argv[1], sys.argv[2]
started = time.perf_counter()

def done(start=None):
    print(json.dumps({"seconds": time.perf_counter() - (start if start is not None else started)}))

def oxigraph_store():
    from pmgraph.rdf.reading import load_store
    from pmgraph.ontology import add_ontology
    store = load_store(path)
    add_ontology(store)
    return store

def rdflib_graph():
    import rdflib
    from pmgraph._resources import ontology_file
    graph = rdflib.Graph().parse(path, format="nt")
    graph.parse(ontology_file(), format="turtle")
    return graph

if task == "load:pmgraph":
    oxigraph_store(); done()
elif task in ("load:pyoxigraph", "load:pyoxigraph-lenient"):  # the library's own loader, the floor
    import pyoxigraph
    pyoxigraph.Store().load(path=path, format=pyoxigraph.RdfFormat.N_TRIPLES, lenient=task.endswith("lenient")); done()
elif task == "load:pyoxigraph-both":  # what pmgraph diff FILE FILE stands on: the file loaded twice
    import pyoxigraph
    for _ in range(2):
        pyoxigraph.Store().load(path=path, format=pyoxigraph.RdfFormat.N_TRIPLES)
    done()
elif task == "merge:pmgraph":  # the command, files to canonical output
    from pmgraph.cli import main
    import contextlib, io
    with contextlib.redirect_stderr(io.StringIO()):
        main(["merge", path, "-o", path + ".merged.ttl"])
    done()
elif task == "diff:pmgraph":  # the file against itself: every statement read, compared and found unchanged
    from pmgraph.cli import main
    import contextlib, io
    with contextlib.redirect_stdout(io.StringIO()):
        main(["diff", path, path])
    done()
elif task == "import:assignments":  # a CSV of role assignments (bench/assignments.py) to Turtle
    from pmgraph.cli import main
    import contextlib, io
    with contextlib.redirect_stderr(io.StringIO()):
        main(["import-assignments", path, "--prefix", "%(assignments_prefix)s", "-o", path + ".ttl"])
    done()
elif task == "read:csv":  # Python's csv module reading the same rows: the floor of any reader of them
    import csv
    with open(path, newline="", encoding="utf-8") as file:
        sum(1 for _ in csv.reader(file))
    done()
elif task == "load:rdflib":
    import rdflib
    rdflib.Graph().parse(path, format="nt"); done()
elif task == "validate:pmgraph":
    from pmgraph.cli import main
    import contextlib, io
    with contextlib.redirect_stdout(io.StringIO()):
        main(["validate", "--format", "json", path])
    done()
elif task == "validate:unplaced":  # the same, without looking up where the findings are stated
    import pmgraph.rdf.places
    pmgraph.rdf.places.statement_places = lambda files, wanted: {}
    from pmgraph.cli import main
    import contextlib, io
    with contextlib.redirect_stdout(io.StringIO()):
        main(["validate", "--format", "json", path])
    done()
elif task in ("validate:org", "shacl:org"):  # an organisation's rules: beside pmgraph's, or alone
    from pmgraph.cli import main
    import contextlib, io
    with contextlib.redirect_stdout(io.StringIO()):
        if task == "validate:org":
            main(["validate", "--format", "json", "--shapes", "%(org)s", path])
        else:
            main(["shacl", "--format", "json", "--shapes", "%(org)s", path])
    done()
elif task in ("checks:own", "checks:org"):  # a rules file's queries alone, one at a time, on data loaded
    from rdflib.namespace import SH
    from pmgraph.validation.engine import plan_shapes, run_checks
    from pmgraph.validation.validator import rules, rules_from
    store = oxigraph_store()
    shapes = rules() if task == "checks:own" else rules_from(["%(org)s"])
    start = time.perf_counter()
    plan = plan_shapes(shapes, joined=set(shapes.objects(None, SH.sparql)) if task == "checks:own" else ())  # as validate plans them
    list(run_checks(store, list(plan.checks), union=True, threads=1))
    done(start)
elif task == "shacl:org:pyshacl":  # pySHACL on the same data and rules, as pmgraph shacl is given them
    import pyshacl, rdflib
    pyshacl.validate(rdflib.Graph().parse(path, format="nt"), shacl_graph=rdflib.Graph().parse("%(org)s"), inference="none")
    done()
elif task == "validate:pyshacl":
    from pmgraph.cli import main
    import contextlib, io
    with contextlib.redirect_stdout(io.StringIO()):
        main(["validate", "--engine", "pyshacl", "--format", "json", path])
    done()
elif task in ("push:store", "push:store-again"):  # the files into a new on-disk store beside them (or
    # again into that store: their graph replaced), validated and its findings kept
    from pmgraph.cli import main
    import contextlib, io
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        status = main(["push", path, "--store", path + ".store"])
    if status == 0:
        done()
elif task == "validate:store":  # that store validated: the findings push kept, read back
    from pmgraph.cli import main
    import contextlib, io
    with contextlib.redirect_stdout(io.StringIO()):
        main(["validate", "--format", "json", "--store", path + ".store"])
    done()
elif task == "reopen:store":  # that store opened again, ready for a first query
    from pmgraph.stores.disk import open_store
    with open_store(path + ".store") as store:
        store.query("ASK { ?s ?p ?o }", use_default_graph_as_union=True)
    done()
elif task.startswith(("query:store:", "query:files:")):  # the command on that store, or on the file
    _, where, name = task.split(":")
    from pmgraph.cli import main
    import contextlib, io
    from pmgraph.queries.questions import shipped_queries
    dated = "at" in {p.name for q in shipped_queries() if q.name == name for p in q.parameters}
    with contextlib.redirect_stdout(io.StringIO()):
        status = main(["query", name, *([] if where == "store" else [path]), *(["--at", "%(at)s"] if dated else []),
                       "--format", "csv", *(["--store", path + ".store"] if where == "store" else [])])
    if status == 0:
        done()
elif task.startswith("query:"):
    _, name, engine = task.split(":")
    from pmgraph.queries.questions import shipped_queries
    text = next(q.text for q in shipped_queries() if q.name == name)
    if engine == "pmgraph":
        import pyoxigraph
        store = oxigraph_store()
        start = time.perf_counter()
        binding = {pyoxigraph.Variable("at"): pyoxigraph.Literal("%(at)s", datatype=pyoxigraph.NamedNode("http://www.w3.org/2001/XMLSchema#date"))}
        rows = list(store.query(text, substitutions=binding if "?at" in text else {}, use_default_graph_as_union=True))
    else:
        import rdflib
        graph = rdflib_graph()
        start = time.perf_counter()
        binding = {"at": rdflib.Literal("%(at)s", datatype=rdflib.XSD.date)} if "?at" in text else {}
        rows = list(graph.query(text, initBindings=binding))
    done(start)
elif task == "validate:load":  # the Python API's way: pmgraph.load's dataset, validated
    import pmgraph
    pmgraph.validate(pmgraph.load(path)); done()
elif task in ("roles:load", "roles:open"):  # the role overlap from the file, the reading timed too
    import pmgraph
    data = pmgraph.load(path) if task == "roles:load" else pmgraph.Organisation.open(path)
    pmgraph.role_overlap(data); done()
elif task.startswith("overlap:"):
    from pmgraph.analysis.overlap import people_overlap, role_overlap
    store = oxigraph_store()
    start = time.perf_counter()
    (role_overlap if task == "overlap:roles" else people_overlap)(store)
    done(start)
''' % {"at": AT, "org": ORG_RULES, "assignments_prefix": ASSIGNMENTS_PREFIX}


@dataclass(frozen=True)
class Measure:
    seconds: float | None  # None: stopped at the cap, or not available
    peak_mb: float | None
    note: str = ""


def _run(command: list[str], cap: float, output: Any = subprocess.PIPE) -> tuple[subprocess.Popen, int, float, float] | None:
    """Run a command to its end: the process, its exit status, wall seconds and peak resident MB (None past the cap)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=output, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + cap
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            return process, os.waitstatus_to_exitcode(status), time.perf_counter() - started, usage.ru_maxrss / 1024
        if time.monotonic() > deadline:
            process.kill()
            os.wait4(process.pid, 0)
            return None
        time.sleep(0.05)


def measure(task: str, path: Path, cap: float) -> Measure:
    """Run one task in a fresh Python process; its timed seconds and its peak resident memory."""
    finished = _run([sys.executable, "-c", CHILD, task, str(path)], cap)
    if finished is None:
        return Measure(None, None, f"> {cap:.0f} s")
    process, status, _wall, peak_mb = finished
    output = process.stdout.read().decode() if process.stdout else ""
    if status != 0 or not output.strip():
        return Measure(None, None, "failed")
    seconds = json.loads(output.strip().splitlines()[-1])["seconds"]
    return Measure(seconds, peak_mb)


def interleaved(tasks: tuple[str, ...], path: Path, cap: float, rounds: int) -> dict[str, Measure]:
    """Run the tasks in turn, ``rounds`` times over: each one's median seconds and highest peak.

    A machine whose speed drifts from one minute to the next (this one's did by up to 2x) then
    slows each task alike, so their ratios hold.
    """
    runs: dict[str, list[Measure]] = {task: [] for task in tasks}
    for _ in range(rounds):
        for task in tasks:
            runs[task].append(measure(task, path, cap))
    result = {}
    for task, measures in runs.items():
        timed = sorted(m.seconds for m in measures if m.seconds is not None)
        if len(timed) < len(measures):
            result[task] = next(m for m in measures if m.seconds is None)  # stopped or failed: said so
        else:
            result[task] = Measure(timed[len(timed) // 2], max(m.peak_mb or 0 for m in measures) or None)
    return result


def jena_shacl(path: Path, cap: float) -> tuple[Measure, str]:
    """Apache Jena's SHACL validator (bench/jena.py) on the data and the ontology, where Debian's Jena is installed.

    Times the whole ``java`` process (start-up, parsing, validating, writing its report), with a
    heap of ``jena.HEAP``; merging its input files first is not timed. Also says whether Jena's
    results are those of ``pmgraph validate`` on the same file.
    """
    import jena

    if not jena.installed():
        return Measure(None, None, "not installed"), ""
    classpath = jena.classpath(jena.default_cache())
    with tempfile.TemporaryDirectory() as folder:
        shapes, data = jena.prepare([path], Path(folder), classpath)
        report = Path(folder) / "report.ttl"
        with open(report, "wb") as output:
            finished = _run(jena.validate_command(shapes, data, classpath), cap, output)
        if finished is None:
            return Measure(None, None, f"> {cap:.0f} s"), ""
        _process, status, seconds, peak_mb = finished
        if status != 0:
            return Measure(None, None, "failed"), ""
        found = jena.results(report.read_text(encoding="utf-8"), shapes)
    pmgraph = subprocess.run(
        [str(Path(sys.executable).parent / "pmgraph"), "validate", "--format", "json", str(path)],
        capture_output=True, text=True, check=False,
    )
    if pmgraph.returncode not in (0, 1):
        return Measure(seconds, peak_mb), "pmgraph validate failed"
    return Measure(seconds, peak_mb), jena.agreement(found, json.loads(pmgraph.stdout))


def jena_org_rules(path: Path, cap: float) -> Measure:
    """Apache Jena's SHACL validator on the data and the organisation's rules alone (as pmgraph shacl)."""
    import jena

    if not jena.installed():
        return Measure(None, None, "not installed")
    classpath = jena.classpath(jena.default_cache())
    finished = _run(jena.validate_command(ORG_RULES, path, classpath), cap, subprocess.DEVNULL)
    if finished is None:
        return Measure(None, None, f"> {cap:.0f} s")
    _process, status, seconds, peak_mb = finished
    return Measure(seconds, peak_mb) if status == 0 else Measure(None, None, "failed")


def store_rows(path: Path, args: argparse.Namespace, load: Measure | None = None) -> list[tuple[str, Measure, Measure, str]]:
    """The on-disk store: written once (``push --store``), then opened instead of loading the file,
    validated, and asked three shipped questions (``query --store`` beside ``query FILE``)."""
    in_memory = load or interleaved(("load:pmgraph",), path, args.cap, args.rounds)["load:pmgraph"]
    rows = [
        ("push --store", measure("push:store", path, args.cap), in_memory, "load in memory"),
        ("push --store again (its graph replaced)", measure("push:store-again", path, args.cap), in_memory, "load in memory"),
        ("reopen store", measure("reopen:store", path, args.cap), in_memory, "load from the file"),
    ]
    stored = interleaved(("validate:store", "validate:pmgraph"), path, args.cap, args.rounds)
    rows.append(("validate --store", stored["validate:store"], stored["validate:pmgraph"], "pmgraph validate FILE"))
    for name in QUERIES:
        asked = interleaved((f"query:store:{name}", f"query:files:{name}"), path, args.cap, args.rounds)
        rows.append((f"query --store {name}", asked[f"query:store:{name}"], asked[f"query:files:{name}"], "pmgraph query FILE"))
    return rows


def org_rules_rows(size: int, path: Path, args: argparse.Namespace) -> list[tuple[str, Measure, Measure, str]]:
    """The organisation's rules: what they add to validate, beside what pmgraph's own rules take
    (validate minus load: target, no more), and pmgraph shacl beside pySHACL and Jena on them."""
    runs = interleaved(("load:pmgraph", "validate:pmgraph", "validate:org"), path, args.cap, args.rounds)
    load, own, both = (runs[t].seconds for t in ("load:pmgraph", "validate:pmgraph", "validate:org"))
    rows = []
    if None not in (load, own, both):
        rows.append((
            "validate --shapes org rules: time added", Measure(max(both - own, 0.0), runs["validate:org"].peak_mb),  # type: ignore[operator]
            Measure(own - load, runs["validate:pmgraph"].peak_mb), "pmgraph's own rules (validate minus load); target: no more",  # type: ignore[operator]
        ))
    # the same question without validate's second thread, which hides a rules file's time beside the other's
    checks = interleaved(("checks:own", "checks:org"), path, args.cap, args.rounds)
    rows.append(("org rules' checks, one thread", checks["checks:org"], checks["checks:own"], "pmgraph's own rules' checks, one thread"))
    shacl = measure("shacl:org", path, args.cap)
    pyshacl = measure("shacl:org:pyshacl", path, args.cap) if size <= args.pyshacl_up_to else Measure(None, None, "not run")
    rows.append(("shacl --shapes org rules", shacl, pyshacl, "pySHACL, same rules"))
    jena = jena_org_rules(path, args.cap)
    if jena.note != "not installed":
        rows.append(("shacl --shapes org rules", shacl, jena, "Apache Jena's shacl, same rules"))
    return rows


def _startup(runs: int = 5) -> tuple[float, float]:
    """Median wall time of ``pmgraph --version`` and of a bare ``python -c pass``."""
    pmgraph = str(Path(sys.executable).parent / "pmgraph")

    def median(command: list[str]) -> float:
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            subprocess.run(command, capture_output=True, check=True)
            times.append(time.perf_counter() - started)
        return sorted(times)[runs // 2]

    return median([pmgraph, "--version"]), median([sys.executable, "-c", "pass"])


def cell(m: Measure) -> str:
    if m.seconds is None:
        return m.note
    memory = f", {m.peak_mb:.0f} MB" if m.peak_mb else ""
    return f"{m.seconds:.2f} s{memory}"


def ratio(ours: Measure, baseline: Measure) -> str:
    if ours.seconds is None:
        return "—"
    if baseline.seconds is None:
        return f"> {float(baseline.note.strip('> s')) / ours.seconds:.0f}x" if baseline.note.startswith(">") else "—"
    return f"{baseline.seconds / ours.seconds:.1f}x"


def assignments_table(sizes: list[int], cap: float) -> str:
    """``pmgraph import-assignments`` of generated CSV files beside Python's csv module reading them."""
    lines = ["| rows | what | pmgraph | baseline | baseline is | pmgraph / baseline |", "|---:|---|---:|---:|---|---:|"]
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            path = Path(folder) / f"assignments-{size}.csv"
            subprocess.run([sys.executable, str(HERE / "assignments.py"), "--rows", str(size), "-o", str(path)], check=True)
            ours, floor = measure("import:assignments", path, cap), measure("read:csv", path, cap)
            times = f"{ours.seconds / floor.seconds:.0f}x" if ours.seconds and floor.seconds else "—"
            line = f"| {size:,} | import-assignments | {cell(ours)} | {cell(floor)} | csv.reader over the file | {times} |"
            lines.append(line)
            print(line, flush=True)
    return "\n".join(lines)


def _at_least_one(text: str) -> int:
    """A count given on the command line: a whole number of 1 or more."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of 1 or more, not {text!r}")
    return int(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--cap", type=float, default=300, help="stop a baseline after this many seconds")
    parser.add_argument("--out", type=Path, help="also write the Markdown table here")
    parser.add_argument(
        "--rdflib-queries-up-to", type=int, default=10**9,
        help="run the rdflib SPARQL baselines only up to this size (each loads the data into rdflib first)",
    )
    parser.add_argument(
        "--pyshacl-up-to", type=int, default=10_000,
        help="run the pySHACL baseline only up to this size (it needs minutes at 10k already)",
    )
    parser.add_argument(
        "--rounds", type=_at_least_one, default=3,
        help="how many times pmgraph's load and pyoxigraph's loaders run, in turn (the median is shown)",
    )
    parser.add_argument(
        "--servers", type=int, nargs="*", metavar="SIZE",
        help="also time validate, three questions and both analyses on an Oxigraph server and Virtuoso beside "
        "the in-memory path at these sizes (bench/servers.py), in a second table (no SIZE: the --sizes)",
    )
    parser.add_argument(
        "--assignments", type=int, nargs="*", metavar="ROWS",
        help="also time import-assignments of a CSV file of this many rows (bench/assignments.py), in a table of its own",
    )
    parser.add_argument(
        "--only-org-rules", action="store_true",
        help="measure only the organisation rules' rows (examples/organisation/rules.ttl)",
    )
    parser.add_argument(
        "--only-store", action="store_true",
        help="measure only the on-disk store's rows: push --store, reopen, validate --store and query --store",
    )
    args = parser.parse_args(argv)
    lines = [
        "| triples | what | pmgraph | baseline | baseline is | speed-up |",
        "|---:|---|---:|---:|---|---:|",
    ]
    if args.sizes:
        startup = _startup()
        lines.append(f"| — | `pmgraph --version` | {startup[0]:.2f} s | {startup[1]:.2f} s | `python -c pass` | — |")
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            path = Path(folder) / f"portfolio-{size}.nt"
            subprocess.run([sys.executable, str(HERE / "generate.py"), "--triples", str(size), "-o", str(path)], check=True)
            if args.only_org_rules:
                for what, ours, baseline, kind in org_rules_rows(size, path, args):
                    line = f"| {size:,} | {what} | {cell(ours)} | {cell(baseline)} | {kind} | {ratio(ours, baseline)} |"
                    lines.append(line)
                    print(line, flush=True)
                continue
            if args.only_store:
                for what, ours, baseline, kind in store_rows(path, args):
                    line = f"| {size:,} | {what} | {cell(ours)} | {cell(baseline)} | {kind} | {ratio(ours, baseline)} |"
                    lines.append(line)
                    print(line, flush=True)
                continue
            loads = interleaved(("load:pmgraph", "load:pyoxigraph", "load:pyoxigraph-lenient"), path, args.cap, args.rounds)
            load = loads["load:pmgraph"]
            validate = measure("validate:pmgraph", path, args.cap)
            rows = [
                ("load", load, measure("load:rdflib", path, args.cap), "rdflib parse"),
                # what pmgraph's load stands on, in the same run: pyoxigraph's own loader, strict (as
                # checked as pmgraph's load), and lenient (no IRI or language tag checks: the floor)
                ("load", load, loads["load:pyoxigraph"], "pyoxigraph Store.load"),
                ("load", load, loads["load:pyoxigraph-lenient"], "pyoxigraph Store.load, lenient"),
                (
                    "validate",
                    validate,
                    measure("validate:pyshacl", path, args.cap)
                    if size <= args.pyshacl_up_to
                    else Measure(None, None, "not run"),
                    "pySHACL",
                ),
            ]
            # each finding placed in the files (its file, line and column) beside the same validation
            # without (target: at most 1.1x)
            placed = interleaved(("validate:pmgraph", "validate:unplaced"), path, args.cap, args.rounds)
            rows.append(("validate, findings placed", placed["validate:pmgraph"], placed["validate:unplaced"], "validate, not placed"))
            jena, agreement = jena_shacl(path, args.cap)
            if jena.note != "not installed":
                rows.append(("validate", validate, jena, f"Jena shacl ({agreement})" if agreement else "Jena shacl"))
            rows += store_rows(path, args, load)
            for name in QUERIES:
                baseline = (
                    measure(f"query:{name}:rdflib", path, args.cap)
                    if size <= args.rdflib_queries_up_to
                    else Measure(None, None, "not run")
                )
                rows.append((f"query {name}", measure(f"query:{name}:pmgraph", path, args.cap), baseline, "rdflib SPARQL"))
            # the Python API on pmgraph.load's dataset beside the same work from the file (target: within 1.2x)
            api = interleaved(("validate:load", "validate:pmgraph", "roles:load", "roles:open"), path, args.cap, args.rounds)
            rows.append(("pmgraph.validate(pmgraph.load(FILE))", api["validate:load"], api["validate:pmgraph"], "pmgraph validate FILE"))
            rows.append(
                ("pmgraph.role_overlap(pmgraph.load(FILE))", api["roles:load"], api["roles:open"], "role_overlap(Organisation.open(FILE))")
            )
            for analysis in ("roles", "people"):
                ours = measure(f"overlap:{analysis}", path, args.cap)
                rows.append((f"overlap --{analysis}", ours, Measure(None, None, "target < 5 s"), "—"))
            exchange = interleaved(
                ("merge:pmgraph", "load:pyoxigraph", "diff:pmgraph", "load:pyoxigraph-both"), path, args.cap, args.rounds
            )
            rows.append(("merge", exchange["merge:pmgraph"], exchange["load:pyoxigraph"], "pyoxigraph Store.load of the file"))
            rows.append(
                ("diff FILE FILE", exchange["diff:pmgraph"], exchange["load:pyoxigraph-both"], "pyoxigraph Store.load of both")
            )
            rows += org_rules_rows(size, path, args)
            for what, ours, baseline, kind in rows:
                # A stopped query baseline was timed with its loading: no ratio can be drawn from it.
                speedup = "—" if what.startswith("query") and baseline.seconds is None else ratio(ours, baseline)
                line = f"| {size:,} | {what} | {cell(ours)} | {cell(baseline)} | {kind} | {speedup} |"
                lines.append(line)
                print(line, flush=True)
    table = "\n".join(lines)
    if args.assignments:
        assignments = assignments_table(args.assignments, args.cap)
        # with no --sizes, the table of role assignments alone (bench/assignments.md)
        table = f"{table}\n\nRole assignments from a CSV file (bench/assignments.py):\n\n{assignments}" if args.sizes else assignments
    if args.servers is not None:  # --servers alone: at the --sizes
        sys.path.insert(0, str(HERE))
        from servers import table as servers_table

        table += "\n\nOn SPARQL servers (bench/servers.py; wall time of the work, in seconds):\n\n"
        table += servers_table(args.servers or args.sizes, args.cap)
    print("\n" + table)
    if args.out:
        if args.only_org_rules and args.out.is_file():
            table = with_org_rules_rows(args.out.read_text(), lines[3:])
        args.out.write_text(table + "\n")
    return 0


# The "what" of the organisation rules' rows (org_rules_rows), as the table shows it.
ORG_RULES_ROWS = ("validate --shapes org rules: time added", "org rules' checks, one thread", "shacl --shapes org rules")


def with_org_rules_rows(table: str, rows: list[str]) -> str:
    r"""``table`` (a Markdown table run.py wrote, and what follows it) with its organisation rules'
    rows replaced by ``rows``: each size's after that size's last row (at the end of the first
    table for a size it does not have); every other row and line kept as it is.

    >>> table = "| triples | what |\n|---:|---|\n| 10 | load |\n| 10 | shacl --shapes org rules |\n| 20 | load |\n\nMore."
    >>> print(with_org_rules_rows(table, ["| 10 | shacl --shapes org rules | new |", "| 30 | shacl --shapes org rules |"]))
    | triples | what |
    |---:|---|
    | 10 | load |
    | 10 | shacl --shapes org rules | new |
    | 20 | load |
    | 30 | shacl --shapes org rules |
    <BLANKLINE>
    More.
    """
    lines = table.rstrip("\n").split("\n")
    end = next((n for n, line in enumerate(lines) if not line.startswith("|")), len(lines))
    head, rest = lines[:end], lines[end:]
    kept = [line for line in head if _cells(line)[1:2] not in [[what] for what in ORG_RULES_ROWS]]
    for row in rows:
        size = _cells(row)[0]
        last = max((n for n, line in enumerate(kept) if _cells(line)[0] == size), default=len(kept) - 1)
        kept.insert(last + 1, row)
    return "\n".join(kept + rest)


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


if __name__ == "__main__":
    raise SystemExit(main())
