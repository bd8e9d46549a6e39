"""Apache Jena's SHACL validator (Debian's ``libapache-jena-java``) as a baseline for ``pmgraph validate``.

Debian ships Jena 4.5 as jars without Jena's ``bin/`` scripts, so this builds the command itself:
the classpath is every jar that the package and the Java packages it depends on install under
/usr/share/java (one SLF4J binding kept), after a folder that holds the Xerces message bundles
which Debian's ``jena-core.jar`` keeps under ``org/apache/jena/ext/xerces/`` while its classes look
for them under ``xerces/`` (without them every command fails at start-up with "internal error").

Jena is given what pySHACL gets from ``pmgraph validate --engine pyshacl``: the data together
with pmgraph's ontology as its data graph, and all of pmgraph's shape files as its shapes. Its
command line takes one ``--data`` and one ``--shapes`` file (a second one replaces the first), so
each side is first merged into one N-Triples file by Jena's own parser (``riot``, which keeps the
blank nodes of different files apart), and property shapes written as blank nodes get an IRI so
that the report's ``sh:sourceShape`` can be traced to its node shape. Jena exits 0 even when the
data does not conform, and its ``sh:conforms`` is false on a mere Warning: the answer is read
from the results of its report (``conforms`` as pmgraph means it: no Violation).

    apt-get install libapache-jena-java
    python bench/jena.py PATH...        # Jena's report, as ``pmgraph validate --format json`` prints it
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections import Counter
from pathlib import Path

JAVA_JARS = Path("/usr/share/java")
PACKAGE = "libapache-jena-java"
#: Java's heap: enough for Jena to validate 1M triples with room to spare.
HEAP = "4g"
# SLF4J allows one binding; the simple one prints Jena's warnings on stderr. The bridges route
# other logging APIs into SLF4J and loop when their targets are on the classpath too.
_LOGGING_LEFT_OUT = ("slf4j-jcl", "slf4j-jdk14", "slf4j-log4j12", "slf4j-nop", "slf4j-migrator", "log4j-over-slf4j", "jul-to-slf4j", "jcl-over-slf4j")
_XERCES_MESSAGES = "org/apache/jena/ext/xerces/"
#: Where the IRIs given to property shapes written as blank nodes start (see :func:`prepare`).
PROPERTY_SHAPE = "urn:pmgraph-bench:property-shape:"


def installed() -> bool:
    """Whether Java and Debian's Jena jars are here."""
    return shutil.which("java") is not None and (JAVA_JARS / "jena-shacl.jar").is_file()


def default_cache() -> Path:
    """The folder that keeps the Xerces message bundles between runs."""
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "pmgraph-bench" / "jena"


def classpath(cache: Path) -> str:
    """The classpath that runs Debian's Jena: the Xerces message folder (made once in ``cache``), then the jars."""
    messages = cache / "xerces-messages"
    if not (messages / "xerces").is_dir():
        cache.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=cache))
        with zipfile.ZipFile(JAVA_JARS / "jena-core.jar") as jar:
            for name in jar.namelist():
                if name.startswith(_XERCES_MESSAGES) and not name.endswith(("/", ".class")):
                    target = staging / "xerces" / name[len(_XERCES_MESSAGES) :]
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(jar.read(name))
        try:
            staging.rename(messages)  # whole or not at all, even with two runs at once
        except OSError:
            shutil.rmtree(staging)
    return os.pathsep.join([str(messages), *_jars()])


def _jars() -> list[str]:
    """Each jar that the Jena package and the Java packages it needs install, once (not its versioned twin)."""
    packages, waiting = set(), [PACKAGE]
    while waiting:
        package = waiting.pop()
        if package in packages:
            continue
        packages.add(package)
        depends = subprocess.run(
            ["dpkg-query", "-W", "-f=${Depends}", package], capture_output=True, text=True, check=False
        ).stdout
        for choice in filter(None, (part.strip() for part in depends.split(","))):
            waiting += [name.split()[0].split(":")[0] for name in choice.split("|") if name.split()[0].endswith("-java")]
    listed = subprocess.run(["dpkg-query", "-L", *sorted(packages)], capture_output=True, text=True, check=False).stdout
    jars: dict[str, Path] = {}
    for line in listed.splitlines():
        jar = Path(line)
        if jar.parent == JAVA_JARS and jar.suffix == ".jar" and jar.is_file() and not jar.stem.startswith(_LOGGING_LEFT_OUT):
            key = str(jar.resolve())
            if key not in jars or len(jar.name) < len(jars[key].name):
                jars[key] = jar
    return sorted(str(jar) for jar in jars.values())


