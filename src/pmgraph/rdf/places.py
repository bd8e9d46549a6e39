"""Where RDF files state things: the file, line and column of given statements.

No parser pmgraph uses tells where in a file a statement is written, and keeping a place for each
of a million statements while loading would cost memory and time for nothing, since only the few
statements a finding is about are ever shown. So the places are looked up afterwards, for those
statements only (:func:`statement_places`), each syntax the best honest way:

- N-Triples and N-Quads: found by their text, one statement per line, at C speed (line and column
  of the statement's subject);
- Turtle, TriG and RDF/XML: parsed again by pyoxigraph, fed one line at a time around the lines
  that name a wanted subject, so that each statement is seen on the line where the parser finds
  it complete; in Turtle and TriG, the column is where the statement starts on that line (its
  subject, or else its predicate) when the predicate is written there once, and none otherwise;
- JSON-LD: the ``"@id"`` of the node's object (its line and column), for every statement of the node.

A statement that cannot be placed that way (a subject written with escapes, a blank node) has no
place: none is guessed.

Examples
--------
>>> import pathlib, tempfile
>>> with tempfile.TemporaryDirectory() as folder:
...     path = pathlib.Path(folder, "apollo.ttl")
...     _ = path.write_text('''@prefix ex: <https://example.org/> .
... ex:apollo a ex:Project ;
...     ex:budget -5 .
... ''')
...     places = statement_places([path], {("<https://example.org/apollo>", "<https://example.org/budget>")})
>>> [(value, place.line) for value, place in places["<https://example.org/apollo>", "<https://example.org/budget>"]]
[('"-5"^^<http://www.w3.org/2001/XMLSchema#integer>', 3)]
"""

from __future__ import annotations

import itertools
import json
import os
import re
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import pyoxigraph

__all__ = ["Source", "statement_places", "lines_stating_in", "lines_stating", "blocks_of_lines", "BLOCK_BYTES"]

#: (subject, predicate), each an IRI in N-Triples form: ``<https://example.org/apollo>``.
Statement = tuple[str, str]


@dataclass(frozen=True, order=True)
class Source:
    """A place in a file: where a statement is written.

    ``file`` is the path as it was given (``team/apollo.ttl``); ``line`` counts from 1; ``column``
    (from 1, in characters) is None where the syntax's parser does not tell it.

    >>> str(Source("team/apollo.ttl", 42, 3)), str(Source("team/apollo.rdf", 7))
    ('team/apollo.ttl:42:3', 'team/apollo.rdf:7')
    """

    file: str
    line: int
    column: int | None = None

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" + (f":{self.column}" if self.column is not None else "")

    def to_json(self) -> dict[str, str | int | None]:
        """``{"file": ..., "line": ..., "column": ...}``, as ``validate --format json`` writes it."""
        return {"file": self.file, "line": self.line, "column": self.column}


def statement_places(
    files: Sequence[str | os.PathLike[str]], wanted: Collection[Statement]
) -> dict[Statement, list[tuple[str | None, Source]]]:
    """The places in ``files`` where each wanted (subject, predicate) is stated.

    Parameters
    ----------
    files : sequence of paths
        RDF files, their syntax named by their extension (as :func:`pmgraph.rdf.reading.rdf_files`
        lists them); a file that is gone or unreadable has no place.
    wanted : collection of (str, str)
        (subject IRI, predicate IRI) pairs in N-Triples form.

    Returns
    -------
    dict
        For each wanted pair stated somewhere, the ``(object, place)`` of each statement, in the
        order of the files and lines; the object in N-Triples form, or None where the place is the
        node's (JSON-LD).
    """
    from pmgraph.rdf.reading import RDF_FILE_FORMATS

    places: dict[Statement, list[tuple[str | None, Source]]] = {}
    if not wanted:
        return places
    subjects = frozenset(subject for subject, _predicate in wanted)
    for file in files:
        path = Path(file)
        rdf_format = RDF_FILE_FORMATS.get(path.suffix.lower())
        if rdf_format is None:
            continue
        try:
            if rdf_format in (pyoxigraph.RdfFormat.N_TRIPLES, pyoxigraph.RdfFormat.N_QUADS):
                found = _places_by_text(path, wanted, subjects)
                if found is None:  # not written plainly enough to be found by its text
                    found = _places_parsed(path, rdf_format, wanted, subjects)
            elif rdf_format == pyoxigraph.RdfFormat.JSON_LD:
                found = _places_of_json_ld_nodes(path, wanted, subjects)
            else:
                found = _places_parsed(path, rdf_format, wanted, subjects)
            for key, value, place in found:
                places.setdefault(key, []).append((value, place))
        except (OSError, SyntaxError, ValueError):
            continue  # changed or gone since it was read: no place rather than a wrong one
    return places


