import csv
import io

import pytest
from recruit_sms_tools.csv_safe import Writer, neutralise


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://evil.example/x","CV")', '\'=HYPERLINK("http://evil.example/x","CV")'),
        ("+14155550142", "'+14155550142"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("Ann Applicant", "Ann Applicant"),
        ("a=b", "a=b"),
        ("", ""),
        (None, ""),
        (False, ""),
        (42, "42"),
    ],
)
def test_cells_a_spreadsheet_would_run_are_written_as_text(value, expected):
    assert neutralise(value) == expected


def test_the_writer_neutralises_every_cell_of_every_row():
    out = io.StringIO()
    writer = Writer(out)
    writer.writerow(["name", "number"])
    writer.writerow(["=1+1", "+14155550142"])
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows == [["name", "number"], ["'=1+1", "'+14155550142"]]
