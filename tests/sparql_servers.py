"""Start real SPARQL servers on 127.0.0.1, on free ports: the one home of the tests' and the benchmark's.

An Oxigraph server (the ``oxigraph`` command of the test extra), in memory, and a Virtuoso
(Debian's ``virtuoso-opensource``, which ``.ci/run`` installs) with a fresh database in a folder.
Each is a context manager that yields a :class:`Server` once it answers, and stops the server by
its process at the end.

The tests import it as ``from sparql_servers import ...`` (pytest puts this folder on ``sys.path``,
as for ``conftest``); bench/servers.py puts this folder on ``sys.path`` and imports it too. It
lives with the tests, not in the package: it is tooling for checking pmgraph, not part of it,
and the tests are its first users (the benchmark runs from a checkout, where tests/ is).

    >>> with oxigraph_server() as server:
    ...     print(server.url.replace(str(server.port), "PORT"), server.gsp.replace(str(server.port), "PORT"))
    http://127.0.0.1:PORT/query http://127.0.0.1:PORT/store
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

OXIGRAPH = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
VIRTUOSO = shutil.which("virtuoso-t")
ISQL = shutil.which("isql-vt")

# A Virtuoso's settings (virtuoso.ini): every file in one folder, loopback only, no row limit, and
# room for a push of a million triples, which it commits in one transaction (about 1 GB of "after
# image"; the default TransactionAfterImageLimit, 50 MB, refuses pushes of more than ~50,000 triples).
VIRTUOSO_SETTINGS = """\
[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty_buffers}
DirsAllowed = .
{after_image_limit}
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerThreads = 4
[SPARQL]
ResultSetMaxRows = 10000000
MaxQueryExecutionTime = 0
MaxQueryCostEstimationTime = 0
"""
#: Bytes of changes a Virtuoso transaction may hold, as the tests and the benchmark start it.
AFTER_IMAGE_LIMIT = 1_500_000_000
# Let the anonymous endpoint write, as pmgraph push (and the tests) push without a password (the
# notes of ../shared/notes/sparql-servers.md); the dba user (password dba) signs in at /sparql-auth.
GRANTS = (
    'GRANT SPARQL_UPDATE TO "SPARQL"; GRANT EXECUTE ON DB.DBA.SPARQL_INSERT_DICT_CONTENT TO "SPARQL"; '
    'GRANT EXECUTE ON DB.DBA.SPARQL_DELETE_DICT_CONTENT TO "SPARQL"; DB.DBA.RDF_DEFAULT_USER_PERMS_SET (\'nobody\', 7);'
)


@dataclass(frozen=True)
class Server:
    """A running SPARQL server: its query endpoint and its Graph Store Protocol endpoint."""

    url: str
    gsp: str
    port: int


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_answering(url: str, process: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read()[-2000:] if process.stdout else ""
            raise RuntimeError(f"the server stopped (exit {process.returncode}): {output}")
        try:
            with urllib.request.urlopen(f"{url}?query=ASK%7B%7D", timeout=2):
                return
        except (OSError, urllib.error.URLError):
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def oxigraph_server(union: bool = True) -> Iterator[Server]:
    """An empty Oxigraph server in memory (serving the union of its graphs as default graph, by default)."""
    port = free_port()
    command = [OXIGRAPH, "serve", "--bind", f"127.0.0.1:{port}"] + (["--union-default-graph"] if union else [])
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_answering(f"{base}/query", process)
        yield Server(f"{base}/query", f"{base}/store", port)
    finally:
        stop(process)


@contextlib.contextmanager
def virtuoso_server(
    folder: Path, buffers: int = 10_000, after_image_limit: int | None = AFTER_IMAGE_LIMIT
) -> Iterator[Server]:
    """A Virtuoso with its database in ``folder``, stopped at the end of the block.

    ``buffers`` are 8 KiB pages of memory (100,000 for a million triples); ``after_image_limit``
    None keeps Virtuoso's own TransactionAfterImageLimit (50 MB).
    """
    sql_port, http_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(VIRTUOSO_SETTINGS.format(
        folder=folder, sql_port=sql_port, http_port=http_port, buffers=buffers, dirty_buffers=buffers * 6 // 10,
        after_image_limit=f"TransactionAfterImageLimit = {after_image_limit}" if after_image_limit else "",
    ))
    # its log goes to its file in the folder: a pipe nobody reads would stall a busy server
    process = subprocess.Popen(
        [VIRTUOSO, "+foreground", "+configfile", str(ini)],
        cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True,
    )
    isql = [ISQL, f"127.0.0.1:{sql_port}", "dba", "dba"]
    try:
        base = f"http://127.0.0.1:{http_port}"
        wait_until_answering(f"{base}/sparql", process)
        subprocess.run([*isql, f"exec={GRANTS}"], check=True, capture_output=True, timeout=60)
        yield Server(f"{base}/sparql", f"{base}/sparql-graph-crud", http_port)
    finally:
        if process.poll() is None:
            # a canary query of a Virtuoso defect can keep the server too busy to take the shutdown
            # in time: then it is stopped by its PID, as every server the tests start
            with contextlib.suppress(subprocess.TimeoutExpired):
                subprocess.run([*isql, "exec=shutdown;"], capture_output=True, timeout=30)
                process.wait(timeout=30)
        stop(process)
