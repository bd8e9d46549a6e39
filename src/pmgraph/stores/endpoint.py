"""Work with a SPARQL 1.1 server over HTTP: queries run there, graphs are replaced whole.

A large organisation keeps its merged portfolio on a SPARQL server. :class:`Endpoint` is a small
client for one, on the standard library: SPARQL 1.1 Protocol queries (a URL-encoded POST with the
fixed header ``Accept: application/sparql-results+json``) and the Graph Store Protocol's PUT,
which replaces one named graph whole (:func:`push` sends graphs in batches and moves them into
place with one SPARQL Update). Its :meth:`Endpoint.query` has the shape of
:meth:`pyoxigraph.Store.query` (``solutions.variables``, ``solution[name]`` as pyoxigraph terms),
so pmgraph's validation engine, shipped queries and analyses run on the server as on a local
store: each rule, question or analysis is one query there, and only its answer comes back.

What must be true of the server (:func:`check_server` checks the last two):

- it answers pmgraph's SPARQL as the standard says. Oxigraph server does. Virtuoso 7.2 does not
  always: property paths in an OPTIONAL group keep one match of several, ``sameTerm`` inside a
  larger expression is never true, booleans come back as 1 and 0, an OPTIONAL inside a UNION of
  a sub-query loses rows, a UNION branch whose OPTIONAL matches nothing loses a column after a
  small branch. pmgraph writes its queries and rules around those (the closures of
  :mod:`pmgraph.stores.closures`, which :func:`push` keeps on the server; no ``sameTerm`` in
  expressions; flags as numbers; rule 6 as one group of plain patterns; the people analysis's role
  model read apart), so every rule, question and analysis gives there what it gives on the files
  (tests/test_virtuoso.py);
- it holds pmgraph's ontology in the graph ``https://w3id.org/pmgraph`` (:func:`push` uploads it),
  which rules 4 to 6, the shipped queries and the overlap analyses read;
- it answers SPARQL 1.1 Update (at ``/update`` for Oxigraph, at the query endpoint for Virtuoso),
  with which :func:`push` keeps the graph :data:`UNION_GRAPH`.

A statement counts once, wherever it is stored. The server keeps each file in a graph of its own,
and a server's union of its graphs (Oxigraph's ``--union-default-graph``, Virtuoso's default
graph) matches a statement that two files make twice, so a sum or a count would count it twice
where the files read into memory count it once. :func:`push` therefore keeps every statement of
the server's graphs once in the graph :data:`UNION_GRAPH`, in step with the graphs on every push,
and every question about the union (``use_default_graph_as_union=True``) is asked of that graph and
the closure graph (the SPARQL Protocol's ``default-graph-uri``), whatever the server's own default
graph holds.

Credentials come from the environment (``PMGRAPH_ENDPOINT_USER``, ``PMGRAPH_ENDPOINT_PASSWORD``)
or from a netrc file (``$NETRC``, else ``~/.netrc``), never from the command line or the URL, and
never appear in a message. Basic and Digest authentication are answered as the server asks
(Virtuoso's ``/sparql-auth`` asks for Digest).

Examples
--------
>>> endpoint = Endpoint("http://127.0.0.1:7878/query")
>>> endpoint.gsp_url, endpoint.timeout
('http://127.0.0.1:7878/store', 60.0)
>>> Endpoint("http://127.0.0.1:8890/sparql").gsp_url
'http://127.0.0.1:8890/sparql-graph-crud'
>>> print(EndpointError("http://127.0.0.1:7878/query", "connection refused"))
http://127.0.0.1:7878/query: connection refused
"""

from __future__ import annotations

import contextlib
import http.client
import json
import netrc
import os
import re
import socket
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph

from pmgraph.errors import EndpointError
from pmgraph.stores.closures import CLOSURE_GRAPH, CLOSURES_CLASS, closure_triples, without_paths

if TYPE_CHECKING:

    pass

__all__ = [
    "Endpoint",
    "Solutions",
    "Solution",
    "EndpointError",
    "PushedGraph",
    "push",
    "check_server",
    "USER_VARIABLE",
    "PASSWORD_VARIABLE",
    "MAX_ANSWER_BYTES",
    "BATCH_TRIPLES",
    "STAGING_GRAPHS",
    "UNION_GRAPH",
]

#: The graph where :func:`push` keeps each statement of the server's graphs once: what a question
#: about the union of the graphs reads.
UNION_GRAPH = "https://w3id.org/pmgraph/union"

#: The environment variables that hold the server's user name and password.
USER_VARIABLE = "PMGRAPH_ENDPOINT_USER"
PASSWORD_VARIABLE = "PMGRAPH_ENDPOINT_PASSWORD"

