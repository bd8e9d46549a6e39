"""What the commands write for people: counted nouns, progress on a terminal, a validation report, the query menu,
and the Turtle that the import commands write."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import rdflib

    from pmgraph.queries.questions import ShippedQuery
    from pmgraph.validation.validator import ValidationReport, ValidationResult

__all__ = ["count", "Progress", "text_report", "query_menu", "write_turtle"]


def count(number: int, noun: str) -> str:
    """Return ``"1 file"`` or ``"3 files"``."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


class Progress:
    """Progress of long work, on one rewritten line of a terminal's stderr; silent otherwise.

    >>> Progress(enabled=False).say("reading 3 files")  # prints nothing
    """

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def say(self, text: str) -> None:
        if self.enabled:
            sys.stderr.write(f"\r\x1b[Kpmgraph: {text}")
            sys.stderr.flush()

    def count(self, things: str) -> Callable[[int, int], None]:
        """A callback ``(done, total)`` that shows ``checking things done/total``."""
        return lambda done, total: self.say(f"checking {things} {done}/{total}")

    def done(self) -> None:
        if self.enabled:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()


def text_report(report: ValidationReport, file_count: int, source: str | None = None) -> str:
    """Write a validation report for people: results grouped by focus node.

    Parameters
    ----------
    report : pmgraph.ValidationReport
        The report of :func:`pmgraph.validate`.
    file_count : int
        How many files were validated, for the summary line.
    source : str, optional
        Where the data was validated instead of files (a SPARQL endpoint's URL).

    Returns
    -------
    str
        One block per focus node (its label and IRI, then one
        ``  Severity: message`` line per result), a summary line, and ``OK``
        or ``FAILED``.
    """
    lines = []
    results_by_focus: dict[str, list[ValidationResult]] = {}
    for result in report.results:
        results_by_focus.setdefault(result.focus, []).append(result)
    for focus, results in results_by_focus.items():
        node = focus if focus.startswith("_:") else f"<{focus}>"
        label = results[0].focus_label
        lines.append(f"{label} {node}" if label else node)
        lines.extend(f"  {result.severity}: {result.message}" for result in results)
        lines.append("")
    counts = report.counts
    lines.append(
        f"{count(counts['Violation'], 'violation')}, {count(counts['Warning'], 'warning')}, "
        f"{counts['Info']} info " + (f"at {source}" if source else f"in {count(file_count, 'file')}")
    )
    lines.append("FAILED" if counts["Violation"] else "OK")
    return "\n".join(lines)


def query_menu(queries: Sequence[ShippedQuery]) -> str:
    """Write the menu of ``pmgraph query --list``: each query, what it answers, its parameters.

    Parameters
    ----------
    queries : sequence of pmgraph.queries.questions.ShippedQuery
        The queries, as :func:`pmgraph.queries.questions.shipped_queries` gives them.

    Returns
    -------
    str
        A block per query (its name and description, then one line per parameter), and how to
        run one.
    """
    placeholders = {"iri": "IRI", "date": "DATE", "literal": "TEXT", "decimal": "NUMBER", "integer": "INTEGER"}
    lines = []
    for shipped in queries:
        lines.append(f"{shipped.name}")
        lines.append(f"    {shipped.description}")
        options = [
            (f"--at {placeholders[p.type]}" if p.name == "at" else f"--param {p.name}={placeholders[p.type]}", p.meaning)
            for p in shipped.parameters
        ]
        width = max((len(option) for option, _meaning in options), default=0)
        lines.extend(f"    {option.ljust(width)}  {meaning}" for option, meaning in options)
        lines.append("")
    lines.append("Run one: pmgraph query NAME PATH... [--param NAME=VALUE ...] [--at DATE] [--format table|csv|json]")
    lines.append("An IRI may be written as a prefixed name that the data declares, such as acme:checkout-api or pm:Budgeting.")
    return "\n".join(lines)


def write_turtle(graph: rdflib.Graph, output: str | None) -> int:
    """Write a graph as Turtle to the file `output` (atomically), or to stdout when it is None.

    Returns exit code 0, or 2 with a one-line message when the file cannot be written.
    """
    from pmgraph.cli.exits import EXIT_OK, write_error
    from pmgraph.rdf.writing import dump

    if not output:
        sys.stdout.write(dump(graph))
        return EXIT_OK
    try:
        dump(graph, output)
    except OSError as error:
        return write_error(output, error)
    return EXIT_OK
