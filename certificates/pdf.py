"""The certificate PDF: A4 landscape, drawn with reportlab, the QR code drawn as vector squares.

Fonts are DejaVu from the operating system (Debian's fonts-dejavu-core), embedded as subsets,
so every Vietnamese diacritic prints and `pdftotext` reads the names back exactly. The QR
module matrix comes from `qrcode` and is drawn straight onto the page (no raster image), which
keeps the file small and rendering fast.
"""

import datetime
import io
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

import qrcode
from django.conf import settings
from django.utils.formats import number_format
from qrcode.constants import ERROR_CORRECT_M
from reportlab.lib.colors import HexColor, white
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from core.public_url import public_url

PAGE_W, PAGE_H = landscape(A4)
FONTS = {
    "Sans": "DejaVuSans.ttf",
    "Sans-Bold": "DejaVuSans-Bold.ttf",
    "Serif": "DejaVuSerif.ttf",
    "Serif-Bold": "DejaVuSerif-Bold.ttf",
}


@dataclass(frozen=True)
class Printed:
    """Everything printed on one certificate."""

    serial: str
    holder: str
    course: str
    hours: Decimal
    completed_on: datetime.date
    issuer: str
    url: str
    expires_on: datetime.date | None = None  # the last valid day, when the course sets one


@cache
def fonts_register() -> None:
    directory = Path(settings.LMS_CERT_FONT_DIR)
    for name, filename in FONTS.items():
        pdfmetrics.registerFont(TTFont(name, str(directory / filename)))


def _image(image) -> ImageReader | None:
    """A Wagtail image's original file, or None when it is missing."""
    if image is None:
        return None
    try:
        with image.file.open("rb") as handle:
            return ImageReader(io.BytesIO(handle.read()))
    except (OSError, ValueError):
        return None


def _fit(canvas: Canvas, text: str, font: str, size: float, width: float) -> float:
    """The largest font size up to `size` at which `text` fits in `width`."""
    measured = pdfmetrics.stringWidth(text, font, size)
    return size if measured <= width else max(10.0, size * width / measured)


def _qr(canvas: Canvas, url: str, x: float, y: float, size: float) -> None:
    # A fixed mask: choosing the best of eight costs five times the rest of the QR code, and
    # any mask reads well at this size (the tests decode it with zbar).
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=4, mask_pattern=2)
    code.add_data(url)
    code.make(fit=True)
    matrix = code.get_matrix()
    cell = size / len(matrix)
    canvas.saveState()
    canvas.setFillColor(white)
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    canvas.setFillColorRGB(0, 0, 0)
    # Whole-module coordinates (integers) under one transform: short numbers in the page
    # stream, and runs of dark modules in a row drawn as one rectangle.
    canvas.translate(x, y + size)
    canvas.scale(cell, -cell)
    path = canvas.beginPath()
    for row_index, row in enumerate(matrix):
        col, width = 0, len(row)
        while col < width:
            if row[col]:
                start = col
                while col < width and row[col]:
                    col += 1
                path.rect(start, row_index, col - start, 1)
            else:
                col += 1
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()


def hours_label(hours: Decimal) -> str:
    """Printed in both languages, whatever the language of the request that issued it."""
    shown = number_format(Decimal(hours).normalize(), use_l10n=False)
    return f"{shown} giờ học / {shown} hours"


