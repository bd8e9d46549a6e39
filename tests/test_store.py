"""pmgraph with an on-disk store: push the files once, then validate, query and analyse the store.

Every story runs on real stores in the test's own folder. The command line is the installed
``pmgraph`` script; where a second process must hold a store (to show what a writer or a reader
finds then), it is a real Python process using pmgraph's API, started and stopped by the test.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph
import pytest
from conftest import PMGRAPH, one_line_error, run, unplaced
from test_rules import in_any_order

import pmgraph
from pmgraph.validation.kept import FINDINGS_FILE
from pmgraph.stores.disk import (
    STATE_FILE,
    StoreError,
    open_store,
    push_to_store,
    stored_prefixes,
)
from pmgraph.queries.questions import query_store
from pmgraph.rdf.reading import load

ROOT = Path(__file__).resolve().parents[1]
ACME = ROOT / "examples" / "acme"
BROKEN = ROOT / "examples" / "broken"
FIXTURES = ROOT / "tests" / "fixtures" / "store"
MALFORMED = ROOT / "tests" / "fixtures" / "malformed" / "broken.ttl"
# Blank nodes get new ids on every read, of the files as of a store.
BLANK_NODE = re.compile(r"_:[0-9A-Za-z]+")

# A second process that holds a store (read-only or for writing) until its stdin closes.
HOLDER = """
import sys
from pmgraph.stores.disk import open_store
with open_store(sys.argv[1], read_only=sys.argv[2] == "read"):
    print("holding", flush=True)
    sys.stdin.read()
"""


def pushed(store: Path, *paths: Path) -> Path:
    """Push the files into the store with the command line; the store's folder."""
    result = run("push", *paths, "--store", store)
    assert result.returncode == 0, result.stderr
    return store


def same_blank_nodes(text: str) -> str:
    return BLANK_NODE.sub("_:b", text)


def comparable(text: str) -> list[str]:
    """A report's lines, up to blank node ids and the order of the items listed in a message.

    Blank nodes get new ids on every read; the order of a list in a message is GROUP_CONCAT's,
    which depends on how the engine walks its indexes (as between pmgraph's engine and pySHACL).
    """
    return sorted(in_any_order(line) for line in same_blank_nodes(text).splitlines())


def report_results(turtle: str) -> list[tuple[str, ...]]:
    """The results of a SHACL validation report graph, comparable as :func:`comparable` makes lines."""
    import rdflib
    from rdflib.namespace import SH

    report = rdflib.Graph().parse(data=turtle, format="turtle")

    def text(term: object) -> str:
        return "_:b" if isinstance(term, rdflib.BNode) else str(term)

    return sorted(
        (*(text(report.value(result, p)) for p in (SH.resultSeverity, SH.focusNode, SH.resultPath, SH.value, SH.sourceShape)),
         in_any_order(str(report.value(result, SH.resultMessage))))
        for result in report.subjects(rdflib.RDF.type, SH.ValidationResult)
    )  # fmt: skip


def contents(store: Path) -> tuple[list[str], dict[str, object]]:
    """Every quad of a store (N-Quads, sorted, blank nodes as _:b) and its record, to compare.

    The record's checksums are left out: they are those of RocksDB's files, which two stores of
    the same quads need not share.
    """
    with open_store(store) as opened:
        quads = sorted(same_blank_nodes(str(quad)) for quad in opened)
    record = json.loads((store / STATE_FILE).read_text())
    record.pop("checksums")
    return quads, record


@contextmanager
def held(store: Path, mode: str) -> Iterator[subprocess.Popen[str]]:
    """Another process holding the store, ``"read"`` or ``"write"``, while the block runs."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(store), mode], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "holding\n"
        yield holder
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=60)


@pytest.fixture(scope="module")
def acme_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return pushed(tmp_path_factory.mktemp("acme") / "store", ACME)


@pytest.fixture(scope="module")
def broken_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return pushed(tmp_path_factory.mktemp("broken") / "store", BROKEN)


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory, acme_store: Path, broken_store: Path) -> dict[tuple[str, str], Path]:
    """Each example's store, with the findings that push kept ("kept"), and pushed without them ("live")."""
    unvalidated = {
        example: tmp_path_factory.mktemp(f"{example}-unvalidated") / "store" for example in ("acme", "broken")
    }
    for example, store in unvalidated.items():
        result = run("push", ROOT / "examples" / example, "--store", store, "--no-validate")
        assert result.returncode == 0, result.stderr
        assert not (store / FINDINGS_FILE).exists()
    return {
        ("acme", "kept"): acme_store, ("broken", "kept"): broken_store,
        ("acme", "live"): unvalidated["acme"], ("broken", "live"): unvalidated["broken"],
    }  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Push, then the same answers as from the files
