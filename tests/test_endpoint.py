"""pmgraph with a SPARQL server: push the files there, then validate, query and analyse there.

The stories run against real servers that the tests start on 127.0.0.1, on free ports, and stop by
their process at the end: a fresh in-memory Oxigraph server per test (the ``oxigraph`` command of
the test extra), and one Virtuoso for the module (Debian's ``virtuoso-opensource``, which
``.ci/run`` installs; its stories are skipped, saying why, where it is not installed). The command
line is the installed ``pmgraph`` script. Small stand-in servers (a silent one, one asking for a
password, a proxy that drops the connection) show what pmgraph says when a server misbehaves.
"""

from __future__ import annotations

import base64
import contextlib
import http.server
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pyoxigraph
import pytest
import rdflib
from rdflib.compare import isomorphic
from conftest import one_line_error, run, unplaced
from sparql_servers import ISQL, OXIGRAPH, VIRTUOSO, Server, free_port, oxigraph_server, virtuoso_server
from test_rules import in_any_order

from pmgraph.errors import EndpointError

from pmgraph.queries.questions import query_endpoint
from pmgraph.stores.closures import CLOSURE_GRAPH
from pmgraph.stores.endpoint import STAGING_GRAPHS, UNION_GRAPH, Endpoint, push
from pmgraph.stores.closures import closure_triples
from pmgraph.rdf.terms import rdflib_term
from pmgraph.validation.validator import validate_endpoint
from pmgraph.rdf.reading import load
from pmgraph.queries.questions import query, shipped_queries
from pmgraph.validation.validator import ValidationReport, validate

ROOT = Path(__file__).resolve().parents[1]
ACME = ROOT / "examples" / "acme"
RULE6 = ROOT / "examples" / "broken" / "rule6-two-accountable.ttl"
BROKEN_TURTLE = ROOT / "tests" / "fixtures" / "malformed" / "broken.ttl"
ONTOLOGY_GRAPH = "https://w3id.org/pmgraph"
PASSWORD = "s3cret-Pa55"

needs_oxigraph = pytest.mark.skipif(OXIGRAPH is None, reason="the oxigraph server (pip install oxigraph) is not installed")
needs_virtuoso = pytest.mark.skipif(
    VIRTUOSO is None or ISQL is None, reason="Virtuoso (apt-get install virtuoso-opensource) is not installed"
)


# ---------------------------------------------------------------------------------------------
# Servers
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def oxigraph() -> Iterator[Server]:
    """A fresh, empty Oxigraph server in memory, serving the union of its graphs as default graph."""
    if OXIGRAPH is None:
        pytest.skip("the oxigraph server (pip install oxigraph) is not installed")
    with oxigraph_server() as server:
        yield server


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory) -> Iterator[Server]:
    """One Virtuoso for the module, its database in a temporary folder."""
    if VIRTUOSO is None or ISQL is None:
        pytest.skip("Virtuoso (apt-get install virtuoso-opensource) is not installed")
    with virtuoso_server(tmp_path_factory.mktemp("virtuoso")) as server:
        yield server


