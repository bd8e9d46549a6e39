"""The rows of a spreadsheet, CSV or one sheet of an .xlsx workbook, as text with their positions.

Every importer of spreadsheets (``import-raci``, ``import-assignments``, and importers of
workbooks) reads its input through :func:`read_rows`, so a cell means the same text whatever
program saved the file, and every message names a place the user can find: the file, the sheet of
a workbook, the row as the spreadsheet program numbers it, and the column letter.

- A ``.xlsx`` file is read with openpyxl (``pip install 'pmgraph[xlsx]'``), one sheet of it: the
  one named, or the first. Formulas give the value the program saved with them. A date is written
  as an ISO date (``2024-01-15``; with its time when it has one, ``2024-01-15T09:30:00``), a whole
  number without a decimal point (``3``, not ``3.0``), another number as Python writes it
  (``0.5``), a true/false cell as ``TRUE`` or ``FALSE``.
- Any other file is read as CSV in UTF-8 (a byte-order mark is allowed). Cells are separated by
  commas; a first line with more semicolons or tabs than commas (as some spreadsheet programs
  write) is read with that separator. The rows are read as they are used, a line at a time (a
  million rows in the memory of a few); the file is first checked to be UTF-8 throughout, so one
  that is not is refused before any of its rows is read. A pipe, which cannot be read twice, is
  read whole.
- Cells are stripped of spaces. Empty cells at the end of a row (which spreadsheet programs often
  write) are left out, and so are blank rows; the rows keep their numbers.

Examples
--------
>>> import pathlib, tempfile
>>> with tempfile.TemporaryDirectory() as folder:
...     path = pathlib.Path(folder, "raci.csv")
...     _ = path.write_text("Activity;Product Manager\\n\\nBudgeting; A ;;\\n")
...     rows = list(read_rows(path))
>>> [(row.number, row.cells) for row in rows]
[(1, ('Activity', 'Product Manager')), (3, ('Budgeting', 'A'))]
>>> print(rows[1].problem("'Q' is not R, A, C or I", column=1).reason)
column B: 'Q' is not R, A, C or I
>>> column_letter(27)
'AB'
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import itertools
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from pmgraph.errors import InputError, SpreadsheetError
from pmgraph.rdf.reading import os_reason

__all__ = ["Row", "cell_text", "column_letter", "is_workbook", "read_rows", "sheet_names"]

#: What to say when a workbook is given and openpyxl is not installed.
NEEDS_OPENPYXL = "reading .xlsx needs openpyxl: pip install 'pmgraph[xlsx]'"


@dataclass(frozen=True)
class Row:
    """One row of a spreadsheet: its cells' texts and where it is.

    Attributes
    ----------
    path : str
        The file as the user named it.
    sheet : str or None
        The sheet of a workbook; None for a CSV file.
    number : int
        The row's number as a spreadsheet program shows it (the first row is 1).
    cells : tuple of str
        The texts of its cells, from column A on, stripped; no empty cells at the end.
    """

    path: str
    sheet: str | None
    number: int
    cells: tuple[str, ...]

    def problem(self, reason: str, column: int | None = None) -> InputError:
        """What is wrong with this row, or with one of its cells, as an error naming the place.

        `column` is the cell's index in :attr:`cells` (0 for column A). The error reads
        ``raci.csv:4: column C: reason``, or for a workbook
        ``plan.xlsx:4: sheet RACI, column C: reason``.
        """
        places = []
        if self.sheet is not None:
            places.append(f"sheet {self.sheet}")
        if column is not None:
            places.append(f"column {column_letter(column)}")
        where = f"{', '.join(places)}: " if places else ""
        return InputError(self.path, where + reason, line=self.number)


def column_letter(index: int) -> str:
    """The letters of a column as spreadsheet programs name it: 0 is ``A``, 25 ``Z``, 26 ``AA``."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def is_workbook(path: str | os.PathLike[str]) -> bool:
    """Whether a file is read as an .xlsx workbook (by its name's ending, in any case)."""
    return Path(path).suffix.casefold() in {".xlsx", ".xlsm"}


def read_rows(path: str | os.PathLike[str], sheet: str | None = None) -> Iterator[Row]:
    """The non-blank rows of a CSV file, or of one sheet of an .xlsx workbook.

    Parameters
    ----------
    path : str or os.PathLike
        A ``.xlsx`` workbook, or a CSV file (any other name).
    sheet : str, optional
        The sheet of a workbook to read; the first when not given. Refused for a CSV file.

    Yields
    ------
    Row
        Each row that has a non-empty cell, in order.

    Raises
    ------
    pmgraph.InputError
        If the file cannot be read, is not UTF-8 CSV or not a workbook, or has no such sheet.
    SpreadsheetError
        If the file is a workbook and openpyxl is not installed (one problem, saying how to
        install it).
    """
    if is_workbook(path):
        yield from _workbook_rows(path, sheet)
    elif sheet is not None:
        raise InputError(path, f"--sheet {sheet!r} is for .xlsx workbooks; a CSV file has one sheet")
    else:
        yield from _csv_rows(path)


