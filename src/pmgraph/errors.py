"""Every error pmgraph raises, in one place, under one base class a caller can catch.

::

    PmgraphError                  anything pmgraph refuses; its str is one line (or one per problem)
    ├── InputError                a file or folder that cannot be read as asked (path, reason, line)
    │   └── StoreError            an on-disk store that cannot be used (missing, in use, out of date)
    ├── EndpointError             a SPARQL server that cannot be used (down, refusing, misconfigured)
    ├── SpreadsheetError          a spreadsheet with bad rows: every problem, an InputError each
    ├── QueryError                a question that cannot be asked (unknown name, bad parameter)
    ├── UnsupportedShape          a SHACL shape that pmgraph's engine does not translate
    └── InvalidShape              a SHACL shape that no processor may run (broken, or forbidden SPARQL)

``QueryError`` and ``UnsupportedShape`` are also ``ValueError``\\ s, as they were before this
hierarchy existed, so code that caught ``ValueError`` keeps working. The command line reports every
``PmgraphError`` as ``pmgraph: error: <message>`` with exit code 2.

Examples
--------
>>> import pmgraph
>>> try:
...     pmgraph.load("no/such/team.ttl")
... except pmgraph.PmgraphError as error:
...     print(type(error).__name__, "-", error)
InputError - no/such/team.ttl: no such file or directory
"""

from __future__ import annotations

import os
from collections.abc import Iterable

__all__ = [
    "PmgraphError",
    "InputError",
    "StoreError",
    "EndpointError",
    "SpreadsheetError",
    "QueryError",
    "UnsupportedShape",
    "InvalidShape",
    "printable",
]


def printable(path: str | os.PathLike[str]) -> str:
    """A file name (or any text) as a one-line message shows it: a newline or other control character escaped.

    >>> print(printable("team\\nA.ttl"))
    team\\nA.ttl
    >>> print(printable("team A.ttl"))
    team A.ttl
    """
    text = os.fspath(path)
    if text.isprintable():
        return text
    return "".join(character if character.isprintable() else repr(character)[1:-1] for character in text)


class PmgraphError(Exception):
    """The base of every error pmgraph raises on purpose: catch it to catch them all."""


class InputError(PmgraphError):
    """An input file that cannot be read as RDF.

    Parameters
    ----------
    path : str or os.PathLike
        The file (or folder) as the user named it.
    reason : str
        What is wrong, in one line.
    line : int or None, optional
        The line of the problem, when it is known.

    Attributes
    ----------
    path : str
    reason : str
    line : int or None

    Examples
    --------
    >>> print(InputError("team.ttl", "invalid Turtle: Unexpected end of file", line=4))
    team.ttl:4: invalid Turtle: Unexpected end of file
    >>> print(InputError("team.ttl", "permission denied"))
    team.ttl: permission denied
    """

    def __init__(self, path: str | os.PathLike[str], reason: str, line: int | None = None):
        super().__init__(path, reason, line)
        self.path = os.fspath(path)
        self.reason = " ".join(reason.split())
        self.line = line

    def __str__(self) -> str:
        if self.line is None:
            return f"{printable(self.path)}: {self.reason}"
        return f"{printable(self.path)}:{self.line}: {self.reason}"


class StoreError(InputError):
    """An on-disk store that cannot be used: missing, not a store, in use, or out of date.

    Its str is one line, ``DIR: reason``.

    >>> print(StoreError("portfolio.store", "the store is in use by another process"))
    portfolio.store: the store is in use by another process
    """

    def __init__(self, path: str | os.PathLike[str], reason: str):
        super().__init__(path, reason)


class EndpointError(PmgraphError):
    """A SPARQL server that cannot be used as asked: down, too slow, refusing, or misconfigured.

    Its str is one line, ``URL: reason``, that never holds a password.

    Attributes
    ----------
    url : str
    reason : str

    >>> print(EndpointError("http://127.0.0.1:7878/query", "connection refused"))
    http://127.0.0.1:7878/query: connection refused
    """

    def __init__(self, url: str, reason: str):
        super().__init__(url, reason)
        self.url = url
        self.reason = " ".join(reason.split())

    def __str__(self) -> str:
        return f"{self.url}: {self.reason}"


class SpreadsheetError(PmgraphError):
    """A spreadsheet with bad rows: every problem, one :class:`InputError` each.

    Attributes
    ----------
    problems : tuple of InputError
        One per bad row (or header cell), in the order of the file; each reads ``file:row: reason``.

    Examples
    --------
    >>> print(SpreadsheetError([InputError("raci.csv", "unknown responsibility 'Budgetting'", line=3)]))
    raci.csv:3: unknown responsibility 'Budgetting'
    """

    def __init__(self, problems: Iterable[InputError]):
        self.problems = tuple(problems)
        super().__init__(self.problems)

    def __str__(self) -> str:
        return "\n".join(map(str, self.problems))


class QueryError(PmgraphError, ValueError):
    """A query that cannot be run as asked: unknown name, bad parameter, invalid SPARQL, SERVICE.

    Its message is one line that says what is wrong and, where it can, how to put it right.
    """


class UnsupportedShape(PmgraphError, ValueError):
    """A shape uses a SHACL feature that pmgraph's engine does not translate."""


class InvalidShape(PmgraphError, ValueError):
    """A shape that no SHACL processor may run: a SPARQL constraint using what SHACL forbids
    (``MINUS``, ``VALUES``, ``SERVICE``...), or a shape that breaks the SHACL-for-SHACL shapes."""