def render(template, printed: Printed) -> bytes:
    """The PDF of one certificate drawn with `template`'s text, images and colours."""
    fonts_register()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(PAGE_W, PAGE_H), pageCompression=1)
    canvas.setTitle(f"{template.heading} {printed.serial}")
    canvas.setAuthor(printed.issuer)
    canvas.setSubject(printed.course)
    primary, accent = HexColor(template.primary_colour), HexColor(template.accent_colour)
    centre = PAGE_W / 2

    # Frame.
    canvas.setStrokeColor(primary)
    canvas.setLineWidth(6)
    canvas.rect(24, 24, PAGE_W - 48, PAGE_H - 48)
    canvas.setStrokeColor(accent)
    canvas.setLineWidth(1.5)
    canvas.rect(36, 36, PAGE_W - 72, PAGE_H - 72)

    logo = _image(template.logo_image)
    if logo is not None:
        canvas.drawImage(logo, 60, PAGE_H - 130, 70, 70, preserveAspectRatio=True, mask="auto")

    canvas.setFillColor(primary)
    canvas.setFont("Sans-Bold", 13)
    canvas.drawCentredString(centre, PAGE_H - 80, printed.issuer.upper())
    canvas.setFont("Serif-Bold", 34)
    canvas.setFillColor(accent)
    canvas.drawCentredString(centre, PAGE_H - 140, template.heading)

    canvas.setFillColorRGB(0.15, 0.15, 0.15)
    canvas.setFont("Serif", 16)
    canvas.drawCentredString(centre, PAGE_H - 185, template.intro)
    size = _fit(canvas, printed.holder, "Serif-Bold", 32, PAGE_W - 160)
    canvas.setFont("Serif-Bold", size)
    canvas.setFillColor(primary)
    canvas.drawCentredString(centre, PAGE_H - 230, printed.holder)

    canvas.setFillColorRGB(0.15, 0.15, 0.15)
    canvas.setFont("Serif", 16)
    canvas.drawCentredString(centre, PAGE_H - 272, template.body)
    size = _fit(canvas, printed.course, "Sans-Bold", 22, PAGE_W - 160)
    canvas.setFont("Sans-Bold", size)
    canvas.drawCentredString(centre, PAGE_H - 308, printed.course)
    canvas.setFont("Sans", 13)
    canvas.drawCentredString(
        centre,
        PAGE_H - 336,
        f"{hours_label(printed.hours)} · {printed.completed_on.strftime('%d/%m/%Y')}",
    )
    if printed.expires_on is not None:
        canvas.setFont("Sans", 11)
        canvas.drawCentredString(
            centre,
            PAGE_H - 354,
            f"Có giá trị đến / Valid until: {printed.expires_on.strftime('%d/%m/%Y')}",
        )

    # Signature block, right.
    sign_x = PAGE_W - 220
    place = f"{template.place}, " if template.place else ""
    canvas.setFont("Sans", 11)
    canvas.drawCentredString(
        sign_x, 214, f"{place}ngày {printed.completed_on.strftime('%d/%m/%Y')}"
    )
    # The issuing body as written (the header prints it in capitals), then who signs for it.
    size = _fit(canvas, printed.issuer, "Sans-Bold", 11, 300)
    canvas.setFont("Sans-Bold", size)
    canvas.drawCentredString(sign_x, 198, printed.issuer)
    if template.signatory_title:
        size = _fit(canvas, template.signatory_title, "Sans-Bold", 12, 300)
        canvas.setFont("Sans-Bold", size)
        canvas.drawCentredString(sign_x, 182, template.signatory_title)
    canvas.setFont("Sans-Bold", 12)
    seal, signature = _image(template.seal_image), _image(template.signature_image)
    if seal is not None:
        canvas.drawImage(seal, sign_x - 95, 80, 95, 95, preserveAspectRatio=True, mask="auto")
    if signature is not None:
        canvas.drawImage(signature, sign_x - 60, 95, 120, 70, preserveAspectRatio=True, mask="auto")
    if template.signatory_name:
        canvas.drawCentredString(sign_x, 72, template.signatory_name)

    # QR and serial, left.
    _qr(canvas, printed.url, 60, 60, 150)
    canvas.setFont("Sans", 10)
    canvas.drawString(60, 48, f"Số hiệu / Serial: {printed.serial}")
    if template.footer:
        canvas.setFont("Sans", 8)
        canvas.setFillColorRGB(0.35, 0.35, 0.35)
        canvas.drawCentredString(centre, 44, template.footer)

    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def sample_pdf(template) -> bytes:
    """A preview with made-up facts (the admin's preview of a template)."""
    return render(
        template,
        Printed(
            serial=f"{template.serial_prefix}-2026-000123",
            holder="Nguyễn Thị Hương",
            course="Tin học cơ bản cho cán bộ xã",
            hours=Decimal("4"),
            completed_on=datetime.date(2026, 1, 15),
            issuer=template.issuer_name,
            url=f"{public_url()}/v/preview/",
        ),
    )
