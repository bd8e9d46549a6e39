"""N-Triples files into :func:`pmgraph.load`'s store at the speed of pyoxigraph's own loader.

pyoxigraph's ``Store.load`` reads a file far faster than anything that hands it statements one by
one from Python, but it names blank nodes at random and keeps typed literals by value
(``"1.50"^^xsd:decimal`` as ``"1.5"``), where :func:`pmgraph.load` names blank nodes by a digest of
the file and keeps every literal as written. So the file is loaded by ``Store.load``, and what the
load does not keep is gathered from its text (:func:`file_facts`): the file's digest (the blank
nodes' names), its lines with a blank node (few, in real portfolios), and the statements whose
literal the store holds in another form (rarer), recorded as written in the store's side table.

A small file is handed to the loader through a reader that holds back its lines with a blank node,
which are then added under their names. A large one is loaded from its path, leniently, while a
child process parses it strictly and gathers its facts (:class:`FactsApart`), as
:class:`pmgraph.rdf.syntax_check.StrictCheck` does for ``pmgraph validate``; its statements with a
blank node, named at random by the loader, are then replaced.

Examples
--------
>>> facts = file_facts(b'_:a <https://e.org/p> "01"^^<http://www.w3.org/2001/XMLSchema#integer> .\\n', "file:///x.nt")
>>> facts.error, facts.written.decode().strip()
(None, '_:a <https://e.org/p> "01"^^<http://www.w3.org/2001/XMLSchema#integer> .')
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, BinaryIO

import pyoxigraph
from pyoxigraph import RdfFormat

from pmgraph.rdf.syntax_check import worth_checking_apart

if TYPE_CHECKING:
    from pmgraph.rdf.store import OxigraphStore

__all__ = ["FileFacts", "file_facts", "FactsApart", "load_n_triples"]

_XSD_STRING = pyoxigraph.NamedNode("http://www.w3.org/2001/XMLSchema#string")
_XSD = "http://www.w3.org/2001/XMLSchema#"
_READ_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class FileFacts:
    """What a load by pyoxigraph's ``Store.load`` does not keep of an N-Triples file."""

    #: the strict parser's first error: message, line, column; or None
    error: tuple[str, int | None, int | None] | None
    #: the SHA-256 of the file's content, in hex
    digest: str
    #: the file's lines that hold ``_:`` (a blank node, or such text in a string), in order
    blank: bytes
    #: N-Triples of the statements whose literal the store holds in another form, and of the other
    #: statements whose literal it holds in that same form
    written: bytes


def file_facts(source: bytes | Path, base_iri: str) -> FileFacts:
    """Parse an N-Triples document (its content, or a file) strictly, for its :class:`FileFacts`.

    The typed literals whose form a store changes are found in the text (a regular expression,
    far faster than looking at every parsed statement); their statements, rare, by a second parse.
    """
    where: dict[str, object] = {"input": source} if isinstance(source, bytes) else {"path": os.fspath(source)}
    error = None
    try:
        for _ in pyoxigraph.parse(**where, format=RdfFormat.N_TRIPLES, base_iri=base_iri):  # type: ignore[arg-type]
            pass
    except SyntaxError as found:
        error = (found.msg, found.lineno, found.offset)
    digest = hashlib.sha256()
    typed: set[bytes] = set()
    escaped = False
    blank: list[bytes] = []
    for block in _blocks(source):
        digest.update(block)
        typed.update(_TYPED_LITERAL.findall(block))
        escaped = escaped or b"\\u" in block or b"\\U" in block
        if b"_:" in block:
            _lines_apart(block, blank)
    texts: dict[bytes, pyoxigraph.Literal] = {}
    if error is not None:
        changes = {}
    elif escaped:
        changes = _held_otherwise_parsed(where, base_iri)
    else:
        texts = _literals(typed)
        changes = _held_otherwise(texts.values())
    changed = {held for held in changes.values() if held is not None}
    written = b""
    if changed and error is None:  # rare: the statements of those held forms are read again
        stating = [text for text, literal in texts.items() if changes.get(literal) in changed or literal in changed]
        if texts and len(stating) <= _MOST_TEXTS_LOOKED_FOR:  # only the lines that write them
            where = {"input": b"\n".join(_lines_holding(source, stating))}
        wanted = [
            triple
            for triple in pyoxigraph.parse(**where, format=RdfFormat.N_TRIPLES, base_iri=base_iri)  # type: ignore[arg-type]
            if type(triple.object) is pyoxigraph.Literal and (changes.get(triple.object) in changed or triple.object in changed)
        ]
        written = pyoxigraph.serialize(wanted, format=RdfFormat.N_TRIPLES) or b""
    return FileFacts(error=error, digest=digest.hexdigest(), blank=b"\n".join(blank), written=written)


