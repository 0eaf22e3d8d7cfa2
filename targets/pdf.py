"""A target's one-page printable summary (A4 portrait) for a meeting: the headline figures,
the completions chart with the straight line to the target, and the units furthest behind.

Drawn with reportlab in the DejaVu fonts the certificates use (`certificates.pdf`), embedded
as subsets, so Vietnamese names keep their diacritics in print and in copied text. The chart
is the page's own geometry (`targets.charts.monthly_chart`), turned upside down for PDF
coordinates (origin at the bottom left).
"""

import io

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from certificates.pdf import fonts_register

PAGE_W, PAGE_H = A4
MARGIN = 42
GREEN, RED, GREY = HexColor("#2f7d5b"), HexColor("#b00000"), HexColor("#666666")


def _clip(text: str, font: str, size: float, width: float) -> str:
    """`text` cut with an ellipsis to fit `width` (names never wrap in a table cell)."""
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def _lines(text: str, font: str, size: float, width: float) -> list[str]:
    words, lines, line = text.split(), [], ""
    for word in words:
        candidate = f"{line} {word}".strip()
        if line and pdfmetrics.stringWidth(candidate, font, size) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    return [*lines, line] if line else lines


def _chart(canvas: Canvas, chart: dict, x0: float, y_top: float, width: float) -> float:
    """Draw `chart` scaled to `width` with its top at `y_top`; returns its height."""
    scale = width / chart["width"]
    height = chart["height"] * scale

    def pt(x, y):
        return x0 + x * scale, y_top - y * scale

    canvas.setFont("Sans", 7)
    canvas.setStrokeColor(HexColor("#dddddd"))
    for tick in chart["ticks"]:
        x1, y1 = pt(chart["left"], tick.y)
        x2, _y = pt(chart["right"], tick.y)
        canvas.line(x1, y1, x2, y1)
        canvas.setFillColor(GREY)
        canvas.drawRightString(x1 - 3, y1 - 2.5, str(tick.value))
    canvas.setStrokeColor(GREY)
    canvas.line(*pt(chart["left"], chart["base_y"]), *pt(chart["right"], chart["base_y"]))
    canvas.line(*pt(chart["left"], chart["top_y"]), *pt(chart["left"], chart["base_y"]))
    for bar in chart["bars"]:
        canvas.setFillColor(GREEN)
        bx, by = pt(bar.x, bar.y + bar.height)
        if bar.height:
            canvas.rect(bx, by, bar.width * scale, bar.height * scale, stroke=0, fill=1)
        canvas.setFillColor(GREY)
        lx, ly = pt(bar.x + bar.width / 2, chart["label_y"])
        canvas.drawCentredString(lx, ly, str(bar.month))
    points = [tuple(map(float, p.split(","))) for p in chart["points"].split()]
    canvas.setStrokeColor(RED)
    canvas.setLineWidth(1.5)
    for (xa, ya), (xb, yb) in zip(points, points[1:], strict=False):
        canvas.line(*pt(xa, ya), *pt(xb, yb))
    if chart["goal_line"]:
        line = chart["goal_line"]
        canvas.setDash(4, 3)
        canvas.setStrokeColor(HexColor("#333333"))
        canvas.line(*pt(line["x1"], line["y1"]), *pt(line["x2"], line["y2"]))
        canvas.setDash()
    canvas.setLineWidth(1)
    canvas.setFillColor(GREY)
    canvas.setFont("Sans", 8)
    tx, ty = pt(chart["x_title_x"], chart["x_title_y"])
    canvas.drawCentredString(tx, ty, _("Month of %(year)s") % {"year": chart["year"]})
    canvas.saveState()
    yx, yy = pt(12, chart["y_title_y"])
    canvas.translate(yx, yy)
    canvas.rotate(90)
    canvas.drawCentredString(0, 0, pgettext("chart axis", "People"))
    canvas.restoreState()
    return height