# ---------------------------------------------------------------------------------------------


def test_push_replaces_the_ontology_graph_and_one_graph_per_file(tmp_path: Path) -> None:
    result = run("push", ACME, "--store", tmp_path / "store")
    assert result.returncode == 0, result.stderr
    ontology = len(load(ROOT / "ontology" / "pmgraph.ttl"))
    assert result.stdout.splitlines() == [
        f"<https://w3id.org/pmgraph>: {ontology} triples",
        f"<{(ACME / 'objectives.ttl').as_uri()}>: 130 triples",
        f"<{(ACME / 'people.ttl').as_uri()}>: 44 triples",
        f"<{(ACME / 'portfolio.ttl').as_uri()}>: 84 triples",
        f"<{(ACME / 'product.ttl').as_uri()}>: 79 triples",
    ]
    assert result.stderr == (
        f"pmgraph: replaced 5 graphs at {tmp_path / 'store'}\n"
        f"pmgraph: the store holds 0 violations, 0 warnings, 0 info (pmgraph validate --store {tmp_path / 'store'} lists them)\n"
    )
    assert sorted(path.name for path in tmp_path.iterdir()) == ["store"]  # nothing left beside it


@pytest.mark.parametrize("findings", ["kept", "live"])
@pytest.mark.parametrize("example", ["acme", "broken"])
@pytest.mark.parametrize("output", ["json", "turtle"])
def test_validate_from_a_store_gives_what_validate_from_the_files_gives(
    example: str, output: str, findings: str, stores: dict[tuple[str, str], Path]
) -> None:
    store = stores[example, findings]
    from_files = run("validate", ROOT / "examples" / example, "--format", output)
    from_store = run("validate", "--store", store, "--format", output)
    assert (from_store.returncode, from_files.returncode) == ((0, 0) if example == "acme" else (1, 1))
    if output == "json":
        # the same results, but that a store cannot say where the files state them
        assert all(r["sources"] == [] for r in json.loads(from_store.stdout)["results"])
        assert all(r["sources"] for r in json.loads(from_files.stdout)["results"] if not r["focus"].startswith("_:"))
        assert comparable(from_store.stdout) == comparable(unplaced(from_files.stdout))
        assert json.loads(from_files.stdout)["counts"] == (
            {"Violation": 0, "Warning": 0, "Info": 0} if example == "acme" else {"Violation": 15, "Warning": 1, "Info": 0}
        )
    else:
        assert report_results(from_store.stdout) == report_results(from_files.stdout)
        assert len(report_results(from_files.stdout)) == (0 if example == "acme" else 16)


def test_validate_text_names_the_store(broken_store: Path) -> None:
    from_files = run("validate", BROKEN).stdout.splitlines()
    from_store = run("validate", "--store", broken_store).stdout.splitlines()
    # the same lines, but for the places of the statements (file:line:column: ), which a store has not
    assert comparable("\n".join(from_store[:-2])) == comparable("\n".join(re.sub(r"^\S+\.ttl:\d+:\d+: ", "", line) for line in from_files[:-2]))
    assert from_files[-2:] == ["15 violations, 1 warning, 0 info in 6 files", "FAILED"]
    assert from_store[-2:] == [f"15 violations, 1 warning, 0 info at {broken_store}", "FAILED"]


def test_pyshacl_and_extra_shapes_run_on_a_store_as_on_the_files(broken_store: Path) -> None:
    shapes = ROOT / "shapes" / "warnings.ttl"
    for options in (["--engine", "pyshacl"], ["--shapes", str(shapes)]):
        from_files = run("validate", BROKEN, "--format", "json", *options)
        from_store = run("validate", "--store", broken_store, "--format", "json", *options)
        assert from_store.returncode == from_files.returncode == 1
        assert comparable(from_store.stdout) == comparable(unplaced(from_files.stdout))


QUESTIONS = [
    ["role-holders", "--param", "scope=acme:mobile-relaunch", "--param", "role=pm:ProjectManager", "--at", "2024-05-01"],
    ["accountable-for", "--param", "scope=acme:payments-integration", "--param", "responsibility=pm:Scheduling",
     "--at", "2024-06-01"],
    ["reporting-chain", "--param", "person=acme:erin-castillo"],
    ["people-with-concurrent-roles"],
    ["parts-of-scope", "--param", "scope=acme:digital-portfolio"],
    ["roles-for-responsibility", "--param", "responsibility=pm:Budgeting"],
]  # fmt: skip


