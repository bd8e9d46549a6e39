"""Ask the portfolio graph questions in SPARQL: the shipped competency questions, or your own.

pmgraph ships the questions people ask again and again as SPARQL files, ``queries/*.rq`` in the
package. Each file starts with a comment that says what it answers and which parameters it takes::

    # Who holds a role on a scope on a date (a role skos:broader it counts as it)
    # param scope: iri — the portfolio, program, project, product or team
    # param role: iri — the role, such as pm:ProjectManager
    # param at: date — the day asked about (default: today)

so that the files are the one source of the menu (:func:`shipped_queries`, ``pmgraph query
--list``). A parameter type is ``iri``, ``date``, ``literal``, ``decimal`` or ``integer``; a
meaning that ends in ``(default: VALUE)`` makes the parameter optional (``today`` for a date).

Queries run over the data together with pmgraph's ontology, as validation does, so that questions
about the reference model (who is accountable for what through their role) work on any data.
Parameters are bound as RDF terms by the SPARQL engine (pyoxigraph's substitutions, rdflib's
initial bindings), never pasted into the query text, so no value can change what the query asks.
pyoxigraph binds only variables that the query selects: every parameter is a selected variable,
in the last columns.

Examples
--------
>>> import rdflib
>>> data = rdflib.Graph().parse(format="turtle", data='''
...     @prefix pm: <https://w3id.org/pmgraph#> .
...     @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
...     @prefix ex: <https://example.org/> .
...     ex:apollo a pm:Project ; rdfs:label "Apollo" ; pm:projectManager ex:erin .
...     ex:erin a pm:Person ; rdfs:label "Erin Castillo" .
... ''')
>>> result = query(data, "accountable-for", scope="ex:apollo", responsibility="pm:Budgeting", at="2024-06-01")
>>> print(result.to_table())
agent    name           role               assignment  start  end  scope      responsibility  at
-------  -------------  -----------------  ----------  -----  ---  ---------  --------------  ----------
ex:erin  Erin Castillo  pm:ProjectManager                          ex:apollo  pm:Budgeting    2024-06-01
(1 row)
"""

from __future__ import annotations

import csv
import datetime
import difflib
import importlib.resources
import io
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, cast
from typing import Literal as TypingLiteral

import rdflib
from rdflib import XSD, BNode, Literal, URIRef
from rdflib.term import Node

from pmgraph.errors import QueryError
from pmgraph.rdf.sparql import (
    SPARQL_TOKENS,
    declared_prefixes,
)

if TYPE_CHECKING:
    import pyoxigraph

    from pmgraph.organisation import DataSource
    from pmgraph.rdf.prefixes import NamespaceIndex
    from pmgraph.stores.endpoint import Endpoint

__all__ = [
    "ParameterType",
    "QueryParameter",
    "ShippedQuery",
    "QueryResult",
    "QueryError",
    "query",
    "query_files",
    "shipped_queries",
    "read_query",
    "RESERVED_NAMES",
]

ParameterType = TypingLiteral["iri", "date", "literal", "decimal", "integer"]
Engine = TypingLiteral["oxigraph", "rdflib"]

_PARAMETER_TYPES: tuple[str, ...] = ("iri", "date", "literal", "decimal", "integer")
#: Names no query parameter may take: the other arguments of :func:`query`.
RESERVED_NAMES: tuple[str, ...] = ("data", "name_or_text", "allow_service", "engine")
_PARAMETER_LINE = re.compile(
    r"^#\s*param\s+(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*:\s*(?P<type>\w+)\s*(?:—|–|--?)\s*(?P<meaning>.*?)\s*$"
)
_DEFAULT = re.compile(r"\(default:\s*(?P<value>[^()]*?)\s*\)$")
_PN_LOCAL = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?$")
# The characters that IRIREF in SPARQL and Turtle excludes, and the scheme of an absolute IRI.
_IRI_EXCLUDED = re.compile(r"[\x00-\x20<>\"{}|^`\\]")
_IRI_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DECIMAL = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$")
_INTEGER = re.compile(r"^[+-]?\d+$")
_CODEPOINT_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


