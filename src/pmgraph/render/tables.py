"""Plain-text tables for people: the one formatter behind ``pmgraph query`` and ``pmgraph overlap``;
and the CSV text of ``pmgraph overlap --format csv`` (:func:`csv_text`).

>>> print("\\n".join(text_table(["who", "load"], [["ex:erin", "0.5"], ["ex:aisha-khan", "1"]])))
who            load
-------------  ----
ex:erin        0.5
ex:aisha-khan  1
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

__all__ = ["text_table", "csv_text"]


def text_table(header: Sequence[str], rows: Sequence[Sequence[str]], indent: str = "") -> list[str]:
    """The lines of a table: the header, a rule of dashes, then the rows, each column padded to its
    widest cell and two spaces apart; trailing spaces are cut and every line starts with ``indent``."""
    widths = [max(len(cell) for cell in column) for column in zip(header, *rows, strict=True)]
    return [
        indent + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in [list(header), ["-" * width for width in widths], *rows]
    ]


def csv_text(header: list[str], rows: Iterable[list[object]]) -> str:
    """A CSV text with a header row (numbers as Python writes them).

    Examples
    --------
    >>> csv_text(["who", "load"], [["ex:erin", 0.5]])
    'who,load\\nex:erin,0.5\\n'
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()
