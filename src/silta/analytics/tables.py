"""One table of figures: its rows as shown (small counts already hidden), the chart drawn
from it, the links from a bar to the list behind it, and its CSV and XLSX.

Exports and the API use one number format: ISO 8601 dates and a decimal point without
thousands separators (``66.7``); pages use the reader's language (``66,7``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook

from silta.analytics.suppression import Cell


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    # The chart: "line" (a trend by month) or "bar"; which columns are its series.
    chart: str | None = None
    series: tuple[int, ...] = ()
    # Per row: the query string of the list behind it (None: not the actor's to list).
    drill: list[str | None] = field(default_factory=list)
    note: str = ""

    def chart_data(self) -> dict[str, Any]:
        """Labels and series for the chart script; a hidden count is a gap (None)."""
        return {
            "type": self.chart,
            "labels": [str(row[0]) for row in self.rows],
            "datasets": [
                {
                    "label": self.columns[i],
                    "data": [
                        row[i] if isinstance(row[i], int | float) else None for row in self.rows
                    ],
                }
                for i in self.series
            ],
        }

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "columns": self.columns,
            "rows": [[_plain(cell) for cell in row] for row in self.rows],
        }


def _plain(cell: Cell | dt.date) -> Cell:
    if isinstance(cell, dt.date):
        return cell.isoformat()
    if isinstance(cell, float):
        return round(cell, 1)
    return cell


def table_csv(table: Table) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow(["" if cell is None else _plain(cell) for cell in row])
    return buffer.getvalue()


def table_xlsx(table: Table, heading: str) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = table.key[:31]
    sheet.append([heading])
    sheet.append(table.columns)
    for row in table.rows:
        sheet.append([_plain(cell) for cell in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
