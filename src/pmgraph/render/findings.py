"""Validation findings in the formats CI systems read: GitHub Actions workflow commands and SARIF 2.1.0.

Both put each finding on the line of the file that states it (``ValidationResult.sources``), so that
a pull request shows it where its author can act. ``pmgraph validate --format github`` and
``--format sarif`` write them.

Examples
--------
>>> from pmgraph.validation.validator import Source, ValidationReport, ValidationResult
>>> result = ValidationResult(
...     "Violation", "https://example.org/apollo", None, None, "Project 'Apollo' has no Project Manager",
...     "https://w3id.org/pmgraph/shapes#ProjectManagerShape", "Apollo", (Source("team/apollo.ttl", 42, 1),))
>>> report = ValidationReport(False, (result,), {"Violation": 1, "Warning": 0, "Info": 0})
>>> print(github_annotations(report)[0])
::error file=team/apollo.ttl,line=42,col=1,title=ProjectManagerShape::Project 'Apollo' has no Project Manager (Apollo <https://example.org/apollo>)
>>> log = sarif_log(report, version="1.0")
>>> log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
{'artifactLocation': {'uri': 'team/apollo.ttl'}, 'region': {'startLine': 42, 'startColumn': 1}}
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

if TYPE_CHECKING:
    from pmgraph.rdf.places import Source
    from pmgraph.validation.validator import ValidationReport, ValidationResult

__all__ = ["github_annotations", "sarif_log", "SARIF_SCHEMA"]

#: The SARIF 2.1.0 schema a log names (the OASIS standard's, errata 01).
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

_GITHUB_COMMANDS = {"Violation": "error", "Warning": "warning", "Info": "notice"}
_SARIF_LEVELS = {"Violation": "error", "Warning": "warning", "Info": "note"}


def rule_name(shape: str) -> str:
    """The short name of a shape's IRI: the part after its last ``#`` or ``/``.

    >>> rule_name("https://w3id.org/pmgraph/shapes#ProjectManagerShape")
    'ProjectManagerShape'
    """
    return re.split(r"[#/]", shape.rstrip("#/"))[-1] or shape


def node_text(result: ValidationResult) -> str:
    """The focus node as people read it: ``Apollo <https://example.org/apollo>``, or a blank node's ``_:id``."""
    node = result.focus if result.focus.startswith("_:") else f"<{result.focus}>"
    return f"{result.focus_label} {node}" if result.focus_label else node


def github_annotations(report: ValidationReport) -> list[str]:
    """One GitHub Actions workflow command per finding: ``::error``, ``::warning`` or ``::notice``.

    The command names the file (relative to the working directory, which is the repository's
    root in a workflow, when it is inside it), line and column of the finding's first source (none
    when it has no source), its rule as title, and its message followed by the node. Values are
    escaped as GitHub's runner reads them (``%``, carriage return and line feed everywhere; ``:``
    and ``,`` in the properties too).
    """
    base = Path.cwd()
    commands = []
    for result in report.results:
        properties = []
        if result.sources:
            source = result.sources[0]
            file = _relative(source.file, base)
            properties += [f"file={_property(file.as_posix() if file else source.file)}", f"line={source.line}"]
            if source.column is not None:
                properties.append(f"col={source.column}")
        properties.append(f"title={_property(rule_name(result.shape))}")
        message = _data(f"{result.message} ({node_text(result)})")
        commands.append(f"::{_GITHUB_COMMANDS[result.severity]} {','.join(properties)}::{message}")
    return commands


def _data(text: str) -> str:
    """A workflow command's message, escaped as GitHub's runner unescapes it."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    """A workflow command's property value, escaped as GitHub's runner unescapes it."""
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def sarif_log(report: ValidationReport, *, version: str, working_dir: str | os.PathLike[str] | None = None) -> dict[str, object]:
    """The report as a SARIF 2.1.0 log: one run of the tool ``pmgraph``, its rules the shapes that
    found something, one result per finding.

    Each result has its level (``error``, ``warning``, ``note``), message, and a location per
    source: the file's path relative to ``working_dir`` (the current directory by default; a
    ``file:`` URI when the file is outside it), the line and the column where known, and the focus
    node as logical location. The focus, path and value are in the result's properties.
    """
    base = Path(os.path.abspath(working_dir if working_dir is not None else Path.cwd()))
    rules: dict[str, int] = {}
    results = []
    for result in report.results:
        index = rules.setdefault(result.shape, len(rules))
        logical = {"fullyQualifiedName": result.focus, "kind": "object"}
        if result.focus_label:
            logical["name"] = result.focus_label
        locations: list[dict[str, object]] = [
            {"physicalLocation": _physical_location(source, base), "logicalLocations": [logical]} for source in result.sources
        ] or [{"logicalLocations": [logical]}]
        results.append(
            {
                "ruleId": result.shape,
                "ruleIndex": index,
                "level": _SARIF_LEVELS[result.severity],
                "message": {"text": result.message},
                "locations": locations,
                "properties": {"focus": result.focus, "path": result.path, "value": result.value},
            }
        )
    driver = {
        "name": "pmgraph",
        "version": version,
        "informationUri": "https://w3id.org/pmgraph",
        "rules": [{"id": shape, "name": rule_name(shape), "shortDescription": {"text": rule_name(shape)}} for shape in rules],
    }
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [{"tool": {"driver": driver}, "results": results}]}


def _relative(file: str, base: Path) -> Path | None:
    """``file`` relative to the folder ``base`` (absolute), or None when it is outside it."""
    try:
        return Path(os.path.abspath(file)).relative_to(base)
    except ValueError:
        return None


def _physical_location(source: Source, base: Path) -> dict[str, object]:
    relative = _relative(source.file, base)
    uri = quote(relative.as_posix()) if relative else Path(os.path.abspath(source.file)).as_uri()
    region: dict[str, int] = {"startLine": source.line}
    if source.column is not None:
        region["startColumn"] = source.column
    return {"artifactLocation": {"uri": uri}, "region": region}
