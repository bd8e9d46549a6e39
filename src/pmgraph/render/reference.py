"""The HTML reference of pmgraph's ontology: every term, and the reference model as a RACI table.

:func:`reference_html` writes one self-contained page (its stylesheet inside) with an anchor per
term (``#ProjectManager``): label, definition, source, type, domain and range, notes, the values
the ontology gives it (where a role applies, what a KPI type is typical for), deprecation and
mappings to other vocabularies. The reference model, the role-level RACI of the ontology's roles,
is a table of responsibilities by roles whose cells are R, A, C or I. :func:`write_docs` writes the
page as ``index.html`` in a folder; ``pmgraph docs -o DIR`` calls it. The same ontology gives the
same bytes (no date is written).

The page is written with the standard library: pyLODE 3.4.1, the usual generator, fails at import
when installed from its wheel, and it does not draw the RACI table.

Examples
--------
>>> from pmgraph.ontology import load_ontology
>>> page = reference_html(load_ontology())
>>> page.startswith("<!DOCTYPE html>"), 'id="ProjectManager"' in page
(True, True)
"""

from __future__ import annotations

import errno
import html
import os
from collections.abc import Iterable
from contextlib import suppress
from itertools import takewhile
from pathlib import Path

import rdflib
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

__all__ = ["reference_html", "write_docs", "RACI_LETTERS"]

PM = rdflib.Namespace("https://w3id.org/pmgraph#")
ONTOLOGY_IRI = rdflib.URIRef("https://w3id.org/pmgraph")

#: The reference-model properties and the letter each writes in the RACI table.
RACI_LETTERS: dict[rdflib.URIRef, str] = {
    PM.responsibleFor: "R",
    PM.accountableFor: "A",
    PM.consultedOn: "C",
    PM.informedOn: "I",
}

# Mappings shown beside each term, with the words the page uses for them.
_MAPPINGS = {
    SKOS.exactMatch: "exact match",
    SKOS.closeMatch: "close match",
    SKOS.broadMatch: "broader match",
    SKOS.narrowMatch: "narrower match",
    SKOS.relatedMatch: "related match",
}

