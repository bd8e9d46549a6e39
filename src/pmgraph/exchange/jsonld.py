"""A JSON-LD context for pmgraph's vocabulary, so web tools exchange the data as plain-looking JSON.

The context is generated from the ontology, one term per pm: term, named by its local name
(``"startDate"``, ``"Project"``, ``"projectManager"``): object properties are coerced to IRIs
(``"@type": "@id"``) and datatype properties to their ``xsd:`` range (``pm:startDate`` to
``xsd:date``, ``pm:budget`` to ``xsd:decimal``; ``xsd:string`` ranges are left as plain JSON
strings). ``label`` stands for ``rdfs:label`` and ``broader`` for ``skos:broader`` (how an
organisation's own role says which core role it counts as). A value whose datatype differs from
the coerced one (``pm:budget 500000`` is an ``xsd:integer``) is written under the prefixed name
(``"pm:budget"``), so nothing is lost on the way back.

Examples
--------
>>> terms = json_ld_context()["@context"]
>>> terms["startDate"], terms["partOf"], terms["Project"]
({'@id': 'pm:startDate', '@type': 'xsd:date'}, {'@id': 'pm:partOf', '@type': '@id'}, 'pm:Project')
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

from rdflib import OWL, RDF, RDFS, XSD, BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from pmgraph.namespace import PM

if TYPE_CHECKING:
    from pmgraph.organisation import DataSource

__all__ = ["json_ld_context", "to_json_ld"]


def json_ld_context(ontology_graph: Graph | None = None) -> dict[str, dict[str, object]]:
    """Return the JSON-LD context of pmgraph's vocabulary, as ``{"@context": {...}}``.

    Parameters
    ----------
    ontology_graph : rdflib.Graph, optional
        The ontology to generate it from; ``ontology/pmgraph.ttl`` when not given.

    Returns
    -------
    dict
        Keys sorted: the prefixes ``pm``, ``rdfs``, ``skos``, ``xsd``, ``label``, ``broader`` and
        one term per pm: term of the ontology.
    """
    if ontology_graph is None:
        from pmgraph.ontology import load_ontology

        ontology_graph = load_ontology()
    terms: dict[str, object] = {
        "pm": str(PM._NS),
        "rdfs": str(RDFS),
        "skos": str(SKOS),
        "xsd": str(XSD),
        "label": {"@id": "rdfs:label"},
        "broader": {"@id": "skos:broader", "@type": "@id"},
    }
    pm_terms = {subject for subject in ontology_graph.subjects() if str(subject).startswith(PM._NS)}
    for term in sorted(pm_terms):
        local = str(term).removeprefix(PM._NS)
        if not local or local in terms:
            continue
        types = set(ontology_graph.objects(term, RDF.type))
        ranges = {str(r) for r in ontology_graph.objects(term, RDFS.range) if str(r).startswith(str(XSD))}
        ranges.discard(str(XSD.string))
        if OWL.ObjectProperty in types:
            terms[local] = {"@id": f"pm:{local}", "@type": "@id"}
        elif OWL.DatatypeProperty in types and len(ranges) == 1:
            terms[local] = {"@id": f"pm:{local}", "@type": f"xsd:{ranges.pop().removeprefix(str(XSD))}"}
        else:
            terms[local] = f"pm:{local}"
    return {"@context": dict(sorted(terms.items()))}


def to_json_ld(data: DataSource, ontology_graph: Graph | None = None) -> str:
    """Write data as JSON-LD compacted with :func:`json_ld_context`, the context inline.

    Every node is a flat object of the ``@graph`` (a blank node too, under its ``_:`` label). A value
    is written under the term of its property when it fits the term's coercion (a date under
    ``startDate``, an IRI under ``partOf``), otherwise under the prefixed name (``pm:budget``) as a
    value object, so that literals keep their lexical form and datatype: only canonical integers
    and booleans become JSON numbers and booleans.

    Parameters
    ----------
    data : pmgraph.Organisation, path, list of paths or rdflib.Graph
        The organisation's data (see :meth:`pmgraph.Organisation.of`); a :class:`rdflib.Dataset`
        is written as the union of its graphs.
    ontology_graph : rdflib.Graph, optional
        The ontology the context is generated from; ``ontology/pmgraph.ttl`` when not given.

    Returns
    -------
    str
        A JSON document ``{"@context": {...}, "@graph": [...]}``, nodes sorted by ``@id``, keys
        sorted, values sorted.

    Examples
    --------
    >>> data = Graph().parse(format="turtle", data='''
    ...     @prefix pm: <https://w3id.org/pmgraph#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
    ...     <https://example.org/api> a pm:Project ; pm:startDate "2024-01-15"^^xsd:date ;
    ...         pm:budget 500000 , "310000.00"^^xsd:decimal .''')
    >>> json.loads(to_json_ld(data))["@graph"]  # doctest: +NORMALIZE_WHITESPACE
    [{'@id': 'https://example.org/api', '@type': 'Project', 'budget': '310000.00',
      'pm:budget': 500000, 'startDate': '2024-01-15'}]
    """
    from pmgraph.organisation import as_rdflib

    data = as_rdflib(data)
    terms = json_ld_context(ontology_graph)["@context"]
    prefixes = {name: iri for name, iri in terms.items() if isinstance(iri, str) and iri.endswith(("#", "/"))}
    # the term of each prefixed name: "pm:startDate" -> ("startDate", its definition)
    by_property = {
        (definition["@id"] if isinstance(definition, dict) else definition): (name, definition)
        for name, definition in terms.items()
        if name not in prefixes
    }
    triples = data.quads((None, None, None, None)) if isinstance(data, Dataset) else data.triples((None, None, None))
    nodes: dict[str, dict[str, list[object]]] = {}
    for s, p, o, *_ in triples:
        node = nodes.setdefault(_node_id(s, prefixes, compact=False), {})
        if p == RDF.type and not isinstance(o, Literal):
            term = by_property.get(_compact(o, prefixes), (None,))[0]
            node.setdefault("@type", []).append(term or _node_id(o, prefixes))
            continue
        name, definition = by_property.get(_compact(p, prefixes), (None, None))
        coerced = definition.get("@type") if isinstance(definition, dict) else None
        value = _coerced_value(o, coerced, prefixes) if name else None
        if value is None:
            name, value = _node_id(p, prefixes), _value_object(o, prefixes)
        node.setdefault(name, []).append(value)
    graph = []
    for node_id, properties in sorted(nodes.items()):
        node: dict[str, object] = {"@id": node_id}
        for key, values in sorted(properties.items(), key=lambda item: (item[0] != "@type", item[0])):
            values = sorted(values, key=lambda value: json.dumps(value, sort_keys=True))
            node[key] = values[0] if len(values) == 1 else values
        graph.append(node)
    return json.dumps({"@context": terms, "@graph": graph}, indent=2, ensure_ascii=False) + "\n"


def _compact(iri: object, prefixes: dict[str, str]) -> str:
    """``pm:startDate`` for an IRI in one of the context's prefixes, otherwise the IRI."""
    for prefix, namespace in prefixes.items():
        local = str(iri).removeprefix(namespace)
        if local != str(iri) and local and not set(local) & set("/#:"):
            return f"{prefix}:{local}"
    return str(iri)


