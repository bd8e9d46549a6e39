"""What pmgraph refuses to read: inputs shaped to crash a parser or to fill the memory.

pmgraph reads files that other teams send, so it treats them as untrusted. Some inputs are valid
syntax and still harmful: pyoxigraph's JSON-LD and SPARQL parsers recurse once per level of
nesting and overflow the native stack, which kills the whole process with a segmentation fault
(near 3,000 levels with an 8 MB stack, fewer in a thread); its RDF/XML parser expands internal XML
entities without a bound, so a 1 KB file whose entities refer to other entities ("billion laughs")
asks for gigabytes. These functions measure such inputs before any parser sees them.

What is refused, and nothing else (every real portfolio file is far from these limits):

- JSON-LD whose arrays and objects nest more than :data:`MAX_NESTING` levels;
- a SPARQL query whose brackets ``(``, ``{``, ``[`` nest more than :data:`MAX_NESTING` levels;
- a Turtle or TriG file of extra SHACL shapes whose brackets nest more than :data:`MAX_NESTING`
  levels: shapes, like queries, are programs, and pySHACL walks nested shapes recursively;
- RDF/XML that declares an external entity (``SYSTEM`` or ``PUBLIC``: pmgraph never fetches one)
  or a parameter entity, an entity that refers to itself, or entities whose references expand to
  more than :data:`MAX_ENTITY_EXPANSION` characters in all.

Turtle, TriG, N-Triples and N-Quads data have no such trap: pyoxigraph reads them without recursion
(a blank node nested 500,000 levels deep reads fine).

pyoxigraph's parsers hold each term (a literal, an IRI) whole in a buffer of at most
:data:`PARSER_BUFFER_BYTES` (16 MiB), and raise a ``MemoryError`` for a longer one; within
:func:`parser_buffer_limit` that is told as the limit it is, with the file and the term's line.

Examples
--------
>>> json_nesting(b'{"@graph": [{"@id": "https://example.org/apollo"}]}')
3
>>> sparql_nesting("SELECT ?s WHERE { ?s ?p ?o FILTER(?o != '{{{') }")
2
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import accumulate

from pyoxigraph import RdfFormat

__all__ = [
    "MAX_ENTITY_EXPANSION",
    "MAX_NESTING",
    "PARSER_BUFFER_BYTES",
    "parser_buffer_limit",
    "term_too_long",
    "check_query_nesting",
    "check_rdf_input",
    "check_shapes_nesting",
    "entity_expansion",
    "json_nesting",
    "sparql_nesting",
]

#: The deepest nesting of JSON-LD arrays and objects, or of SPARQL brackets, that pmgraph reads.
#: Real files nest a few levels; the parsers' own native stacks give out near 3,000.
MAX_NESTING = 256

#: How many characters the entity references of one RDF/XML file may expand to, in all.
MAX_ENTITY_EXPANSION = 16 * 1024 * 1024

#: The longest term (a literal, an IRI) that pyoxigraph's parsers read: their buffer's size.
PARSER_BUFFER_BYTES = 16 * 1024 * 1024

_JSON_ESCAPE = re.compile(rb"\\.", re.DOTALL)
_EVERY_BYTE_BUT_QUOTES_AND_BRACKETS = bytes(byte for byte in range(256) if byte not in b'"[]{}')
_QUOTED = re.compile(rb'"[^"]*+"')
# What may hold a bracket without opening anything in SPARQL: strings, IRIs and comments.
_SPARQL_QUIET = re.compile(
    r"""'''(?:[^'\\]|\\.|'(?!''))*+'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*+\"\"\""""
    r"""|'(?:[^'\\\n]++|\\.)*+'|"(?:[^"\\\n]++|\\.)*+"|<[^<>"{}|^`\\\x00-\x20]*+>|\#[^\n]*+""",
    re.DOTALL,
)
_NOT_A_SPARQL_BRACKET = re.compile(r"[^(){}\[\]]++")
# +1 for an opening bracket, -1 for a closing one, by byte.
_NESTING_STEP = [1 if byte in b"([{" else -1 if byte in b")]}" else 0 for byte in range(256)]
# <!ENTITY name "value">, <!ENTITY % name "value">, <!ENTITY name SYSTEM "uri">, ...
_ENTITY_DECLARATION = re.compile(
    rb"""<!ENTITY\s+(?P<parameter>%\s+)?(?P<name>[^\s"'>%]+)\s+"""
    rb"""(?:(?P<external>SYSTEM|PUBLIC)\b|(?P<quote>["'])(?P<value>.*?)(?P=quote))""",
    re.DOTALL,
)
_ENTITY_REFERENCE = re.compile(rb"&([^\s&;#<>\"']+);")


def json_nesting(content: bytes) -> int:
    """How deep the arrays and objects of a JSON text nest (0 for a bare value).

    Brackets inside strings do not count. The text need not be valid JSON: an unclosed bracket
    counts as open to the end.

    Examples
    --------
    >>> json_nesting(b'"[[["')
    0
    >>> json_nesting(b'{"a": [1, {"b": "}"}]}')
    3
    """
    # Passes that run in C, as a file may be tens of megabytes: drop the escapes, keep only quotes
    # and brackets, drop what the quotes enclose.
    quotes_and_brackets = _JSON_ESCAPE.sub(b"", content).translate(None, _EVERY_BYTE_BUT_QUOTES_AND_BRACKETS)
    return _deepest(_QUOTED.sub(b"", quotes_and_brackets.replace(b'""', b"")))


def sparql_nesting(text: str) -> int:
    """How deep the brackets ``(``, ``{`` and ``[`` of a SPARQL text nest.

    Brackets inside strings, IRIs and comments do not count.

    Examples
    --------
    >>> sparql_nesting("SELECT * WHERE { { ?s ?p [ ?q (1 2) ] } } # )))")
    4
    """
    return _deepest(_NOT_A_SPARQL_BRACKET.sub("", _SPARQL_QUIET.sub("", text)).encode("ascii"))


def _deepest(brackets: bytes) -> int:
    """The deepest nesting of a run of brackets (other bytes do not count)."""
    return max(accumulate(map(_NESTING_STEP.__getitem__, brackets)), default=0)


def entity_expansion(content: bytes) -> int:
    """How many characters the entity references of an XML text expand to, in all.

    Only the entities the text declares count (``&amp;`` and character references are one
    character each and are left out).

    Raises
    ------
    ValueError
        If the text declares an external entity (``SYSTEM`` or ``PUBLIC``), a parameter entity,
        or an entity that refers to itself, with a one-line reason.

    Examples
    --------
    >>> entity_expansion(b'<!DOCTYPE r [ <!ENTITY ex "https://example.org/"> ]><r a="&ex;a">&ex;b</r>')
    40
    >>> bomb = b'<!DOCTYPE r [ <!ENTITY a "aaaaaaaaaa"> <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"> ]><r>&b;&b;</r>'
    >>> entity_expansion(bomb)
    200
    >>> entity_expansion(b'<!DOCTYPE r [ <!ENTITY e SYSTEM "http://127.0.0.1/e"> ]><r>&e;</r>')
    Traceback (most recent call last):
    ...
    ValueError: it declares the external entity 'e' (SYSTEM ...); pmgraph never reads external entities
    """
    declarations = list(_ENTITY_DECLARATION.finditer(content)) if b"<!ENTITY" in content else []
    if not declarations:
        return 0
    values: dict[bytes, bytes] = {}
    for declaration in declarations:
        name = declaration["name"].decode("utf-8", "replace")
        if declaration["external"]:
            raise ValueError(
                f"it declares the external entity {name!r} ({declaration['external'].decode()} ...); "
                "pmgraph never reads external entities"
            )
        if declaration["parameter"]:
            raise ValueError(f"it declares the parameter entity '%{name}'; pmgraph does not read parameter entities")
        values.setdefault(declaration["name"], declaration["value"])
    body = content[declarations[-1].end() :]  # where the references that get expanded are
    sizes: dict[bytes, int] = {}

    def size(name: bytes, expanding: tuple[bytes, ...]) -> int:
        if name in expanding:
            raise ValueError(f"its entity {name.decode('utf-8', 'replace')!r} refers to itself")
        if len(expanding) > MAX_NESTING:
            raise ValueError(f"its entities refer to entities more than {MAX_NESTING} levels deep")
        if name not in sizes:
            value = values[name]
            references = [ref for ref in _ENTITY_REFERENCE.findall(value) if ref in values]
            own = len(_ENTITY_REFERENCE.sub(b"", value))
            sizes[name] = own + sum(size(ref, (*expanding, name)) for ref in references)
        return sizes[name]

    uses = Counter(_ENTITY_REFERENCE.findall(body))
    return sum(size(name, ()) * count for name, count in uses.items() if name in values)


def check_rdf_input(path: str | os.PathLike[str], rdf_format: RdfFormat, content: bytes) -> None:
    """Refuse an RDF file that would crash its parser or fill the memory (see the module).

    Parameters
    ----------
    path : str or os.PathLike
        The file, as the user named it (for the message).
    rdf_format : pyoxigraph.RdfFormat
        Its syntax.
    content : bytes
        What it holds.

    Raises
    ------
    pmgraph.InputError
        With a one-line reason, if the file is refused.

    Examples
    --------
    >>> check_rdf_input("deep.jsonld", RdfFormat.JSON_LD, b"[" * 300 + b"]" * 300)
    Traceback (most recent call last):
    ...
    pmgraph.errors.InputError: deep.jsonld: JSON-LD nested 300 levels deep; pmgraph reads at most 256 levels
    """
    from pmgraph.errors import InputError

    if rdf_format == RdfFormat.JSON_LD:
        depth = json_nesting(content)
        if depth > MAX_NESTING:
            raise InputError(path, f"JSON-LD nested {depth} levels deep; pmgraph reads at most {MAX_NESTING} levels")
    elif rdf_format == RdfFormat.RDF_XML:
        try:
            expansion = entity_expansion(content)
        except ValueError as error:
            raise InputError(path, f"RDF/XML refused: {error}") from None
        if expansion > MAX_ENTITY_EXPANSION:
            raise InputError(
                path,
                f"RDF/XML refused: its entities expand to {expansion:,} characters "
                f"(an XML entity bomb?); pmgraph expands at most {MAX_ENTITY_EXPANSION:,}",
            )


def check_query_nesting(text: str, source: str) -> None:
    """Refuse a SPARQL query nested deeper than :data:`MAX_NESTING` levels (it would crash the parser).

    Parameters
    ----------
    text : str
        The query.
    source : str
        How the message names the query (``deep.rq``, ``query 'role-holders'``).

    Raises
    ------
    pmgraph.QueryError
        With a one-line reason, if the query is refused.

    Examples
    --------
    >>> check_query_nesting("SELECT * WHERE {" + "{" * 300 + "}" * 301, "deep.rq")
    Traceback (most recent call last):
    ...
    pmgraph.errors.QueryError: deep.rq is nested 301 levels deep; pmgraph reads at most 256 levels
    """
    from pmgraph.errors import QueryError

    depth = sparql_nesting(text)
    if depth > MAX_NESTING:
        raise QueryError(f"{source} is nested {depth} levels deep; pmgraph reads at most {MAX_NESTING} levels")


def check_shapes_nesting(path: str | os.PathLike[str], rdf_format: RdfFormat, content: bytes) -> None:
    """Refuse a Turtle or TriG shapes file whose brackets nest deeper than :data:`MAX_NESTING` levels.

    Takes and raises what :func:`check_rdf_input` does. Turtle shares SPARQL's strings, IRIs and
    comments, so :func:`sparql_nesting` measures it; other syntaxes are left to
    :func:`check_rdf_input` (JSON-LD) or cannot nest (N-Triples, N-Quads).

    Examples
    --------
    >>> check_shapes_nesting("deep.ttl", RdfFormat.TURTLE, b"<https://e.org/s> <https://e.org/p> " + b"[ <https://e.org/p> " * 300 + b"1" + b" ]" * 300)
    Traceback (most recent call last):
    ...
    pmgraph.errors.InputError: deep.ttl: shapes nested 300 levels deep; pmgraph reads at most 256 levels
    """
    from pmgraph.errors import InputError

    if rdf_format in (RdfFormat.TURTLE, RdfFormat.TRIG):
        depth = sparql_nesting(content.decode("utf-8", "replace"))
        if depth > MAX_NESTING:
            raise InputError(path, f"shapes nested {depth} levels deep; pmgraph reads at most {MAX_NESTING} levels")


# The terms of Turtle, TriG, N-Triples and N-Quads that can be long: strings (closed or not), IRIs, comments.
_LONG_TERM_CANDIDATES = re.compile(
    rb"""\"\"\"(?:[^"\\]++|\\.|"(?!""))*+(?:\"\"\")?|'''(?:[^'\\]++|\\.|'(?!''))*+(?:''')?"""
    rb"""|"(?:[^"\\\n]++|\\.)*+"?|'(?:[^'\\\n]++|\\.)*+'?|<[^<>\x00-\x20]*+>?|\#[^\n]*+""",
    re.DOTALL,
)
# In RDF/XML and JSON-LD: what lies between two tags (text, a tag and its attributes) or two quotes.
_LONG_TEXT_CANDIDATES = {RdfFormat.RDF_XML: re.compile(rb"[^<]++"), RdfFormat.JSON_LD: re.compile(rb'[^"]++')}


@contextmanager
def parser_buffer_limit(path: str | os.PathLike[str], rdf_format: RdfFormat) -> Iterator[None]:
    """Within the block, a parser's refusal of a term over 16 MiB is an InputError naming the file and line.

    pyoxigraph says only ``MemoryError: Reached the buffer maximal size of 16777216``, which
    reads as the machine running out of memory. Any other MemoryError passes through.

    Examples
    --------
    >>> import pyoxigraph, tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = pathlib.Path(folder, "notes.nt")
    ...     _ = path.write_bytes(b'<https://e.org/a> <https://e.org/p> "short" .\\n<https://e.org/a> <https://e.org/q> "'
    ...                          + b"x" * PARSER_BUFFER_BYTES + b'" .\\n')
    ...     try:
    ...         with parser_buffer_limit(path, RdfFormat.N_TRIPLES):
    ...             _ = list(pyoxigraph.parse(path=path, format=RdfFormat.N_TRIPLES))
    ...     except Exception as error:
    ...         print(f"line {error.line}: {error.reason}")
    line 2: a literal of 16.0 MiB: longer than the RDF parser's limit of 16 MiB per term
    """
    try:
        yield
    except MemoryError as error:
        if "buffer maximal size" not in str(error):
            raise
        raise term_too_long(path, rdf_format) from None


def term_too_long(path: str | os.PathLike[str], rdf_format: RdfFormat) -> Exception:
    """The InputError for a file holding a term longer than the parser's buffer, with its line when found.

    The term is the file's first near the limit, else its longest (a string or an IRI; in RDF/XML
    and JSON-LD a text), read from the file again: this runs only once a parser has refused it.
    """
    from pmgraph.errors import InputError

    limit = f"longer than the RDF parser's limit of {PARSER_BUFFER_BYTES // (1024 * 1024)} MiB per term"
    try:
        with open(path, "rb") as file:
            content = file.read()
    except OSError:
        return InputError(path, f"a term {limit}")
    candidates = _LONG_TEXT_CANDIDATES.get(rdf_format, _LONG_TERM_CANDIDATES)
    # the first term near the limit (the buffer holds a little more than the term), else the longest
    longest = None
    for found in candidates.finditer(content):
        if longest is None or len(found[0]) > len(longest[0]):
            longest = found
        if len(found[0]) >= PARSER_BUFFER_BYTES - 65536:
            break
    if longest is None:
        return InputError(path, f"a term {limit}")
    kind = {ord('"'): "literal", ord("'"): "literal", ord("<"): "IRI", ord("#"): "comment"}.get(longest[0][0], "term")
    if candidates is not _LONG_TERM_CANDIDATES:
        kind = "text"
    size = len(longest[0]) / (1024 * 1024)
    line = content.count(b"\n", 0, longest.start()) + 1
    article = "an" if kind[0] in "aeiouI" else "a"
    return InputError(path, f"{article} {kind} of {size:.1f} MiB: {limit}", line=line)