_RESULTS_JSON = "application/sparql-results+json"
#: The largest answer read from a server, by default: 256 MiB (``--max-answer``). A larger one is
#: refused before it fills the memory; pmgraph's own queries get back rows of results, not data.
MAX_ANSWER_BYTES = 256 * 1024 * 1024
#: The most triples :func:`push` sends in one request, by default. Virtuoso commits each request in
#: one transaction, bounded by its ``TransactionAfterImageLimit`` (50 MB by default), and after one
#: request of a million triples it left the next waiting for ever on its locks; 50,000 went through.
BATCH_TRIPLES = 50_000
#: Where :func:`push` stages a graph before moving it into place: this, and the graph's IRI, percent-encoded.
STAGING_GRAPHS = "https://w3id.org/pmgraph/staging?graph="
_UPLOAD_TYPE = "text/turtle"  # N-Triples is Turtle: every server's Graph Store reads it
# Where Oxigraph and Virtuoso serve the Graph Store Protocol, by the path of their query endpoint.
_GRAPH_STORES = {
    "/query": "/store",
    "/sparql": "/sparql-graph-crud",
    "/sparql/": "/sparql-graph-crud",
    "/sparql-auth": "/sparql-graph-crud-auth",
}
# Where Oxigraph and Virtuoso answer SPARQL Update, by the path of their query endpoint (elsewhere:
# at the query endpoint itself).
_UPDATE_ENDPOINTS = {"/query": "/update"}
# The graphs a fresh Virtuoso 7.2 holds of its own (its RDF views, the LDP vocabulary, its service
# description): not an organisation's data, left out of the union graph.
_SERVERS_OWN_GRAPHS = ("http://www.openlinksw.com/schemas/virtrdf#", "http://www.w3.org/ns/ldp#", "http://localuriqaserver/sparql")
# Virtuoso's Graph Stores name the graph by ?graph-uri=, not the standard ?graph=.
_VIRTUOSO_GRAPH_STORES = ("/sparql-graph-crud", "/sparql-graph-crud-auth")
_NOT_IN_BLANK_NODE_ID = re.compile(r"[^A-Za-z0-9-]")


@dataclass(frozen=True)
class PushedGraph:
    """One named graph that :func:`push` replaced on the server.

    Attributes
    ----------
    graph : str
        The graph's IRI.
    triples : int
        How many triples it holds now.
    sources : tuple of str
        The files it was made from (the ontology file for pmgraph's ontology).
    """

    graph: str
    triples: int
    sources: tuple[str, ...]


class Solution:
    """One row of a SELECT answer, read as a :class:`pyoxigraph.QuerySolution` is.

    ``solution["name"]``, ``solution[0]`` or ``solution[pyoxigraph.Variable("name")]`` give a
    pyoxigraph term or None where unbound; iterating gives the values in the order of the
    selected variables.
    """

    __slots__ = ("_index", "_values")

    def __init__(self, index: Mapping[str, int], values: tuple[object, ...]):
        self._index = index
        self._values = values

    def __getitem__(self, key: str | int | pyoxigraph.Variable) -> object:
        if isinstance(key, int):
            return self._values[key]
        name = key.value if isinstance(key, pyoxigraph.Variable) else key
        return self._values[self._index[name]]

    def __iter__(self) -> Iterator[object]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"<Solution {dict(zip(self._index, self._values, strict=True))}>"


class Solutions:
    """The rows of a SELECT answer, read as :class:`pyoxigraph.QuerySolutions` are.

    ``variables`` lists the selected variables (:class:`pyoxigraph.Variable`); iterating gives
    one :class:`Solution` per row, in the server's order.
    """

    def __init__(self, variables: Sequence[str], rows: Sequence[tuple[object, ...]]):
        self.variables = [pyoxigraph.Variable(name) for name in variables]
        self._index = {name: position for position, name in enumerate(variables)}
        self._rows = rows

    def __iter__(self) -> Iterator[Solution]:
        return (Solution(self._index, row) for row in self._rows)

    def __len__(self) -> int:
        return len(self._rows)


