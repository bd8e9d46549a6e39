"""Load a large file fast and still refuse it whole when it is not valid RDF.

pyoxigraph's ``Store.load`` checks every IRI and language tag as it goes; with ``lenient=True`` it
skips those checks and loads a million triples in about 3 s instead of 4.5 s on the machines
pmgraph is measured on. But pmgraph reads files that other teams send, and a file with a broken
IRI must be refused with its line, as the strict parser does. The load holds Python's lock, so
the check cannot run in a thread beside it: :class:`StrictCheck` runs pyoxigraph's strict parser
over the same file in a child process, on the other core, while this process loads it leniently.
Either the child finds nothing (the store holds exactly what a strict load gives: ``lenient``
changes nothing for valid input) or its first error is the one reported, exactly as a strict load
would report it.

Small files are not worth a process (about 0.1 s to start one): :func:`worth_checking_apart` says
which files are loaded this way.

Examples
--------
>>> import pathlib, tempfile
>>> with tempfile.TemporaryDirectory() as folder:
...     path = pathlib.Path(folder, "bad.nt")
...     _ = path.write_text('<https://e.org/a> <https://e.org/p> "x" .\\n<https://e.org/b c> <https://e.org/p> "y" .\\n')
...     with StrictCheck(path, RdfFormat.N_TRIPLES, path.as_uri()) as check:
...         pass
...     print(check.error.lineno, check.error.offset, check.error.msg)
2 1 Parser error at line 2 between columns 1 and 20: Invalid IRI code point ' '
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from types import TracebackType

from pyoxigraph import RdfFormat

#: Files at least this large are loaded leniently beside a strict check in a child process.
CHECK_APART_FROM_BYTES = 16 * 1024 * 1024

#: The syntaxes whose files can be loaded this way (pmgraph's other readers check more first).
_FORMATS = (RdfFormat.N_TRIPLES, RdfFormat.N_QUADS, RdfFormat.TURTLE, RdfFormat.TRIG)


def worth_checking_apart(path: Path, rdf_format: RdfFormat) -> bool:
    """Whether to load ``path`` leniently beside a :class:`StrictCheck` (a large file of a line-based syntax)."""
    try:
        return rdf_format in _FORMATS and os.path.getsize(path) >= CHECK_APART_FROM_BYTES
    except OSError:  # the reader that follows says what is wrong
        return False


class StrictCheck:
    """Parse a file strictly in a child process while the ``with`` block runs.

    On leaving the block the check is waited for; ``error`` is then the first SyntaxError the
    strict parser met (with ``msg``, ``lineno`` and ``offset`` as pyoxigraph gives them), or None.
    Should the child fail, or not start (killed for memory, or no Python to run, as in a frozen
    application), the file is parsed strictly here instead.
    """

    def __init__(self, path: Path, rdf_format: RdfFormat, base_iri: str):
        self.error: SyntaxError | None = None
        self._arguments = (os.fspath(path), rdf_format, base_iri)
        try:
            self._child: subprocess.Popen[bytes] | None = subprocess.Popen(
                [sys.executable, "-m", "pmgraph.rdf.syntax_check", os.fspath(path), rdf_format.media_type, base_iri],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        except OSError:
            self._child = None

    def __enter__(self) -> StrictCheck:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        if self._child is None:
            if kind is None:
                self.error = _strict_parse(*self._arguments)
            return
        if kind is not None:  # interrupted, or out of memory: the check's answer serves nothing
            self._child.kill()
            self._child.wait()
            return
        found, _ = self._child.communicate()
        if self._child.returncode != 0:
            self.error = _strict_parse(*self._arguments)
        elif found.strip():
            message, line, column = json.loads(found)
            self.error = SyntaxError(message, (None, line, column, None))


def _strict_parse(path: str, rdf_format: RdfFormat, base_iri: str) -> SyntaxError | None:
    """The first SyntaxError of the file for pyoxigraph's strict parser, or None: what the child
    does (``python -m pmgraph.rdf.syntax_check PATH MEDIA_TYPE BASE_IRI``), and the fallback here."""
    import pyoxigraph

    try:
        for _ in pyoxigraph.parse(path=path, format=rdf_format, base_iri=base_iri):
            pass
    except SyntaxError as error:
        return error
    return None


# The child: on the file's first error, its message, line and column as JSON on stdout. Importing
# pmgraph imports nothing heavy, so it starts at once.
if __name__ == "__main__":
    found = _strict_parse(sys.argv[1], RdfFormat.from_media_type(sys.argv[2]), sys.argv[3])
    if found is not None:
        print(json.dumps([found.msg, found.lineno, found.offset]))