def _node_id(node: object, prefixes: dict[str, str], compact: bool = True) -> str:
    """How a node or property is named in the document: ``_:b0``, a prefixed name or an IRI."""
    if isinstance(node, BNode):
        return f"_:{node}"
    return _compact(node, prefixes) if compact else str(node)


def _coerced_value(value: object, coerced: str | None, prefixes: dict[str, str]) -> object | None:
    """The value as written under a term with this coercion; None when it does not fit the term."""
    if coerced == "@id":
        return _node_id(value, prefixes) if isinstance(value, URIRef | BNode) else None
    if coerced is not None:
        fits = isinstance(value, Literal) and value.datatype is not None and _compact(value.datatype, prefixes) == coerced
        return str(value) if fits else None
    return _value_object(value, prefixes)


def _value_object(value: object, prefixes: dict[str, str]) -> object:
    """A value as written under a term without coercion, or under a prefixed name."""
    if not isinstance(value, Literal):
        return {"@id": _node_id(value, prefixes)}
    if value.language:
        return {"@value": str(value), "@language": value.language}
    if value.datatype is None or value.datatype == XSD.string:
        return str(value)
    # JSON numbers and booleans read back as canonical xsd:integer and xsd:boolean only
    if value.datatype == XSD.integer and re.fullmatch(r"-?(0|[1-9][0-9]*)", str(value)):
        return int(str(value))
    if value.datatype == XSD.boolean and str(value) in ("true", "false"):
        return str(value) == "true"
    return {"@value": str(value), "@type": _compact(value.datatype, prefixes)}