@pytest.mark.parametrize(
    ("question", "output"),
    [*((question, "table") for question in QUESTIONS), (QUESTIONS[0], "csv"), (QUESTIONS[0], "json")],
    ids=[*(question[0] for question in QUESTIONS), "role-holders-csv", "role-holders-json"],
)
def test_query_from_a_store_gives_what_query_from_the_files_gives(question: list[str], output: str, acme_store: Path) -> None:
    name, options = question[0], [*question[1:], "--format", output]
    from_files = run("query", name, ACME, *options)
    from_store = run("query", name, "--store", acme_store, *options)
    assert from_files.returncode == 0, from_files.stderr
    assert (from_store.returncode, from_store.stdout, from_store.stderr) == (0, from_files.stdout, "")
    assert "(0 rows)" not in from_files.stdout


def test_a_query_of_ones_own_and_a_wrong_parameter_on_a_store(acme_store: Path, tmp_path: Path) -> None:
    own = tmp_path / "people.rq"
    own.write_text("# Everyone with a name\nSELECT ?person ?name WHERE { ?person a <https://w3id.org/pmgraph#Person> ; "
                   "<http://www.w3.org/2000/01/rdf-schema#label> ?name } ORDER BY ?name\n")  # fmt: skip
    assert run("query", own, "--store", acme_store).stdout == run("query", own, ACME).stdout
    wrong = run("query", "reporting-chain", "--store", acme_store, "--param", "person=acm:erin-castillo")
    assert one_line_error(wrong) == (
        "pmgraph: error: parameter 'person': 'acm:erin-castillo' is not a prefixed name the data declares: no "
        "prefix 'acm' (did you mean acme:?); write a full IRI in <...> to use it as it is"
    )


@pytest.mark.parametrize("options", [["--roles", "--format", "json"], ["--people", "--format", "json"],
                                     ["--people", "--format", "csv", "--at", "2024-06-01"], ["--format", "table"]])  # fmt: skip
def test_overlap_from_a_store_gives_what_overlap_from_the_files_gives(options: list[str], acme_store: Path) -> None:
    from_files = run("overlap", ACME, *options)
    from_store = run("overlap", "--store", acme_store, *options)
    assert from_files.returncode == 0, from_files.stderr
    assert (from_store.returncode, from_store.stdout) == (0, from_files.stdout)


def test_the_python_api_reads_a_store_as_the_files(acme_store: Path) -> None:
    with pmgraph.open_store(acme_store) as store:
        assert pmgraph.role_overlap(store) == pmgraph.role_overlap(load(ACME))
        chain = query_store(store, "reporting-chain", prefixes=stored_prefixes(acme_store), person="acme:erin-castillo")
    assert chain == pmgraph.query(load(ACME), "reporting-chain", person="acme:erin-castillo")
    assert stored_prefixes(acme_store)["acme"] == "https://example.org/acme/"


def test_a_store_reports_numbers_as_it_holds_them(tmp_path: Path) -> None:
    fixture = FIXTURES / "allocation_written_1_50.ttl"
    store = pushed(tmp_path / "store", fixture)
    values = [
        [result["value"] for result in json.loads(run(*command, "--format", "json").stdout)["results"]]
        for command in (["validate", fixture], ["validate", "--store", store])
    ]
    assert values == [
        ["1.50", "https://example.org/checkout", "https://example.org/erin-pm"],
        ["1.5", "https://example.org/checkout", "https://example.org/erin-pm"],
    ]


# ---------------------------------------------------------------------------------------------
# Push again: graphs replaced whole, all at once or not at all
# ---------------------------------------------------------------------------------------------


def names_in(store: Path) -> list[str]:
    with open_store(store) as opened:
        rows = opened.query(
            "SELECT ?name WHERE { ?who a <https://w3id.org/pmgraph#Person> ; <http://www.w3.org/2000/01/rdf-schema#label> ?name } "
            "ORDER BY ?name",
            use_default_graph_as_union=True,
        )
        return [row["name"].value for row in rows]  # type: ignore[index, union-attr]