class Endpoint:
    """A SPARQL 1.1 server: queries at ``url``, graphs replaced at its Graph Store.

    Parameters
    ----------
    url : str
        The query endpoint, such as ``http://127.0.0.1:7878/query`` (Oxigraph) or
        ``http://127.0.0.1:8890/sparql`` (Virtuoso). It may not hold credentials.
    gsp : str, optional
        The Graph Store Protocol endpoint. Found from ``url`` for Oxigraph (``/query`` ->
        ``/store``) and Virtuoso (``/sparql`` -> ``/sparql-graph-crud``, ``/sparql-auth`` ->
        ``/sparql-graph-crud-auth``); give it for any other server. A graph is named by the
        ``graph`` parameter, or ``graph-uri`` at Virtuoso's ``sparql-graph-crud``.
    timeout : float, default 60
        Seconds a request may take in all: connecting, sending, and reading the whole answer.
    max_answer_bytes : int, default :data:`MAX_ANSWER_BYTES` (256 MiB)
        The largest answer read; a larger one is an EndpointError, told before it is read whole.

    Attributes
    ----------
    url, gsp_url : str
        The query endpoint, and the Graph Store Protocol endpoint (None when unknown).
    timeout : float
    software : str
        The server's software as its last answer named it (its HTTP ``Server`` header), such as
        ``Oxigraph/0.5.13``; empty before the first answer.

    Raises
    ------
    EndpointError
        If ``url`` is not an http(s) URL, holds credentials, or the netrc file cannot be read.
    """

    def __init__(
        self, url: str, *, gsp: str | None = None, timeout: float = 60.0, max_answer_bytes: int = MAX_ANSWER_BYTES
    ):
        self.url = _checked_url(url)
        self.gsp_url = _checked_url(gsp) if gsp is not None else _graph_store_of(self.url)
        if not timeout > 0:
            raise ValueError(f"a timeout is a number of seconds above 0, not {timeout!r}")
        if not max_answer_bytes > 0:
            raise ValueError(f"the largest answer is a number of bytes above 0, not {max_answer_bytes!r}")
        self.timeout = float(timeout)
        self.max_answer_bytes = int(max_answer_bytes)
        self._credentials = _credentials(self.url)
        self.software = ""

    def __repr__(self) -> str:
        return f"Endpoint({self.url!r}, gsp={self.gsp_url!r}, timeout={self.timeout!r})"

    def query(
        self,
        text: str,
        use_default_graph_as_union: bool = False,
        *,
        substitutions: Mapping[pyoxigraph.Variable, object] | None = None,
    ) -> Solutions | bool:
        """Run a SELECT or ASK query on the server, as :meth:`pyoxigraph.Store.query` runs one.

        Parameters
        ----------
        text : str
            The query.
        substitutions : mapping of pyoxigraph.Variable to pyoxigraph terms, optional
            Values of variables, sent as RDF terms in a ``VALUES`` block at the start of the
            query's WHERE clause (never pasted into its text as SPARQL).
        use_default_graph_as_union : bool, default False
            Ask about the union of all graphs, each statement once: the graphs :data:`UNION_GRAPH`
            and the closures' are the query's default graph (see the module's docstring). Else
            the query runs on the server's own default graph.

        Returns
        -------
        Solutions or bool
            The rows of a SELECT, as :meth:`pyoxigraph.Store.query` gives them; a bool for ASK.

        Raises
        ------
        EndpointError
            If the server cannot be reached, does not answer in time, refuses the query, or
            answers with anything but complete SPARQL JSON results.
        """
        if substitutions:
            from pmgraph.rdf.sparql import with_values

            text = with_values(text, {variable.value: str(term) for variable, term in substitutions.items()}, "the query")
        text = without_paths(text)  # the closures that push keeps on the server (see stores.closures)
        fields = [("query", text)]
        if use_default_graph_as_union:  # the union as push keeps it, each statement once
            fields += [("default-graph-uri", UNION_GRAPH), ("default-graph-uri", CLOSURE_GRAPH)]
        # A URL-encoded POST: Virtuoso 7.2 never answers a POST of application/sparql-query.
        body = self._send(
            "POST",
            self.url,
            urllib.parse.urlencode(fields).encode("ascii"),
            {"Content-Type": "application/x-www-form-urlencoded", "Accept": _RESULTS_JSON},
            doing="query",
        )
        try:
            answer = _read_results(body)
        except ValueError as error:
            raise EndpointError(self.url, self._scrubbed(str(error))) from None
        _check_answer_form(self.url, text, answer)
        return answer

    def quads_for_pattern(
        self, subject: object = None, predicate: object = None, object_: object = None, graph_name: object = None
    ) -> list[pyoxigraph.Quad]:
        """The statements of the server's named graphs that match a pattern (None matches anything).

        As :meth:`pyoxigraph.Store.quads_for_pattern` does, for pmgraph's validation, which
        looks up the files a statement came from. A pattern naming a blank node matches nothing:
        the server's blank nodes cannot be named in a query.
        """
        terms = {"s": subject, "p": predicate, "o": object_, "g": graph_name}
        if any(isinstance(term, pyoxigraph.BlankNode) for term in terms.values()):
            return []  # a server's blank node cannot be named again in a later query
        written = {name: "?" + name if term is None else str(term) for name, term in terms.items()}
        unbound = " ".join(f"?{name}" for name, term in terms.items() if term is None) or "*"
        pushed = f" FILTER (?g != <{UNION_GRAPH}>)" if graph_name is None else ""  # not again in the union graph
        rows = self.query(
            f"SELECT {unbound} WHERE {{ GRAPH {written['g']} {{ {written['s']} {written['p']} {written['o']} }}{pushed} }}"
        )
        return [
            pyoxigraph.Quad(*(term if term is not None else row[name] for name, term in terms.items()))
            for row in rows  # type: ignore[union-attr]
        ]

    def replace_graph(self, graph: str, data: bytes, content_type: str = _UPLOAD_TYPE) -> None:
        """Replace a named graph whole with ``data`` (Graph Store Protocol PUT).

        The server parses the whole body before it replaces the graph: a body it refuses, or
        one cut short, leaves the graph as it was.

        Raises
        ------
        EndpointError
            If the server cannot be reached, does not answer in time, or refuses the graph.
        """
        self._send_graph("PUT", graph, data, f"replace graph <{graph}>", content_type)

    def _send_graph(self, method: str, graph: str, data: bytes, doing: str, content_type: str = _UPLOAD_TYPE) -> None:
        """PUT (replace) or POST (add to) a named graph at the Graph Store."""
        if self.gsp_url is None:
            raise EndpointError(
                self.url,
                "cannot tell where its Graph Store Protocol endpoint is (known for Oxigraph's /query and "
                "Virtuoso's /sparql): give it with --gsp URL",
            )
        parameter = "graph-uri" if self.gsp_url.rstrip("/").endswith(_VIRTUOSO_GRAPH_STORES) else "graph"
        separator = "&" if urllib.parse.urlsplit(self.gsp_url).query else "?"
        target = f"{self.gsp_url}{separator}{urllib.parse.urlencode({parameter: graph})}"
        self._send(method, target, data, {"Content-Type": content_type}, doing=doing)

    def update(self, text: str, *, doing: str = "update its graphs") -> None:
        """Run a SPARQL 1.1 Update on the server (a URL-encoded POST to its update endpoint).

        ``doing`` names the update in a failure's message (``could not DOING: ...``).

        Raises
        ------
        EndpointError
            If the server cannot be reached, does not answer in time, or refuses the update.
        """
        self._send(
            "POST", self._update_url, urllib.parse.urlencode({"update": text}).encode("utf-8"),
            {"Content-Type": "application/x-www-form-urlencoded"}, doing=doing,
        )

    @property
    def _update_url(self) -> str:
        parts = urllib.parse.urlsplit(self.url)
        path = _UPDATE_ENDPOINTS.get(parts.path)
        return self.url if path is None else parts._replace(path=path).geturl()

    def _send(self, method: str, url: str, data: bytes, headers: dict[str, str], doing: str) -> bytes:
        """Send one request and return the body of a 2xx answer; any failure as one EndpointError line.

        The whole request, answer read, takes at most ``timeout`` seconds (a server that sends a
        byte a second is cut off then), and an answer over ``max_answer_bytes`` is refused.
        """
        where = urllib.parse.urlsplit(url)._replace(query="", fragment="").geturl()
        request = urllib.request.Request(url, data=data, headers=headers, method=method)
        deadline = _Deadline(self.timeout)
        try:
            with self._opener(deadline).open(request, timeout=self.timeout) as response:
                self.software = response.headers.get("Server", "").strip()
                body = _read_capped(response, self.max_answer_bytes)
            if not deadline.passed:
                return body
            reason = _network_reason(TimeoutError(), self.timeout)
        except urllib.error.HTTPError as error:
            reason = _http_reason(error, has_credentials=self._credentials is not None)
        except urllib.error.URLError as error:
            reason = _network_reason(TimeoutError() if deadline.passed else error.reason, self.timeout)
        except (OSError, http.client.HTTPException) as error:
            reason = _network_reason(TimeoutError() if deadline.passed else error, self.timeout)
        except _TooLarge as error:
            reason = f"the answer is larger than {error.limit}, the most pmgraph reads (raise it with --max-answer MIB)"
        except ValueError as error:  # an authentication scheme urllib does not speak, a malformed URL
            reason = str(error)
        finally:
            deadline.cancel()
        raise EndpointError(where, self._scrubbed(f"could not {doing}: {reason}"))

    def _opener(self, deadline: _Deadline) -> urllib.request.OpenerDirector:
        handlers: list[urllib.request.BaseHandler] = [_HTTPHandler(deadline), _HTTPSHandler(deadline)]
        if self._credentials is not None:
            user, password = self._credentials
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            passwords.add_password(None, [url for url in (self.url, self.gsp_url, self._update_url) if url], user, password)
            # urllib tries Digest (handler order 490) before Basic (500), as the server's challenge asks.
            handlers += [urllib.request.HTTPDigestAuthHandler(passwords), urllib.request.HTTPBasicAuthHandler(passwords)]
        return urllib.request.build_opener(*handlers)

    def _scrubbed(self, message: str) -> str:
        """The message without the password, whatever a server echoed."""
        message = " ".join(message.split())
        if self._credentials is not None and self._credentials[1]:
            message = message.replace(self._credentials[1], "***")
        return message


