"""Any data against any SHACL shapes, with nothing of pmgraph's own added (``pmgraph shacl``).

Examples
--------
>>> import pathlib, tempfile
>>> with tempfile.TemporaryDirectory() as folder:
...     data = pathlib.Path(folder, "data.ttl")
...     _ = data.write_text("@prefix ex: <https://example.org/> . ex:a a ex:Project .")
...     rules = pathlib.Path(folder, "rules.ttl")
...     _ = rules.write_text('''@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <https://example.org/> .
...         ex:Named a sh:NodeShape ; sh:targetClass ex:Project ;
...             sh:property [ sh:path ex:name ; sh:minCount 1 ; sh:message "has no name" ] .''')
...     report = shacl([data], [rules])
>>> [(r.focus, r.message) for r in report.results]
[('https://example.org/a', 'has no name')]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from os import PathLike

from pmgraph.validation.validator import ValidationReport, validate_store

__all__ = ["shacl"]


def shacl(
    data: Sequence[str | PathLike[str]],
    shapes: Sequence[str | PathLike[str]],
    *,
    threads: int = 2,
    on_check: Callable[[int, int], None] | None = None,
) -> ValidationReport:
    """Validate RDF files against SHACL shapes files: SHACL Core and SHACL-SPARQL, as the W3C defines them.

    The shapes are checked against the SHACL-for-SHACL shapes first. Each shape runs on pmgraph's
    engine, or, when it uses what the engine cannot evaluate, alone on pySHACL
    (:mod:`pmgraph.validation.routing`).

    Raises
    ------
    InputError
        For a file that cannot be read.
    InvalidShape
        For a shapes file that breaks the SHACL-for-SHACL shapes, or a SPARQL constraint SHACL forbids.
    """
    from pmgraph.rdf.reading import load, load_store, rdf_files

    files = rdf_files(*data)
    store = load_store(*files)
    return validate_store(
        store, extra_shapes=shapes, sources=files, own_rules=False, threads=threads, on_rule=on_check,
        data_graph=lambda: load(*files),
    )
