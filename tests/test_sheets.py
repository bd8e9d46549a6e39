"""Reading the rows of a spreadsheet, CSV or one sheet of a workbook, with their places.

Workbooks are made here with openpyxl, the way a spreadsheet program saves them: dates as dates,
numbers as numbers, a formula with its saved value, blank rows and trailing empty cells.
"""

from __future__ import annotations

import datetime
import re
import sys
import zipfile

import openpyxl
import pytest

from pmgraph.errors import InputError, SpreadsheetError
from pmgraph.exchange.sheets import column_letter, read_rows, sheet_names


def workbook(path, sheets: dict[str, list[list[object]]]):
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def test_a_csv_file_gives_its_rows_as_text_with_their_numbers(tmp_path):
    path = tmp_path / "raci.csv"
    path.write_text("\ufeffActivity;Product Manager;Sponsor\n\n Budgeting ; A ;;\nScheduling;R;I\n", encoding="utf-8")

    rows = list(read_rows(path))

    assert [(row.path, row.sheet, row.number, row.cells) for row in rows] == [
        (str(path), None, 1, ("Activity", "Product Manager", "Sponsor")),
        (str(path), None, 3, ("Budgeting", "A")),
        (str(path), None, 4, ("Scheduling", "R", "I")),
    ]
    assert sheet_names(path) == []


def test_a_workbook_gives_the_rows_of_its_first_sheet_or_the_one_named(tmp_path):
    path = workbook(tmp_path / "plan.xlsx", {
        "Projects": [
            ["Project", "Start", "Allocation", "Steps", "Done", "Total"],
            [None],
            [" Checkout API ", datetime.datetime(2024, 1, 15), 0.5, 3, True, "=D3*2"],
            ["Meeting", datetime.datetime(2024, 1, 15, 9, 30), None, None, None, None],
        ],
        "RACI": [["Activity", "R"], ["Budgeting", "Erin"]],
    })

    assert sheet_names(path) == ["Projects", "RACI"]
    assert [(row.sheet, row.number, row.cells) for row in read_rows(path)] == [
        ("Projects", 1, ("Project", "Start", "Allocation", "Steps", "Done", "Total")),
        # openpyxl saves no value with a formula: a program that computes it would save 6
        ("Projects", 3, ("Checkout API", "2024-01-15", "0.5", "3", "TRUE")),
        ("Projects", 4, ("Meeting", "2024-01-15T09:30:00")),
    ]
    assert [row.cells for row in read_rows(path, sheet="RACI")] == [("Activity", "R"), ("Budgeting", "Erin")]


def test_a_problem_names_the_file_the_sheet_the_row_and_the_column(tmp_path):
    csv_row, = read_rows(_write(tmp_path / "a.csv", "x,y,z\n"))
    sheet_row, = read_rows(workbook(tmp_path / "b.xlsx", {"RACI Matrix": [["x", "y", "z"]]}))

    assert str(csv_row.problem("bad", column=2)) == f"{tmp_path / 'a.csv'}:1: column C: bad"
    assert str(csv_row.problem("bad")) == f"{tmp_path / 'a.csv'}:1: bad"
    assert str(sheet_row.problem("bad", column=0)) == f"{tmp_path / 'b.xlsx'}:1: sheet RACI Matrix, column A: bad"
    assert [column_letter(index) for index in (0, 25, 26, 27, 701, 702)] == ["A", "Z", "AA", "AB", "ZZ", "AAA"]


def _write(path, text):
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    ("name", "content", "sheet", "reason"),
    [
        ("missing.csv", None, None, "no such file or directory"),
        ("latin1.csv", b"Activity,Sponsor\nBudg\xe9ting,A\n", None,
         "not UTF-8 text (byte 22); save the spreadsheet as CSV UTF-8"),
        ("raci.csv", b"a,b\n", "RACI", "--sheet 'RACI' is for .xlsx workbooks; a CSV file has one sheet"),
        ("saved_as_csv.xlsx", b"Activity,Sponsor\n", None,
         "not an .xlsx workbook (File is not a zip file); save it as Excel Workbook (.xlsx)"),
    ],
)
def test_a_file_that_cannot_be_read_is_one_error(tmp_path, name, content, sheet, reason):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)

    with pytest.raises(InputError) as raised:
        list(read_rows(path, sheet=sheet))

    assert (raised.value.path, raised.value.reason, raised.value.line) == (str(path), reason, None)


def test_an_unknown_sheet_names_the_sheets_there_are(tmp_path):
    path = workbook(tmp_path / "plan.xlsx", {"Projects": [["a"]], "RACI": [["b"]]})

    with pytest.raises(InputError) as raised:
        list(read_rows(path, sheet="Raci"))

    assert raised.value.reason == "no sheet 'Raci'; its sheets are 'Projects', 'RACI'"


def test_without_openpyxl_a_workbook_says_how_to_install_it(tmp_path, monkeypatch):
    path = workbook(tmp_path / "plan.xlsx", {"RACI": [["a"]]})
    monkeypatch.setitem(sys.modules, "openpyxl", None)  # what an environment without openpyxl gives

    with pytest.raises(SpreadsheetError) as raised:
        list(read_rows(path))

    assert str(raised.value) == f"{path}: reading .xlsx needs openpyxl: pip install 'pmgraph[xlsx]'"