class _Deadline:
    """When a request must be done by. Then every socket it opened is shut, which ends any wait on it
    (a socket timeout bounds one wait only: a server sending a byte a second never trips it)."""

    def __init__(self, seconds: float):
        self.passed = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._pass)
        self._timer.daemon = True
        self._timer.start()

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if self.passed:
                _shut(sock)

    def cancel(self) -> None:
        self._timer.cancel()

    def _pass(self) -> None:
        with self._lock:
            self.passed = True
            for sock in self._sockets:
                _shut(sock)


def _shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:  # closed already
        pass


class _Watched:
    """A connection (http.client's, mixed in after this) whose socket a :class:`_Deadline` watches."""

    sock: socket.socket

    def __init__(self, *args: object, deadline: _Deadline, **kwargs: object):
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        self._deadline = deadline

    def connect(self) -> None:
        super().connect()  # type: ignore[misc]
        self._deadline.watch(self.sock)


class _HTTPConnection(_Watched, http.client.HTTPConnection):
    pass


class _HTTPSConnection(_Watched, http.client.HTTPSConnection):
    pass


class _HTTPHandler(urllib.request.HTTPHandler):
    """urllib's handler, with connections whose sockets a :class:`_Deadline` watches."""

    def __init__(self, deadline: _Deadline):
        super().__init__()
        self._deadline = deadline

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_HTTPConnection, req, deadline=self._deadline)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, deadline: _Deadline):
        super().__init__()
        self._deadline = deadline

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_HTTPSConnection, req, context=self._context, deadline=self._deadline)  # type: ignore[attr-defined]


class _TooLarge(Exception):
    def __init__(self, limit: int):
        super().__init__(limit)
        self.limit = _size_text(limit)


def _size_text(size: int) -> str:
    """``256 MiB``, ``1.5 KiB``, ``300 bytes``."""
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if size >= scale:
            return f"{size / scale:.4g} {unit}"
    return f"{size} bytes"


def _read_capped(response: http.client.HTTPResponse, limit: int) -> bytes:
    """The body of an answer, refused (:class:`_TooLarge`) as soon as it is known to pass ``limit`` bytes."""
    declared = response.headers.get("Content-Length", "")
    if declared.strip().isdigit() and int(declared) > limit:
        raise _TooLarge(limit)
    chunks, size = [], 0
    while chunk := response.read1(1 << 20):
        size += len(chunk)
        if size > limit:
            raise _TooLarge(limit)
        chunks.append(chunk)
    return b"".join(chunks)


def _check_answer_form(url: str, text: str, answer: Solutions | bool) -> None:
    """Refuse an answer of the wrong kind: a boolean for a SELECT query, rows for an ASK query."""
    from pmgraph.rdf.sparql import query_form

    form = query_form(text)
    if form == "SELECT" and isinstance(answer, bool):
        raise EndpointError(url, "the server answered a SELECT query with a boolean (an ASK answer), not rows")
    if form == "ASK" and not isinstance(answer, bool):
        raise EndpointError(url, "the server answered an ASK query with rows, not a boolean")