def merge_command(files: list[Path], classpath: str) -> list[str]:
    """Jena's ``riot`` writing the triples of all ``files`` as one N-Triples document on stdout."""
    return ["java", "-cp", classpath, "riotcmd.riot", "--nocheck", "--output=nt", *map(str, files)]


def validate_command(shapes: Path, data: Path, classpath: str, heap: str = HEAP) -> list[str]:
    """Jena's ``shacl validate``, which prints its SHACL validation report as Turtle on stdout."""
    return ["java", f"-Xmx{heap}", "-cp", classpath, "shacl.shacl", "validate", "--shapes", str(shapes), "--data", str(data)]


def prepare(paths: list[Path], folder: Path, classpath: str) -> tuple[Path, Path]:
    """Write Jena's two inputs into ``folder``: the shapes, and the data with pmgraph's ontology.

    Property shapes written as blank nodes get an IRI under :data:`PROPERTY_SHAPE` (the shapes
    mean the same): a report names its shapes, and a blank node cannot be found again outside
    the document it came from. :func:`results` names them by their node shape, as pmgraph does.
    """
    import rdflib
    from rdflib.namespace import SH

    from pmgraph._resources import ontology_file, shape_files
    from pmgraph.rdf.reading import rdf_files

    shapes = rdflib.Graph()
    for file in shape_files():
        shapes.parse(file, format="turtle")
    named = {node: rdflib.URIRef(f"{PROPERTY_SHAPE}{node}") for node in shapes.objects(None, SH.property) if isinstance(node, rdflib.BNode)}
    given = rdflib.Graph()
    for subject, predicate, value in shapes:
        given.add((named.get(subject, subject), predicate, named.get(value, value)))
    given.serialize(folder / "shapes.nt", format="nt", encoding="utf-8")
    with open(folder / "data.nt", "wb") as data:
        files = [*rdf_files(*paths), ontology_file()]
        subprocess.run(merge_command(files, classpath), stdout=data, stderr=subprocess.DEVNULL, check=True)
    return folder / "shapes.nt", folder / "data.nt"


def results(report_turtle: str, shapes: Path) -> dict[str, object]:
    """Jena's report in the form of ``pmgraph validate --format json`` (docs/design.md, JSON formats).

    Results are read as pmgraph reads pySHACL's: the first message, English first; a property
    shape without an IRI named by its node shape; sorted by severity, focus, shape, path, value.
    """
    import rdflib
    from rdflib.namespace import RDF, SH

    report = rdflib.Graph().parse(data=report_turtle, format="turtle")
    shape_graph = rdflib.Graph().parse(shapes, format="nt")
    severities = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}

    def text(term: rdflib.term.Node | None) -> str | None:
        return None if term is None else f"_:{term}" if isinstance(term, rdflib.BNode) else str(term)

    def shape_name(shape: rdflib.term.Node | None) -> str:
        parent = shape_graph.value(predicate=SH.property, object=shape) if str(shape).startswith(PROPERTY_SHAPE) else None
        return shape_name(parent) if parent is not None else text(shape) or ""

    found = []
    for node in report.subjects(RDF.type, SH.ValidationResult):
        messages = sorted(report.objects(node, SH.resultMessage), key=lambda m: (getattr(m, "language", None) not in (None, "en"), str(m)))
        path = report.value(node, SH.resultPath)
        found.append({
            "severity": severities.get(report.value(node, SH.resultSeverity), "Violation"),
            "focus": text(report.value(node, SH.focusNode)) or "",
            "path": text(path) if isinstance(path, rdflib.URIRef) else None,
            "value": text(report.value(node, SH.value)),
            "message": str(messages[0]) if messages else "",
            "shape": shape_name(report.value(node, SH.sourceShape)),
        })
    order = {"Violation": 0, "Warning": 1, "Info": 2}
    unique = {tuple(result.items()): result for result in found}.values()  # as pmgraph: a result once
    ordered = sorted(unique, key=lambda r: (order[r["severity"]], r["focus"], r["shape"], r["path"] or "", r["value"] or "", r["message"]))
    conforms = report.value(predicate=RDF.type, object=SH.ValidationReport)
    return {
        "conforms_in_report": report.value(conforms, SH.conforms).toPython() if conforms is not None else None,
        "conforms": not any(r["severity"] == "Violation" for r in ordered),
        "counts": {name: sum(r["severity"] == name for r in ordered) for name in order},
        "results": ordered,
    }