#: A typed literal of an N-Triples document, as written (found in its text: never across a line). One
#: with a backslash escape is left out: no number, date or other value that a store writes otherwise
#: is written with one (``\u`` escapes are looked for apart), and the end of a string that holds a
#: quote may be taken for such a literal, which only costs a look at it.
_TYPED_LITERAL = re.compile(rb'"[^"\\\n]*+"\^\^<http://www\.w3\.org/2001/XMLSchema#[^>\n]*+>')


#: Up to how many texts of literals the lines that hold them are looked for, rather than the whole
#: document parsed again.
_MOST_TEXTS_LOOKED_FOR = 64


def _literals(typed: set[bytes]) -> dict[bytes, pyoxigraph.Literal]:
    """The literals that N-Triples texts of typed literals stand for (``xsd:string`` left out)."""
    literals = {}
    for text in typed:
        if text.endswith(b"#string>"):
            continue
        try:
            (triple,) = pyoxigraph.parse(input=b"<urn:x:s> <urn:x:p> " + text + b" .", format=RdfFormat.N_TRIPLES)
        except (SyntaxError, ValueError):  # not a literal after all (a string holding such text)
            continue
        if isinstance(triple.object, pyoxigraph.Literal):
            literals[text] = triple.object
    return literals


def _held_otherwise(literals: Iterable[pyoxigraph.Literal]) -> dict[pyoxigraph.Literal, pyoxigraph.Literal | None]:
    """Each typed literal, with the form a store holds it in when that is another one (else None)."""
    from pmgraph.rdf.store import canonical_literal

    changes: dict[pyoxigraph.Literal, pyoxigraph.Literal | None] = {}
    for literal in literals:
        held = canonical_literal(literal)
        changes[literal] = held if held.value != literal.value else None
    return changes


def _lines_holding(source: bytes | Path, texts: list[bytes]) -> Iterator[bytes]:
    """The lines of the content that hold one of ``texts``, in order."""
    for block in _blocks(source):
        starts: set[int] = set()
        for text in texts:
            at = block.find(text)
            while at != -1:
                starts.add(block.rfind(b"\n", 0, at) + 1)
                at = block.find(text, at + len(text))
        for start in sorted(starts):
            end = block.find(b"\n", start)
            yield block[start : len(block) if end == -1 else end]


def _blocks(source: bytes | Path) -> Iterator[bytes]:
    """The content in blocks that end at a line's end (so that no literal is cut in two)."""
    if isinstance(source, bytes):
        yield source
        return
    rest = b""
    with open(source, "rb") as stream:
        while block := stream.read(_READ_BYTES):
            text = rest + block
            end = text.rfind(b"\n") + 1
            rest = text[end:]
            if end:
                yield text[:end]
    if rest:
        yield rest


def _held_otherwise_parsed(where: dict[str, object], base_iri: str) -> dict[pyoxigraph.Literal, pyoxigraph.Literal | None]:
    """:func:`_held_otherwise` for the typed literals of every parsed statement: for a text that
    writes IRIs or literals with ``\\u`` escapes, which the regular expression does not read."""
    from pmgraph.rdf.store import canonical_literal

    changes: dict[pyoxigraph.Literal, pyoxigraph.Literal | None] = {}
    for triple in pyoxigraph.parse(**where, format=RdfFormat.N_TRIPLES, base_iri=base_iri):  # type: ignore[arg-type]
        literal = triple.object
        if type(literal) is pyoxigraph.Literal and literal not in changes and literal.datatype.value.startswith(_XSD):
            held = canonical_literal(literal)
            changes[literal] = held if held.value != literal.value else None
    return changes