@dataclass(frozen=True)
class QueryParameter:
    """A parameter of a query, as its header comment declares it.

    Attributes
    ----------
    name : str
        The SPARQL variable it binds (without ``?``).
    type : {"iri", "date", "literal", "decimal", "integer"}
    meaning : str
        What the value stands for, in words.
    default : str or None
        The value used when none is given (``today`` for a date); None when the parameter is required.
    """

    name: str
    type: ParameterType
    meaning: str
    default: str | None = None


@dataclass(frozen=True)
class ShippedQuery:
    """A question that pmgraph ships, read from its ``.rq`` file.

    Attributes
    ----------
    name : str
        The file name without ``.rq``, as given to ``pmgraph query NAME``.
    description : str
        The first line of the header comment: what the query answers.
    parameters : tuple of QueryParameter
    text : str
        The SPARQL text, header included.
    path : pathlib.Path
        Where the file is.
    """

    name: str
    description: str
    parameters: tuple[QueryParameter, ...]
    text: str
    path: Path


@dataclass(frozen=True)
class QueryResult:
    """The rows a SELECT query returns.

    Attributes
    ----------
    variables : tuple of str
        The selected variables, in order (without ``?``).
    rows : tuple of tuple
        One tuple per solution, a value per variable: an rdflib term, or None where unbound.
        pyoxigraph gives numbers and dates in their canonical form (``12.0`` comes back as
        ``12``, of the same value and datatype); rdflib gives the data's own lexical form and
        writes numbers it computes its way (``1.0`` for a sum that pyoxigraph writes ``1``).
    prefixes : tuple of (str, str)
        Prefix and namespace pairs used to write IRIs short in :meth:`to_table` (the data's).
    """

    variables: tuple[str, ...]
    rows: tuple[tuple[Node | None, ...], ...]
    prefixes: tuple[tuple[str, str], ...] = field(default=(), repr=False)

    def to_table(self) -> str:
        """The rows as an aligned text table for people, with a row count.

        IRIs are written as prefixed names where the data declares a prefix for them, literals as
        their lexical form, unbound values as empty cells.

        Examples
        --------
        >>> erin, half = URIRef("https://example.org/erin"), Literal("0.5", datatype=XSD.decimal)
        >>> result = QueryResult(("who", "load"), ((erin, half),), prefixes=(("ex", "https://example.org/"),))
        >>> print(result.to_table())
        who      load
        -------  ----
        ex:erin  0.5
        (1 row)
        """
        from pmgraph.render.tables import text_table

        from pmgraph.rdf.prefixes import NamespaceIndex

        index = NamespaceIndex(self.prefixes)
        cells = [[_table_text(value, index) for value in row] for row in self.rows]
        lines = text_table(self.variables, cells)
        count = len(self.rows)
        lines.append(f"({count} row)" if count == 1 else f"({count} rows)")
        return "\n".join(lines)

    def to_csv(self) -> str:
        """The rows as SPARQL 1.1 Query Results CSV: a header of variable names, full IRIs, lexical forms.

        Examples
        --------
        >>> QueryResult(("who", "load"), ((URIRef("https://example.org/erin"), None),)).to_csv()
        'who,load\\r\\nhttps://example.org/erin,\\r\\n'
        """
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(self.variables)
        for row in self.rows:
            writer.writerow(["" if value is None else _csv_text(value) for value in row])
        return out.getvalue()

    def to_json(self) -> dict[str, object]:
        """The rows as SPARQL 1.1 Query Results JSON (a dict, ready for :func:`json.dumps`).

        Examples
        --------
        >>> erin, half = URIRef("https://example.org/erin"), Literal("0.5", datatype=XSD.decimal)
        >>> QueryResult(("who", "load"), ((erin, half),)).to_json()  # doctest: +NORMALIZE_WHITESPACE
        {'head': {'vars': ['who', 'load']},
         'results': {'bindings': [{'who': {'type': 'uri', 'value': 'https://example.org/erin'},
                                   'load': {'type': 'literal', 'value': '0.5',
                                            'datatype': 'http://www.w3.org/2001/XMLSchema#decimal'}}]}}
        """
        return {
            "head": {"vars": list(self.variables)},
            "results": {
                "bindings": [
                    {
                        name: _json_term(value)
                        for name, value in zip(self.variables, row, strict=True)
                        if value is not None
                    }
                    for row in self.rows
                ]
            },
        }