def push(
    endpoint: Endpoint,
    *paths: str | os.PathLike[str],
    graph: str | None = None,
    ontology: bool = True,
    batch_triples: int = BATCH_TRIPLES,
) -> tuple[PushedGraph, ...]:
    """Upload RDF files to a SPARQL server, each replacing one named graph whole, all at once or not at all.

    Every file is read (and checked) before anything is sent, so a bad file uploads nothing.
    Each graph is then sent in batches of at most ``batch_triples`` triples (Graph Store Protocol
    PUT, then POSTs) into a staging graph of its own, named
    ``https://w3id.org/pmgraph/staging?graph=`` and the graph's IRI, percent-encoded; the closures
    of the data as it will then be are staged too; and one SPARQL Update ``MOVE``\\ s every staging
    graph into place, which the server does in one transaction. Until then the old graphs stay as
    they were; a failure before it drops the staging graphs. A server commits a whole push in one
    transaction: Virtuoso's ``TransactionAfterImageLimit`` (virtuoso.ini) must allow it (its
    default, 50 MB, refused the move of two graphs of a million triples each; see docs/servers.md).
    The graph :data:`UNION_GRAPH` is then made again from the graphs in place (:func:`keep_union`,
    a request of its own, two on Virtuoso): until it is, a question about the union reads the
    statements of before the push with the closures of after it.

    Parameters
    ----------
    endpoint : Endpoint
    *paths : str or os.PathLike
        Files and folders, as for :func:`pmgraph.load`.
    graph : str, optional
        Put the merge of all the files in this one graph. By default each file goes in the
        graph named by its ``file:`` URI, as :func:`pmgraph.load` names it (the graphs of a
        TriG or N-Quads file are merged into it).
    ontology : bool, default True
        Also replace the graph ``https://w3id.org/pmgraph`` with pmgraph's ontology, which
        rules 4 to 6, the shipped queries and the overlap analyses read.
    batch_triples : int, default :data:`BATCH_TRIPLES`
        The most triples sent in one request (the statements of a blank node go together, so a
        batch may hold more). Virtuoso refuses one request of a million triples.

    Returns
    -------
    tuple of PushedGraph
        The graphs replaced, in the order they were sent (the ontology first, the closures last).

    Raises
    ------
    pmgraph.InputError
        If a file cannot be read (nothing is sent).
    EndpointError
        If the server refuses a graph or cannot be reached: the graphs on the server stay as they
        were (when the final step goes unanswered, the message says the server may still do it).
    ValueError
        If ``graph`` is not an absolute IRI, or ``batch_triples`` is not a number above 0.
    """
    from pmgraph._resources import ontology_file
    from pmgraph.rdf.reading import rdf_files
    from pmgraph.ontology import ONTOLOGY_GRAPH

    if graph is not None:
        try:
            pyoxigraph.NamedNode(graph)
        except ValueError:
            raise ValueError(f"--graph {graph!r} is not an absolute IRI (such as https://example.org/portfolio)") from None
    if not batch_triples > 0:
        raise ValueError(f"a batch is a number of triples above 0, not {batch_triples!r}")
    files = rdf_files(*paths)
    sources = [ontology_file()] if ontology else []
    bodies = {file: _n_triples(file) for file in [*sources, *files]}  # every file read before any upload
    uploads = [(ONTOLOGY_GRAPH, [ontology_file()])] if ontology else []
    if graph is not None:
        uploads.append((graph, files))
    else:
        uploads += [(file_graph_name(file), [file]) for file in files]
    staging = _Staging(endpoint, batch_triples)
    with staging:
        pushed = []
        for name, made_of in uploads:
            # N-Triples: one triple a line, each written one way
            lines = list(dict.fromkeys(line for file in made_of for line in bodies[file].splitlines() if line))
            staging.stage(name, lines)
            pushed.append(PushedGraph(name, len(lines), tuple(str(file) for file in made_of)))
        # the closures the queries read (see stores.closures), of all the server's data as it will be
        closures = closure_triples(staging.as_it_will_be())
        staging.stage(CLOSURE_GRAPH, closures.splitlines())
        pushed.append(PushedGraph(CLOSURE_GRAPH, closures.count(b"\n"), ()))
        staging.commit()
    keep_union(endpoint)  # each statement once, what every question reads (the staged graphs in place)
    return tuple(pushed)