def _places_by_text(
    path: Path, wanted: Collection[Statement], subjects: frozenset[str]
) -> list[tuple[Statement, str, Source]] | None:
    """The wanted statements of an N-Triples or N-Quads file, found by their text (:func:`lines_stating`)."""
    predicates = frozenset(predicate.encode() for _subject, predicate in wanted)
    subject_texts = frozenset(subject.encode() for subject in subjects)
    found: list[tuple[Statement, str, Source]] = []
    lines_before = 0
    for block in blocks_of_lines(path):
        stating = _statements_stating(block, predicates, subject_texts)
        if stating is None:
            return None
        counted, line = 0, lines_before + 1  # the line at offset counted
        for start in sorted(stating):
            line += block.count(b"\n", counted, start)
            counted = start
            text = stating[start]
            body = text.lstrip(b" ")
            subject, _, rest = body.partition(b" ")
            predicate, _, value = rest.partition(b" ")
            key = (subject.decode(), predicate.decode())
            if key in wanted:
                value_text = value.decode(errors="replace").strip().removesuffix(".").strip()
                column = len(text[: len(text) - len(body)].decode(errors="replace")) + 1
                found.append((key, value_text, Source(os.fspath(path), line, column)))
        lines_before = line - 1 + block.count(b"\n", counted)  # the block's newlines counted once
    return found


def _places_parsed(
    path: Path, rdf_format: pyoxigraph.RdfFormat, wanted: Collection[Statement], subjects: frozenset[str]
) -> list[tuple[Statement, str, Source]]:
    """The wanted statements of a file, parsed again by pyoxigraph fed a line at a time near them.

    pyoxigraph asks for more input only when it cannot finish a statement with what it has: the
    line it was last given is the one where the statement is complete. Lines far from any wanted
    subject are given in large pieces (a statement found there has no place).
    """
    content = path.read_bytes()
    needles = _needles(subjects, content)
    if needles == []:
        return []  # no line names a wanted subject: nothing to parse the file for
    feeder = _LineFeeder(content, needles)
    stated: list[tuple[Statement, str, int]] = []
    file_uri = Path(os.path.abspath(path)).as_uri()
    parser = pyoxigraph.parse(feeder, format=rdf_format, base_iri=file_uri)  # type: ignore[arg-type]
    for quad in parser:
        subject = quad.subject
        if type(subject) is not pyoxigraph.NamedNode:
            continue  # a blank node's statements belong to the statement that holds it
        key = (str(subject), str(quad.predicate))
        if key in wanted:
            if feeder.by_line:
                stated.append((key, str(quad.object), feeder.line))
        elif str(subject) not in subjects:
            feeder.by_line = False  # past the wanted node: large pieces again up to the next one
    turtle = rdf_format in (pyoxigraph.RdfFormat.TURTLE, pyoxigraph.RdfFormat.TRIG)
    lines = content.split(b"\n") if turtle and stated else []
    return [
        (key, value, Source(os.fspath(path), line, _turtle_column(lines[line - 1], key, parser.prefixes) if turtle else None))
        for key, value, line in stated
    ]


def _turtle_column(line: bytes, statement: Statement, prefixes: dict[str, str]) -> int | None:
    """Where a statement starts on a line of Turtle: its subject, when written on the line just
    before its predicate, else its predicate; None unless the predicate is written there exactly once.

    >>> _turtle_column(b'ex:apollo a pm:Project ; pm:budget -5 .', ("<https://e.org/apollo>", "<https://w3id.org/pmgraph#budget>"), {"ex": "https://e.org/", "pm": "https://w3id.org/pmgraph#"})
    26
    >>> _turtle_column(b'ex:apollo a pm:Project ;', ("<https://e.org/apollo>", "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"), {"ex": "https://e.org/"})
    1
    """
    text = line.decode(errors="replace")
    subject, predicate = (_token_starts(text, _written_forms(term[1:-1], prefixes)) for term in statement)
    if statement[1] == f"<{_RDF_TYPE}>":
        predicate += _token_starts(text, ["a"])
    if len(predicate) != 1:
        return None
    start = predicate[0][0]
    just_before = [at for at, end in subject if end <= start and not text[end:start].strip()]
    return (just_before[0] if just_before else start) + 1


