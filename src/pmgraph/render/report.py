"""Pictures of the role overlap, and the one-page HTML report of an organisation.

:func:`heatmap_png` draws the role-overlap matrix as a labelled heatmap; it needs matplotlib, the
optional extra ``pmgraph[plot]``. :func:`report_html` writes one self-contained HTML page: the
validation summary, the overlap heatmap (a PNG inside the page, or a coloured HTML table when
matplotlib is missing), the people holding concurrent or conflicting roles, the gaps and
duplicates of accountability, load and key-person risk. The same inputs give the same bytes.

Examples
--------
>>> import rdflib
>>> page = build_report(rdflib.Graph(), sources=["empty.ttl"])
>>> page.startswith("<!DOCTYPE html>"), "<h2 id=\\"roles\\">Role overlap</h2>" in page
(True, True)
"""

from __future__ import annotations

import base64
import contextlib
import datetime
import html
import io
import logging
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from pmgraph.analysis.overlap import (
    CONFLICTS,
    RACI_WEIGHTS,
    PeopleOverlap,
    RoleOverlap,
)
from pmgraph.analysis.periods import Period

if TYPE_CHECKING:
    from pmgraph.organisation import DataSource
    from pmgraph.validation.validator import ValidationReport

__all__ = ["PLOT_EXTRA_MISSING", "heatmap_png", "write_heatmap", "report_html", "build_report", "write_report"]

#: What :func:`heatmap_png` says when matplotlib is not installed.
PLOT_EXTRA_MISSING = (
    "drawing the role-overlap heatmap needs matplotlib, which is not installed: "
    "pip install 'pmgraph[plot]'"
)

# Rows shown in a table of the report at most (the counts always cover them all), so that a large
# portfolio still gives a page a browser opens quickly.
_ROWS_SHOWN = 200
# Pairs of roles shown in the report's table, most similar first.
_PAIRS_SHOWN = 15


def heatmap_png(roles: RoleOverlap, measure: str = "jaccard") -> bytes:
    """Draw the role-overlap matrix as a labelled heatmap, in PNG.

    Parameters
    ----------
    roles : RoleOverlap
        The result of :func:`pmgraph.role_overlap`; roles are drawn in the order of their clusters.
    measure : {"jaccard", "overlap_coefficient", "weighted_jaccard"}

    Returns
    -------
    bytes
        The PNG image (the same result gives the same bytes).

    Raises
    ------
    ModuleNotFoundError
        If matplotlib is not installed (:data:`PLOT_EXTRA_MISSING`).

    Examples
    --------
    >>> import rdflib
    >>> from pmgraph.analysis.overlap import role_overlap
    >>> heatmap_png(role_overlap(rdflib.Graph()))[:8]
    b'\\x89PNG\\r\\n\\x1a\\n'
    """
    try:
        with _font_cache_quiet():
            from matplotlib.figure import Figure
    except ModuleNotFoundError as error:
        raise ModuleNotFoundError(PLOT_EXTRA_MISSING, name="matplotlib") from error

    names = [roles.label(role) for role in roles.roles]
    matrix = roles.matrix(measure)
    size = max(5.0, 0.55 * len(names) + 2.5)
    # Figure, not pyplot: no global state, no GUI backend.
    figure = Figure(figsize=(size + 1.2, size), layout="constrained")
    axes = figure.add_subplot()
    image = axes.imshow(matrix, cmap="Blues", vmin=0.0, vmax=1.0)
    axes.set_xticks(range(len(names)), names, rotation=40, ha="right", rotation_mode="anchor")
    axes.set_yticks(range(len(names)), names)
    axes.tick_params(length=0)
    if len(names) <= 24:
        for i, row in enumerate(matrix):
            for j, value in enumerate(row):
                if i != j and value > 0:
                    axes.text(j, i, f"{value:.2f}", ha="center", va="center", fontsize=8,
                              color="white" if value > 0.6 else "#1f2d3d")
    axes.set_title(f"Role overlap: {_MEASURE_NAMES[measure]} of responsibilities")
    figure.colorbar(image, ax=axes, shrink=0.8, label=_MEASURE_NAMES[measure])
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110, metadata={"Software": None})
    return buffer.getvalue()