def agreement(jena_report: dict, pmgraph_report: dict) -> str:
    """Whether two reports in ``validate --format json`` form hold the same results, in a few words.

    A result is its severity, focus, path, value and shape; blank nodes are compared as blank
    nodes (each engine labels them its own way). Messages are compared apart: one that differs
    only in the order of the items of a list in parentheses (``GROUP_CONCAT`` gives no order that
    SPARQL defines, and each engine has its own), and one written otherwise (SHACL leaves to each
    engine how a ``{?variable}`` holding an IRI is written), are counted, not taken as other results.

    >>> one = {"severity": "Violation", "focus": "_:b1", "path": None, "value": None, "shape": "s"}
    >>> agreement({"results": [{**one, "message": "(Jon, Erin)"}]}, {"results": [{**one, "focus": "_:x", "message": "(Erin, Jon)"}]})
    'same 1 results; in 1 the message lists names in another order'
    """

    def identity(result: dict) -> tuple:
        anonymous = {key: "_:" if (result[key] or "").startswith("_:") else result[key] for key in ("focus", "value")}
        return result["severity"], anonymous["focus"], result["path"], anonymous["value"], result["shape"]

    def in_any_order(message: str) -> str:
        return re.sub(r"\(([^()]*)\)", lambda m: "(" + ", ".join(sorted(m.group(1).split(", "))) + ")", message)

    jena_results = Counter(identity(r) for r in jena_report["results"])
    pmgraph_results = Counter(identity(r) for r in pmgraph_report["results"])
    if jena_results != pmgraph_results:
        only_jena, only_pmgraph = (jena_results - pmgraph_results).total(), (pmgraph_results - jena_results).total()
        return f"differs: {only_jena:,} results only Jena's, {only_pmgraph:,} only pmgraph's"
    jena_messages = Counter((identity(r), r["message"]) for r in jena_report["results"])
    pmgraph_messages = Counter((identity(r), r["message"]) for r in pmgraph_report["results"])
    unlike = jena_messages - pmgraph_messages
    reordered = Counter((key, in_any_order(m)) for key, m in unlike) & Counter((key, in_any_order(m)) for key, m in pmgraph_messages - jena_messages)
    said = [f"same {jena_results.total():,} results"]
    if reordered:
        said.append(f"in {reordered.total():,} the message lists names in another order")
    if unlike.total() > reordered.total():
        said.append(f"in {unlike.total() - reordered.total():,} the message is written otherwise")
    return "; ".join(said)


def validate(paths: list[Path], cache: Path | None = None) -> dict[str, object]:
    """Run Jena's SHACL validator on the data at ``paths`` (with the ontology); its report as :func:`results` gives it.

    Raises
    ------
    RuntimeError
        If Jena fails; the message is the end of what it wrote on stderr.
    """
    jena_classpath = classpath(cache or default_cache())
    with tempfile.TemporaryDirectory() as folder:
        shapes, data = prepare(paths, Path(folder), jena_classpath)
        run = subprocess.run(validate_command(shapes, data, jena_classpath), capture_output=True, text=True, check=False)
        if run.returncode != 0:
            raise RuntimeError(f"Jena's shacl validate failed: {run.stderr.strip()[-2000:]}")
        return results(run.stdout, shapes)


def main(argv: list[str] | None = None) -> int:
    paths = [Path(p) for p in (sys.argv[1:] if argv is None else argv)]
    if not paths or not installed():
        print("usage: python bench/jena.py PATH... (needs java and Debian's libapache-jena-java)", file=sys.stderr)
        return 2
    print(json.dumps(validate(paths), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
