"""The client's access-log report as PDF (703/2023 11 §: the client's right to know who has
used and received their data, when, and on which basis).

Pure rendering: the caller gives the title lines and the rows, already scoped to the
reader's organisation and translated. No identity code is ever put in the document: the
client is named by name only.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle


@dataclass(frozen=True)
class ReportSection:
    heading: str
    columns: Sequence[str]
    rows: Sequence[Sequence[str]]
    empty: str


def render_report(
    *, title: str, lines: Sequence[str], sections: Sequence[ReportSection], footer: str
) -> bytes:
    """A4 landscape, one table per section, the footer and page number on every page."""
    buffer = io.BytesIO()
    styles = getSampleStyleSheet()
    cell = styles["BodyText"].clone("cell", fontSize=8, leading=10)
    head = styles["BodyText"].clone("head", fontSize=8, leading=10, fontName="Helvetica-Bold")
    document = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=title,
        invariant=True,
    )
    story: list[object] = [Paragraph(escape(title), styles["Title"])]
    story += [Paragraph(escape(line), styles["BodyText"]) for line in lines]
    for section in sections:
        story += [Spacer(1, 6 * mm), Paragraph(escape(section.heading), styles["Heading2"])]
        if not section.rows:
            story.append(Paragraph(escape(section.empty), styles["BodyText"]))
            continue
        data = [[Paragraph(escape(c), head) for c in section.columns]]
        data += [[Paragraph(escape(v), cell) for v in row] for row in section.rows]
        table = Table(data, repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef4")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        story.append(table)

    def page(canvas: Canvas, doc: object) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 7)
        number = canvas.getPageNumber()
        canvas.drawString(15 * mm, 8 * mm, f"{footer} · {number}")
        canvas.restoreState()

    document.build(story, onFirstPage=page, onLaterPages=page)
    return buffer.getvalue()