def shipped_queries() -> list[ShippedQuery]:
    """The questions pmgraph ships (``queries/*.rq``), sorted by name.

    Examples
    --------
    >>> [q.name for q in shipped_queries()][:3]
    ['accountable-for', 'assignment-changes', 'consulted-and-informed']
    >>> [(p.name, p.type, p.default) for p in shipped_queries()[0].parameters]
    [('scope', 'iri', None), ('responsibility', 'iri', None), ('at', 'date', 'today')]
    """
    folder = importlib.resources.files("pmgraph") / "queries"
    found = []
    for resource in sorted(folder.iterdir(), key=lambda r: r.name):
        if resource.name.endswith(".rq"):
            found.append(read_query(Path(str(resource))))
    return found


def read_query(path: str | os.PathLike[str]) -> ShippedQuery:
    """Read a ``.rq`` file with its header comment (description and parameters).

    Parameters
    ----------
    path : str or os.PathLike
        The SPARQL file.

    Returns
    -------
    ShippedQuery
        Named for the file, without its extension.

    Raises
    ------
    pmgraph.InputError
        If the file cannot be read.
    QueryError
        If a ``# param`` line names an unknown type or the same parameter twice.
    """
    from pmgraph.errors import InputError

    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        reason = error.strerror or str(error)
        raise InputError(path, reason[:1].lower() + reason[1:]) from error
    except UnicodeDecodeError as error:
        raise InputError(path, f"not UTF-8 text ({error.reason} at byte {error.start})") from error
    description, parameters = _header(text, str(path))
    return ShippedQuery(path.stem, description, parameters, text, path)


def query(
    data: DataSource,
    name_or_text: str | os.PathLike[str],
    *,
    at: str | datetime.date | None = None,
    allow_service: bool = False,
    engine: Engine = "oxigraph",
    **params: object,
) -> QueryResult:
    """Run a shipped question, a ``.rq`` file or a SPARQL SELECT text over the data and the ontology.

    Parameters
    ----------
    data : pmgraph.Organisation, path, list of paths, rdflib.Graph or rdflib.Dataset
        The portfolio data: an :class:`~pmgraph.Organisation` (files, an on-disk store or a SPARQL
        server), files and folders, or an rdflib graph (a Dataset, as :func:`pmgraph.load`
        returns, counts as the union of its graphs). It is never changed.
    name_or_text : str or os.PathLike
        A shipped query's name (see :func:`shipped_queries`), a path to a ``.rq`` file, or the text
        of a SELECT query. A file or text declares its parameters in a header comment as the
        shipped queries do.
    at : str or datetime.date, optional
        The day asked about, for a query with an ``at`` parameter; today by default.
    allow_service : bool, default False
        Run a query that calls another SPARQL endpoint (``SERVICE``); refused otherwise.
    engine : {"oxigraph", "rdflib"}, default "oxigraph"
        The SPARQL engine. Both give the same rows (numbers computed by the query may be written
        differently: ``1.0`` by rdflib, ``1`` by pyoxigraph).
    **params
        A value per parameter: a string (an IRI may be a prefixed name with a prefix the data
        declares, such as ``acme:checkout-api``), a :class:`datetime.date`, a number, or an rdflib
        term. Each is checked against its declared type.

    Returns
    -------
    QueryResult

    Raises
    ------
    QueryError
        For an unknown query name (the message lists close matches), an unknown, missing or
        invalid parameter, invalid SPARQL, a query nested deeper than
        :data:`pmgraph.rdf.limits.MAX_NESTING` levels, a query that is not a SELECT, or SERVICE
        without `allow_service`.
    pmgraph.InputError
        If a ``.rq`` file cannot be read.
    """
    from pmgraph.organisation import Organisation

    if engine not in ("oxigraph", "rdflib"):
        raise ValueError(f"unknown SPARQL engine {engine!r}: expected 'oxigraph' or 'rdflib'")
    asked = find_query(name_or_text)  # a wrong name or .rq file is told before the data is read
    organisation = Organisation.of(data)
    prefixes = dict(organisation.prefixes)
    if organisation.where == "endpoint":  # the server knows no prefixes but those the query declares
        prefixes = {"pm": prefixes["pm"], **declared_prefixes(asked.text), **prefixes}
    bindings = checked_bindings(asked, prefixes, at=at, allow_service=allow_service, params=params)
    # only once the parameters are known to be right
    organisation.ready()
    if engine == "rdflib":
        variables, rows = _run_on_rdflib(organisation.to_rdflib(), asked, bindings)
    else:
        variables, rows = run_on_store(organisation.store, asked, bindings, union=True)
    return QueryResult(variables, rows, tuple(sorted(prefixes.items())))