def test_pushing_an_updated_file_again_replaces_its_graph(tmp_path: Path) -> None:
    team = tmp_path / "team.ttl"
    shutil.copy(FIXTURES / "team_before.ttl", team)
    store = pushed(tmp_path / "store", team, ACME / "people.ttl")
    assert "Erin Castillo" in names_in(store) and "Jon Park" in names_in(store)  # Jon is in people.ttl too
    shutil.copy(FIXTURES / "team_after.ttl", team)
    again = run("push", team, "--store", store)
    assert again.stdout.splitlines()[1:] == [f"<{team.as_uri()}>: 7 triples"]
    with open_store(store) as opened:
        managers = {str(quad.object) for quad in opened.quads_for_pattern(None, pyoxigraph.NamedNode("https://w3id.org/pmgraph#projectManager"), None)}
    assert managers >= {"<https://example.org/team/jon>"} and "<https://example.org/team/erin>" not in managers
    assert names_in(store).count("Erin Castillo") == 1  # people.ttl's Erin, untouched; team.ttl's is gone


def test_pushing_a_trig_file_again_replaces_its_named_graphs(tmp_path: Path) -> None:
    trig = tmp_path / "people.trig"
    shutil.copy(FIXTURES / "graphs_before.trig", trig)
    store = pushed(tmp_path / "store", trig)
    with open_store(store) as opened:
        graphs = sorted(graph.value for graph in opened.named_graphs())
    uri = trig.as_uri()
    assert graphs == sorted(["https://w3id.org/pmgraph", uri, f"{uri}#graph=https://example.org/hr",
                             f"{uri}#graph=https://example.org/finance"])  # fmt: skip
    assert names_in(store) == ["Mei Tanaka", "Sven Olsen", "Tom Becker"]
    shutil.copy(FIXTURES / "graphs_after.trig", trig)
    assert run("push", trig, "--store", store).stdout.splitlines()[1:] == [f"<{uri}>: 4 triples"]
    assert names_in(store) == ["Aisha Khan", "Mei Tanaka"]


def test_a_new_store_and_a_changed_one_hold_the_same_quads(tmp_path: Path) -> None:
    new = pushed(tmp_path / "new", ACME, FIXTURES / "graphs_before.trig")
    changed = pushed(tmp_path / "changed", ACME / "people.ttl")  # a new store: bulk loaded
    pushed(changed, ACME, FIXTURES / "graphs_before.trig")  # changed in one transaction
    assert contents(new) == contents(changed)


def test_a_push_with_a_bad_file_leaves_the_store_as_it_was(tmp_path: Path) -> None:
    team = tmp_path / "team.ttl"
    shutil.copy(FIXTURES / "team_before.ttl", team)
    store = pushed(tmp_path / "store", team)
    before = contents(store)
    shutil.copy(FIXTURES / "team_after.ttl", team)
    failed = run("push", team, MALFORMED, "--store", store)
    assert one_line_error(failed) == (
        f"pmgraph: error: {MALFORMED}:9: invalid Turtle at column 1: A dot is expected at the end of statements"
    )
    assert contents(store) == before
    assert names_in(store) == ["Erin Castillo"]


def test_a_first_push_with_a_bad_file_makes_no_store(tmp_path: Path) -> None:
    failed = run("push", ACME, MALFORMED, "--store", tmp_path / "store")
    assert one_line_error(failed).startswith(f"pmgraph: error: {MALFORMED}:9: ")
    assert list(tmp_path.iterdir()) == []


def limited(file_size: int, *args: object) -> subprocess.CompletedProcess[str]:
    """Run pmgraph in a process that may write no file beyond ``file_size`` bytes: the disk is "full"."""
    limit = (
        "import os, resource, signal, sys; signal.signal(signal.SIGXFSZ, signal.SIG_IGN); "
        "resource.setrlimit(resource.RLIMIT_FSIZE, (int(sys.argv[1]),) * 2); os.execv(sys.argv[2], sys.argv[2:])"
    )
    return run("-c", limit, file_size, PMGRAPH, *args, program=sys.executable)


@pytest.fixture
def many_people(tmp_path: Path) -> Path:
    """An N-Triples file of 60,000 labels (6 MB): more than a "full" disk takes in one write."""
    path = tmp_path / "many-people.nt"
    path.write_text("".join(f'<https://example.org/p{i}> <http://www.w3.org/2000/01/rdf-schema#label> "Person {i} of many" .\n' for i in range(60_000)))
    return path


def test_a_write_that_fails_leaves_an_existing_store_as_it_was(tmp_path: Path, many_people: Path) -> None:
    store = pushed(tmp_path / "store", FIXTURES / "team_before.ttl")
    before = contents(store)
    failed = limited(1_000_000, "push", FIXTURES / "team_after.ttl", many_people, "--store", store)
    assert one_line_error(failed).startswith(f"pmgraph: error: {store}: cannot be written, and is left as it was: ")
    assert "File too large" in failed.stderr
    assert contents(store) == before
    assert names_in(store) == ["Erin Castillo"]


