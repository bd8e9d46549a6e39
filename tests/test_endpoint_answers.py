"""What pmgraph does with a server's answer that is too slow, too large, or of the wrong kind.

Each story runs the installed ``pmgraph`` against a small HTTP server that the test starts on
127.0.0.1 (``stand_in`` of test_endpoint): one that sends its answer a byte at a time, one whose
answer never ends, one that answers a SELECT query with a boolean. Each is one line, exit 2, in
a time bounded by ``--timeout``.
"""

from __future__ import annotations

import http.server
import time

import pytest
from conftest import one_line_error, run
from test_endpoint import stand_in

from pmgraph.errors import EndpointError
from pmgraph.stores.endpoint import Endpoint

ANSWER = b'{"head": {"vars": ["s"]}, "results": {"bindings": []}}'


class Answers(http.server.BaseHTTPRequestHandler):
    """Reads the request, then answers as the subclass says; says nothing in the test's output."""

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        try:
            self.answer()
        except OSError:  # pmgraph hung up, as it should
            pass

    def answer(self) -> None:
        raise NotImplementedError

    def head(self, length: int | None) -> None:
        """The status line and headers of a SPARQL JSON answer (of unknown length with None)."""
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        if length is not None:
            self.send_header("Content-Length", str(length))
        self.end_headers()

    def trickle(self, data: bytes) -> None:
        """Send `data` a byte every 0.2 s."""
        for byte in data:
            self.wfile.write(bytes([byte]))
            self.wfile.flush()
            time.sleep(0.2)

    def log_message(self, *args: object) -> None:
        pass


class TricklesItsAnswer(Answers):
    """Sends a complete, valid answer one byte every 0.2 s: 4 s a hundred bytes, never silent for long."""

    def answer(self) -> None:
        body = ANSWER + b" " * 2000
        self.head(len(body))
        self.trickle(body)


class TricklesItsHeaders(Answers):
    """Sends its status line and headers one byte every 0.2 s."""

    def answer(self) -> None:
        self.trickle(b"HTTP/1.0 200 OK\r\n" + b"X-Padding: " + b"x" * 2000 + b"\r\n\r\n")


class NeverEnds(Answers):
    """An answer without a length that goes on for 2 GiB: what a runaway query gives."""

    def answer(self) -> None:
        self.head(None)
        self.wfile.write(b'{"head": {"vars": ["s"]}, "results": {"bindings": [')
        chunk = b'{"s": {"type": "literal", "value": "' + b"x" * 65000 + b'"}},'
        for _ in range(2 * 1024 * 1024 * 1024 // len(chunk)):
            self.wfile.write(chunk)


class SaysItIsHuge(Answers):
    """Declares an answer of 1 GiB, and sends a few bytes of it."""

    def answer(self) -> None:
        self.head(1024**3)
        self.wfile.write(ANSWER)
        time.sleep(5)


class AnswersEverythingWithABoolean(Answers):
    """Answers every query, ASK or SELECT, with ``{"boolean": true}``."""

    def answer(self) -> None:
        body = b'{"head": {}, "boolean": true}'
        self.head(len(body))
        self.wfile.write(body)


@pytest.mark.parametrize("server", [TricklesItsAnswer, TricklesItsHeaders])
@pytest.mark.parametrize("command", [["validate"], ["query", "people-with-concurrent-roles"]])
def test_a_server_trickling_its_answer_is_cut_off_at_the_timeout(server, command):
    """The whole answer would take over 400 s; --timeout 2 bounds the whole request, not each wait."""
    with stand_in(server) as url:
        result = run(*command, "--endpoint", url, "--timeout", "2", timeout=60)
    assert one_line_error(result) == (
        f"pmgraph: error: {url}: could not query: no answer within 2 s (the timeout; raise it with --timeout SECONDS)"
    )


def test_the_library_bounds_the_whole_request_too():
    with stand_in(TricklesItsAnswer) as url:
        started = time.monotonic()
        with pytest.raises(EndpointError) as refused:
            Endpoint(url, timeout=1).query("SELECT * WHERE { ?s ?p ?o }")
        took = time.monotonic() - started
    assert str(refused.value) == f"{url}: could not query: no answer within 1 s (the timeout; raise it with --timeout SECONDS)"
    assert took < 30  # the answer takes 400 s; this catches only a timeout per wait


@pytest.mark.parametrize(("option", "limit"), [([], "256 MiB"), (["--max-answer", "1"], "1 MiB")])
def test_an_answer_without_end_is_refused_at_the_size_limit(option, limit):
    with stand_in(NeverEnds) as url:
        result = run("query", "people-with-concurrent-roles", "--endpoint", url, *option, timeout=120)
    assert one_line_error(result) == (
        f"pmgraph: error: {url}: could not query: the answer is larger than {limit}, "
        "the most pmgraph reads (raise it with --max-answer MIB)"
    )


def test_an_answer_declared_too_large_is_refused_before_it_is_read():
    with stand_in(SaysItIsHuge) as url:
        result = run("validate", "--endpoint", url, timeout=60)
    assert one_line_error(result) == (
        f"pmgraph: error: {url}: could not query: the answer is larger than 256 MiB, "
        "the most pmgraph reads (raise it with --max-answer MIB)"
    )


def test_a_larger_limit_reads_a_larger_answer():
    class Answers3MiB(Answers):
        def answer(self) -> None:
            body = ANSWER + b" " * (3 * 1024 * 1024)
            self.head(len(body))
            self.wfile.write(body)

    with stand_in(Answers3MiB) as url:
        with pytest.raises(EndpointError, match="larger than 2 MiB"):
            Endpoint(url, max_answer_bytes=2 * 1024 * 1024).query("SELECT * WHERE { ?s ?p ?o }")
        assert len(Endpoint(url, max_answer_bytes=4 * 1024 * 1024).query("SELECT * WHERE { ?s ?p ?o }")) == 0


@pytest.mark.parametrize("command", [["validate"], ["query", "people-with-concurrent-roles"], ["overlap", "--people"]])
def test_a_select_answered_with_a_boolean_is_one_line_blaming_the_server(command):
    with stand_in(AnswersEverythingWithABoolean) as url:
        result = run(*command, "--endpoint", url, timeout=60)
    assert one_line_error(result) == (
        f"pmgraph: error: {url}: the server answered a SELECT query with a boolean (an ASK answer), not rows"
    )


def test_an_ask_answered_with_rows_is_refused():
    class AnswersRows(Answers):
        def answer(self) -> None:
            self.head(len(ANSWER))
            self.wfile.write(ANSWER)

    with stand_in(AnswersRows) as url:
        with pytest.raises(EndpointError) as refused:
            Endpoint(url).query("ASK { ?s ?p ?o }")
    assert str(refused.value) == f"{url}: the server answered an ASK query with rows, not a boolean"