def query_files(
    paths: Iterable[str | os.PathLike[str]],
    name_or_text: str | os.PathLike[str],
    /,
    *,
    at: str | datetime.date | None = None,
    allow_service: bool = False,
    **params: object,
) -> QueryResult:
    """Run a query over RDF files read straight into pyoxigraph, as ``pmgraph query PATH...`` does.

    The same as ``query(pmgraph.Organisation.open(*paths), name_or_text, ...)``: the files are
    never made rdflib objects, which at a million triples takes seconds rather than a minute.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     _ = pathlib.Path(folder, "apollo.ttl").write_text("@prefix pm: <https://w3id.org/pmgraph#> . "
    ...         "@prefix ex: <https://example.org/> . ex:apollo a pm:Project ; pm:projectManager ex:erin .")
    ...     result = query_files([folder], "role-holders", scope="ex:apollo", role="pm:ProjectManager", at="2024-06-01")
    >>> [row[0] for row in result.rows]
    [rdflib.term.URIRef('https://example.org/erin')]
    """
    from pmgraph.organisation import Organisation

    find_query(name_or_text)  # a wrong name or .rq file is told before the files are read
    return query(Organisation.open(*paths), name_or_text, at=at, allow_service=allow_service, **params)


def checked_bindings(
    asked: ShippedQuery,
    prefixes: Mapping[str, str],
    *,
    at: str | datetime.date | None,
    allow_service: bool,
    params: Mapping[str, object],
) -> dict[str, Node]:
    """A query's parameters as checked RDF terms, whatever engine then runs it.

    Refuses SERVICE unless ``allow_service``, and a query nested too deep for a SPARQL parser
    (:func:`pmgraph.rdf.limits.check_query_nesting`); ``at`` is the ``at`` parameter; IRI parameters may
    be prefixed names with the given ``prefixes``. Raises :class:`QueryError` as :func:`query` does.
    """
    from pmgraph.rdf.limits import check_query_nesting

    check_query_nesting(asked.text, _source(asked))  # before any parser sees it: a deep one crashes pyoxigraph's
    if not allow_service and _calls_service(asked.text):
        raise QueryError(
            f"{_source(asked)} calls another SPARQL endpoint (SERVICE); "
            "pmgraph runs such a query only when allowed (--allow-service, or allow_service=True)"
        )
    given = dict(params)
    if at is not None:
        if "at" not in {p.name for p in asked.parameters}:
            raise QueryError(f"{_source(asked)} takes no date: it has no parameter 'at'")
        given["at"] = at
    return _bindings(asked, given, prefixes)