@pytest.fixture
def fresh_virtuoso(tmp_path_factory) -> Iterator[Server]:
    """A Virtuoso of the test's own, for stories that fill it (the module's others share theirs)."""
    if VIRTUOSO is None or ISQL is None:
        pytest.skip("Virtuoso (apt-get install virtuoso-opensource) is not installed")
    with virtuoso_server(tmp_path_factory.mktemp("virtuoso")) as server:
        yield server


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def no_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """No credentials of the developer's, from the environment or ~/.netrc: a test gives them (``env``)."""
    for name in [name for name in os.environ if name.startswith("PMGRAPH_ENDPOINT_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("NETRC", os.devnull)


def triples_in(server: Server, graph: str) -> set[tuple[str, str, str]]:
    rows = Endpoint(server.url).query(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    return {(str(row["s"]), str(row["p"]), str(row["o"])) for row in rows}


def file_graph(path: Path) -> str:
    return Path(os.path.abspath(path)).as_uri()


@contextlib.contextmanager
def stand_in(handler: type[http.server.BaseHTTPRequestHandler]) -> Iterator[str]:
    """A small HTTP server on a free port, in a thread; yields its /query URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/query"
    finally:
        server.shutdown()
        server.server_close()


class AsksForBasicAuth(http.server.BaseHTTPRequestHandler):
    """Asks for user alice; answers ASK with true, or, when ``leak`` is set, an error quoting what it got."""

    leak = False

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        given = self.headers.get("Authorization")
        if given is None:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="portfolio"')
            self.end_headers()
            return
        user_and_password = base64.b64decode(given.split()[1]).decode()
        if self.leak:
            self._answer(500, "text/plain", f"cannot serve {user_and_password}")
        elif user_and_password == f"alice:{PASSWORD}":
            self._answer(200, "application/sparql-results+json", '{"head": {}, "boolean": true}')
        else:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="portfolio"')
            self.end_headers()

    def _answer(self, status: int, content_type: str, body: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body.encode())))
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args: object) -> None:
        pass


class LeaksWhatItGets(AsksForBasicAuth):
    leak = True


@contextlib.contextmanager
def silent_server() -> Iterator[str]:
    """Accepts connections and reads requests, and never answers."""
    listener = socket.create_server(("127.0.0.1", 0))
    connections: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            connections.append(connection)

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/query"
    finally:
        listener.close()
        for connection in connections:
            connection.close()


@contextlib.contextmanager
def proxy(server: Server, handle: Callable[[socket.socket, int], None]) -> Iterator[str]:
    """A proxy in front of ``server`` on a free port: ``handle(client, number)`` serves its connections in turn
    (numbered from 1). Yields its URL for the server's query endpoint."""
    listener = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        number = 0
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            number += 1
            with client:
                handle(client, number)

    threading.Thread(target=serve, daemon=True).start()
    try:
        path = server.url.rsplit("/", 1)[1]
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/{path}"
    finally:
        listener.close()


def proxy_that_drops_uploads(server: Server, forwarded_bytes: int) -> contextlib.AbstractContextManager[str]:
    """Passes each request's first bytes on to the server, then drops both connections."""

    def forward_the_start(client: socket.socket, _number: int) -> None:
        with socket.create_connection(("127.0.0.1", server.port)) as upstream:
            client.settimeout(10)
            passed = 0
            with contextlib.suppress(OSError):
                while passed < forwarded_bytes:
                    chunk = client.recv(min(65536, forwarded_bytes - passed))
                    if not chunk:
                        break
                    upstream.sendall(chunk)
                    passed += len(chunk)

    return proxy(server, forward_the_start)


# ---------------------------------------------------------------------------------------------
# Push, then validate on the server
# ---------------------------------------------------------------------------------------------


@needs_oxigraph
@pytest.mark.parametrize(
    ("data", "exit_code"),
    [pytest.param(ACME, 0, id="acme"), pytest.param(RULE6, 1, id="rule6-two-accountable")],
)
def test_validating_on_the_server_gives_the_report_of_the_files(oxigraph, data, exit_code):
    pushed = run("push", data, "--endpoint", oxigraph.url)
    assert pushed.returncode == 0, pushed.stderr
    files = sorted(data.glob("*.ttl")) if data.is_dir() else [data]
    assert pushed.stdout.splitlines()[0] == "<https://w3id.org/pmgraph>: 953 triples"
    assert [line.split(">:")[0][1:] for line in pushed.stdout.splitlines()[1:-1]] == [file_graph(f) for f in files]
    assert pushed.stdout.splitlines()[-1].startswith(f"<{CLOSURE_GRAPH}>: ")

    here = run("validate", data, "--format", "json")
    there = run("validate", "--endpoint", oxigraph.url, "--format", "json")
    # the same report, but that a server cannot say where the files state what a finding is about
    assert all(result["sources"] == [] for result in json.loads(there.stdout)["results"])
    assert all(result["sources"] for result in json.loads(here.stdout)["results"])
    assert (there.returncode, the_same_lists(there.stdout)) == (here.returncode, the_same_lists(unplaced(here.stdout)))
    assert here.returncode == exit_code
    assert json.loads(there.stdout)["counts"]["Violation"] == (7 if exit_code else 0)

    text_here = the_same_lists(run("validate", data).stdout).splitlines()
    text_there = the_same_lists(run("validate", "--endpoint", oxigraph.url).stdout).splitlines()
    assert text_there[:-2] == [re.sub(r"^\S+\.ttl:\d+:\d+: ", "", line) for line in text_here[:-2]]
    assert text_there[-2].endswith(f" info at {oxigraph.url}")
    assert text_there[-1] == ("FAILED" if exit_code else "OK")


def the_same_lists(report: str) -> str:
    """A report with the items of each list in a message sorted: GROUP_CONCAT's order is the server's.

    An Oxigraph server lists the agents of a rule 6 message in one order or another from one run
    to the next; pyoxigraph in the same process keeps one.
    """
    return "\n".join(in_any_order(line) for line in report.splitlines())


RULES = ROOT / "tests" / "fixtures" / "rules"
BROKEN_STORIES = [
    *sorted((ROOT / "examples" / "broken").glob("*.ttl")),
    RULES / "budget_as_double.ttl",  # the value as the file writes it, not as the server keeps it
    RULES / "project_as_blank_node.ttl",
    RULES / "impossible_calendar_date.ttl",
    RULES / "person_over_allocated.ttl",
]


@needs_oxigraph
@pytest.mark.parametrize("story", BROKEN_STORIES, ids=lambda path: path.stem)
def test_each_broken_story_gives_the_report_of_its_file(oxigraph, story):
    endpoint = Endpoint(oxigraph.url)
    push(endpoint, story)
    there, here = validate_endpoint(endpoint), validate(load(story))
    assert there.counts == here.counts
    assert findings(there) == findings(here)
    assert here.counts["Violation"] + here.counts["Warning"] > 0


def findings(report: ValidationReport) -> Counter:
    """The results, blank nodes as ``_:`` (each store names them its own way), lists in any order."""

    def node(text: str | None) -> str | None:
        return "_:" if text and text.startswith("_:") else text

    return Counter(
        (r.severity, node(r.focus), r.path, node(r.value), in_any_order(r.message), r.shape, r.focus_label)
        for r in report.results
    )


@needs_oxigraph
def test_graph_option_puts_all_files_in_one_graph(oxigraph):
    pushed = run("push", ACME, "--endpoint", oxigraph.url, "--graph", "https://example.org/acme/portfolio")
    assert pushed.returncode == 0, pushed.stderr
    assert pushed.stdout.splitlines() == [
        "<https://w3id.org/pmgraph>: 953 triples", "<https://example.org/acme/portfolio>: 337 triples",
        f"<{CLOSURE_GRAPH}>: 159 triples",
    ]
    assert len(triples_in(oxigraph, "https://example.org/acme/portfolio")) == 337
    there = run("validate", "--endpoint", oxigraph.url, "--format", "json")
    assert (there.returncode, there.stdout) == (0, run("validate", ACME, "--format", "json").stdout)


@needs_oxigraph
def test_pushing_again_replaces_the_graph_whole(oxigraph, tmp_path):
    team = tmp_path / "team.ttl"
    team.write_text("<https://example.org/a> <https://example.org/p> 1 , 2 .\n")
    assert run("push", team, "--endpoint", oxigraph.url, "--no-ontology").returncode == 0
    team.write_text("<https://example.org/a> <https://example.org/p> 3 .\n")
    assert run("push", team, "--endpoint", oxigraph.url, "--no-ontology").returncode == 0
    integer = "<http://www.w3.org/2001/XMLSchema#integer>"
    assert triples_in(oxigraph, file_graph(team)) == {
        ("<https://example.org/a>", "<https://example.org/p>", f'"3"^^{integer}')
    }


@needs_oxigraph
def test_a_file_that_cannot_be_read_uploads_nothing(oxigraph):
    result = run("push", ACME / "people.ttl", BROKEN_TURTLE, "--endpoint", oxigraph.url)
    assert one_line_error(result) == (
        f"pmgraph: error: {BROKEN_TURTLE}:9: invalid Turtle at column 1: A dot is expected at the end of statements"
    )
    graphs = Endpoint(oxigraph.url).query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert list(graphs) == []


# ---------------------------------------------------------------------------------------------
# Query and overlap on the server
# ---------------------------------------------------------------------------------------------

A = "https://example.org/acme/"
# Data on which every shipped query has rows, and a value for each of their parameters.
QUESTIONED = [
    ACME, RULE6, ROOT / "examples" / "broken" / "rule5-project-without-manager.ttl",
    ROOT / "tests" / "fixtures" / "rules" / "person_over_allocated.ttl",
    ROOT / "tests" / "fixtures" / "query" / "person_in_two_programs.ttl",
]
PARAMETERS = {
    "scope": A + "checkout-api", "responsibility": "pm:Budgeting", "from": "2023-01-01", "to": "2024-12-31",
    "portfolio": "https://example.org/two-programs/portfolio", "product": A + "acme-shop",
    "person": A + "erin-castillo", "role": "pm:ProjectManager", "other": "pm:ProductOwner", "term": "pm:Project",
}  # and the day asked about: 2024-06-01
ASKED_OTHERWISE = {"parts-of-scope": {"scope": A + "digital-portfolio"}, "overdue-projects": {"at": "2025-06-01"}}


@needs_oxigraph
def test_every_shipped_query_gives_the_rows_of_the_files(oxigraph):
    assert run("push", *QUESTIONED, "--endpoint", oxigraph.url).returncode == 0
    endpoint, data = Endpoint(oxigraph.url), load(*QUESTIONED)
    for shipped in shipped_queries():
        params = {p.name: PARAMETERS[p.name] for p in shipped.parameters if p.name in PARAMETERS}
        params.update({"at": "2024-06-01"} if "at" in {p.name for p in shipped.parameters} else {})
        params.update(ASKED_OTHERWISE.get(shipped.name, {}))
        here = query(data, shipped.name, **params)
        there = query_endpoint(endpoint, shipped.name, **params)
        assert (shipped.name, there.variables, there.rows) == (shipped.name, here.variables, here.rows)
        assert here.rows, shipped.name


@needs_oxigraph
@pytest.mark.parametrize(
    ("name", "params", "at"),
    [
        pytest.param("accountable-for", [f"scope={A}payments-integration", "responsibility=pm:Scheduling"], "2024-06-01",
                     id="accountable-for"),
        pytest.param("role-holders", [f"scope={A}mobile-relaunch", "role=pm:ProjectManager"], "2024-04-15",
                     id="role-holders"),
        pytest.param("people-with-concurrent-roles", [], None, id="people-with-concurrent-roles"),
    ],
)
@pytest.mark.parametrize("output", ["json", "csv"])
def test_query_on_the_server_gives_the_rows_of_the_files(oxigraph, name, params, at, output):
    assert run("push", ACME, "--endpoint", oxigraph.url).returncode == 0
    options = [*(word for param in params for word in ("--param", param)), *(["--at", at] if at else []), "--format", output]
    here = run("query", name, ACME, *options)
    there = run("query", name, *options, "--endpoint", oxigraph.url)
    assert here.returncode == 0, here.stderr
    assert (there.returncode, there.stdout) == (0, here.stdout)
    assert len(here.stdout.splitlines()) >= 2  # a header (or the start of the JSON) and rows


@needs_oxigraph
def test_a_parameter_is_checked_before_anything_is_sent(oxigraph):
    result = run("query", "role-holders", "--param", "scope=<https://example.org/a> } DROP ALL {", "--param",
                 "role=pm:ProjectManager", "--endpoint", oxigraph.url)
    assert one_line_error(result) == (
        "pmgraph: error: parameter 'scope': '<https://example.org/a> } DROP ALL {' is not an IRI: it contains '<'"
    )


@needs_oxigraph
def test_overlap_on_the_server_gives_the_analyses_of_the_files(oxigraph):
    assert run("push", ACME, "--endpoint", oxigraph.url).returncode == 0
    here = run("overlap", ACME, "--format", "json")
    there = run("overlap", "--endpoint", oxigraph.url, "--format", "json")
    assert (there.returncode, there.stdout) == (0, here.stdout)


@needs_oxigraph
def test_report_on_the_server_is_the_report_of_the_files(oxigraph, tmp_path):
    assert run("push", ACME, "--endpoint", oxigraph.url).returncode == 0
    here, there = tmp_path / "files.html", tmp_path / "server.html"
    assert run("report", ACME, "-o", here).returncode == 0
    assert run("report", "--endpoint", oxigraph.url, "-o", there).returncode == 0
    assert f"Data on the SPARQL server {oxigraph.url}." in there.read_text()
    # the same findings and analyses; only the line saying where the data is differs
    without_sources = [re.sub(r'<p class="sources">.*?</p>', "", page.read_text()) for page in (here, there)]
    assert without_sources[0] == without_sources[1]


# ---------------------------------------------------------------------------------------------
# What must be true of the server
# ---------------------------------------------------------------------------------------------


@needs_oxigraph
def test_a_server_whose_default_graph_is_not_the_union_of_its_graphs_answers_as_the_files():
    # every question reads the graphs push keeps, named in the request: the server's default graph is not read
    with oxigraph_server(union=False) as server:
        assert run("push", ACME, "--endpoint", server.url).returncode == 0
        there = run("query", "people-with-concurrent-roles", "--endpoint", server.url, "--format", "csv")
        validated = run("validate", "--endpoint", server.url, "--format", "json")
    here = run("query", "people-with-concurrent-roles", ACME, "--format", "csv")
    assert (there.returncode, there.stdout) == (0, here.stdout) and len(here.stdout.splitlines()) == 3
    assert (validated.returncode, validated.stdout) == (0, run("validate", ACME, "--format", "json").stdout)


@needs_oxigraph
def test_a_server_without_the_ontology_is_refused(oxigraph):
    assert run("push", ACME, "--endpoint", oxigraph.url, "--no-ontology").returncode == 0
    for command in (["validate"], ["overlap"], ["query", "people-with-concurrent-roles"]):
        result = run(*command, "--endpoint", oxigraph.url)
        assert one_line_error(result) == (
            f"pmgraph: error: {oxigraph.url}: it does not hold pmgraph's ontology <https://w3id.org/pmgraph>, which the "
            "rules and analyses read: upload it with pmgraph push (without --no-ontology)"
        )


@needs_oxigraph
def test_paths_and_an_endpoint_together_are_refused(oxigraph):
    result = run("validate", ACME, "--endpoint", oxigraph.url)
    assert one_line_error(result) == "pmgraph: error: give PATHs or --endpoint URL, not both"
    result = run("validate", "--endpoint", oxigraph.url, "--engine", "pyshacl")
    assert one_line_error(result) == (
        "pmgraph: error: --endpoint runs pmgraph's own rules on the server: --engine pyshacl and --shapes need files"
    )


@needs_oxigraph
def test_a_rule_reading_the_shapes_graph_is_refused_on_a_server(oxigraph):
    # the shapes graph cannot be put beside the data on the server: said in one line, not answered wrongly
    assert run("push", ACME, "--endpoint", oxigraph.url).returncode == 0
    shapes = ROOT / "tests" / "fixtures" / "shacl" / "rules_reading_the_shapes_graph.ttl"
    with pytest.raises(EndpointError) as refused:
        validate(Endpoint(oxigraph.url), extra_shapes=[shapes])
    assert str(refused.value) == (
        f"{oxigraph.url}: shape https://example.org/ProjectPhaseIsListed reads $shapesGraph, and pmgraph cannot put "
        "the shapes graph on a SPARQL server beside the data: validate the files, or an on-disk store (--store)"
    )


@needs_oxigraph
def test_a_graph_store_is_found_or_given(oxigraph):
    elsewhere = oxigraph.url.replace("/query", "/sparql-endpoint")
    result = run("push", ACME, "--endpoint", elsewhere)
    assert one_line_error(result) == (
        f"pmgraph: error: {elsewhere}: cannot tell where its Graph Store Protocol endpoint is (known for "
        "Oxigraph's /query and Virtuoso's /sparql): give it with --gsp URL"
    )
    # (push also asks the query endpoint, for the closures: here the server's own)
    result = run("push", ACME / "people.ttl", "--endpoint", oxigraph.url, "--gsp", oxigraph.gsp, "--no-ontology")
    assert result.returncode == 0, result.stderr
    assert len(triples_in(oxigraph, file_graph(ACME / "people.ttl"))) == 44


# ---------------------------------------------------------------------------------------------
# A failed upload leaves the graph as it was
# ---------------------------------------------------------------------------------------------


def servers() -> list[pytest.param]:
    return [
        pytest.param("oxigraph", marks=needs_oxigraph, id="oxigraph"),
        pytest.param("virtuoso", marks=needs_virtuoso, id="virtuoso"),
    ]


@pytest.mark.parametrize("name", servers())
def test_a_graph_the_server_refuses_leaves_the_old_one(request, name):
    server = request.getfixturevalue(name)
    endpoint = Endpoint(server.url)
    graph = f"urn:pmgraph:test:refused:{name}"
    endpoint.replace_graph(graph, b"<urn:a> <urn:p> <urn:b> .\n<urn:a> <urn:p> <urn:c> .\n")
    with pytest.raises(EndpointError) as refused:
        endpoint.replace_graph(graph, b"<urn:x> <urn:p> <urn:y> .\n<urn:x> <urn:p> .\n")
    assert str(refused.value).startswith(f"{server.gsp}: could not replace graph <{graph}>: HTTP ")
    assert triples_in(server, graph) == {("<urn:a>", "<urn:p>", "<urn:b>"), ("<urn:a>", "<urn:p>", "<urn:c>")}


@pytest.mark.parametrize("name", servers())
def test_a_dropped_connection_leaves_the_old_graph(request, name, tmp_path):
    server = request.getfixturevalue(name)
    team = tmp_path / "team.ttl"
    team.write_text((ACME / "people.ttl").read_text())
    assert run("push", team, "--endpoint", server.url, "--no-ontology").returncode == 0
    before = triples_in(server, file_graph(team))
    with team.open("a") as more:
        for number in range(500):
            more.write(f"<https://example.org/acme/person-{number}> a <https://w3id.org/pmgraph#Person> .\n")
    with proxy_that_drops_uploads(server, forwarded_bytes=2000) as cut:
        result = run("push", team, "--endpoint", cut, "--no-ontology", "--timeout", "10")
    line = one_line_error(result)
    assert line.startswith(f"pmgraph: error: {cut.rsplit('/', 1)[0]}/")
    assert line.endswith(f": could not replace graph <{file_graph(team)}>: the server closed the connection")
    assert len(before) == 44
    assert triples_in(server, file_graph(team)) == before


# ---------------------------------------------------------------------------------------------
# A push in batches: a large file reaches the server in bounded requests, and lands all at once
# ---------------------------------------------------------------------------------------------

PUSH_FIXTURES = ROOT / "tests" / "fixtures" / "push"
FRESH_SERVERS = [
    pytest.param("oxigraph", marks=needs_oxigraph, id="oxigraph"),
    pytest.param("fresh_virtuoso", marks=needs_virtuoso, id="virtuoso"),
]


def graph_on(server: Server, graph: str) -> rdflib.Graph:
    """A named graph of the server, blank nodes and all, as an rdflib graph (values as pmgraph's store writes them)."""
    rows = Endpoint(server.url).query(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    return canonical(pyoxigraph.Triple(*row) for row in rows)


def graph_in(path: Path) -> rdflib.Graph:
    """A file's triples, as an rdflib graph (values as pmgraph's store writes them: ``1.0`` as ``1``, as Oxigraph does)."""
    return canonical(pyoxigraph.parse(path=str(path), base_iri=file_graph(path)))


def canonical(triples: Iterable[pyoxigraph.Triple | pyoxigraph.Quad]) -> rdflib.Graph:
    store = pyoxigraph.Store()
    store.extend(pyoxigraph.Quad(t.subject, t.predicate, t.object) for t in triples)
    found = rdflib.Graph()
    for quad in store:
        found.add((rdflib_term(quad.subject), rdflib_term(quad.predicate), rdflib_term(quad.object)))
    return found


VIRTUOSOS_OWN_GRAPHS = ("http://www.openlinksw.com/schemas/virtrdf#", "http://www.w3.org/ns/ldp#", "http://localuriqaserver/sparql")


def staging_graphs(server: Server) -> list[str]:
    rows = Endpoint(server.url).query(
        f'SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER (STRSTARTS(STR(?g), "{STAGING_GRAPHS}")) }}'
    )
    return [row["g"].value for row in rows]


def closures_of(server: Server) -> set[str]:
    """The closure graph of the server's data (stores.closures), worked out in memory.

    Of the graphs the union graph is made of: not it, the closures' or the graphs a fresh Virtuoso
    holds of its own (its RDF views, the LDP vocabulary, its service description).
    """
    left_out = ", ".join(f"<{graph}>" for graph in (CLOSURE_GRAPH, UNION_GRAPH, *VIRTUOSOS_OWN_GRAPHS))
    rows = Endpoint(server.url).query(
        f"SELECT ?s ?p ?o ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER (?g NOT IN ({left_out})) }}"
    )
    store = pyoxigraph.Store()
    store.extend(pyoxigraph.Quad(*row) for row in rows)
    return set(closure_triples(store).decode().splitlines())


def closures_on(server: Server) -> set[str]:
    rows = Endpoint(server.url).query(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{CLOSURE_GRAPH}> {{ ?s ?p ?o }} }}")
    return {f"{row['s']} {row['p']} {row['o']} ." for row in rows}


def generated(path: Path, triples: int, seed: int = 7) -> Path:
    """A generated portfolio (bench/generate.py), with the blank nodes of its defects."""
    subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), "--triples", str(triples), "--seed", str(seed),
                    "-o", str(path)], check=True, capture_output=True)
    return path