class _Staging:
    """The staging graphs of one push: filled in batches, moved into place by one update, else dropped.

    Used as a context manager: leaving it by an error before :meth:`commit` drops what was staged
    (Ctrl-C too), so the server holds what it held before.
    """

    def __init__(self, endpoint: Endpoint, batch_triples: int):
        self._endpoint = endpoint
        self._batch_triples = batch_triples
        self._staged: dict[str, str | None] = {}  # graph replaced -> its staging graph (None: it becomes empty)
        self._settled = False  # committed, or the server may still be committing: nothing to drop

    def __enter__(self) -> _Staging:
        return self

    def __exit__(self, kind: object, error: object, traceback: object) -> None:
        staged = [stage for stage in self._staged.values() if stage]
        if error is not None and not self._settled and staged:
            with contextlib.suppress(EndpointError):  # the error that stopped the push is the one to tell
                self._endpoint.update(" ;\n".join(f"DROP SILENT GRAPH <{stage}>" for stage in staged), doing="drop staging graphs")

    def stage(self, graph: str, lines: Sequence[bytes]) -> None:
        """Send ``lines`` (N-Triples, one triple each) into the staging graph of ``graph``, in batches."""
        batches = _batches(lines, self._batch_triples)
        stage = STAGING_GRAPHS + urllib.parse.quote(graph, safe="") if batches else None
        self._staged[graph] = stage  # before the first request: a failure drops what reached the server
        for number, batch in enumerate(batches):
            # PUT first: a staging graph a killed push left behind is replaced, not added to
            self._endpoint._send_graph("PUT" if number == 0 else "POST", stage, b"\n".join(batch) + b"\n", f"replace graph <{graph}>")

    def as_it_will_be(self) -> _Dataset:
        """The server's data once the staged graphs have replaced theirs (to query, as a store is)."""
        answer = self._endpoint.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        replaced = {*self._staged, CLOSURE_GRAPH, UNION_GRAPH, *_SERVERS_OWN_GRAPHS}  # the union graph: made again after
        names = [row["g"].value for row in answer if isinstance(row["g"], pyoxigraph.NamedNode)]  # type: ignore[union-attr]
        kept = [name for name in names if name not in replaced and not name.startswith(STAGING_GRAPHS)]
        return _Dataset(self._endpoint, kept + [stage for stage in self._staged.values() if stage])

    def commit(self) -> None:
        """Move every staging graph into place (a graph staged empty is dropped), in one update."""
        if self._endpoint.software.startswith("Virtuoso/"):
            # Virtuoso 7.2 keeps an old literal where one transaction replaces it by one equal as a number
            # (500000.0 as xsd:double by 500000 as xsd:integer): a graph whose numbers change datatype is
            # emptied first, in a request of its own (so not all at once with the rest, there only)
            replaced = [graph for graph, stage in self._staged.items() if stage and self._endpoint.query(_SAME_NUMBER.format(stage=stage, graph=graph))]
            if replaced:
                self._endpoint.update(" ;\n".join(f"DROP SILENT GRAPH <{graph}>" for graph in replaced), doing="empty graphs before the move")
        steps = [f"MOVE <{stage}> TO <{graph}>" if stage else f"DROP SILENT GRAPH <{graph}>" for graph, stage in self._staged.items()]
        try:
            self._endpoint.update(" ;\n".join(steps), doing="move the staged graphs into place")
        except EndpointError as error:
            if not re.search(r": HTTP \d{3} ", error.reason):  # sent, but no answer: it may still be done
                self._settled = True
                raise EndpointError(error.url, f"{error.reason}; the server may still replace the graphs: push again to be sure") from None
            if "SR325" in error.reason:
                raise EndpointError(error.url, f"{error.reason} (Virtuoso commits a push in one transaction: raise TransactionAfterImageLimit under [Parameters] in virtuoso.ini)") from None
            raise
        self._settled = True


# Whether a staged graph gives a statement of the graph it replaces a number of another datatype (where
# Virtuoso may keep the old one). Not "?new = ?old": Virtuoso then takes ?new and ?old for one variable.
_SAME_NUMBER = (
    "ASK {{ GRAPH <{stage}> {{ ?s ?p ?new }} GRAPH <{graph}> {{ ?s ?p ?old }} "
    "FILTER (isNumeric(?new) && isNumeric(?old) && datatype(?new) != datatype(?old)) }}"
)


class _Dataset:
    """The server's named graphs ``graphs``, merged, as the default graph of every query.

    Named by the protocol's ``default-graph-uri``: an Oxigraph server serving the union of its
    graphs as its default graph reads that, and not a query's ``FROM``.
    """

    def __init__(self, endpoint: Endpoint, graphs: Sequence[str]):
        self._endpoint = endpoint
        # a graph that holds nothing when no graph will hold anything (no graph named is the union)
        self._graphs = list(graphs) or [STAGING_GRAPHS]

    def query(self, text: str, use_default_graph_as_union: bool = False) -> Solutions | bool:
        form = [("query", text), *(("default-graph-uri", graph) for graph in self._graphs)]
        body = self._endpoint._send(
            "POST", self._endpoint.url, urllib.parse.urlencode(form).encode("ascii"),
            {"Content-Type": "application/x-www-form-urlencoded", "Accept": _RESULTS_JSON}, doing="query",
        )
        try:
            return _read_results(body)
        except ValueError as error:
            raise EndpointError(self._endpoint.url, self._endpoint._scrubbed(str(error))) from None


def _batches(lines: Sequence[bytes], size: int) -> list[list[bytes]]:
    """N-Triples ``lines`` in lists of ``size`` or so, the lines that share blank nodes in one list.

    Each request is a document of its own, where a blank node's label names a new node: so every
    statement linked through blank nodes goes in one request (a list may then pass ``size``).

    >>> _batches([b"<a> <p> _:x .", b"<b> <p> <c> .", b'_:x <p> "a _:z" .', b"_:y <p> _:x ."], 2)
    [[b'<a> <p> _:x .', b'_:x <p> "a _:z" .', b'_:y <p> _:x .'], [b'<b> <p> <c> .']]
    """
    parent: dict[bytes, bytes] = {}

    def root(label: bytes) -> bytes:
        while parent.setdefault(label, label) != label:
            parent[label] = parent[parent[label]]
            label = parent[label]
        return label

    linked: dict[bytes, list[bytes]] = {}
    plain: list[list[bytes]] = []
    labelled = []
    for line in lines:
        labels = _blank_labels(line)
        if not labels:
            plain.append([line])
            continue
        for label in labels[1:]:
            parent[root(label)] = root(labels[0])
        labelled.append((labels[0], line))
    for label, line in labelled:
        linked.setdefault(root(label), []).append(line)
    batches: list[list[bytes]] = []
    batch: list[bytes] = []
    for group in [*linked.values(), *plain]:
        batch += group
        if len(batch) >= size:
            batches.append(batch)
            batch = []
    return batches + [batch] if batch else batches