def find_query(name_or_text: str | os.PathLike[str]) -> ShippedQuery:
    """The query that a name, a path or a SPARQL text stands for; raises :class:`QueryError` for an unknown name."""
    if isinstance(name_or_text, os.PathLike) or re.fullmatch(r"\S+\.rq", name_or_text):
        return read_query(name_or_text)
    shipped = {q.name: q for q in shipped_queries()}
    if name_or_text in shipped:
        return shipped[name_or_text]
    if re.fullmatch(r"[\w.-]+", name_or_text):
        close = _close_matches(name_or_text, list(shipped))
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise QueryError(f"no shipped query named {name_or_text!r}{hint} (pmgraph query --list shows them all)")
    description, parameters = _header(name_or_text, "the query")
    return ShippedQuery("", description, parameters, name_or_text, Path())


def _close_matches(word: str, names: list[str]) -> list[str]:
    """The names that contain `word`, or are spelt nearly like it: at most three, closest first.

    >>> _close_matches("overdue", ["over-budget", "overdue-projects", "role-history"])
    ['over-budget', 'overdue-projects']
    """
    likeness = {name: difflib.SequenceMatcher(None, word, name).ratio() for name in names}
    best = max(likeness.values(), default=0.0)
    close = [name for name in names if word in name or likeness[name] >= max(0.5, best - 0.15)]
    return sorted(close, key=lambda name: -likeness[name])[:3]


def _source(asked: ShippedQuery) -> str:
    """How an error message names the query."""
    if asked.name and asked.path.parent == Path(str(importlib.resources.files("pmgraph") / "queries")):
        return f"query {asked.name!r}"
    if asked.name:
        return str(asked.path)
    return "the query"


def _header(text: str, source: str) -> tuple[str, tuple[QueryParameter, ...]]:
    """The description and parameters that the leading comment lines of a query declare."""
    description = ""
    parameters: dict[str, QueryParameter] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line.startswith("#"):
            break
        found = _PARAMETER_LINE.match(line)
        if found:
            name, kind, meaning = found["name"], found["type"], found["meaning"]
            if kind not in _PARAMETER_TYPES:
                raise QueryError(
                    f"{source}:{number}: parameter {name!r} has unknown type {kind!r}; "
                    f"expected one of {', '.join(_PARAMETER_TYPES)}"
                )
            if name in RESERVED_NAMES:
                raise QueryError(f"{source}:{number}: a parameter cannot be named {name!r} (reserved)")
            if name in parameters:
                raise QueryError(f"{source}:{number}: parameter {name!r} is declared twice")
            default = _DEFAULT.search(meaning)
            parameters[name] = QueryParameter(name, cast(ParameterType, kind), meaning, default and default["value"])
        elif number == 1:
            description = line.lstrip("#").strip()
    return description, tuple(parameters.values())


def _calls_service(text: str) -> bool:
    """Whether a SPARQL text uses the SERVICE keyword (outside strings, IRIs and comments).

    Codepoint escapes (``\\u0053``) are expanded first, as a SPARQL parser does.

    >>> _calls_service('SELECT * { SERVICE <https://example.org/sparql> { ?s ?p ?o } }')
    True
    >>> _calls_service('SELECT * { ?s <https://example.org/service> "SERVICE" } # SERVICE')
    False
    """
    text = _CODEPOINT_ESCAPE.sub(lambda m: chr(int(m[1] or m[2], 16)), text)
    return any((m["word"] or "").upper() == "SERVICE" for m in SPARQL_TOKENS.finditer(text))