def test_a_new_store_that_cannot_be_written_is_not_made(tmp_path: Path, many_people: Path) -> None:
    failed = limited(1_000_000, "push", many_people, "--store", tmp_path / "store")
    assert one_line_error(failed).startswith(f"pmgraph: error: {tmp_path / 'store'}: cannot be written: ")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["many-people.nt"]


# ---------------------------------------------------------------------------------------------
# One writer at a time, and no reader while it writes
# ---------------------------------------------------------------------------------------------


def test_a_second_writer_gets_a_lock_error_and_nothing_is_corrupted(tmp_path: Path) -> None:
    store = pushed(tmp_path / "store", ACME)
    before = contents(store)
    with held(store, "write"):
        second = run("push", FIXTURES / "team_before.ttl", "--store", store)
        assert one_line_error(second) == f"pmgraph: error: {store}: the store is in use by another process"
    assert contents(store) == before
    assert run("validate", "--store", store).returncode == 0


def test_a_reader_while_a_push_writes_is_told_to_wait(tmp_path: Path) -> None:
    store = pushed(tmp_path / "store", ACME)
    with held(store, "write"):
        for command in (["validate"], ["query", "people-with-concurrent-roles"], ["overlap", "--roles"]):
            reader = run(*command, "--store", store)
            assert one_line_error(reader) == (
                f"pmgraph: error: {store}: the store is being written by another process (pmgraph push); "
                "try again when it has finished"
            )


def test_readers_share_a_store_and_keep_writers_out(tmp_path: Path) -> None:
    store = pushed(tmp_path / "store", ACME)
    team = pyoxigraph.NamedNode((FIXTURES / "team_before.ttl").as_uri())
    with held(store, "read"):
        assert run("validate", "--store", store).returncode == 0
        writer = run("push", FIXTURES / "team_before.ttl", "--store", store)
        assert one_line_error(writer) == f"pmgraph: error: {store}: the store is in use by another process"
    with open_store(store) as opened:
        assert not opened.contains_named_graph(team)
    pushed(store, FIXTURES / "team_before.ttl")  # once the reader has gone
    with open_store(store) as opened:
        assert opened.contains_named_graph(team)


# ---------------------------------------------------------------------------------------------
# Folders that are not stores, and usage errors
# ---------------------------------------------------------------------------------------------


def test_folders_that_are_not_stores(tmp_path: Path) -> None:
    a_file = tmp_path / "notes.txt"
    a_file.write_text("not a store")
    other = tmp_path / "photos"
    other.mkdir()
    (other / "cat.jpg").write_bytes(b"\xff\xd8")
    empty = tmp_path / "empty"
    empty.mkdir()
    expected = {
        a_file: "is a file; a store is a folder (give a new folder, or a store's folder)",
        other: "is a folder of other files, not a store: give a new or empty folder, or a store that pmgraph push wrote",
    }
    for folder, reason in expected.items():
        for command in (["push", ACME / "people.ttl"], ["validate"], ["query", "reporting-chain"], ["overlap"]):
            assert one_line_error(run(*command, "--store", folder)) == f"pmgraph: error: {folder}: {reason}"
    assert sorted(path.name for path in other.iterdir()) == ["cat.jpg"]
    no_store = "write one with pmgraph push PATH... --store DIR"
    assert one_line_error(run("validate", "--store", tmp_path / "nowhere")) == (
        f"pmgraph: error: {tmp_path / 'nowhere'}: no store here: {no_store}"
    )
    assert one_line_error(run("validate", "--store", empty)) == f"pmgraph: error: {empty}: an empty folder: {no_store}"
    pushed(empty, ACME / "people.ttl")  # an empty folder becomes a store
    assert run("validate", "--store", empty).returncode == 0