def with_sheet_xml(path, change):
    """The workbook at `path`, its first sheet's XML changed by `change`: a broken or hostile file."""
    with zipfile.ZipFile(path) as original:
        parts = {name: original.read(name) for name in original.namelist()}
    parts["xl/worksheets/sheet1.xml"] = change(parts["xl/worksheets/sheet1.xml"].decode()).encode()
    with zipfile.ZipFile(path, "w") as changed:
        for name, content in parts.items():
            changed.writestr(name, content)
    return path


def billion_laughs(sheet_xml: str) -> str:
    entities = "".join(f'<!ENTITY lol{level} "{f"&lol{level - 1};" * 10}">' for level in range(1, 10))
    body = sheet_xml.split("?>", 1)[1] if sheet_xml.startswith("<?xml") else sheet_xml
    return f'<!DOCTYPE worksheet [<!ENTITY lol0 "lol">{entities}]>' + body.replace("<t>Budgeting</t>", "<t>&lol9;</t>")


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda xml: xml[:200], "sheet RACI: not a readable .xlsx sheet (unclosed token: line 1, column N)"),
        # expat (2.4.1 and later) stops the expansion long before it fills the memory
        (billion_laughs, "sheet RACI: not a readable .xlsx sheet (limit on input amplification factor "
                         "(from DTD and entities) breached: line 1, column N)"),
    ],
    ids=["cut short", "billion laughs"],
)
def test_a_broken_or_hostile_sheet_is_one_error(tmp_path, change, reason):
    path = with_sheet_xml(workbook(tmp_path / "raci.xlsx", {"RACI": [["Activity", "Sponsor"], ["Budgeting", "A"]]}),
                          change)

    with pytest.raises(InputError) as raised:
        list(read_rows(path))

    # the column in the XML depends on how openpyxl wrote it
    assert (raised.value.path, re.sub(r"column \d+\)$", "column N)", raised.value.reason)) == (str(path), reason)


# ---------------------------------------------------------------------------------------------
# A CSV file is read as a stream (issue 17: a million rows read whole took 708 MB)
# ---------------------------------------------------------------------------------------------


def test_a_large_csv_file_is_read_a_row_at_a_time(tmp_path):
    import tracemalloc

    path = tmp_path / "many.csv"
    with open(path, "w", encoding="utf-8") as file:
        file.write("person,role,scope\n")
        for i in range(200_000):
            file.write(f"acme:person{i},Project Manager,acme:project{i % 97}\n")
    size = path.stat().st_size  # about 8 MB

    tracemalloc.start()
    try:
        count = sum(1 for _ in read_rows(path))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert count == 200_001
    # a chunk of the file at a time (1 MiB), not the file and its text (read whole: 3 times its size)
    assert peak < 3 * 2**20 < size / 2, (peak, size)


@pytest.mark.parametrize(
    ("content", "rows"),
    [
        # Windows, old Mac and Unix line ends; a cell holding a line end; the separator of the first line
        (b"a;b\r\nc;\"d\r\ne\"\r\n", [(1, ("a", "b")), (2, ("c", "d\r\ne"))]),
        (b"a\tb\rc\td\r", [(1, ("a", "b")), (2, ("c", "d"))]),
        (b"\xef\xbb\xbfa,\"b\n\nc\"\n\nd\n", [(1, ("a", "b\n\nc")), (3, ("d",))]),
        # the first line ends with "\r" only: the separator is counted up to the first "\n"
        (b"a;b\rc,d,e\n", [(1, ("a;b",)), (2, ("c", "d", "e"))]),
    ],
    ids=["crlf and a cell over two lines", "cr", "bom and blank lines", "cr then lf"],
)
def test_a_csv_file_read_as_a_stream_gives_the_rows_of_its_whole_text(tmp_path, content, rows):
    path = tmp_path / "rows.csv"
    path.write_bytes(content)
    assert [(row.number, row.cells) for row in read_rows(path)] == rows


@pytest.mark.parametrize(
    ("content", "byte"),
    [
        # past the first chunk of 1 MiB that is checked
        (b"a,b\n" + b"x" * (3 << 19) + b"\xe9\n", 4 + (3 << 19) + 1),
        # a character cut by the end of a chunk is whole: the bad byte comes after it
        (b"a,b\n" + b"x" * ((1 << 20) - 5) + "é".encode() + b"y\xff", (1 << 20) + 1 + 2),
        # a character cut short by the end of the file
        (b"a,b\nc,d" + "€".encode()[:2], 8),
        # counted after a byte-order mark, as Python's utf-8-sig counts
        (b"\xef\xbb\xbfa,b\n\xff", 5),
    ],
    ids=["past the first chunk", "across chunks", "at the end", "after a byte-order mark"],
)
def test_a_file_that_is_not_utf8_names_the_first_bad_byte_wherever_it_is(tmp_path, content, byte):
    path = tmp_path / "latin1.csv"
    path.write_bytes(content)

    with pytest.raises(InputError) as raised:
        next(read_rows(path))  # before the first row: the rows are read only from a UTF-8 file

    assert raised.value.reason == f"not UTF-8 text (byte {byte}); save the spreadsheet as CSV UTF-8"