def _bindings(asked: ShippedQuery, given: Mapping[str, object], prefixes: Mapping[str, str]) -> dict[str, Node]:
    """The RDF term for every parameter of the query, checked against its type."""
    declared = {p.name: p for p in asked.parameters}
    unknown = sorted(set(given) - set(declared))
    if unknown:
        if declared:
            known = f"its parameters are {', '.join(declared)}"
        else:
            known = "it declares no parameter (a '# param NAME: TYPE — meaning' line in its header)"
        raise QueryError(f"{_source(asked)} has no parameter {unknown[0]!r}: {known}")
    bindings = {}
    for parameter in asked.parameters:
        if parameter.name in given:
            value = given[parameter.name]
        elif parameter.default is not None:
            today = parameter.default == "today" and parameter.type == "date"
            value = datetime.date.today() if today else parameter.default
        else:
            raise QueryError(
                f"{_source(asked)} needs parameter {parameter.name!r} ({parameter.type}: {parameter.meaning}); "
                f"give it as --param {parameter.name}=VALUE"
            )
        bindings[parameter.name] = _term(parameter, value, prefixes)
    return bindings


def _term(parameter: QueryParameter, value: object, prefixes: Mapping[str, str]) -> Node:
    """The RDF term for a parameter value, or a QueryError that says why it is not one."""
    if isinstance(value, Node):
        if parameter.type == "iri" and not isinstance(value, URIRef):
            raise _invalid(parameter, value, "not an IRI")
        if parameter.type != "iri" and not isinstance(value, Literal):
            raise _invalid(parameter, value, f"not a {parameter.type} literal")
        text = str(value)
    elif isinstance(value, bool):
        raise _invalid(parameter, value, f"not a value of type {parameter.type}")
    elif isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        text = value.isoformat()
    elif isinstance(value, str | int | float) or type(value).__name__ == "Decimal":
        text = str(value)
    else:
        raise _invalid(parameter, value, f"a {type(value).__name__}, not a value of type {parameter.type}")
    if parameter.type == "iri":
        return URIRef(_iri(parameter, text, prefixes))
    if parameter.type == "date":
        if not _DATE.match(text):
            raise _invalid(parameter, text, "not a date written YYYY-MM-DD")
        try:
            datetime.date.fromisoformat(text)
        except ValueError as error:
            raise _invalid(parameter, text, f"not a calendar date ({error})") from None
        return Literal(text, datatype=XSD.date)
    if parameter.type == "decimal":
        if not _DECIMAL.match(text):
            raise _invalid(parameter, text, "not a decimal number such as 0.8 or 1")
        return Literal(text, datatype=XSD.decimal)
    if parameter.type == "integer":
        if not _INTEGER.match(text):
            raise _invalid(parameter, text, "not an integer such as 3")
        return Literal(text, datatype=XSD.integer)
    return Literal(text)


def _iri(parameter: QueryParameter, text: str, prefixes: Mapping[str, str]) -> str:
    """An absolute IRI from ``<iri>``, ``scheme://...`` or a prefixed name that the data declares.

    Any other ``word:rest`` is refused rather than taken as an IRI of scheme ``word``: a mistyped
    prefix (``acm:checkout-api``) would otherwise find nothing, silently. Such an IRI (``urn:...``)
    is written in angle brackets.
    """
    bracketed = text.startswith("<") and text.endswith(">")
    iri = text[1:-1] if bracketed else text
    bad = _IRI_EXCLUDED.search(iri)
    if bad:
        character = {" ": "a space", "\t": "a tab", "\n": "a line break"}.get(bad[0], repr(bad[0]))
        raise _invalid(parameter, text, f"not an IRI: it contains {character}")
    if not _IRI_SCHEME.match(iri):
        raise _invalid(parameter, text, "not an absolute IRI (such as https://example.org/x) nor a prefixed name")
    prefix, _colon, local = iri.partition(":")
    if bracketed or local.startswith("//"):
        return _checked_iri(parameter, text, iri)
    if prefix in prefixes:
        return _checked_iri(parameter, text, prefixes[prefix] + local)
    close = difflib.get_close_matches(prefix, list(prefixes), n=3)
    hint = f" (did you mean {' or '.join(f'{p}:' for p in close)}?)" if close else ""
    raise _invalid(
        parameter,
        text,
        f"not a prefixed name the data declares: no prefix {prefix!r}{hint}; "
        "write a full IRI in <...> to use it as it is",
    )