@contextlib.contextmanager
def _font_cache_quiet() -> Iterator[None]:
    """Keep off stderr what matplotlib says as it builds its font cache, on its first import.

    Where the cache cannot be written (a full disk), matplotlib logs ``Could not save font_manager
    cache ...`` (Python prints a warning on stderr when logging is not configured) and the
    ``fc-list`` it runs prints ``write cache: ...`` on the stderr it inherits: pmgraph's one line
    of error would come with these. fc-list is another process, so file descriptor 2 is pointed at the
    null device while the font manager loads; logging is filtered too, as stderr may not be fd 2.
    """
    if "matplotlib.font_manager" in sys.modules:  # built already: nothing to say
        yield
        return
    loggers = [logging.getLogger(name) for name in ("matplotlib", "matplotlib.font_manager")]
    with contextlib.ExitStack() as undo:
        for logger in loggers:
            logger.addFilter(_drop_below_errors)
            undo.callback(logger.removeFilter, _drop_below_errors)
        try:
            saved = os.dup(2)
        except OSError:  # no stderr at all
            saved = -1
        if saved >= 0:
            if sys.stderr is not None:
                sys.stderr.flush()
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, 2)
            os.close(null)
            undo.callback(os.close, saved)
            undo.callback(os.dup2, saved, 2)
        yield


def _drop_below_errors(record: logging.LogRecord) -> bool:
    return record.levelno >= logging.ERROR


_MEASURE_NAMES = {
    "jaccard": "Jaccard similarity",
    "overlap_coefficient": "overlap coefficient",
    "weighted_jaccard": "RACI-weighted Jaccard similarity",
}


def write_heatmap(roles: RoleOverlap, path: str | os.PathLike[str], measure: str = "jaccard") -> None:
    """Draw :func:`heatmap_png` into ``path``, replacing it atomically."""
    from pmgraph.rdf.writing import write_atomically

    write_atomically(Path(path), heatmap_png(roles, measure))


def build_report(
    data: DataSource,
    *,
    at: datetime.date | None = None,
    sources: Sequence[str] = (),
) -> str:
    """Validate and analyse the data, and write the report page.

    Parameters
    ----------
    data : pmgraph.Organisation, path, list of paths, rdflib.Graph or rdflib.Dataset
        The organisation's data (see :meth:`pmgraph.Organisation.of`); it is not changed.
    at : datetime.date, optional
        Restrict the people analysis to this day (see :func:`pmgraph.people_overlap`).
    sources : sequence of str
        The files the data came from, named in the page (by default, the organisation's files).

    Returns
    -------
    str
        The HTML page (:func:`report_html`).
    """
    from pmgraph.analysis.overlap import people_overlap, role_overlap
    from pmgraph.organisation import Organisation
    from pmgraph.validation.validator import validate

    organisation = Organisation.of(data)
    sources = sources or [str(path) for path in organisation.sources]
    return report_html(
        validate(organisation), role_overlap(organisation), people_overlap(organisation, at=at), sources=sources,
        origin=None if sources else organisation.origin(),
    )


def write_report(
    data: DataSource,
    path: str | os.PathLike[str],
    *,
    at: datetime.date | None = None,
    sources: Sequence[str] = (),
) -> None:
    """Write :func:`build_report` into ``path`` (UTF-8), replacing it atomically."""
    from pmgraph.rdf.writing import write_atomically

    write_atomically(Path(path), build_report(data, at=at, sources=sources).encode("utf-8"))