def _blank_labels(line: bytes) -> list[bytes]:
    """The blank nodes of one N-Triples line (subject, object), by label."""
    labels = [line.split(b" ", 1)[0]] if line.startswith(b"_:") else []
    words = line.rsplit(b" ", 2)
    if len(words) == 3 and words[1].startswith(b"_:") and b'"' not in words[1]:  # not the end of a literal
        labels.append(words[1])
    return labels


def keep_union(endpoint: Endpoint) -> None:
    """Make :data:`UNION_GRAPH` again of every statement of the server's graphs, each once.

    The graph is dropped and filled again from all the graphs but itself, the closures' and
    Virtuoso's own, copied on the server (a graph is a set: a statement two graphs hold goes in
    once; a blank node stays the one its file's graph holds). Made whole on every push rather than
    changed by what the push replaced: a statement that a replaced file no longer states leaves it
    only if no other graph states it, which Virtuoso cannot be asked exactly (it matches a number
    by its value, ``500000`` as ``5.0e5``). One request, which Oxigraph runs as one transaction
    (two on Virtuoso, which runs the two steps of one request wrongly: a reader may find the graph
    empty between them).
    At 100,000 triples it took 0.8 s on Oxigraph and 3.4 s on Virtuoso here (a busy machine).

    Raises
    ------
    EndpointError
        If the server refuses the update or cannot be reached.
    """
    union = f"<{UNION_GRAPH}>"
    left_out = ", ".join(f"<{graph}>" for graph in (UNION_GRAPH, CLOSURE_GRAPH, *_SERVERS_OWN_GRAPHS))
    steps = [
        f"DROP SILENT GRAPH {union}",
        # not a push's staging graphs either (one a killed push left behind)
        f"INSERT {{ GRAPH {union} {{ ?s ?p ?o }} }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
        f"FILTER (?g NOT IN ({left_out}) && !STRSTARTS(STR(?g), \"{STAGING_GRAPHS}\")) }}",
    ]
    if endpoint.software.startswith("Virtuoso/"):
        # Virtuoso 7.2 runs the two of one request so that a number the DROP removes (5.0e5) stays
        # in place of the one the INSERT copies (500000): two requests (tests/test_virtuoso.py's canary)
        for step in steps:
            endpoint.update(step)
    else:
        endpoint.update(" ;\n".join(steps))


def check_server(endpoint: Endpoint) -> None:
    """Check that pmgraph's rules, shipped queries and analyses can run on the server.

    The server must hold the graphs that :func:`push` keeps, :data:`UNION_GRAPH` with pmgraph's
    ontology in it and the closures'.

    Raises
    ------
    EndpointError
        If the server cannot be reached, or lacks pmgraph's ontology or a graph that push keeps.
    """
    from pmgraph.ontology import ONTOLOGY_GRAPH

    found = endpoint.query(f"ASK {{ <{ONTOLOGY_GRAPH}> a <http://www.w3.org/2002/07/owl#Ontology> }}", True)
    if not found and not endpoint.query(f"ASK {{ GRAPH <{UNION_GRAPH}> {{ ?s ?p ?o }} }}"):
        raise EndpointError(
            endpoint.url,
            f"it lacks the graph <{UNION_GRAPH}> that pmgraph push keeps beside the data (each statement of the "
            "server's graphs once, which the rules, queries and analyses read): push the files again with this pmgraph",
        )
    if found and not endpoint.query(f"ASK {{ <{CLOSURE_GRAPH}> a <{CLOSURES_CLASS}> }}", True):
        raise EndpointError(
            endpoint.url,
            f"it lacks the graph <{CLOSURE_GRAPH}> that pmgraph push keeps beside the data (the closures of "
            "rdfs:subClassOf, skos:broader, pm:partOf and pm:reportsTo, which the rules, queries and analyses read): "
            "push the files again with this pmgraph",
        )
    if not found:
        raise EndpointError(
            endpoint.url,
            f"it does not hold pmgraph's ontology <{ONTOLOGY_GRAPH}>, which the rules and analyses read: "
            "upload it with pmgraph push (without --no-ontology)",
        )


def _n_triples(file: Path) -> bytes:
    """A file's triples (every graph of a TriG or N-Quads file) as N-Triples.

    Read and checked as :func:`pmgraph.load` reads it (a file that would crash the parser or fill
    the memory is refused): relative IRIs against the file's ``file:`` URI, literals as written; a
    syntax error is an InputError with the line.
    """
    from pmgraph.rdf.limits import parser_buffer_limit
    from pmgraph.rdf.reading import syntax_error, read_rdf_file

    rdf_format, content = read_rdf_file(file)
    if not content:
        return b""
    try:
        with parser_buffer_limit(file, rdf_format):
            triples = [
                pyoxigraph.Triple(quad.subject, quad.predicate, quad.object)
                for quad in pyoxigraph.parse(input=content, format=rdf_format, base_iri=file_graph_name(file))
            ]
    except SyntaxError as error:
        raise syntax_error(file, rdf_format, error) from error
    return pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES)


def file_graph_name(file: Path) -> str:
    """The graph a file's triples go in: its absolute ``file:`` URI, as :func:`pmgraph.load` names it."""
    return Path(os.path.abspath(file)).as_uri()