def _checked_iri(parameter: QueryParameter, text: str, iri: str) -> str:
    """``iri`` if pyoxigraph takes it as an IRI (RFC 3987), else the parameter's error."""
    import pyoxigraph

    try:
        pyoxigraph.NamedNode(iri)
    except ValueError as error:
        raise _invalid(parameter, text, f"not an IRI ({' '.join(str(error).split())})") from None
    return iri


def _invalid(parameter: QueryParameter, value: object, why: str) -> QueryError:
    """``parameter 'at': '2024-02-30' is not a calendar date (day is out of range for month)``."""
    return QueryError(f"parameter {parameter.name!r}: {str(value)!r} is {why}")


def run_on_store(
    store: object, asked: ShippedQuery, bindings: Mapping[str, Node], *, union: bool = False
) -> tuple[tuple[str, ...], tuple[tuple[Node | None, ...], ...]]:
    """Run a query, its parameters checked (:func:`checked_bindings`), on a pyoxigraph store.

    Returns the selected variables and the rows as rdflib terms. With ``union``, the default
    graph is the union of the store's graphs (an on-disk store keeps each file in a graph of its
    own). Raises :class:`QueryError` as :func:`query` does.
    """
    import pyoxigraph

    from pmgraph.rdf.terms import oxigraph_term, rdflib_term

    substitutions = {pyoxigraph.Variable(name): oxigraph_term(term) for name, term in bindings.items()}
    try:
        solutions = store.query(asked.text, substitutions=substitutions, use_default_graph_as_union=union)  # type: ignore[attr-defined]
        if isinstance(solutions, (bool, pyoxigraph.QueryBoolean, pyoxigraph.QueryTriples)):
            raise QueryError(f"{_source(asked)} is not a SELECT query; pmgraph runs SELECT queries only")
        variables = tuple(variable.value for variable in solutions.variables)
        _check_selected(asked, bindings, variables)
        rows = tuple(
            tuple(None if solution[name] is None else rdflib_term(solution[name]) for name in variables)
            for solution in solutions
        )
    except SyntaxError as error:
        raise QueryError(f"{_source(asked)} is not valid SPARQL: {' '.join(str(error).split())}") from None
    except (RuntimeError, OSError) as error:
        reason = " ".join(str(error).split())
        missing = re.search(r"variable \?(\w+) in its SELECT projection", reason)
        if missing:
            _check_selected(asked, {missing[1]: URIRef("")}, ())
        raise QueryError(f"{_source(asked)} failed: {reason}") from None
    return variables, rows


def _run_on_rdflib(
    data: rdflib.Graph, asked: ShippedQuery, bindings: Mapping[str, Node]
) -> tuple[tuple[str, ...], tuple[tuple[Node | None, ...], ...]]:
    from pyparsing import ParseException
    from rdflib.plugins.sparql import prepareQuery

    from pmgraph._resources import ontology_file

    graph = rdflib.Graph()
    for triple in _triples(data):
        graph.add(triple)
    graph.parse(ontology_file(), format="turtle")
    try:
        prepared = prepareQuery(asked.text)
    except ParseException as error:
        raise QueryError(f"{_source(asked)} is not valid SPARQL: {' '.join(str(error).split())}") from None
    if prepared.algebra.name != "SelectQuery":
        raise QueryError(f"{_source(asked)} is not a SELECT query; pmgraph runs SELECT queries only")
    result = graph.query(prepared, initBindings=dict(bindings))
    variables = tuple(str(variable) for variable in result.vars or ())
    _check_selected(asked, bindings, variables)
    rows = tuple(tuple(row) for row in result)
    return variables, rows


def _check_selected(asked: ShippedQuery, bindings: Mapping[str, Node], variables: Iterable[str]) -> None:
    """Refuse a parameter that the query does not select: pyoxigraph could not bind it."""
    selected = set(variables)
    for name in bindings:
        if name not in selected:
            raise QueryError(f"{_source(asked)} must select its parameter ?{name} (SELECT ... ?{name}) to be given it")