class FactsApart:
    """:func:`file_facts` of a file, computed in a child process while the ``with`` block runs.

    On leaving the block ``facts`` holds them. Should the child fail or not start, they are
    computed here instead.
    """

    def __init__(self, path: Path, base_iri: str):
        self.facts: FileFacts | None = None
        self._arguments = (path, base_iri)
        try:
            self._child: subprocess.Popen[bytes] | None = subprocess.Popen(
                [sys.executable, "-m", "pmgraph.rdf.n_triples", os.fspath(path), base_iri],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        except OSError:
            self._child = None

    def __enter__(self) -> FactsApart:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        if kind is not None:
            if self._child is not None:
                self._child.kill()
                self._child.wait()
            return
        if self._child is not None:
            found, _ = self._child.communicate()
            if self._child.returncode == 0 and found:
                self.facts = _from_json(found)
                return
        self.facts = file_facts(*self._arguments)


def _to_json(facts: FileFacts) -> bytes:
    return json.dumps(
        {"error": facts.error, "digest": facts.digest, "blank": facts.blank.decode(), "written": facts.written.decode()}
    ).encode()


def _from_json(text: bytes) -> FileFacts:
    found = json.loads(text)
    error = tuple(found["error"]) if found["error"] is not None else None
    return FileFacts(error, found["digest"], found["blank"].encode(), found["written"].encode())  # type: ignore[arg-type]


def load_n_triples(
    store: OxigraphStore, path: Path, file_uri: str, blank_node_prefix: Callable[[str], str]
) -> SyntaxError | None:
    """Load an N-Triples file into its graph (named ``file_uri``) of ``store``, as :func:`pmgraph.load` reads it.

    ``blank_node_prefix(digest)`` gives the prefix of the file's blank-node names from its digest.
    Returns the file's first syntax error (nothing is then worth keeping), else None. Raises
    OSError when the file cannot be read.
    """
    graph = pyoxigraph.NamedNode(file_uri)
    inner = store.oxigraph()
    if not os.path.getsize(path):
        return None
    size = os.path.getsize(path)
    if worth_checking_apart(path, RdfFormat.N_TRIPLES):
        with open(path, "rb"):  # unreadable: said here, before anything starts
            pass
        lenient_error = None
        with FactsApart(path, file_uri) as apart:
            try:
                inner.load(path=os.fspath(path), format=RdfFormat.N_TRIPLES, base_iri=file_uri, to_graph=graph, lenient=True)
            except SyntaxError as error:  # the strict parser meets it too, or an earlier one
                lenient_error = error
        facts = apart.facts
        assert facts is not None
        if facts.error is not None or lenient_error is not None:
            return _as_syntax_error(facts.error) if facts.error is not None else lenient_error
        blank = facts.blank
        if blank:  # the loader named the blank nodes at random: their statements are put back
            for quad in _with_blank_nodes(inner, graph, _parsed(blank, file_uri)):
                inner.remove(quad)
    else:
        facts = file_facts(path, file_uri)
        if facts.error is not None:
            return _as_syntax_error(facts.error)
        with open(path, "rb") as stream:  # the lines with a blank node held back
            inner.load(input=_WithoutBlankNodes(stream), format=RdfFormat.N_TRIPLES, base_iri=file_uri, to_graph=graph)
        blank = facts.blank
    store.grew(graph, size // 64)
    prefix = blank_node_prefix(facts.digest)
    blank_nodes: dict[str, pyoxigraph.BlankNode] = {}

    def named(node: object) -> object:
        if type(node) is not pyoxigraph.BlankNode:
            return node
        name = blank_nodes.get(node.value)  # type: ignore[attr-defined]
        if name is None:
            name = blank_nodes[node.value] = pyoxigraph.BlankNode(f"{prefix}{len(blank_nodes)}")  # type: ignore[attr-defined]
        return name

    if blank:
        inner.extend(
            pyoxigraph.Quad(named(t.subject), t.predicate, named(t.object), graph)  # type: ignore[arg-type]
            for t in _parsed(blank, file_uri)
        )
    if facts.written:
        from pmgraph.rdf.store import canonical_literal
        from pmgraph.rdf.terms import rdflib_term

        for triple in _parsed(facts.written, file_uri):
            literal = triple.object
            quad = pyoxigraph.Quad(named(triple.subject), triple.predicate, canonical_literal(literal), graph)  # type: ignore[arg-type]
            store.add_written(quad, rdflib_term(literal))  # type: ignore[arg-type]
        store.drop_unchanged_written()
    return None


class _WithoutBlankNodes:
    """An N-Triples file read without its lines that hold ``_:`` (kept in ``apart``, in order):
    what pyoxigraph's loader reads, which would name the blank nodes at random."""

    def __init__(self, stream: BinaryIO):
        self.apart: list[bytes] = []
        self.size = 0
        self._stream = stream
        self._rest = b""
        self._out = b""
        self._at = 0

    def read(self, size: int = -1) -> bytes:
        while self._at >= len(self._out):
            if not self._fill():
                return b""
        if size < 0:
            size = len(self._out) - self._at
        piece = self._out[self._at : self._at + size]
        self._at += len(piece)
        return piece

    def _fill(self) -> bool:
        """Read on to the next lines to hand over; False at the end of the file."""
        block = self._stream.read(_CHUNK_BYTES)
        if not block:
            if not self._rest:
                return False
            text, self._rest = self._rest, b""
        else:
            self.size += len(block)
            text = self._rest + block
            end = text.rfind(b"\n") + 1
            text, self._rest = text[:end], text[end:]
        self._out, self._at = self._lines_apart(text) if b"_:" in text else text, 0
        return True

    def _lines_apart(self, text: bytes) -> bytes:
        return _lines_apart(text, self.apart)


def _lines_apart(text: bytes, apart: list[bytes]) -> bytes:
    """``text`` without its lines that hold ``_:``, which are appended to ``apart``."""
    kept = []
    start = 0
    at = text.find(b"_:")
    while at != -1:
        line_start = text.rfind(b"\n", 0, at) + 1
        line_end = text.find(b"\n", at)
        line_end = len(text) if line_end == -1 else line_end + 1
        kept.append(text[start:line_start])
        apart.append(text[line_start:line_end].rstrip(b"\r\n"))
        start = line_end
        at = text.find(b"_:", start)
    kept.append(text[start:])
    return b"".join(kept)


def _with_blank_nodes(
    store: pyoxigraph.Store, graph: pyoxigraph.NamedNode, triples: Iterator[pyoxigraph.Triple]
) -> list[pyoxigraph.Quad]:
    """The statements of ``graph`` with a blank node, found from ``triples``, the file's statements
    with a blank node (their labels differ from the store's): the blank nodes are those that stand
    where those statements have one, and those linked to them by a statement; when that finds
    fewer than the file names (a cycle of blank nodes, say), the graph is searched whole."""
    subjects, objects, labels = set(), set(), set()
    for triple in triples:
        subject, predicate, obj = triple.subject, triple.predicate, triple.object
        if type(subject) is pyoxigraph.BlankNode:
            labels.add(subject.value)
            if type(obj) is not pyoxigraph.BlankNode:
                subjects.add(f"({predicate} {obj})")
        if type(obj) is pyoxigraph.BlankNode:
            labels.add(obj.value)
            if type(subject) is not pyoxigraph.BlankNode:
                objects.add(f"({subject} {predicate})")
    found: set[pyoxigraph.BlankNode] = set()
    for values, pattern in ((subjects, "(?p ?o) { %s } ?b ?p ?o"), (objects, "(?s ?p) { %s } ?s ?p ?b")):
        if values:
            query = f"SELECT DISTINCT ?b WHERE {{ VALUES {pattern % ' '.join(sorted(values))} FILTER (isBlank(?b)) }}"
            found.update(row["b"] for row in store.query(query, default_graph=graph))  # type: ignore[union-attr]
    frontier = list(found)
    while frontier:  # the blank nodes linked to those found
        node = frontier.pop()
        for quad in [*store.quads_for_pattern(node, None, None, graph), *store.quads_for_pattern(None, None, node, graph)]:
            for end in (quad.subject, quad.object):
                if type(end) is pyoxigraph.BlankNode and end not in found:
                    found.add(end)
                    frontier.append(end)
    if len(found) < len(labels):
        query = "SELECT DISTINCT ?b WHERE { { ?b ?p ?o } UNION { ?s ?p ?b } FILTER (isBlank(?b)) }"
        found = {row["b"] for row in store.query(query, default_graph=graph)}  # type: ignore[misc]
    doomed = set()
    for node in found:
        doomed.update(store.quads_for_pattern(node, None, None, graph))
        doomed.update(store.quads_for_pattern(None, None, node, graph))
    return list(doomed)


#: How much of a file :class:`_WithoutBlankNodes` reads at a time.
_CHUNK_BYTES = 1024 * 1024


def _parsed(text: bytes, base_iri: str) -> Iterator[pyoxigraph.Triple]:
    return pyoxigraph.parse(input=text, format=RdfFormat.N_TRIPLES, base_iri=base_iri)  # type: ignore[return-value]


def _as_syntax_error(error: tuple[str, int | None, int | None]) -> SyntaxError:
    message, line, column = error
    return SyntaxError(message, (None, line, column, None))


# The child: the file's facts as JSON on stdout.
if __name__ == "__main__":
    sys.stdout.buffer.write(_to_json(file_facts(Path(sys.argv[1]), sys.argv[2])))