def _read_results(body: bytes) -> Solutions | bool:
    """SPARQL 1.1 Query Results JSON as pyoxigraph terms; a ValueError says why an answer is not that."""
    try:
        answer = json.loads(body)
        if "boolean" in answer:
            return bool(answer["boolean"])
        variables = answer["head"]["vars"]
        if variables == ["__ASK_RETVAL"]:  # Virtuoso 7.2 answers ASK as a SELECT of 1 or nothing
            return any(binding["__ASK_RETVAL"]["value"] == "1" for binding in answer["results"]["bindings"])
        rows = [
            tuple(_term(binding[name]) if name in binding else None for name in variables)
            for binding in answer["results"]["bindings"]
        ]
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise ValueError(f"the answer is not SPARQL JSON results ({error}): {body[:60].decode('utf-8', 'replace')!r}") from None
    return Solutions(variables, rows)


def _term(binding: Mapping[str, str]) -> pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal:
    """The pyoxigraph term of one SPARQL JSON value (``typed-literal`` as older servers write)."""
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return pyoxigraph.NamedNode(value)
    if kind == "bnode":
        return pyoxigraph.BlankNode(_blank_node_id(value))
    if kind in ("literal", "typed-literal"):
        if "xml:lang" in binding:
            return pyoxigraph.Literal(value, language=binding["xml:lang"])
        if "datatype" in binding:
            return pyoxigraph.Literal(value, datatype=pyoxigraph.NamedNode(binding["datatype"]))
        return pyoxigraph.Literal(value)
    raise ValueError(f"unknown kind of value {kind!r}")


def _blank_node_id(value: str) -> str:
    """A valid blank node id for a server's (Virtuoso writes ``nodeID://b10006``), one per id.

    >>> _blank_node_id("b0"), _blank_node_id("nodeID://b10006")
    ('b0', 'nodeID_3a__2f__2f_b10006')
    """
    # Each character outside [A-Za-z0-9-] (the "_" of the escapes among them) becomes _hex_.
    return _NOT_IN_BLANK_NODE_ID.sub(lambda m: f"_{ord(m[0]):x}_", value)


def _checked_url(url: str) -> str:
    """The URL of a server, refused (without its password) when it holds credentials or is not http(s)."""
    parts = urllib.parse.urlsplit(url)
    if "@" in parts.netloc:
        shown = parts._replace(netloc=parts.netloc.rpartition("@")[2]).geturl()
        raise EndpointError(
            shown,
            f"a URL may not hold credentials: set {USER_VARIABLE} and {PASSWORD_VARIABLE}, or use a netrc file",
        )
    try:
        parts.port  # noqa: B018 (a port that is not a number raises here)
    except ValueError:
        raise EndpointError(url, "the port is not a number") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise EndpointError(url, "not an http:// or https:// URL of a SPARQL endpoint")
    return url


def _graph_store_of(url: str) -> str | None:
    """The Graph Store Protocol endpoint beside Oxigraph's or Virtuoso's query endpoint."""
    parts = urllib.parse.urlsplit(url)
    store_path = _GRAPH_STORES.get(parts.path)
    if store_path is None:
        return None  # only uploads need it: they ask for --gsp
    return parts._replace(path=store_path, query="", fragment="").geturl()


def _credentials(url: str) -> tuple[str, str] | None:
    """The user and password for the server: from the environment, else from a netrc file."""
    user, password = os.environ.get(USER_VARIABLE), os.environ.get(PASSWORD_VARIABLE)
    if user or password:
        return user or "", password or ""
    path = os.environ.get("NETRC") or os.path.join(os.path.expanduser("~"), ".netrc")
    if not os.path.isfile(path):
        return None
    try:
        found = netrc.netrc(path).authenticators(urllib.parse.urlsplit(url).hostname or "")
    except (OSError, netrc.NetrcParseError) as error:
        # NetrcParseError quotes the line it fails on, which may hold a password: say where only.
        line = getattr(error, "lineno", None)
        raise EndpointError(path, f"cannot read this netrc file{f' (line {line})' if line else ''}") from None
    if found is None:
        return None
    login, _account, password = found
    return login or "", password or ""


def _http_reason(error: urllib.error.HTTPError, has_credentials: bool) -> str:
    """What an HTTP error answer says, in one line: status, and the start of the server's text."""
    try:
        detail = error.read(4000).decode("utf-8", "replace")
    except (OSError, http.client.HTTPException):
        detail = ""
    if detail.lstrip().startswith("<"):  # an HTML page (Virtuoso): its preformatted text, or its words
        preformatted = re.search(r"<(xmp|pre)>(.*?)</\1>", detail, re.DOTALL | re.IGNORECASE)
        detail = preformatted[2] if preformatted else re.sub(r"<[^>]*>", " ", detail)
    detail = " ".join(detail.split())[:300]
    reason = f"HTTP {error.code} {error.reason}"
    if error.code in (401, 403) and not has_credentials:
        reason += f" (the server asks for credentials: set {USER_VARIABLE} and {PASSWORD_VARIABLE}, or use a netrc file)"
    elif error.code == 401:
        reason += " (the server refused the credentials)"
    return f"{reason}: {detail}" if detail else reason


def _network_reason(error: object, timeout: float) -> str:
    """Why a server could not be reached or stopped answering, in a few words."""
    if isinstance(error, TimeoutError) or "timed out" in str(error):
        return f"no answer within {timeout:g} s (the timeout; raise it with --timeout SECONDS)"
    if isinstance(error, ConnectionRefusedError):
        return "connection refused (is the SPARQL server running?)"
    if isinstance(error, http.client.RemoteDisconnected | ConnectionResetError | BrokenPipeError):
        return "the server closed the connection"
    if isinstance(error, http.client.IncompleteRead):
        return "the answer was cut short"
    if isinstance(error, OSError) and error.strerror:
        return error.strerror[:1].lower() + error.strerror[1:]
    return str(error) or type(error).__name__