def test_a_store_that_pmgraph_did_not_write_or_of_another_ontology(tmp_path: Path) -> None:
    foreign = tmp_path / "foreign"
    with open_store(foreign, read_only=False) as store:
        store.add(pyoxigraph.Quad(pyoxigraph.NamedNode("https://e.org/a"), pyoxigraph.NamedNode("https://e.org/p"), pyoxigraph.Literal("x")))
    del store  # pyoxigraph closes a store, and lets go of its lock, when the last reference to it goes
    assert one_line_error(run("validate", "--store", foreign)) == (
        f"pmgraph: error: {foreign}: a store that pmgraph push did not write (it has no pmgraph.json): push the files into it first"
    )
    store = pushed(tmp_path / "store", ACME)
    record = json.loads((store / STATE_FILE).read_text())
    (store / STATE_FILE).write_text(json.dumps({**record, "ontology": "sha256:0", "written_by": "pmgraph 0.0.1"}))
    assert one_line_error(run("overlap", "--roles", "--store", store)) == (
        f"pmgraph: error: {store}: it holds another version of pmgraph's ontology (written by pmgraph 0.0.1; this is "
        f"pmgraph {pmgraph.__version__}): push the files again (pmgraph push PATH... --store DIR) to bring it up to date"
    )
    pushed(store, ACME / "people.ttl")
    assert run("overlap", "--roles", "--store", store).returncode == 0


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads and writes every folder")
def test_a_store_folder_without_permission(tmp_path: Path) -> None:
    store = pushed(tmp_path / "store", ACME)
    store.chmod(0)
    try:
        assert one_line_error(run("validate", "--store", store)) == f"pmgraph: error: {store}: permission denied"
    finally:
        store.chmod(0o755)


@pytest.mark.parametrize(
    ("command", "message"),
    [
        (["validate", ACME, "--store", "DIR"], "give PATHs or --store DIR, not both"),
        (["query", "reporting-chain", ACME, "--store", "DIR"], "give PATHs or --store DIR, not both"),
        (["overlap", "--endpoint", "http://127.0.0.1:9/query", "--store", "DIR"], "give --endpoint URL or --store DIR, not both"),
        (["validate"], "give at least one PATH (an RDF file or folder), --endpoint URL or --store DIR"),
        (["push", ACME, "--store", "DIR", "--endpoint", "http://127.0.0.1:9/query"], "give --endpoint URL or --store DIR, not both"),
        (["push", ACME], "give --endpoint URL or --store DIR"),
        (["push", ACME, "--store", "DIR", "--graph", "https://example.org/all"],
         "--graph, --gsp and --no-ontology are for --endpoint; a store keeps each file's graphs and the ontology"),
    ],
)  # fmt: skip
def test_usage_errors(command: list[object], message: str, tmp_path: Path) -> None:
    result = run(*command, cwd=tmp_path)
    assert one_line_error(result) == f"pmgraph: error: {message}"
    assert list(tmp_path.iterdir()) == []


def test_the_python_api_refuses_a_file_as_a_store(tmp_path: Path) -> None:
    a_file = tmp_path / "store"
    a_file.write_text("")
    with pytest.raises(StoreError, match="is a file; a store is a folder"):
        push_to_store(a_file, ACME)
    assert isinstance(StoreError(a_file, "x"), pmgraph.InputError)


def test_report_from_a_store_is_the_report_from_the_files(acme_store: Path, tmp_path: Path) -> None:
    from_files, from_store = tmp_path / "files.html", tmp_path / "store.html"
    assert run("report", ACME, "-o", from_files).returncode == 0
    assert run("report", "--store", acme_store, "-o", from_store).returncode == 0
    files_page, store_page = from_files.read_text(), from_store.read_text()
    assert f"Data in the on-disk store {acme_store}." in store_page
    # the same findings and analyses; only the line saying where the data is differs
    assert re.sub(r'<p class="sources">.*?</p>', "", files_page) == re.sub(r'<p class="sources">.*?</p>', "", store_page)


# ---------------------------------------------------------------------------------------------
# Findings kept by push: validate --store reads them while they hold, and only then
# ---------------------------------------------------------------------------------------------

RULE5 = BROKEN / "rule5-project-without-manager.ttl"
RULE5_VIOLATION = "Violation: Project 'Data Warehouse Migration' has no Project Manager"  # a store has no places


def listing(folder: Path) -> list[tuple[str, int, int]]:
    return sorted((path.name, path.stat().st_size, path.stat().st_mtime_ns) for path in folder.iterdir())


def test_validate_reads_the_findings_that_push_kept_and_writes_nothing(tmp_path: Path) -> None:
    store = pushed(tmp_path / "store", RULE5)
    record = json.loads((store / FINDINGS_FILE).read_text())
    assert [finding["message"] for finding in record["findings"]] == ["Project 'Data Warehouse Migration' has no Project Manager"]
    before = listing(store)
    kept = run("validate", "--store", store)
    assert (kept.returncode, kept.stdout.splitlines()[0]) == (1, RULE5_VIOLATION)
    assert listing(store) == before  # reading writes nothing, not even a record
    (store / FINDINGS_FILE).unlink()
    live = run("validate", "--store", store)
    assert (live.returncode, live.stdout) == (kept.returncode, kept.stdout)
    assert not (store / FINDINGS_FILE).exists()