def target_summary_pdf(*, report, chart: dict, elapsed: int, status: str, behind, filters) -> bytes:
    """The PDF bytes of one target's summary at `report.unit`."""
    fonts_register()
    target, total = report.target, report.total
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    canvas.setTitle(target.name)
    canvas.setAuthor("Học Số")
    width = PAGE_W - 2 * MARGIN
    y = PAGE_H - MARGIN

    canvas.setFillColor(HexColor("#111111"))
    for line in _lines(target.name, "Sans-Bold", 16, width)[:3]:
        y -= 18
        canvas.setFont("Sans-Bold", 16)
        canvas.drawString(MARGIN, y, line)
    meta = [
        report.unit.name,
        target.groups_label,
        _("target %(percent)s%%") % {"percent": f"{target.target_percent:g}"},
        _("deadline %(date)s") % {"date": target.deadline.strftime("%d/%m/%Y")},
        _("reporting year %(year)s") % {"year": report.criteria.year},
    ]
    canvas.setFont("Sans", 9)
    canvas.setFillColor(GREY)
    for line in _lines(" · ".join(m for m in meta if m), "Sans", 9, width):
        y -= 13
        canvas.drawString(MARGIN, y, line)
    if filters:
        y -= 13
        canvas.drawString(MARGIN, y, _clip(_("Filters: ") + "; ".join(filters), "Sans", 9, width))

    statuses = {"on-track": _("On track"), "behind": _("Behind"), "no-data": _("No data")}
    facts = [
        (_("People achieved"), str(total.people)),
        (
            _("Population"),
            total.missing_label if total.population is None else str(total.population),
        ),
        (_("Achieved"), f"{total.percent_text}%" if total.percent is not None else "—"),
        (_("Needed for the target"), "—" if total.needed is None else str(total.needed)),
        (_("Gap"), "—" if total.gap is None else str(total.gap)),
        (_("Time elapsed"), f"{elapsed}%"),
        (_("Status"), statuses.get(status, status)),
    ]
    if report.pace:
        projected = report.pace.projected_date
        if total.reached:
            text = _("reached")
        elif projected:
            text = projected.strftime("%d/%m/%Y")
            if projected > target.deadline:
                text += " (" + _("after the deadline") + ")"
        elif total.gap is None:
            text = _("needs population data")
        else:
            text = _("not at the current pace")
        facts.append((_("Projected date"), text))
    y -= 12
    column = width / 2
    for index, (label, value) in enumerate(facts):
        row_y = y - 14 * (index // 2 + 1)
        x = MARGIN + column * (index % 2)
        canvas.setFont("Sans", 9)
        canvas.setFillColor(GREY)
        canvas.drawString(x, row_y, label)
        canvas.setFont("Sans-Bold", 10)
        canvas.setFillColor(HexColor("#111111"))
        canvas.drawString(x + 120, row_y, _clip(value, "Sans-Bold", 10, column - 125))
    y -= 14 * ((len(facts) + 1) // 2) + 18

    canvas.setFont("Sans-Bold", 12)
    canvas.drawString(MARGIN, y, _("Completions over time"))
    y -= 6
    y -= _chart(canvas, chart, MARGIN, y, width) + 8
    canvas.setFont("Sans", 7.5)
    canvas.setFillColor(GREY)
    legend = _(
        "Bars: people reaching their first qualifying completion that month. Solid line: "
        "people achieved so far."
    )
    if chart["goal_line"]:
        legend += " " + _("Dashed line: the straight path to the target.")
    for line in _lines(legend, "Sans", 7.5, width):
        canvas.drawString(MARGIN, y, line)
        y -= 10

    y -= 12
    canvas.setFillColor(HexColor("#111111"))
    canvas.setFont("Sans-Bold", 12)
    canvas.drawString(MARGIN, y, _("Furthest behind"))
    y -= 16
    headers = [_("Unit"), _("Achieved"), _("People"), _("Population"), _("Gap")]
    columns = [MARGIN, MARGIN + width * 0.5, MARGIN + width * 0.64, MARGIN + width * 0.79]
    right = MARGIN + width
    canvas.setFont("Sans-Bold", 9)
    canvas.drawString(columns[0], y, headers[0])
    for x, header in zip([*columns[2:], right], headers[2:], strict=True):
        canvas.drawRightString(x + (width * 0.12 if x != right else 0), y, header)
    canvas.drawRightString(columns[1] + width * 0.1, y, headers[1])
    canvas.setStrokeColor(GREY)
    canvas.line(MARGIN, y - 4, right, y - 4)
    canvas.setFont("Sans", 9)
    if not behind:
        y -= 16
        canvas.drawString(MARGIN, y, _("No unit with population data is behind."))
    for row in behind:
        if y < MARGIN + 40:
            break
        y -= 15
        figure = row.figure
        canvas.drawString(columns[0], y, _clip(row.name, "Sans", 9, width * 0.48))
        canvas.drawRightString(columns[1] + width * 0.1, y, f"{figure.percent_text}%")
        canvas.drawRightString(columns[2] + width * 0.12, y, str(figure.people))
        canvas.drawRightString(columns[3] + width * 0.12, y, str(figure.population))
        canvas.drawRightString(right, y, str(figure.gap))

    canvas.setFont("Sans", 7.5)
    canvas.setFillColor(GREY)
    counted = report.computed_at or timezone.now()
    canvas.drawString(
        MARGIN,
        MARGIN / 2,
        "Học Số · "
        + _("Counted at %(time)s.")
        % {"time": date_format(timezone.localtime(counted), "H:i d/m/Y")},
    )
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
