"""Any SHACL shapes on any data: each shape by pmgraph's engine, or alone by pySHACL.

:func:`pmgraph.validation.engine.plan_shapes` compiles every shape with targets that it can
evaluate exactly into SPARQL queries on pyoxigraph; a shape using what it cannot evaluate (a
SHACL-SPARQL constraint component, ``sh:qualifiedValueShapesDisjoint``, ``sh:target``...) is
routed, and only that shape is then validated by pySHACL: the shapes graph is given to pySHACL
with the targets of every other shape taken out, so the other shapes still serve as what the
routed one references (``sh:node``, ``sh:property``...) but are not validated twice. Nothing is
left out: a shape is either evaluated here or routed.

Examples
--------
>>> import rdflib
>>> from pmgraph.rdf.terms import to_store
>>> shapes = rdflib.Graph().parse(format="turtle", data='''
...     @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <https://example.org/> .
...     ex:Named a sh:NodeShape ; sh:targetClass ex:Project ; sh:property [ sh:path ex:name ; sh:minCount 1 ] .
...     ex:OneSponsor a sh:NodeShape ; sh:targetClass ex:Project ; sh:property [ sh:path ex:sponsor ;
...         sh:qualifiedValueShape [ sh:class ex:Person ] ; sh:qualifiedMinCount 1 ; sh:qualifiedValueShapesDisjoint true ] .
... ''')
>>> data = rdflib.Graph().parse(format="turtle", data="@prefix ex: <https://example.org/> . ex:a a ex:Project ; ex:name 'A' . ex:b a ex:Project .")
>>> found = check_shapes(to_store(data), shapes, lambda: data)
>>> sorted((str(f.focus), str(f.path)) for f in found)
[('https://example.org/a', 'https://example.org/sponsor'), ('https://example.org/b', 'https://example.org/name'), ('https://example.org/b', 'https://example.org/sponsor')]
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Iterable
from os import PathLike

import rdflib
from rdflib.namespace import RDF, RDFS, SH

from pmgraph.validation.engine import Finding, focus_shapes, plan_shapes, run_checks

__all__ = ["check_shapes", "routed_shapes_graph", "pyshacl_findings"]

_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)


def check_shapes(
    store: object,
    shapes: rdflib.Graph,
    data: Callable[[], rdflib.Graph],
    *,
    union: bool = False,
    threads: int = 1,
    on_check: Callable[[int, int], None] | None = None,
    joined: Collection[rdflib.term.Node] = (),
    shape_files: Iterable[str | PathLike[str]] = (),
) -> list[Finding]:
    """Validate the data of ``store`` against ``shapes``: the findings of every shape with targets.

    ``data()`` gives the same data as an rdflib graph; it is called only when a shape is routed to
    pySHACL. ``union``, ``threads`` and ``on_check`` are as for
    :func:`pmgraph.validation.engine.run_checks`; ``joined`` as for
    :func:`pmgraph.validation.engine.plan_shapes`; ``shape_files``, the files the shapes came from,
    are named when pySHACL cannot use a routed shape.

    Raises
    ------
    InvalidShape
        For a SHACL-SPARQL query that SHACL forbids.
    """
    plan = plan_shapes(shapes, joined=joined)
    findings = list(run_checks(store, list(plan.checks), union=union, on_check=on_check, threads=threads))
    if plan.routed:
        routed = routed_shapes_graph(shapes, [shape for shape, _reason in plan.routed])
        findings += pyshacl_findings(data(), routed, shape_files)
    return findings


def routed_shapes_graph(shapes: rdflib.Graph, routed: list[rdflib.term.Node]) -> rdflib.Graph:
    """A copy of ``shapes`` in which only the ``routed`` shapes have targets.

    >>> g = rdflib.Graph().parse(format="turtle", data='''
    ...     @prefix sh: <http://www.w3.org/ns/shacl#> .
    ...     <https://e.org/A> sh:targetNode <https://e.org/x> . <https://e.org/B> sh:targetNode <https://e.org/x> .''')
    >>> print(*routed_shapes_graph(g, [rdflib.URIRef("https://e.org/B")]).subjects())
    https://e.org/B
    """
    keep = set(routed)
    copy = rdflib.Graph()
    for prefix, namespace in shapes.namespaces():
        copy.bind(prefix, namespace, override=False)
    copy += shapes
    for shape in focus_shapes(shapes):
        if shape in keep:
            continue
        for predicate in _TARGETS:
            copy.remove((shape, predicate, None))
        copy.remove((shape, RDF.type, RDFS.Class))
    return copy


def pyshacl_findings(
    data: rdflib.Graph, shapes: rdflib.Graph, shape_files: Iterable[str | PathLike[str]] = ()
) -> Iterable[Finding]:
    """pySHACL's results; shapes it cannot use are the fault of ``shape_files`` when given."""
    import pyshacl  # heavy: imported only when validating
    from pyshacl.errors import ReportableRuntimeError

    from pmgraph.errors import InputError, InvalidShape

    # pySHACL logs the error it raises to stderr on its own logger: pmgraph says it in one line.
    quiet = logging.getLogger("pyshacl-validate")
    quiet.addFilter(_drop_errors)
    try:
        _conforms, report, _text_report = pyshacl.validate(
            data,
            shacl_graph=shapes,
            inference="none",
            abort_on_first=False,
            allow_infos=True,
            allow_warnings=True,
            meta_shacl=False,
            advanced=False,
            debug=False,
        )
    except ReportableRuntimeError as error:
        report = error.message if hasattr(error, "message") else str(error)
    except NotImplementedError as error:  # (what pySHACL does not evaluate, $shapesGraph)
        report = str(error)
    finally:
        quiet.removeFilter(_drop_errors)
    if not isinstance(report, rdflib.Graph):  # the shapes are unusable (pySHACL's error or ValidationFailure)
        reason = f"pySHACL cannot use these shapes: {str(report).strip().splitlines()[0]}"
        files = [str(f) for f in shape_files]
        if files:
            raise InputError(", ".join(files), reason)
        raise InvalidShape(reason)
    for node in report.subjects(RDF.type, SH.ValidationResult):
        messages = sorted(report.objects(node, SH.resultMessage), key=lambda m: (getattr(m, "language", None) not in (None, "en"), str(m)))
        yield Finding(
            severity=report.value(node, SH.resultSeverity) or SH.Violation,
            focus=report.value(node, SH.focusNode),
            path=report.value(node, SH.resultPath),
            value=report.value(node, SH.value),
            message=str(messages[0]) if messages else "",
            shape=report.value(node, SH.sourceShape),
        )


def _drop_errors(record: logging.LogRecord) -> bool:
    return record.levelno < logging.ERROR