_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_LOCAL_NAME = re.compile(r"[\w-](?:[\w.-]*[\w-])?|")


def _written_forms(iri: str, prefixes: dict[str, str]) -> list[str]:
    """The ways Turtle writes an IRI with these prefixes: ``<iri>`` and each plain prefixed name."""
    forms = [f"<{iri}>"]
    for prefix, namespace in prefixes.items():
        if iri.startswith(namespace) and _LOCAL_NAME.fullmatch(iri[len(namespace) :]):
            forms.append(f"{prefix}:{iri[len(namespace):]}")
    return forms


def _token_starts(text: str, forms: list[str]) -> list[tuple[int, int]]:
    """Where one of ``forms`` stands in ``text`` as a whole Turtle term: (start, end) of each."""
    pattern = r"(?<![^\s;,\[({])(?:" + "|".join(re.escape(form) for form in forms) + r")(?=[\s;,\])}]|$)"
    return sorted(match.span() for match in re.finditer(pattern, text))


def _needles(subjects: frozenset[str], content: bytes) -> list[int] | None:
    """Where the lines naming a wanted subject start: lines holding the last part of its IRI
    (``apollo`` of ``<https://example.org/apollo>``, as ``ex:apollo`` or ``<apollo>`` write it too).
    None when every line is to be fed one by one (too many subjects, or escapes in the file)."""
    if len(subjects) > 64 or b"\\" in content:
        return None
    starts: set[int] = set()
    for subject in subjects:
        local = re.split(r"[/#:]", subject[1:-1].rstrip("/#"))[-1].encode()
        if not local:
            return None
        at = content.find(local)
        while at != -1:
            starts.add(content.rfind(b"\n", 0, at) + 1)
            at = content.find(local, at + len(local))
    return sorted(starts)


class _LineFeeder:
    """A file-like object giving pyoxigraph's parser a file line by line from each line that names a
    wanted subject (:func:`_needles`), in large pieces elsewhere (until ``by_line`` is set)."""

    def __init__(self, content: bytes, needles: list[int] | None):
        self.content = content
        self.at = 0
        self.line = 0  # the line of the last byte given (from 1)
        self.by_line = needles is None  # whether the last piece was (part of) one line
        self._everywhere = needles is None
        self._needles = needles or []
        self._next = 0
        self._newlines = 0  # before self.at

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        content, at = self.content, self.at
        if at >= len(content):
            return b""
        size = size if size > 0 else len(content)
        while self._next < len(self._needles) and self._needles[self._next] < at:
            self._next += 1
        needle = self._needles[self._next] if self._next < len(self._needles) else len(content)
        if self._everywhere or needle == at:
            self.by_line = True
        end = (content.find(b"\n", at) + 1 or len(content)) if self.by_line else needle
        piece = content[at : min(end, at + size)]
        self._newlines += piece.count(b"\n")
        self.line = self._newlines + 1 - piece.endswith(b"\n")
        self.at += len(piece)
        return piece


_JSON_LD_ID = re.compile(rb'"@id"\s*:\s*"((?:[^"\\]|\\.)*)"')


