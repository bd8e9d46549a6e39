"""What the commands write: counted nouns, progress on a terminal, a validation report in each format, the query menu,
and the Turtle that the import commands write."""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import rdflib

    from pmgraph.queries.questions import ShippedQuery
    from pmgraph.validation.validator import ValidationReport

__all__ = ["count", "Progress", "text_report", "write_report", "REPORT_FORMATS", "query_menu", "write_turtle"]


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
    """Write a validation report for people, as a compiler writes its errors.

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
        For each result, ``FILE:LINE:COLUMN: Severity: message`` (the place of its first source;
        ``FILE:LINE:`` when the syntax gives no column, nothing when it has no source), then the
        focus node indented (its label and IRI), and ``also FILE:LINE`` for each further source;
        a summary line, and ``OK`` or ``FAILED``.
    """
    from pmgraph.render.findings import node_text

    lines = []
    for result in report.results:
        place = f"{result.sources[0]}: " if result.sources else ""
        lines.append(f"{place}{result.severity}: {result.message}")
        lines.append(f"  {node_text(result)}")
        lines.extend(f"  also {further}" for further in result.sources[1:])
    if lines:
        lines.append("")
    counts = report.counts
    lines.append(
        f"{count(counts['Violation'], 'violation')}, {count(counts['Warning'], 'warning')}, "
        f"{counts['Info']} info " + (f"at {source}" if source else f"in {count(file_count, 'file')}")
    )
    lines.append("FAILED" if counts["Violation"] else "OK")
    return "\n".join(lines)


#: The formats of ``pmgraph validate --format`` (and every command that prints a validation report).
REPORT_FORMATS = ("text", "json", "turtle", "github", "sarif")

#: What each format is, for ``--help``.
REPORT_FORMATS_HELP = (
    "text for people, as a compiler writes errors (default); json; turtle (the SHACL validation report "
    "graph); github (GitHub Actions workflow commands: each finding on its line of a pull request); "
    "sarif (SARIF 2.1.0, for code scanning)"
)


def write_report(report: ValidationReport, report_format: str, file_count: int, source: str | None = None) -> None:
    """Print a validation report on stdout in one of :data:`REPORT_FORMATS`.

    ``github`` prints one workflow command per finding, then the summary of ``text``.
    """
    if report_format == "json":
        import json

        print(json.dumps(report.to_json(), indent=2))
    elif report_format == "turtle":
        sys.stdout.write(report.to_turtle())
    elif report_format == "sarif":
        import importlib.metadata
        import json

        from pmgraph.render.findings import sarif_log

        print(json.dumps(sarif_log(report, version=importlib.metadata.version("pmgraph")), indent=2))
    elif report_format == "github":
        from pmgraph.render.findings import github_annotations

        for command in github_annotations(report):
            print(command)
        summary = text_report(dataclasses.replace(report, results=()), file_count=file_count, source=source)
        print(summary)
    else:
        print(text_report(report, file_count=file_count, source=source))


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
