"""CSV files a spreadsheet will open: no cell may be read as a formula.

Spreadsheets run a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and some a tab or
a carriage return) as a formula, so a candidate's name like
``=HYPERLINK("http://evil.example","CV")`` would become a link in a recruiter's sheet.
Such a cell is written with a leading apostrophe, which spreadsheets show as text (the
OWASP advice). Odoo's own CSV export does the same for ``=``, ``+`` and ``-`` only.
"""

import csv

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """``value`` as a cell no spreadsheet reads as a formula (None as an empty cell)."""
    if value is None or value is False:
        return ""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class Writer:
    """``csv.writer`` whose rows are neutralised cell by cell."""

    def __init__(self, stream, **params):
        self._writer = csv.writer(stream, **params)

    def writerow(self, row):
        return self._writer.writerow([neutralise(value) for value in row])