def test_a_record_that_holds_is_believed(tmp_path: Path) -> None:
    """The Python API reads the record too: one that holds, made to say "no findings", is what it reports."""
    store = pushed(tmp_path / "store", RULE5)
    record = json.loads((store / FINDINGS_FILE).read_text())
    (store / FINDINGS_FILE).write_text(json.dumps({**record, "findings": []}))
    with pmgraph.Organisation.open_store(store) as organisation:
        assert pmgraph.validate(organisation).counts == {"Violation": 0, "Warning": 0, "Info": 0}
    (store / FINDINGS_FILE).write_text(json.dumps(record))
    with pmgraph.Organisation.open_store(store) as organisation:
        assert pmgraph.validate(organisation).counts == {"Violation": 1, "Warning": 0, "Info": 0}


def test_findings_of_another_state_of_the_store_are_not_used(tmp_path: Path) -> None:
    team = tmp_path / "team.ttl"
    shutil.copy(RULE5, team)
    store = pushed(tmp_path / "store", team)
    kept_before = (store / FINDINGS_FILE).read_text()
    # the file fixed and pushed again without validating: the record is of the old state
    team.write_text(RULE5.read_text() + "\nex:data-warehouse pm:projectManager ex:someone .\nex:someone a pm:Person ; rdfs:label \"Someone\" .\n")
    assert run("push", team, "--store", store, "--no-validate").returncode == 0
    assert (store / FINDINGS_FILE).read_text() == kept_before
    fixed = run("validate", "--store", store)
    assert (fixed.returncode, fixed.stdout.splitlines()[-2:]) == (0, [f"0 violations, 0 warnings, 0 info at {store}", "OK"])
    # the project's manager removed by a program that writes the store directly, not by pmgraph
    pushed(store, team)  # a record of the fixed state
    assert json.loads((store / FINDINGS_FILE).read_text())["findings"] == []
    with open_store(store, read_only=False) as opened:
        # from its file's graph and from the default graph, where push keeps each statement once
        opened.update("DELETE WHERE { GRAPH ?g { ?project <https://w3id.org/pmgraph#projectManager> ?manager } } ; "
                      "DELETE WHERE { ?project <https://w3id.org/pmgraph#projectManager> ?manager }")
        del opened
    broken = run("validate", "--store", store)
    assert (broken.returncode, broken.stdout.splitlines()[0]) == (1, RULE5_VIOLATION)


@pytest.mark.parametrize(
    "damage",
    ["not json", '{"format": 1}', "[]", "rules of another pmgraph", "another format", "a term that is not one"],
)
def test_a_damaged_or_foreign_record_is_ignored(damage: str, tmp_path: Path) -> None:
    store = pushed(tmp_path / "store", RULE5)
    path = store / FINDINGS_FILE
    record = json.loads(path.read_text())
    record["findings"] = []  # were it believed, the store would pass
    if damage == "rules of another pmgraph":
        path.write_text(json.dumps({**record, "rules": "sha256:0"}))
    elif damage == "another format":
        path.write_text(json.dumps({**record, "format": 2}))
    elif damage == "a term that is not one":
        finding = {"severity": "x", "focus": "<no end", "path": None, "value": None, "message": "", "shape": "<x>"}
        path.write_text(json.dumps({**record, "findings": [finding]}))
    else:
        path.write_text(damage)
    result = run("validate", "--store", store)
    assert (result.returncode, result.stdout.splitlines()[0], result.stderr) == (1, RULE5_VIOLATION, "")


def test_push_validates_only_a_store(tmp_path: Path) -> None:
    result = run("push", RULE5, "--endpoint", "http://127.0.0.1:9/query", "--no-validate")
    assert one_line_error(result) == "pmgraph: error: --no-validate is for --store: push does not validate a server"


# ---------------------------------------------------------------------------------------------
# A statement counts once, however many files state it
# ---------------------------------------------------------------------------------------------

REPEATED = ROOT / "tests" / "fixtures" / "repeated"  # Erin's 0.6 on the Checkout API in both teams' files


def in_two_copies(story: Path, folder: Path) -> list[Path]:
    """The story's files in two folders: each of its statements stated by two files."""
    return [shutil.copytree(story, folder / copy / story.name) for copy in ("first", "second")]


