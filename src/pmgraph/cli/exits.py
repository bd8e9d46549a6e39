"""The exit codes of the ``pmgraph`` command, and the one-line messages of exit code 2.

Exit codes: 0 success (for ``validate``: no Violation; warnings allowed),
1 at least one Violation (or a difference, or a conflict), 2 an input that cannot be read
or a usage error (or ``--timeout`` passed), 130 stopped by Ctrl-C (``pmgraph: interrupted``),
141 a reader of the output that went away early (``pmgraph ... | head -1``).
"""

from __future__ import annotations

import sys

__all__ = [
    "EXIT_OK",
    "EXIT_VIOLATION",
    "EXIT_INPUT_ERROR",
    "EXIT_INTERRUPTED",
    "EXIT_BROKEN_PIPE",
    "usage_error",
    "write_error",
]

EXIT_OK = 0
EXIT_VIOLATION = 1
EXIT_INPUT_ERROR = 2
#: What a shell reports for a program stopped by Ctrl-C (128 + SIGINT).
EXIT_INTERRUPTED = 130
#: What a shell reports for a program stopped by a closed pipe (128 + SIGPIPE): ``pmgraph ... | head -1``.
EXIT_BROKEN_PIPE = 141


def usage_error(message: str) -> int:
    """Say what is wrong on stderr, in one line, and return exit code 2."""
    print(f"pmgraph: error: {message}", file=sys.stderr)
    return EXIT_INPUT_ERROR


def write_error(path: str, error: OSError) -> int:
    """Say that an output file could not be written, in one line, and return exit code 2."""
    from pmgraph.errors import printable
    from pmgraph.rdf.reading import os_reason

    return usage_error(f"{printable(path)}: {os_reason(error)}")