def sheet_names(path: str | os.PathLike[str]) -> list[str]:
    """The names of the sheets of an .xlsx workbook, in order (``[]`` for a CSV file).

    Raises
    ------
    pmgraph.InputError
        If the workbook cannot be read.
    SpreadsheetError
        If openpyxl is not installed.
    """
    if not is_workbook(path):
        return []
    workbook = _open_workbook(path)
    try:
        return list(workbook.sheetnames)
    finally:
        workbook.close()


def _row(path: str | os.PathLike[str], sheet: str | None, number: int, texts: list[str]) -> Row | None:
    cells = [text.strip() for text in texts]
    while cells and not cells[-1]:
        cells.pop()
    return Row(os.fspath(path), sheet, number, tuple(cells)) if cells else None


def _csv_rows(path: str | os.PathLike[str]) -> Iterator[Row]:
    # Read as a stream, a line at a time, so that a million rows take no more memory than one:
    # the bytes are first checked to be UTF-8 in a pass of their own, so that a file that is not
    # is refused before any row is read, whatever the rows hold (as reading it whole did).
    try:
        with open(path, "rb") as binary:
            source = binary if binary.seekable() else io.BytesIO(binary.read())  # a pipe is read once
            _check_utf8(path, source)
            source.seek(0)
            lines = io.TextIOWrapper(source, encoding="utf-8-sig", newline="")
            # the separator is the one the first line holds most of; the lines read to find it
            # (up to the first "\n") are then read as rows
            first: list[str] = []
            for line in lines:
                first.append(line)
                if "\n" in line:
                    break
            first_line = "".join(first).split("\n", 1)[0]
            delimiter = max(",;\t", key=lambda candidate: (first_line.count(candidate), candidate == ","))
            try:
                cells = csv.reader(itertools.chain(first, lines), delimiter=delimiter)
                for number, texts in enumerate(cells, start=1):
                    row = _row(path, None, number, texts)
                    if row is not None:
                        yield row
            except csv.Error as error:
                raise InputError(path, f"not valid CSV: {error}") from error
    except OSError as error:
        raise InputError(path, os_reason(error)) from error
    except UnicodeDecodeError as error:  # the file changed between the check and the reading
        raise InputError(path, f"not UTF-8 text ({error.reason}); save the spreadsheet as CSV UTF-8") from error


#: How many bytes of a CSV file are checked, or decoded, at a time.
_CHUNK = 1 << 20


def _check_utf8(path: str | os.PathLike[str], source: BinaryIO) -> None:
    """Refuse a file that is not UTF-8, naming the first byte that is not (counted after a byte-order mark)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    if source.read(len(codecs.BOM_UTF8)) != codecs.BOM_UTF8:
        source.seek(0)
    read = 0  # the bytes read, after a byte-order mark
    while True:
        pending = len(decoder.getstate()[0])  # the start of a character that the last chunk cut
        chunk = source.read(_CHUNK)
        read += len(chunk)
        try:
            decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as error:
            byte = read - len(chunk) - pending + error.start + 1
            raise InputError(path, f"not UTF-8 text (byte {byte}); save the spreadsheet as CSV UTF-8") from error
        if not chunk:
            return


def _open_workbook(path: str | os.PathLike[str]) -> Any:  # an openpyxl Workbook (openpyxl is optional)
    try:
        import openpyxl
    except ModuleNotFoundError as error:
        raise SpreadsheetError([InputError(path, NEEDS_OPENPYXL)]) from error
    import zipfile

    try:
        # read_only streams the rows; data_only gives a formula's saved value, not its text
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except OSError as error:
        raise InputError(path, os_reason(error)) from error
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, SyntaxError, EOFError) as error:
        raise InputError(path, f"not an .xlsx workbook ({error}); save it as Excel Workbook (.xlsx)") from error


def _workbook_rows(path: str | os.PathLike[str], sheet: str | None) -> Iterator[Row]:
    import zipfile

    workbook = _open_workbook(path)
    try:
        names = list(workbook.sheetnames)
        if sheet is None:
            sheet = names[0]
        elif sheet not in names:
            raise InputError(path, f"no sheet {sheet!r}; its sheets are {', '.join(map(repr, names))}")
        try:
            for number, values in enumerate(workbook[sheet].iter_rows(values_only=True), start=1):
                row = _row(path, sheet, number, [cell_text(value) for value in values])
                if row is not None:
                    yield row
        # the sheet's XML is read as the rows are: a broken or hostile part shows here (an XML
        # ParseError is a SyntaxError; expat refuses entities that expand without bound)
        except (SyntaxError, ValueError, KeyError, TypeError, EOFError, zipfile.BadZipFile) as error:
            raise InputError(path, f"sheet {sheet}: not a readable .xlsx sheet ({error})") from error
    finally:
        workbook.close()


def cell_text(value: object) -> str:
    """The text of a workbook cell's value: ISO dates, whole numbers without ``.0``.

    >>> cell_text(datetime.datetime(2024, 1, 15)), cell_text(3.0), cell_text(0.5), cell_text(None)
    ('2024-01-15', '3', '0.5', '')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time():
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