@pytest.mark.parametrize("name", FRESH_SERVERS)
def test_a_push_in_batches_gives_the_server_the_rows_of_the_file(request, name, tmp_path):
    server = request.getfixturevalue(name)
    portfolio = generated(tmp_path / f"portfolio-{name}.nt", 3000)
    expected = graph_in(portfolio)
    assert any(isinstance(node, rdflib.BNode) for node in expected.subjects())
    pushed = push(Endpoint(server.url), portfolio, batch_triples=250)  # a dozen requests for the file
    assert [(graph.graph, graph.triples) for graph in pushed[1:]] == [
        (file_graph(portfolio), len(expected)), (CLOSURE_GRAPH, len(closures_of(server))),
    ]
    assert isomorphic(graph_on(server, file_graph(portfolio)), expected)
    assert closures_on(server) == closures_of(server)
    assert staging_graphs(server) == []
    # pushed again, smaller: the graph is replaced, not added to, and its closures follow
    smaller = portfolio.read_text().splitlines(keepends=True)[: len(expected) // 2]
    portfolio.write_text("".join(line for line in smaller if not line.startswith("_:")))
    push(Endpoint(server.url), portfolio, batch_triples=250)
    assert isomorphic(graph_on(server, file_graph(portfolio)), graph_in(portfolio))
    assert closures_on(server) == closures_of(server)
    assert staging_graphs(server) == []


@pytest.mark.parametrize("name", FRESH_SERVERS)
def test_the_blank_nodes_of_a_statement_reach_the_server_together(request, name):
    server = request.getfixturevalue(name)
    story = PUSH_FIXTURES / "blank_nodes_across_batches.ttl"
    push(Endpoint(server.url), story, batch_triples=1, ontology=False)
    assert isomorphic(graph_on(server, file_graph(story)), graph_in(story))


@pytest.mark.parametrize("name", FRESH_SERVERS)
def test_a_number_pushed_again_in_another_datatype_is_replaced(request, name):
    # Virtuoso 7.2 keeps the old literal where one transaction replaces it by one equal as a number
    server = request.getfixturevalue(name)
    rules = ROOT / "tests" / "fixtures" / "rules"
    for story in ("budget_as_double.ttl", "budget_as_integer.ttl"):  # 500000.0 as xsd:double, then 500000
        push(Endpoint(server.url), rules / story, graph="https://example.org/story", ontology=False)
    assert isomorphic(graph_on(server, "https://example.org/story"), graph_in(rules / "budget_as_integer.ttl"))


def proxy_that_drops(
    server: Server, drops: Callable[[int, bytes], bool], after_the_server: bool = False
) -> contextlib.AbstractContextManager[str]:
    """Passes every request on to the server and its answer back, but the one that ``drops(number, request)``
    picks: it is dropped unsent, or (``after_the_server``) sent, and its answer lost."""

    def whole_request(client: socket.socket) -> bytes:
        request = b""
        while b"\r\n\r\n" not in request and (chunk := client.recv(65536)):
            request += chunk
        length = re.search(rb"(?im)^content-length:\s*(\d+)", request)
        while length and len(request.partition(b"\r\n\r\n")[2]) < int(length[1]) and (chunk := client.recv(65536)):
            request += chunk
        return request

    def forward(client: socket.socket, number: int) -> None:
        request = whole_request(client)
        dropped = drops(number, request)
        if dropped and not after_the_server:
            return
        with socket.create_connection(("127.0.0.1", server.port), timeout=300) as upstream:
            upstream.sendall(request)  # with urllib's "Connection: close": the answer ends with the connection
            answer = b"".join(iter(lambda: upstream.recv(65536), b""))
        if not dropped:
            client.sendall(answer)

    return proxy(server, forward)


@pytest.mark.parametrize("name", FRESH_SERVERS)
def test_a_failure_mid_push_leaves_the_previous_graphs(request, name, tmp_path):
    server = request.getfixturevalue(name)
    portfolio = generated(tmp_path / f"portfolio-{name}.nt", 3000)
    push(Endpoint(server.url), portfolio, batch_triples=250)
    before, closures = graph_on(server, file_graph(portfolio)), closures_on(server)
    generated(portfolio, 3000, seed=8)  # another portfolio in the same file
    # requests 1-4 stage the ontology, 5-16 the file: the 8th is dropped, with some of the file staged
    with proxy_that_drops(server, lambda number, _request: number == 8) as cut, pytest.raises(EndpointError) as failed:
        push(Endpoint(cut), portfolio, batch_triples=250)
    assert str(failed.value).endswith(f": could not replace graph <{file_graph(portfolio)}>: the server closed the connection")
    assert isomorphic(graph_on(server, file_graph(portfolio)), before)
    assert closures_on(server) == closures
    assert staging_graphs(server) == []


@pytest.mark.parametrize("name", FRESH_SERVERS)
def test_a_move_sent_but_unanswered_says_the_server_may_still_make_it(request, name, tmp_path):
    server = request.getfixturevalue(name)
    portfolio = generated(tmp_path / f"portfolio-{name}.nt", 3000)
    push(Endpoint(server.url), portfolio, batch_triples=250)
    generated(portfolio, 3000, seed=8)

    def the_move(_number: int, request: bytes) -> bool:
        return b"update=MOVE" in request

    with proxy_that_drops(server, the_move, after_the_server=True) as cut, pytest.raises(EndpointError) as unanswered:
        push(Endpoint(cut), portfolio, batch_triples=250)
    assert str(unanswered.value).endswith(
        ": could not move the staged graphs into place: the server closed the connection; "
        "the server may still replace the graphs: push again to be sure"
    )
    assert isomorphic(graph_on(server, file_graph(portfolio)), graph_in(portfolio))  # it did, here
    assert staging_graphs(server) == []


@needs_virtuoso
def test_a_push_too_large_for_one_virtuoso_transaction_changes_nothing(tmp_path):
    # a Virtuoso that lets a transaction hold 100 kB of changes: batches of 50 triples go through, the move of
    # 3,000 is refused, and the line names the setting
    with virtuoso_server(tmp_path, after_image_limit=100_000) as server:
        team = ACME / "people.ttl"
        push(Endpoint(server.url), team, ontology=False, batch_triples=50)
        before, closures = graph_on(server, file_graph(team)), closures_on(server)
        portfolio = generated(tmp_path / "portfolio.nt", 3000)
        with pytest.raises(EndpointError) as refused:
            push(Endpoint(server.url), portfolio, ontology=False, batch_triples=50)
        assert str(refused.value).startswith(f"{server.url}: could not move the staged graphs into place: HTTP 500 ")
        assert "SR325" in str(refused.value)
        assert str(refused.value).endswith(
            "(Virtuoso commits a push in one transaction: raise TransactionAfterImageLimit under [Parameters] in virtuoso.ini)"
        )
        assert isomorphic(graph_on(server, file_graph(team)), before)
        assert len(graph_on(server, file_graph(portfolio))) == 0
        assert closures_on(server) == closures
        assert staging_graphs(server) == []


# ---------------------------------------------------------------------------------------------
# Servers that are down, silent, or ask for a password
# ---------------------------------------------------------------------------------------------


def test_a_server_that_is_down_is_one_line():
    url = f"http://127.0.0.1:{free_port()}/query"
    for command in (["validate"], ["overlap"], ["query", "people-with-concurrent-roles"], ["push", ACME]):
        result = run(*command, "--endpoint", url)
        assert one_line_error(result).endswith(": connection refused (is the SPARQL server running?)")


def test_a_server_that_does_not_answer_in_time_is_one_line():
    with silent_server() as url:
        result = run("validate", "--endpoint", url, "--timeout", "1")
    assert one_line_error(result) == (
        f"pmgraph: error: {url}: could not query: no answer within 1 s (the timeout; raise it with --timeout SECONDS)"
    )


def test_credentials_come_from_the_environment_or_a_netrc_file(tmp_path):
    with stand_in(AsksForBasicAuth) as url:
        netrc = tmp_path / "netrc"
        netrc.write_text(f"machine 127.0.0.1 login alice password {PASSWORD}\n")
        netrc.chmod(0o600)
        with pytest.MonkeyPatch.context() as environment:
            environment.delenv("PMGRAPH_ENDPOINT_USER", raising=False)
            environment.delenv("PMGRAPH_ENDPOINT_PASSWORD", raising=False)
            environment.setenv("NETRC", str(netrc))
            assert Endpoint(url).query("ASK {}") is True
            environment.setenv("PMGRAPH_ENDPOINT_USER", "alice")
            environment.setenv("PMGRAPH_ENDPOINT_PASSWORD", PASSWORD)
            environment.setenv("NETRC", os.devnull)
            assert Endpoint(url).query("ASK {}") is True
            environment.setenv("PMGRAPH_ENDPOINT_PASSWORD", "wrong-" + PASSWORD)
            with pytest.raises(EndpointError) as refused:
                Endpoint(url).query("ASK {}")
    assert str(refused.value) == f"{url}: could not query: HTTP 401 Unauthorized (the server refused the credentials)"


def test_a_password_never_appears_in_a_message():
    credentials = {"PMGRAPH_ENDPOINT_USER": "alice", "PMGRAPH_ENDPOINT_PASSWORD": PASSWORD}
    with stand_in(LeaksWhatItGets) as url:
        result = run("validate", "--endpoint", url, env=credentials)
    assert one_line_error(result) == f"pmgraph: error: {url}: could not query: HTTP 500 Internal Server Error: cannot serve alice:***"
    assert PASSWORD not in result.stdout + result.stderr

    in_url = url.replace("127.0.0.1", f"alice:{PASSWORD}@127.0.0.1")
    result = run("validate", "--endpoint", in_url)
    assert one_line_error(result) == (
        f"pmgraph: error: {url}: a URL may not hold credentials: set PMGRAPH_ENDPOINT_USER and "
        "PMGRAPH_ENDPOINT_PASSWORD, or use a netrc file"
    )
    assert PASSWORD not in result.stdout + result.stderr


# ---------------------------------------------------------------------------------------------
# Virtuoso: uploads, Digest sign-in, validation
# ---------------------------------------------------------------------------------------------


@needs_virtuoso
def test_push_to_virtuoso_puts_each_file_in_its_graph(virtuoso):
    result = run("push", ACME, "--endpoint", virtuoso.url)
    assert result.returncode == 0, result.stderr
    assert result.stderr == f"pmgraph: replaced 6 graphs at {virtuoso.gsp}\n"
    counts = {line.split(">: ")[0][1:]: int(line.split(">: ")[1].split()[0]) for line in result.stdout.splitlines()}
    closures = counts.pop(CLOSURE_GRAPH)
    assert counts == {ONTOLOGY_GRAPH: 953, **{file_graph(f): len(load(f)) for f in sorted(ACME.glob("*.ttl"))}}
    assert len(triples_in(virtuoso, CLOSURE_GRAPH)) == closures
    for graph, count in counts.items():
        assert len(triples_in(virtuoso, graph)) == count


@needs_virtuoso
def test_virtuoso_signs_in_with_digest_authentication(virtuoso, tmp_path):
    signed_in = virtuoso.url + "-auth"
    team = tmp_path / "signed-in-team.ttl"
    team.write_text("<https://example.org/a> <https://example.org/p> <https://example.org/b> .\n")
    result = run("push", team, "--endpoint", signed_in, "--no-ontology",
                 env={"PMGRAPH_ENDPOINT_USER": "dba", "PMGRAPH_ENDPOINT_PASSWORD": "dba"})
    assert result.returncode == 0, result.stderr
    assert result.stderr == f"pmgraph: replaced 2 graphs at {virtuoso.gsp}-auth\n"
    assert triples_in(virtuoso, file_graph(team)) == {("<https://example.org/a>", "<https://example.org/p>", "<https://example.org/b>")}

    result = run("push", team, "--endpoint", signed_in, "--no-ontology",
                 env={"PMGRAPH_ENDPOINT_USER": "dba", "PMGRAPH_ENDPOINT_PASSWORD": PASSWORD})
    assert one_line_error(result) == (
        f"pmgraph: error: {virtuoso.gsp}-auth: could not replace graph <{file_graph(team)}>: HTTP 401 digest auth "
        "failed (the server refused the credentials)"
    )
    assert PASSWORD not in result.stdout + result.stderr


@needs_virtuoso
def test_validating_on_virtuoso_gives_the_report_of_the_files(tmp_path):
    """Rule 6 too (two project managers and an explicit Accountable at once), which Virtuoso once answered wrongly."""
    with virtuoso_server(tmp_path) as server:
        pushed = run("push", ACME, RULE6, "--endpoint", server.url)
        assert pushed.returncode == 0, pushed.stderr
        here = run("validate", ACME, RULE6, "--format", "json")
        there = run("validate", "--endpoint", server.url, "--format", "json")
    assert (there.returncode, the_same_lists(there.stdout)) == (here.returncode, the_same_lists(unplaced(here.stdout)))
    assert (here.returncode, json.loads(there.stdout)["counts"]["Violation"]) == (1, 7)


# ---------------------------------------------------------------------------------------------
# A statement counts once, however many graphs state it
# ---------------------------------------------------------------------------------------------

REPEATED = ROOT / "tests" / "fixtures" / "repeated"  # Erin's 0.6 on the Checkout API in both teams' files


def over_allocated(server: Server) -> list[str]:
    """Erin's over-allocations on the server: the day each starts and her load from then."""
    result = run("query", "over-allocated-people", "--endpoint", server.url, "--format", "csv")
    assert result.returncode == 0, result.stderr
    return [",".join(line.split(",")[2:4]) for line in result.stdout.splitlines()[1:]]


@needs_oxigraph
def test_a_statement_stays_in_the_union_graph_while_a_graph_states_it(oxigraph, tmp_path):
    team_a, team_b = (Path(shutil.copy(REPEATED / name, tmp_path / name)) for name in ("team_a.ttl", "team_b.ttl"))
    assert run("push", team_a, team_b, "--endpoint", oxigraph.url).returncode == 0
    assert over_allocated(oxigraph) == ["2024-06-01,1.1"]  # the 0.6 that both files state, once
    # team B no longer states Erin's Checkout API assignment: team A still does
    team_b.write_text(re.sub(r"ex:erin-checkout-api a .*?allocation 0\.6 \.", "", team_b.read_text(), flags=re.S))
    assert run("push", team_b, "--endpoint", oxigraph.url).returncode == 0
    assert over_allocated(oxigraph) == ["2024-06-01,1.1"]
    # nor does team A: it has gone from the union graph, and Erin's 0.5 is no over-allocation
    team_a.write_text("")
    assert run("push", team_a, "--endpoint", oxigraph.url).returncode == 0
    assert over_allocated(oxigraph) == []
    assert not Endpoint(oxigraph.url).query(
        "ASK { GRAPH <https://w3id.org/pmgraph/union> { <https://example.org/erin-checkout-api> ?p ?o } }"
    )


@needs_oxigraph
def test_a_server_pushed_to_by_an_older_pmgraph_is_refused_until_pushed_again(oxigraph):
    assert run("push", REPEATED, "--endpoint", oxigraph.url).returncode == 0
    Endpoint(oxigraph.url).update("DROP GRAPH <https://w3id.org/pmgraph/union>")  # as pmgraph 0.2 left it
    refused = run("query", "over-allocated-people", "--endpoint", oxigraph.url)
    assert one_line_error(refused) == (
        f"pmgraph: error: {oxigraph.url}: it lacks the graph <https://w3id.org/pmgraph/union> that pmgraph push keeps "
        "beside the data (each statement of the server's graphs once, which the rules, queries and analyses read): "
        "push the files again with this pmgraph"
    )
    # one file again: the union graph is made of every graph on the server
    assert run("push", REPEATED / "team_a.ttl", "--endpoint", oxigraph.url, "--no-ontology").returncode == 0
    assert over_allocated(oxigraph) == ["2024-06-01,1.1"]
