"""Apache Jena's SHACL validator gives pmgraph's answer (docs/design.md, the rules: another SHACL engine,
given the data plus ``ontology/pmgraph.ttl`` as its data graph and ``shapes/`` as its shapes, gives
the same answer).

Jena 4.5 is Debian's ``libapache-jena-java`` (``.ci/run`` installs it), run by bench/jena.py, the
benchmark's Jena baseline; the stories are skipped, saying why, where it is not installed. Results
are compared as in test_engines.py: blank nodes as ``_:`` only, and messages up to the order of the
items of a list (GROUP_CONCAT's order is each engine's own).
"""

from __future__ import annotations

import importlib.util
from collections import Counter
from pathlib import Path

import pytest
from test_rules import ACME, BROKEN_EXAMPLES, as_tuple, in_any_order, report_of, short

BENCH_JENA = Path(__file__).parent.parent / "bench" / "jena.py"


def bench_jena():
    """bench/jena.py, which is a script beside the benchmark, not part of the package."""
    spec = importlib.util.spec_from_file_location("bench_jena", BENCH_JENA)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


jena = bench_jena()
needs_jena = pytest.mark.skipif(
    not jena.installed(), reason="Apache Jena (apt-get install libapache-jena-java) or java is not installed"
)


def jena_findings(files: tuple[Path, ...], cache: Path) -> Counter:
    """The multiset of (severity, focus, shape, path, value, message) in Jena's report on the files."""
    report = jena.validate(list(files), cache=cache)
    return Counter(
        (r["severity"], short(r["focus"]), short(r["shape"]), short(r["path"]), short(r["value"]), in_any_order(r["message"]))
        for r in report["results"]
    )


def pmgraph_findings(files: tuple[Path, ...]) -> Counter:
    report = report_of(*files)
    return Counter((*as_tuple(result), in_any_order(result.message)) for result in report.results)


@needs_jena
def test_jena_finds_nothing_wrong_with_acme(tmp_path):
    assert jena_findings(ACME, tmp_path) == Counter() == pmgraph_findings(ACME)


@needs_jena
def test_jena_and_pmgraph_find_the_same_faults_in_the_broken_examples(tmp_path):
    files = tuple(BROKEN_EXAMPLES)
    found = jena_findings(files, tmp_path)
    assert found == pmgraph_findings(files)
    assert Counter(severity for severity, *_ in found.elements()) == {"Violation": 15, "Warning": 1}