def _triples(data: rdflib.Graph) -> Iterable[tuple[Node, Node, Node]]:
    if isinstance(data, rdflib.Dataset | rdflib.ConjunctiveGraph):
        return ((s, p, o) for s, p, o, _g in data.quads((None, None, None, None)))
    return iter(data)


def _table_text(value: Node | None, index: NamespaceIndex) -> str:
    """A value as people read it: a prefixed name, a literal's lexical form, or empty."""
    if value is None:
        return ""
    if isinstance(value, URIRef):
        namespace = next(iter(index.namespaces_of(value)), None)  # the longest
        if namespace is not None and _PN_LOCAL.match(value[len(namespace) :]):
            return f"{index.prefixes[namespace][-1]}:{value[len(namespace):]}"
        return f"<{value}>"
    return _csv_text(value)


def _csv_text(value: Node) -> str:
    if isinstance(value, BNode):
        return f"_:{value}"
    return str(value)


def _json_term(value: Node) -> dict[str, str]:
    if isinstance(value, URIRef):
        return {"type": "uri", "value": str(value)}
    if isinstance(value, BNode):
        return {"type": "bnode", "value": str(value)}
    if isinstance(value, Literal):
        term = {"type": "literal", "value": str(value)}
        if value.language:
            term["xml:lang"] = value.language
        elif value.datatype is not None and value.datatype != XSD.string:
            term["datatype"] = str(value.datatype)
        return term
    raise TypeError(f"no SPARQL JSON term for {value!r}")


def query_endpoint(
    endpoint: Endpoint,
    name_or_text: str | os.PathLike[str],
    *,
    at: str | datetime.date | None = None,
    allow_service: bool = False,
    prefixes: Mapping[str, str] | None = None,
    **params: object,
) -> QueryResult:
    """Run a shipped question, a ``.rq`` file or a SELECT text on a SPARQL server.

    As :func:`pmgraph.query` does, with the same parameters, checks and errors, over the union
    of the server's graphs (which must hold pmgraph's ontology, as :func:`push` leaves it).
    Parameters are checked against their declared types exactly as locally and sent as RDF
    terms in N-Triples form, in a ``VALUES`` block at the start of the query's WHERE clause: a
    value can only ever be one RDF term, never change what the query asks.

    Parameters
    ----------
    prefixes : mapping of str to str, optional
        Prefixes for IRIs given as prefixed names, besides ``pm:`` and those the query declares;
        also used to write IRIs short in the table.

    Raises
    ------
    pmgraph.QueryError
        As :func:`pmgraph.query` does.
    EndpointError
        If the server cannot be used, refuses the query, or lacks pmgraph's ontology.
    """
    from pmgraph.organisation import Organisation

    organisation = Organisation.at_endpoint(endpoint, prefixes=prefixes)
    return query(organisation, name_or_text, at=at, allow_service=allow_service, **params)


def query_store(
    store: pyoxigraph.Store,
    name_or_text: str | os.PathLike[str],
    *,
    prefixes: Mapping[str, str] | None = None,
    at: str | datetime.date | None = None,
    allow_service: bool = False,
    **params: object,
) -> QueryResult:
    """Run a shipped question, a ``.rq`` file or a SELECT text over the union of a store's graphs.

    As :func:`pmgraph.query` does, with the same parameters, checks, errors and rows, on a store
    that :func:`open_store` opened (which holds pmgraph's ontology).

    Parameters
    ----------
    prefixes : mapping of str to str, optional
        Prefixes for IRIs given as prefixed names, and to write IRIs short in the table:
        :func:`stored_prefixes` gives those of the store's files. ``pm:`` is always known.

    Raises
    ------
    pmgraph.QueryError
        As :func:`pmgraph.query` does.
    """
    from pmgraph.organisation import Organisation

    organisation = Organisation(store, prefixes=prefixes, where="disk")
    return query(organisation, name_or_text, at=at, allow_service=allow_service, **params)
