"""Reading files: types sniffed from the bytes, encodings, separators, hidden sheets, formulas, bad files."""

import codecs
import datetime as dt
import io
import zipfile

import pytest

from imports.reading import FileRejected, read_sheet

from .helpers import csv_bytes, xlsx_bytes

ROWS = [["Code", "Name"], ["MOH", "Ministry of Health"], ["DZ-PARO", "Paro Dzongkhag – Drukgyel"]]


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
@pytest.mark.parametrize("bom", [False, True])
def test_csv_is_read_with_any_separator_and_with_or_without_a_byte_order_mark(delimiter, bom):
    sheet = read_sheet(csv_bytes(ROWS, delimiter=delimiter, bom=bom))
    assert sheet.headers == ["Code", "Name"]
    assert [row.values for row in sheet.rows] == [
        ["MOH", "Ministry of Health"],
        ["DZ-PARO", "Paro Dzongkhag – Drukgyel"],
    ]
    assert [row.number for row in sheet.rows] == [2, 3]


def test_a_semicolon_file_with_commas_inside_values_keeps_them():
    sheet = read_sheet(b"Code;Name\nMOH;Health, Ministry of\n")
    assert sheet.rows[0].values == ["MOH", "Health, Ministry of"]
    assert "semicolons" in sheet.notes[0]


def test_utf16_text_from_excel_is_read():
    data = codecs.BOM_UTF16_LE + "Code\tName\nMOH\tHealth\n".encode("utf-16-le")
    assert read_sheet(data).rows[0].values == ["MOH", "Health"]


def test_csv_in_another_encoding_is_refused_with_how_to_save_it():
    with pytest.raises(FileRejected, match=r"not UTF-8 text \(line 2.*CSV UTF-8"):
        read_sheet("Code,Name\nMOH,Dzöngkhag\n".encode("latin-1"))


def test_blank_rows_are_skipped_and_row_numbers_stay_those_of_the_file():
    sheet = read_sheet(b"Code,Name\n\nMOH,Health\n,\nMOF,Finance\n")
    assert [(row.number, row.values[0]) for row in sheet.rows] == [(3, "MOH"), (5, "MOF")]


def test_an_empty_file_is_refused():
    for data in (b"", b"  \n\n"):
        with pytest.raises(FileRejected, match="The file is empty"):
            read_sheet(data)


def test_a_file_over_the_limit_names_its_size_and_the_limit():
    with pytest.raises(FileRejected, match="The file is 50 MB; the limit is 20 MB"):
        read_sheet(b"a" * (50 * 1024 * 1024))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"%PDF-1.7 ...", "PDF document"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old Excel 97-2003"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary data"),
        (b"PK\x03\x04 truncated", "damaged"),
    ],
)
def test_files_that_are_not_spreadsheets_are_refused_with_what_they_are(data, message):
    with pytest.raises(FileRejected, match=message):
        read_sheet(data)


def test_a_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
        archive.writestr("[Content_Types].xml", "<Types/>")
    with pytest.raises(FileRejected, match="Word document, not an Excel workbook"):
        read_sheet(buffer.getvalue())


def test_xlsx_reads_the_first_visible_sheet_and_says_which_sheets_were_not_read():
    data = xlsx_bytes(ROWS, hidden=("Old staff",), extra=("Notes",))
    sheet = read_sheet(data)
    assert sheet.file_type == "xlsx"
    assert sheet.rows[0].values == ["MOH", "Ministry of Health"]
    assert "Hidden sheet(s) not read: “Old staff”." in sheet.notes
    assert "Only the first sheet is read; not read: “Notes”." in sheet.notes


def test_xlsx_formulas_are_reported_on_their_cell_and_date_and_number_cells_become_values():
    sheet = read_sheet(
        xlsx_bytes([["Employee id", "Date of birth", "Grade"], [200501234, dt.datetime(1990, 3, 14), "=A1&B1"]])
    )
    row = sheet.rows[0]
    assert row.values == ["200501234", dt.date(1990, 3, 14), None]
    assert "Cell C2 holds a formula (=A1&B1)" in row.problems[2]


def test_apostrophes_our_exports_put_before_formula_like_text_come_off():
    sheet = read_sheet(b"Phone,Name\n'+97517123456,'=HYPERLINK(1)\n")
    assert sheet.rows[0].values == ["+97517123456", "=HYPERLINK(1)"]