@pytest.mark.parametrize("story", [ACME, ROOT / "tests" / "fixtures" / "query", BROKEN], ids=lambda story: story.name)
def test_a_story_in_two_copies_gives_on_the_store_what_the_files_give(story: Path, tmp_path: Path) -> None:
    from test_virtuoso import answers, outcome

    copies = in_two_copies(story, tmp_path)
    store = pushed(tmp_path / "store", *copies)
    files = pmgraph.Organisation.open(*copies)
    with pmgraph.Organisation.open_store(store) as stored:
        assert answers(stored) == answers(files)
        assert outcome(pmgraph.validate(stored)) == outcome(pmgraph.validate(files))
    # the command line: the question of the issue (1,536 rows were 2), the analyses, validate, the report
    asked = [run("query", "people-with-concurrent-roles", *where) for where in (copies, ["--store", store])]
    assert same_blank_nodes(asked[1].stdout) == same_blank_nodes(asked[0].stdout) and asked[0].returncode == 0
    if story == ACME:
        assert asked[0].stdout.splitlines()[-1] == "(2 rows)"
    analysed = [run("overlap", "--format", "json", *where) for where in (copies, ["--store", store])]
    assert comparable(analysed[1].stdout) == comparable(analysed[0].stdout) and analysed[0].returncode == 0
    checked = [run("validate", "--format", "json", *where) for where in (copies, ["--store", store])]
    assert [result.returncode for result in checked] == [0, 0] if story == ACME else [1, 1]  # query's fixtures break rules too
    assert comparable(checked[1].stdout) == comparable(unplaced(checked[0].stdout))
    if story == ACME:  # (elsewhere the pages differ by blank node ids and the order of lists in messages)
        pages = [tmp_path / "files.html", tmp_path / "store.html"]
        for where, page in zip((copies, ["--store", store]), pages, strict=True):
            assert run("report", *where, "-o", page).returncode == 0
        # the same findings and analyses; only the line saying where the data is differs
        files_page, store_page = (re.sub(r'<p class="sources">.*?</p>', "", page.read_text()) for page in pages)
        assert store_page == files_page


def over_allocated(store: Path) -> list[str]:
    """Erin's over-allocations in the store: the day each starts and her load from then."""
    result = run("query", "over-allocated-people", "--store", store, "--format", "csv")
    assert result.returncode == 0, result.stderr
    return [",".join(line.split(",")[2:4]) for line in result.stdout.splitlines()[1:]]


def test_a_statement_stays_in_the_store_while_a_file_states_it(tmp_path: Path) -> None:
    team_a, team_b = (shutil.copy(REPEATED / name, tmp_path / name) for name in ("team_a.ttl", "team_b.ttl"))
    store = pushed(tmp_path / "store", team_a, team_b)
    assert over_allocated(store) == ["2024-06-01,1.1"]  # the 0.6 that both files state, once
    # team B no longer states Erin's Checkout API assignment: team A still does
    Path(team_b).write_text(re.sub(r"ex:erin-checkout-api a .*?allocation 0\.6 \.", "", Path(team_b).read_text(), flags=re.S))
    pushed(store, team_b)
    assert over_allocated(store) == ["2024-06-01,1.1"]
    # nor does team A: it has gone, and Erin's 0.5 is no over-allocation
    Path(team_a).write_text("")
    pushed(store, team_a)
    assert over_allocated(store) == []


def test_a_store_of_an_older_pmgraph_is_refused_until_pushed_again(tmp_path: Path) -> None:
    team_a, team_b = REPEATED / "team_a.ttl", REPEATED / "team_b.ttl"
    store = pushed(tmp_path / "store", team_a, team_b)
    # as pmgraph 0.2 left it: each statement in its files' graphs only, and a record of format 2
    with open_store(store, read_only=False) as opened:
        opened.clear_graph(pyoxigraph.DefaultGraph())
        del opened
    record = json.loads((store / STATE_FILE).read_text())
    (store / STATE_FILE).write_text(json.dumps({**record, "format": 2, "written_by": "pmgraph 0.2.0"}))
    refused = run("query", "over-allocated-people", "--store", store)
    assert one_line_error(refused) == (
        f"pmgraph: error: {store}: it was written by pmgraph 0.2.0, which kept a statement that several files make once "
        "per file: push the files again (pmgraph push PATH... --store DIR) to bring it up to date"
    )
    pushed(store, team_a)  # one file again: every file's statements are put once in the default graph
    assert over_allocated(store) == ["2024-06-01,1.1"]
    assert json.loads((store / STATE_FILE).read_text())["format"] == 3