def report_html(
    validation: ValidationReport,
    roles: RoleOverlap,
    people: PeopleOverlap,
    sources: Sequence[str] = (),
    origin: str | None = None,
) -> str:
    """The report as one self-contained HTML page (no script, no outside resource).

    Parameters
    ----------
    validation : ValidationReport
        The result of :func:`pmgraph.validate`.
    roles : RoleOverlap
        The result of :func:`pmgraph.role_overlap`.
    people : PeopleOverlap
        The result of :func:`pmgraph.people_overlap`.
    sources : sequence of str
        The files the data came from.

    origin : str, optional
        Where the data is, when it is not files (``in the on-disk store x.store``).
    Returns
    -------
    str
    """
    counts = validation.counts
    name = _Names(roles, people)
    cards = [
        ("Violations", counts["Violation"], "bad" if counts["Violation"] else "good"),
        ("Warnings", counts["Warning"], "warn" if counts["Warning"] else "good"),
        ("People with concurrent roles", len(people.people), "warn" if people.people else "good"),
        ("Conflicting roles", len(people.conflicts), "bad" if people.conflicts else "good"),
        ("Accountability gaps", len(people.gaps), "warn" if people.gaps else "good"),
        ("Duplicate accountability", len(people.duplicates), "bad" if people.duplicates else "good"),
    ]
    when = "" if people.at is None else f" on {people.at}"
    parts = [
        _HEAD,
        "<header>",
        "<h1>Organisation report</h1>",
        f"<p class=\"sources\">{_sources(sources, origin)}</p>",
        '<div class="cards">',
        *(
            f'<div class="card {tone}"><span class="number">{value}</span><span class="what">{_e(what)}</span></div>'
            for what, value, tone in cards
        ),
        "</div>",
        "<nav>" + " · ".join(
            f'<a href="#{anchor}">{title}</a>'
            for anchor, title in [
                ("validation", "Validation"),
                ("roles", "Role overlap"),
                ("people", "People"),
                ("accountability", "Accountability"),
                ("load", "Load and key people"),
            ]
        ) + "</nav>",
        "</header>",
        "<main>",
        *_validation_section(validation, name),
        *_roles_section(roles),
        *_people_section(people, name, when),
        *_accountability_section(people, name, when),
        *_load_section(people, name, when),
        "</main>",
        '<footer>Made by pmgraph from the files above. Weighted similarity: '
        + ", ".join(f"{level}={weight}" for level, weight in RACI_WEIGHTS.items())
        + ".</footer>",
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(parts)


class _Names:
    """How the page names a node: its label, with the IRI as a tooltip."""

    def __init__(self, roles: RoleOverlap, people: PeopleOverlap):
        self.labels = {**roles.labels, **people.labels}

    def __call__(self, iri: str) -> str:
        label = self.labels.get(iri)
        if label is None:
            return f'<span class="iri">{_e(iri)}</span>'
        return f'<span title="{_e(iri)}">{_e(label)}</span>'

    def plain(self, iri: str) -> str:
        return self.labels.get(iri, iri)


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _when(period: Period) -> str:
    """A period, kept on one line."""
    return f'<span class="when">{_e(period.text())}</span>'


def _sources(sources: Sequence[str], origin: str | None = None) -> str:
    if origin is not None:
        return f"Data {_e(origin)}."
    if not sources:
        return "Data given in memory."
    shown = ", ".join(f"<code>{_e(source)}</code>" for source in sources[:12])
    more = f" and {len(sources) - 12} more" if len(sources) > 12 else ""
    return f"{len(sources)} file{'s' if len(sources) != 1 else ''}: {shown}{more}"


def _table(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    empty: str,
    css: str = "",
    all_of_them: str = "<code>pmgraph overlap --format json</code> lists them all",
) -> list[str]:
    """An HTML table (cells already escaped) of the first rows, or a calm sentence when there is none."""
    if not rows:
        return [f'<p class="none">✓ {_e(empty)}</p>']
    head = "".join(f"<th>{_e(cell)}</th>" for cell in header)
    body = ["<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows[:_ROWS_SHOWN]]
    more = [f'<p class="muted">… and {len(rows) - _ROWS_SHOWN} more: {all_of_them}.</p>'] if len(rows) > _ROWS_SHOWN else []
    table = [f'<table class="{css}">', f"<thead><tr>{head}</tr></thead>", "<tbody>", *body, "</tbody>", "</table>"]
    return table + more


def _validation_section(validation: ValidationReport, name: _Names) -> list[str]:
    counts = validation.counts
    verdict = (
        '<p class="verdict good">The data follows every rule: no violation.</p>'
        if validation.conforms
        else f'<p class="verdict bad">The data breaks the rules: {counts["Violation"]} '
        + f'violation{"s" if counts["Violation"] != 1 else ""}.</p>'
    )
    rows = [
        [
            f'<span class="badge {result.severity.lower()}">{_e(result.severity)}</span>',
            _e(result.focus_label) if result.focus_label else f'<span class="iri">{_e(result.focus)}</span>',
            _e(result.message),
        ]
        for result in validation.results
    ]
    return [
        '<section>',
        '<h2 id="validation">Validation</h2>',
        verdict,
        f'<p>{counts["Violation"]} violations, {counts["Warning"]} warnings, {counts["Info"]} info.</p>',
        *_table(
            ["Severity", "About", "Message"], rows, "Nothing to report.", "results", "<code>pmgraph validate</code> lists them all"
        ),
        "</section>",
    ]


def _roles_section(roles: RoleOverlap) -> list[str]:
    try:
        png = heatmap_png(roles)
    except ModuleNotFoundError:
        picture = _heatmap_table(roles)
    else:
        data = base64.b64encode(png).decode("ascii")
        alt = f"Heatmap of the Jaccard similarity between {len(roles.roles)} roles"
        picture = [f'<img class="heatmap" src="data:image/png;base64,{data}" alt="{alt}">']
    pairs = roles.pairs[:_PAIRS_SHOWN]
    rows = [
        [
            _e(roles.label(pair.a)),
            _e(roles.label(pair.b)),
            f"{pair.jaccard:.2f}",
            f"{pair.weighted_jaccard:.2f}",
            _e(", ".join(roles.label(r) for r in pair.shared)),
            _e(", ".join(roles.label(r) for r in pair.both_accountable)) or "—",
        ]
        for pair in pairs
    ]
    clusters = [
        f"<li>{_e(', '.join(roles.label(role) for role in cluster))}</li>" for cluster in roles.clusters
    ]
    return [
        "<section>",
        '<h2 id="roles">Role overlap</h2>',
        f"<p>{len(roles.raci)} roles share responsibilities in {len(roles.pairs)} pairs. Jaccard similarity: "
        "the responsibilities two roles share over all those either holds, at any RACI level; "
        "weighted: the same with Accountable, Responsible, Consulted and Informed weighing "
        + ", ".join(str(weight) for weight in RACI_WEIGHTS.values())
        + ".</p>",
        *picture,
        f"<h3>The {len(pairs)} pairs that overlap most</h3>",
        *_table(
            ["Role", "Role", "Jaccard", "Weighted", "Shared responsibilities", "Both accountable for"],
            rows,
            "No two roles share a responsibility.",
            "pairs",
        ),
        "<h3>Clusters of roles that overlap most</h3>",
        "<ol class=\"clusters\">",
        *clusters,
        "</ol>",
        "</section>",
    ]


def _heatmap_table(roles: RoleOverlap) -> list[str]:
    """The overlap matrix as a coloured HTML table, for when matplotlib is missing."""
    names = [roles.label(role) for role in roles.roles]
    rows = []
    for name, values in zip(names, roles.matrix(), strict=True):
        cells = "".join(
            f'<td style="background: rgba(33, 102, 172, {value:.2f}); color: {"#fff" if value > 0.6 else "#1f2d3d"}">'
            f"{value:.2f}</td>"
            for value in values
        )
        rows.append(f"<tr><th>{_e(name)}</th>{cells}</tr>")
    head = "".join(f"<th>{_e(name)}</th>" for name in names)
    return [
        '<table class="matrix"><caption>Jaccard similarity between roles</caption>',
        f"<thead><tr><th></th>{head}</tr></thead>",
        "<tbody>",
        *rows,
        "</tbody></table>",
    ]


def _people_section(people: PeopleOverlap, name: _Names, when: str) -> list[str]:
    concurrent = [
        [
            name(person.person),
            f"{name(item.roles[0])} of {name(item.scopes[0])}",
            f"{name(item.roles[1])} of {name(item.scopes[1])}",
            _when(item.period),
        ]
        for person in people.people
        for item in person.concurrent
    ]
    conflicts = [
        [
            name(person.person),
            f"{name(conflict.roles[0])} of {name(conflict.scopes[0])} and "
            + f"{name(conflict.roles[1])} of {name(conflict.scopes[1])}",
            _when(conflict.period),
            _e(CONFLICTS[conflict.kind]),
        ]
        for person in people.people
        for conflict in person.conflicts
    ]
    return [
        "<section>",
        f'<h2 id="people">People with concurrent roles{_e(when)}</h2>',
        f"<p>{len(people.people)} people hold two or more distinct roles on the same days.</p>",
        *_table(["Person", "Holds", "and, at the same time", "When"], concurrent, "Nobody holds two roles at once."),
        f"<h3>Conflicting roles ({len(conflicts)})</h3>",
        *_table(["Person", "Roles", "When", "Why they conflict"], conflicts, "No known conflicting combination."),
        "</section>",
    ]


def _accountability_section(people: PeopleOverlap, name: _Names, when: str) -> list[str]:
    gaps = [[name(gap.scope), name(gap.responsibility), _when(gap.period)] for gap in people.gaps]
    duplicates = [
        [
            name(duplicate.scope),
            name(duplicate.responsibility),
            ", ".join(name(agent) for agent in duplicate.agents),
            _when(duplicate.period),
        ]
        for duplicate in people.duplicates
    ]
    return [
        "<section>",
        f'<h2 id="accountability">Accountability{_e(when)}</h2>',
        f"<h3>Gaps: nobody accountable ({len(gaps)})</h3>",
        *_table(["Scope", "Responsibility", "When"], gaps, "Every responsibility has somebody accountable."),
        f"<h3>Duplicates: several accountable at once ({len(duplicates)})</h3>",
        *_table(
            ["Scope", "Responsibility", "Accountable", "When"],
            duplicates,
            "No responsibility has two accountable agents at once.",
        ),
        "</section>",
    ]


def _load_section(people: PeopleOverlap, name: _Names, when: str) -> list[str]:
    loads = sorted(people.load, key=lambda load: (-load.peak_allocation, -load.peak_assignments, name.plain(load.person)))
    load_rows = [
        [
            name(load.person),
            (f'<span class="{"over" if load.peak_allocation > 1 else ""}">{load.peak_allocation:g}</span>'
             if load.states_allocation else '<span class="muted">unstated</span>'),
            str(load.peak_assignments),
        ]
        for load in loads
    ]
    key_rows = [
        [name(key.person), str(len(key.scopes)), ", ".join(name(scope) for scope in key.scopes)]
        for key in people.key_people
    ]
    return [
        "<section>",
        f'<h2 id="load">Load and key people{_e(when)}</h2>',
        "<h3>Load at its peak</h3>",
        (
            "<p>The most a person's stated allocations add up to on one day (1 is a full-time person), "
            "and the most role assignments they hold at once.</p>"
        ),
        *_table(["Person", "Allocation", "Assignments at once"], load_rows, "Nobody holds a role.", "load"),
        "<h3>Key-person risk</h3>",
        f"<p>People who are, {'on some day' if people.at is None else f'on {people.at}'}, "
        + "the only manager of a scope: without them it has none.</p>",
        *_table(["Person", "Scopes", "Only manager of"], key_rows, "Every scope has more than one manager."),
        "</section>",
    ]


_HEAD = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="pmgraph">
<title>Organisation report · pmgraph</title>
<style>
:root { --ink: #1f2d3d; --muted: #6b7785; --line: #e3e8ee; --paper: #f6f8fa; --blue: #2166ac;
        --good: #2e7d32; --warn: #b26a00; --bad: #c62828; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif;
       color: var(--ink); background: var(--paper); }
header, main, footer { max-width: 1100px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 28px; }
h1 { margin: 0 0 4px; font-size: 28px; }
h2 { margin: 0 0 12px; font-size: 21px; border-bottom: 2px solid var(--line); padding-bottom: 6px; }
h3 { margin: 22px 0 8px; font-size: 16px; }
.sources { color: var(--muted); margin: 0 0 18px; }
code { font: 13px ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; }
.card { background: #fff; border: 1px solid var(--line); border-left: 5px solid var(--good);
        border-radius: 8px; padding: 12px 14px; }
.card.warn { border-left-color: var(--warn); } .card.bad { border-left-color: var(--bad); }
.card .number { display: block; font-size: 26px; font-weight: 700; }
.card .what { color: var(--muted); font-size: 13px; }
nav { margin: 18px 0 6px; color: var(--muted); }
nav a { color: var(--blue); text-decoration: none; }
section { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 20px 24px;
          margin: 18px 0; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
thead th { background: var(--paper); font-weight: 600; }
tbody tr:nth-child(even) { background: #fbfcfd; }
table.matrix { width: auto; } table.matrix td { text-align: center; min-width: 48px; }
table.matrix caption { text-align: left; color: var(--muted); padding-bottom: 6px; }
.heatmap { display: block; max-width: 100%; height: auto; margin: 8px auto; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600;
         color: #fff; background: var(--muted); }
.badge.violation { background: var(--bad); } .badge.warning { background: var(--warn); }
.verdict.good { color: var(--good); font-weight: 600; } .verdict.bad { color: var(--bad); font-weight: 600; }
.none { color: var(--good); } .muted, .iri { color: var(--muted); } .iri { font-size: 12px; }
.over { color: var(--bad); font-weight: 700; } .when { white-space: nowrap; }
.clusters li { margin: 2px 0; }
footer { color: var(--muted); font-size: 13px; padding-bottom: 28px; }
</style>
</head>
<body>"""