# What a term's block says, in this order, besides its pm: property values and mappings.
_ROWS = [
    ("Subclass of", RDFS.subClassOf),
    ("Equivalent to", OWL.equivalentClass),
    ("Sub-property of", RDFS.subPropertyOf),
    ("Domain", RDFS.domain),
    ("Range", RDFS.range),
    ("One of", OWL.oneOf),
    ("Broader", SKOS.broader),
    ("Source", DCTERMS.source),
    ("Note", SKOS.scopeNote),
    ("Comment", RDFS.comment),
]

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 0 auto; max-width: 70rem; padding: 1rem 2rem; color: #222; }
h1 { margin-bottom: 0.2rem; } h2 { border-bottom: 2px solid #ccd; margin-top: 2.5rem; }
code { font-size: 0.95em; } a { color: #1a4f9c; text-decoration: none; } a:hover { text-decoration: underline; }
nav ul { columns: 3; } .term { border: 1px solid #dde; border-radius: 6px; margin: 1rem 0; padding: 0.4rem 1rem; }
.term h3 { margin: 0.4rem 0; } .iri { color: #555; font-size: 0.85em; margin: 0; }
dl { display: grid; grid-template-columns: 11rem 1fr; gap: 0.2rem 1rem; } dt { font-weight: 600; } dd { margin: 0; }
.deprecated { background: #fff4e5; }
.badge { background: #c60; border-radius: 3px; color: #fff; font-size: 0.75em; padding: 0 0.3rem; }
.raci { overflow-x: auto; } table { border-collapse: collapse; font-size: 0.9em; }
th, td { border: 1px solid #ccd; padding: 0.25rem 0.4rem; text-align: center; } th { background: #f0f2f8; }
td.R { background: #dbeafe; } td.A { background: #fde68a; font-weight: 700; }
td.C { background: #dcfce7; } td.I { background: #f3f4f6; }
table.mappings td { text-align: left; }
"""


def reference_html(ontology: rdflib.Graph) -> str:
    """Write the HTML reference of an ontology: one block per pm: term, and the RACI table.

    Parameters
    ----------
    ontology : rdflib.Graph
        pmgraph's ontology, with or without its alignments (:func:`pmgraph.load_ontology`); it is
        only read.

    Returns
    -------
    str
        One self-contained HTML page. Each term declared by the ontology (``rdfs:isDefinedBy``)
        has the anchor of its local name; the table ``#raci`` (section ``#reference-model``) has
        a row per responsibility, a column per role and the letters R, A, C, I in its cells, each
        cell carrying ``data-role`` and ``data-responsibility``.

    Examples
    --------
    >>> from pmgraph.ontology import load_ontology
    >>> page = reference_html(load_ontology())
    >>> '<td class="A" data-role="ProjectManager" data-responsibility="Budgeting">A</td>' in page
    True
    """
    terms = _terms(ontology)
    classes = [term for term in terms if (term, RDF.type, OWL.Class) in ontology]
    object_properties = [term for term in terms if (term, RDF.type, OWL.ObjectProperty) in ontology]
    datatype_properties = [term for term in terms if (term, RDF.type, OWL.DatatypeProperty) in ontology]
    kinds = {*classes, *object_properties, *datatype_properties}
    individuals_by_class: dict[rdflib.URIRef, list[rdflib.URIRef]] = {}
    for term in terms:
        if term not in kinds:
            for kind in _pm_types(ontology, term):
                individuals_by_class.setdefault(kind, []).append(term)
    shown = kinds.union(*individuals_by_class.values())
    others = [term for term in terms if term not in shown]
    sections = [
        ("classes", "Classes", classes),
        ("object-properties", "Object properties", object_properties),
        ("datatype-properties", "Datatype properties", datatype_properties),
        *(
            (f"instances-of-{_local(kind)}", _capitalised(_plural(_label(ontology, kind))), members)
            for kind, members in sorted(individuals_by_class.items(), key=lambda item: _label(ontology, item[0]))
        ),
        *([("other-terms", "Other terms", others)] if others else []),
    ]
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{_text(_title(ontology))}</title>",
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body>",
        *_overview(ontology, sections),
        *_raci_table(ontology),
    ]
    for anchor, heading, members in sections:
        parts.append(f'<section id="{anchor}">')
        parts.append(f"<h2>{_text(heading)}</h2>")
        parts.extend(_term_block(ontology, term) for term in members)
        parts.append("</section>")
    parts.extend(_mapping_table(ontology))
    parts.extend(["</body>", "</html>", ""])
    return "\n".join(parts)


def write_docs(directory: str | os.PathLike[str], alignments: bool = True) -> Path:
    """Write the HTML reference of pmgraph's ontology as ``index.html`` in a folder.

    Parameters
    ----------
    directory : str or os.PathLike
        The folder; it is made when missing (and removed again if the page cannot be written).
        An ``index.html`` already there is replaced atomically: readers see the old page or the
        new one, never half of one.
    alignments : bool, default True
        Show the mappings of ``ontology/alignments/`` beside each term and in a table.

    Returns
    -------
    pathlib.Path
        The page written, ``directory/index.html``.

    Raises
    ------
    OSError
        If the folder cannot be made (:class:`NotADirectoryError` when it is a file) or the page
        cannot be written.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     write_docs(Path(folder) / "docs").name
    'index.html'
    """
    from pmgraph.ontology import load_ontology
    from pmgraph.rdf.writing import write_atomically

    folder = Path(directory)
    if folder.exists() and not folder.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, "it is a file, not a folder", str(folder))
    content = reference_html(load_ontology(alignments=alignments)).encode("utf-8")  # before any folder is made
    missing = list(takewhile(lambda path: not path.exists(), [folder, *folder.parents]))  # deepest first
    folder.mkdir(parents=True, exist_ok=True)
    page = folder / "index.html"
    try:
        write_atomically(page, content)
    except BaseException:
        for made in missing:  # nothing half-written: not even an empty folder
            with suppress(OSError):
                made.rmdir()
        raise
    return page


def _terms(ontology: rdflib.Graph) -> list[rdflib.URIRef]:
    """The terms the ontology declares in the pm: namespace, by local name."""
    declared = {
        term
        for term in ontology.subjects(RDFS.isDefinedBy, ONTOLOGY_IRI)
        if isinstance(term, rdflib.URIRef) and str(term).startswith(str(PM))
    }
    return sorted(declared, key=lambda term: (_local(term).lower(), _local(term)))


def _pm_types(ontology: rdflib.Graph, term: rdflib.URIRef) -> list[rdflib.URIRef]:
    """The pm: classes a term is an instance of."""
    return sorted(
        kind
        for kind in ontology.objects(term, RDF.type)
        if isinstance(kind, rdflib.URIRef) and str(kind).startswith(str(PM))
    )


def _overview(ontology: rdflib.Graph, sections: list[tuple[str, str, list[rdflib.URIRef]]]) -> list[str]:
    """The page's heading, the ontology's metadata and the table of contents."""
    header = [
        ("Version", list(ontology.objects(ONTOLOGY_IRI, OWL.versionInfo))),
        ("Version IRI", list(ontology.objects(ONTOLOGY_IRI, OWL.versionIRI))),
        ("Prior version", list(ontology.objects(ONTOLOGY_IRI, OWL.priorVersion))),
        ("License", list(ontology.objects(ONTOLOGY_IRI, DCTERMS.license))),
        ("Creator", list(ontology.objects(ONTOLOGY_IRI, DCTERMS.creator))),
    ]
    contents = [
        '<li><a href="#reference-model">Reference model (RACI)</a></li>',
        *(
            f'<li><a href="#{anchor}">{_text(heading)}</a> ({len(members)})</li>'
            for anchor, heading, members in sections
        ),
        '<li><a href="#alignments">Alignments</a></li>',
    ]
    description = ontology.value(ONTOLOGY_IRI, DCTERMS.description)
    return [
        f"<h1>{_text(_title(ontology))}</h1>",
        f"<p>{_text(description)}</p>" if description else "",
        "<dl>",
        f'<dt>IRI</dt><dd><a href="{ONTOLOGY_IRI}"><code>{ONTOLOGY_IRI}</code></a></dd>',
        *(f"<dt>{name}</dt><dd>{_nodes(ontology, values)}</dd>" for name, values in header if values),
        "</dl>",
        "<nav><h2>Contents</h2><ul>",
        *contents,
        "</ul></nav>",
    ]


def _raci_table(ontology: rdflib.Graph) -> list[str]:
    """The reference model: a row per responsibility, a column per role, R/A/C/I in the cells."""
    roles = sorted(_instances(ontology, PM.Role), key=lambda role: _label(ontology, role))
    responsibilities = sorted(_instances(ontology, PM.Responsibility), key=lambda item: _label(ontology, item))
    header = "".join(
        f'<th scope="col"><a href="#{_local(role)}">{_text(_label(ontology, role))}</a></th>' for role in roles
    )
    rows = []
    for item in responsibilities:
        cells = []
        for role in roles:
            letters = "/".join(
                letter for level, letter in RACI_LETTERS.items() if (role, level, item) in ontology
            )
            classes = f' class="{letters.replace("/", " ")}"' if letters else ""
            cells.append(
                f'<td{classes} data-role="{_local(role)}" data-responsibility="{_local(item)}">{letters}</td>'
            )
        heading = f'<th scope="row"><a href="#{_local(item)}">{_text(_label(ontology, item))}</a></th>'
        rows.append(f"<tr>{heading}{''.join(cells)}</tr>")
    return [
        '<section id="reference-model">',
        "<h2>Reference model (RACI)</h2>",
        "<p>What each role does on the scope where it is held: <b>R</b>esponsible (does the work), "
        "<b>A</b>ccountable (answers for the result; one per responsibility among the roles held on the "
        "same kind of scope), <b>C</b>onsulted, <b>I</b>nformed. An organisation's own role that is "
        "<code>skos:broader</code> a core role inherits that role's row.</p>",
        '<div class="raci"><table id="raci">',
        f'<tr><th scope="col">Responsibility \\ Role</th>{header}</tr>',
        *rows,
        "</table></div>",
        "</section>",
    ]


def _term_block(ontology: rdflib.Graph, term: rdflib.URIRef) -> str:
    """One term: heading and IRI, then a definition list of what the ontology says of it."""
    deprecated = (term, OWL.deprecated, rdflib.Literal(True)) in ontology
    rows = [("Definition", _text(ontology.value(term, SKOS.definition) or ""))]
    kinds = _pm_types(ontology, term)
    if kinds:
        rows.append(("Type", _nodes(ontology, kinds)))
    if (term, RDF.type, OWL.FunctionalProperty) in ontology:
        rows.append(("Functional", "yes: at most one value"))
    for name, predicate in _ROWS:
        values = list(ontology.objects(term, predicate))
        if predicate == OWL.oneOf and values:  # an enumeration, in its own order
            members = [item for head in values for item in Collection(ontology, head)]
            rows.append((name, ", ".join(_node(ontology, member) for member in members)))
        elif values:
            rows.append((name, _nodes(ontology, values)))
    subclasses = sorted(
        sub for sub in ontology.subjects(RDFS.subClassOf, term) if isinstance(sub, rdflib.URIRef)
    )
    if subclasses:
        rows.append(("Subclasses", _nodes(ontology, subclasses)))
    for predicate in sorted({p for p in ontology.predicates(term, None) if str(p).startswith(str(PM))}):
        rows.append((_capitalised(_label(ontology, predicate)), _nodes(ontology, ontology.objects(term, predicate))))
    if deprecated:
        rows.append(("Deprecated", "replaced by " + _nodes(ontology, ontology.objects(term, DCTERMS.isReplacedBy))))
    mappings = [
        f"{words} {_node(ontology, target)}"
        for predicate, words in _MAPPINGS.items()
        for target in sorted(ontology.objects(term, predicate))
    ]
    if mappings:
        rows.append(("Mappings", "; ".join(mappings)))
    badge = ' <span class="badge">deprecated</span>' if deprecated else ""
    return "\n".join(
        [
            f'<div class="term{" deprecated" if deprecated else ""}" id="{_local(term)}">',
            f"<h3>{_text(_label(ontology, term))} <code>pm:{_text(_local(term))}</code>{badge}</h3>",
            f'<p class="iri">{_text(term)}</p>',
            "<dl>",
            *(f"<dt>{name}</dt><dd>{value}</dd>" for name, value in rows),
            "</dl>",
            "</div>",
        ]
    )


def _mapping_table(ontology: rdflib.Graph) -> list[str]:
    """Every mapping of a pm: term to another vocabulary's term, by pm: term."""
    axioms = {RDFS.subClassOf: "rdfs:subClassOf", RDFS.subPropertyOf: "rdfs:subPropertyOf"}
    words = {**axioms, **{predicate: f"skos:{predicate.removeprefix(str(SKOS))}" for predicate in _MAPPINGS}}
    rows = sorted(
        (_local(subject), words[predicate], str(target), subject, target)
        for predicate in words
        for subject, target in ontology.subject_objects(predicate)
        if str(subject).startswith(str(PM))
        and isinstance(target, rdflib.URIRef)
        and not str(target).startswith(str(PM))
    )
    return [
        '<section id="alignments">',
        "<h2>Alignments</h2>",
        "<p>Mappings to W3C ORG, PROV-O, FOAF, schema.org, SKOS, DOAP, FIBO and PROJ "
        "(<code>ontology/alignments/</code>, also as SSSOM in <code>pmgraph.sssom.tsv</code>). "
        "<code>rdfs:subClassOf</code> and <code>rdfs:subPropertyOf</code> where every member of the pmgraph "
        "term is one; a SKOS mapping otherwise.</p>",
        f"<p>{len(rows)} mappings.</p>" if rows else "<p>None loaded.</p>",
        '<table class="mappings">',
        "<tr><th>pmgraph term</th><th>mapping</th><th>term</th></tr>",
        *(
            f"<tr><td>{_node(ontology, subject)}</td><td><code>{word}</code></td>"
            f"<td>{_node(ontology, target)}</td></tr>"
            for _, word, _, subject, target in rows
        ),
        "</table>",
        "</section>",
    ]


def _instances(ontology: rdflib.Graph, kind: rdflib.URIRef) -> list[rdflib.URIRef]:
    return [member for member in ontology.subjects(RDF.type, kind) if isinstance(member, rdflib.URIRef)]


def _nodes(ontology: rdflib.Graph, nodes: Iterable[rdflib.term.Node]) -> str:
    return ", ".join(_node(ontology, node) for node in sorted(nodes, key=_sort_key))


def _node(ontology: rdflib.Graph, node: rdflib.term.Node) -> str:
    """A term as a link (a pm: term to its anchor), a class expression in words, or a literal's text."""
    if isinstance(node, rdflib.Literal):
        return _text(node)
    if isinstance(node, rdflib.BNode):
        members = ontology.value(node, OWL.unionOf)
        if members is not None:
            return " or ".join(_node(ontology, member) for member in Collection(ontology, members))
        return "(an anonymous class)"
    if str(node).startswith(str(PM)):
        return f'<a href="#{_local(node)}"><code>pm:{_text(_local(node))}</code></a>'
    title = ontology.value(node, DCTERMS.title)
    if title is not None and (node, RDF.type, DCTERMS.BibliographicResource) in ontology:
        return _text(title)  # a published text pmgraph cites
    try:
        shown = ontology.namespace_manager.curie(node, generate=False)
    except (KeyError, ValueError):
        shown = str(node)
    return f'<a href="{_text(node)}"><code>{_text(shown)}</code></a>'


def _sort_key(node: rdflib.term.Node) -> tuple[int, str]:
    return (isinstance(node, rdflib.BNode), str(node))


def _label(ontology: rdflib.Graph, term: rdflib.term.Node) -> str:
    label = ontology.value(term, RDFS.label)
    return str(label) if label is not None else _local(term)


def _local(term: rdflib.term.Node) -> str:
    return str(term).removeprefix(str(PM))


def _title(ontology: rdflib.Graph) -> str:
    return str(ontology.value(ONTOLOGY_IRI, DCTERMS.title) or "pmgraph")


def _plural(noun: str) -> str:
    """``role`` -> ``roles``, ``methodology`` -> ``methodologies``, ``lifecycle status`` -> ``lifecycle statuses``."""
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + ("es" if noun.endswith("s") else "s")


def _capitalised(words: str) -> str:
    """``KPI type`` stays ``KPI type``; ``applies to`` becomes ``Applies to``."""
    return words[:1].upper() + words[1:]


def _text(value: object) -> str:
    return html.escape(str(value))
