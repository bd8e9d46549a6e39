"""The W3C SHACL test suite (data-shapes: core and SPARQL) through ``pmgraph shacl``'s path.

Every validation test must give the expected report: whether the data conforms, and each result's
focus node, path, value, severity and source shape, compared as sets (blank nodes by what they
are: a path by its SPARQL form, a blank shape by its constraints, a blank focus node or value as
"a blank node", as pySHACL's own runner does). A test whose expected result is ``sht:Failure``
(a shapes graph no processor may run) must be refused.

The suite is not copied into pmgraph: it ships in pySHACL's source distribution on PyPI, which
the tests fetch with pip (the version installed) into pytest's cache folder, once.
"""

from __future__ import annotations

import decimal
import functools
import importlib.metadata
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
import rdflib
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH

from pmgraph.errors import PmgraphError
from pmgraph.validation.engine import sparql_path
from pmgraph.validation.shacl import shacl
from pmgraph.validation.validator import rules_from

MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = rdflib.Namespace("http://www.w3.org/ns/shacl-test#")


def _suite_folder(cache: Path) -> Path:
    """The sht_tests folder of pySHACL's sdist, downloaded and extracted into ``cache`` once."""
    version = importlib.metadata.version("pyshacl")
    folder = cache / f"pyshacl-{version}" / "test" / "resources" / "sht_tests"
    if (folder / "manifest.ttl").is_file():
        return folder
    download = subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-binary", ":all:", "--no-deps", "--quiet",
         f"pyshacl=={version}", "-d", str(cache)],
        capture_output=True, text=True, check=False,
    )
    assert download.returncode == 0, f"cannot download pySHACL's sdist (the W3C suite): {download.stderr}"
    with tarfile.open(cache / f"pyshacl-{version}.tar.gz") as sdist:
        members = [m for m in sdist.getmembers() if "/test/resources/sht_tests/" in m.name]
        sdist.extractall(cache, members=members, filter="data")
    return folder


@functools.cache
def _tests(root: Path) -> list[tuple[str, Path, Path, Path]]:
    """(name, data file, shapes file, manifest file) of every sht:Validate test below ``root``."""
    found = []
    pending = [root / "manifest.ttl"]
    while pending:
        manifest_file = pending.pop(0)
        manifest = rdflib.Graph().parse(manifest_file, format="turtle")
        for include in manifest.objects(None, MF.include):
            pending.append(Path(str(include).removeprefix("file://")))
        for entries in manifest.objects(None, MF.entries):
            for test in Collection(manifest, entries):
                if (test, RDF.type, SHT.Validate) not in manifest:
                    continue
                action = manifest.value(test, MF.action)
                data = Path(str(manifest.value(action, SHT.dataGraph)).removeprefix("file://"))
                shapes = Path(str(manifest.value(action, SHT.shapesGraph)).removeprefix("file://"))
                name = str(manifest_file.relative_to(root).parent / str(test).rsplit("/", 1)[-1])
                found.append((name, data, shapes, manifest_file))
    return sorted(found)


@pytest.fixture(scope="session")
def suite(pytestconfig: pytest.Config, tmp_path_factory: pytest.TempPathFactory) -> Path:
    cache = pytestconfig.cache.mkdir("w3c-shacl") if pytestconfig.cache is not None else tmp_path_factory.mktemp("w3c")
    return _suite_folder(Path(cache))


def _shape_key(graph: rdflib.Graph, shape: rdflib.term.Node) -> object:
    if not isinstance(shape, rdflib.BNode):
        return shape
    return tuple(sorted(
        (str(p), sparql_path(graph, o) if p == SH.path else "BNode" if isinstance(o, rdflib.BNode) else str(o))
        for p, o in graph.predicate_objects(shape)
    ))


def _term_key(term: rdflib.term.Node | None) -> object:
    if term is None:
        return None
    if isinstance(term, rdflib.BNode):
        return "BNode"
    if isinstance(term, rdflib.Literal):  # by value: a store keeps "4.0"^^xsd:decimal as "4"
        normal = rdflib.Literal(str(term), datatype=term.datatype, lang=term.language)  # as rdflib's parser writes it
        value = normal.value
        return (str(term.datatype), term.language, value if isinstance(value, int | float | decimal.Decimal) else str(normal))
    return term


def _result_key(graph: rdflib.Graph, severity, focus, path, value, shape) -> tuple[object, ...]:
    return (
        severity, _term_key(focus), sparql_path(graph, path) if path is not None else None, _term_key(value), _shape_key(graph, shape),
    )


# The 121 validation tests of the suite, as pySHACL 0.40 ships it.
SUITE_SIZE = 121


def test_the_suite_holds_every_validation_test(suite: Path):
    assert len(_tests(suite)) == SUITE_SIZE


def _run(suite: Path, index: int) -> None:
    name, data, shapes_file, manifest_file = _tests(suite)[index]
    manifest = rdflib.Graph().parse(manifest_file, format="turtle")
    test = next(t for t in manifest.subjects(RDF.type, SHT.Validate) if str(t).endswith("/" + name.rsplit("/", 1)[-1]))
    expected = manifest.value(test, MF.result)
    if expected == SHT.Failure:
        with pytest.raises(PmgraphError):
            shacl([data], [shapes_file])
        return
    report = shacl([data], [shapes_file])
    shapes = rules_from([shapes_file])
    # SHACL's conforms: no result at all (pmgraph's report.conforms allows warnings)
    assert (not report.findings) == manifest.value(expected, SH.conforms).toPython(), name
    want = {
        _result_key(
            manifest, manifest.value(r, SH.resultSeverity), manifest.value(r, SH.focusNode), manifest.value(r, SH.resultPath),
            manifest.value(r, SH.value), manifest.value(r, SH.sourceShape),
        )
        for r in manifest.objects(expected, SH.result)
    }
    got = {_result_key(shapes, f.severity, f.focus, f.path, f.value, f.shape) for f in report.findings}
    assert got == want, f"{name}: {report.findings} missing {want - got}, unexpected {got - want}"


@pytest.mark.parametrize("index", range(SUITE_SIZE))
def test_w3c_validation_test(suite: Path, index: int):
    _run(suite, index)
