"""The printable A4 handout for learners whose accounts a trainer created.

One card per learner (four to a page, to cut apart): full name with its diacritics, username,
PIN, the site address and a QR code that opens the login page. Drawn with reportlab in DejaVu
Sans, which the OS provides (Debian `fonts-dejavu-core`) and which covers Vietnamese; the QR
code is drawn as vector squares from the `qrcode` matrix, so no image library is involved.
"""

import io
from dataclasses import dataclass
from pathlib import Path

import qrcode
from django.urls import reverse
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from core.public_url import public_url

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT, FONT_BOLD = "DejaVuSans", "DejaVuSans-Bold"
CARDS_PER_PAGE = 4


@dataclass
class HandoutEntry:
    full_name: str
    username: str
    pin: str


def _register_fonts() -> None:
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    pdfmetrics.registerFont(TTFont(FONT, str(FONT_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))


def login_url() -> str:
    return public_url() + reverse("account_login")


def _draw_qr(pdf: canvas.Canvas, data: str, x: float, y: float, size: float) -> None:
    code = qrcode.QRCode(border=2, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(data)
    code.make(fit=True)
    matrix = code.get_matrix()
    cell = size / len(matrix)
    pdf.setFillColorRGB(0, 0, 0)
    for r, line in enumerate(matrix):
        for c, dark in enumerate(line):
            if dark:
                pdf.rect(x + c * cell, y + size - (r + 1) * cell, cell, cell, stroke=0, fill=1)


def handout_pdf(*, class_title: str, entries: list[HandoutEntry]) -> bytes:
    """The handout as PDF bytes (A4 portrait, four cards a page)."""
    _register_fonts()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(_("Login details") + f" · {class_title}")
    width, height = A4
    margin = 12 * mm
    card_h = (height - 2 * margin) / CARDS_PER_PAGE
    site = public_url()
    url = login_url()
    for index, entry in enumerate(entries):
        slot = index % CARDS_PER_PAGE
        if index and slot == 0:
            pdf.showPage()
        top = height - margin - slot * card_h
        pdf.setStrokeColorRGB(0.6, 0.6, 0.6)
        pdf.setDash(3, 3)
        pdf.rect(margin, top - card_h + 2 * mm, width - 2 * margin, card_h - 4 * mm)
        pdf.setDash()
        x = margin + 8 * mm
        y = top - 14 * mm
        pdf.setFillColorRGB(0.04, 0.43, 0.31)
        pdf.setFont(FONT_BOLD, 12)
        pdf.drawString(x, y, "Học Số · " + class_title[:60])
        pdf.setFillColorRGB(0, 0, 0)
        pdf.setFont(FONT_BOLD, 16)
        pdf.drawString(x, y - 10 * mm, entry.full_name)
        pdf.setFont(FONT, 12)
        rows = [
            (_("Username"), entry.username),
            (_("PIN (password)"), entry.pin),
            (_("Website"), site),
        ]
        for n, (label, value) in enumerate(rows):
            line_y = y - (20 + 9 * n) * mm
            pdf.setFont(FONT, 11)
            pdf.drawString(x, line_y, label + ":")
            pdf.setFont(FONT_BOLD, 14)
            pdf.drawString(x + 42 * mm, line_y, value)
        pdf.setFont(FONT, 9)
        pdf.drawString(
            x, top - card_h + 8 * mm, _("Scan the code to open the login page. Keep this card.")
        )
        qr_size = min(card_h - 16 * mm, 48 * mm)
        _draw_qr(pdf, url, width - margin - 8 * mm - qr_size, top - 6 * mm - qr_size, qr_size)
    if not entries:
        pdf.setFont(FONT, 12)
        pdf.drawString(margin, height - margin - 10 * mm, _("No new accounts."))
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
