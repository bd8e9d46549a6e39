"""Plain-text tables for people: the one formatter behind ``pmgraph query`` and ``pmgraph overlap``.

>>> print("\\n".join(text_table(["who", "load"], [["ex:erin", "0.5"], ["ex:aisha-khan", "1"]])))
who            load
-------------  ----
ex:erin        0.5
ex:aisha-khan  1
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["text_table"]


def text_table(header: Sequence[str], rows: Sequence[Sequence[str]], indent: str = "") -> list[str]:
    """The lines of a table: the header, a rule of dashes, then the rows, each column padded to its
    widest cell and two spaces apart; trailing spaces are cut and every line starts with ``indent``."""
    widths = [max(len(cell) for cell in column) for column in zip(header, *rows, strict=True)]
    return [
        indent + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in [list(header), ["-" * width for width in widths], *rows]
    ]