def _places_of_json_ld_nodes(
    path: Path, wanted: Collection[Statement], subjects: frozenset[str]
) -> list[tuple[Statement, None, Source]]:
    """The ``"@id"`` of each wanted node's object in a JSON-LD file: the place of all its statements.

    pyoxigraph's JSON-LD parser reads a node's object whole before it gives its statements, so the
    node is placed where its object names it; its IRI expanded with the prefixes the file's
    context declares, or against the file's URI.
    """
    content = path.read_bytes()
    file_uri = Path(os.path.abspath(path)).as_uri()
    parser = pyoxigraph.parse(input=content, format=pyoxigraph.RdfFormat.JSON_LD, base_iri=file_uri)
    for _quad in parser:
        pass  # the prefixes are known once the file is read
    prefixes = parser.prefixes
    predicates: dict[str, list[str]] = {}
    for subject, predicate in wanted:
        predicates.setdefault(subject, []).append(predicate)
    found: list[tuple[Statement, None, Source]] = []
    for match in _JSON_LD_ID.finditer(content):
        written = json.loads(b'"' + match.group(1) + b'"')
        prefix, colon, local = written.partition(":")
        if colon and prefix in prefixes and not local.startswith("//"):
            iri = prefixes[prefix] + local
        elif colon and re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*", prefix):
            iri = written
        else:
            iri = urljoin(file_uri, written)
        subject = f"<{iri}>"
        if subject in subjects:
            start = match.start()
            line_start = content.rfind(b"\n", 0, start) + 1
            place = Source(os.fspath(path), content.count(b"\n", 0, start) + 1, len(content[line_start:start].decode(errors="replace")) + 1)
            found.extend(((subject, predicate), None, place) for predicate in predicates[subject])
    return found


def lines_stating_in(file: Path, predicates: frozenset[bytes], subjects: frozenset[bytes]) -> bytes | None:
    """:func:`lines_stating` over a file read in blocks of whole lines: a large file is never
    all in memory at once (it would add its size to the peak of a validation)."""
    found: list[bytes] = []
    for lines in blocks_of_lines(file):
        stating = lines_stating(lines, predicates, subjects)
        if stating is None:
            return None
        if stating:
            found.append(stating)
    return b"\n".join(found)


def blocks_of_lines(file: Path) -> Iterator[bytes]:
    """The content of a file in blocks of about :data:`BLOCK_BYTES`, each ending at a line's end."""
    rest = b""
    with open(file, "rb") as stream:
        while block := stream.read(BLOCK_BYTES):
            text = rest + block
            end = text.rfind(b"\n") + 1
            yield text[:end]
            rest = text[end:]
    yield rest


#: How much of a file :func:`lines_stating_in` and :func:`statement_places` read at a time.
BLOCK_BYTES = 16 * 1024 * 1024


def lines_stating(content: bytes, predicates: frozenset[bytes], subjects: frozenset[bytes]) -> bytes | None:
    r"""The lines of an N-Triples or N-Quads document that state one of ``predicates`` (``<iri>``)
    of one of ``subjects`` (``<iri>`` or ``_:label``).

    Found by their text, which is far faster than parsing the whole document again; ``None`` when
    the document is not written plainly enough for that (a tab, or a ``\u`` escape, anywhere).

    Examples
    --------
    >>> lines_stating(b'<a:x> <a:p> "1" .\n<a:y> <a:p> "2" .\n<a:z> <a:p> "3" .', frozenset({b"<a:p>"}), frozenset({b"<a:x>", b"<a:z>"}))
    b'<a:x> <a:p> "1" .\n<a:z> <a:p> "3" .'
    """
    found = _statements_stating(content, predicates, subjects)
    return None if found is None else b"\n".join(found[start] for start in sorted(found))


def _statements_stating(content: bytes, predicates: frozenset[bytes], subjects: frozenset[bytes]) -> dict[int, bytes] | None:
    """:func:`lines_stating`'s lines, by the offset where each starts."""
    # (a backslash is searched for first: one byte is found far faster than two)
    if b"\t" in content or (b"\\" in content and (b"\\u" in content or b"\\U" in content)):
        return None
    if not predicates:
        return {}
    # One pass of the regular expression engine, which finds each line's start by its newline at C
    # speed; Python looks only at the lines stating a wanted predicate.
    statement = re.compile(
        rb"\n *(<[^>\n]*>|_:[^ \n]+) (?:" + b"|".join(re.escape(p) for p in sorted(predicates)) + rb") "
    )
    found: dict[int, bytes] = {}  # by where the line starts, so that each is kept once, in order
    first = content[: content.find(b"\n") + 1 or len(content)]
    matches = [(match, 0) for match in [statement.match(b"\n" + first)] if match is not None]
    for match, start in itertools.chain(matches, ((match, match.start() + 1) for match in statement.finditer(content))):
        if match.group(1) in subjects:
            end = content.find(b"\n", start)
            found[start] = content[start : len(content) if end == -1 else end]
    return found
