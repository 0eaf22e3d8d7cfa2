"""Draw the installable app's icons (static/icons/*.png) with Pillow: an open book on the
brand green. Our own drawing, no third-party artwork; the PNGs are committed, so run this only
to change them: `manage.py app_icons`."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from PIL import Image, ImageDraw

BRAND = (11, 110, 79, 255)  # --brand in static/css/site.css
PAGE = (255, 255, 255, 255)
LINE = (11, 110, 79, 255)
ACCENT = (194, 65, 12, 255)  # --accent


def draw_icon(size: int, *, maskable: bool) -> Image.Image:
    """A rounded square (full bleed when maskable: the launcher crops it to its own shape)
    with an open book and a bookmark; the drawing stays in the central safe zone."""
    scale = 4  # drawn large, then reduced: smooth edges without a font or SVG renderer
    big = size * scale
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if maskable:
        draw.rectangle([0, 0, big, big], fill=BRAND)
    else:
        draw.rounded_rectangle([0, 0, big - 1, big - 1], radius=big // 5, fill=BRAND)
    unit = big / 100
    inset = 14 if maskable else 0  # the safe zone of a maskable icon is the central 80%

    def p(x, y):
        return (inset * unit + x * unit * (100 - 2 * inset) / 100,
                inset * unit + y * unit * (100 - 2 * inset) / 100)  # fmt: skip

    draw.polygon([p(16, 30), p(48, 36), p(48, 78), p(16, 72)], fill=PAGE)
    draw.polygon([p(52, 36), p(84, 30), p(84, 72), p(52, 78)], fill=PAGE)
    width = max(1, int(2.2 * unit))
    for y in (44, 52, 60):
        draw.line([p(22, y - 3), p(42, y + 1)], fill=LINE, width=width)
        draw.line([p(58, y + 1), p(78, y - 3)], fill=LINE, width=width)
    draw.polygon([p(70, 22), p(78, 22), p(78, 44), p(74, 40), p(70, 44)], fill=ACCENT)
    return image.resize((size, size), Image.LANCZOS)


class Command(BaseCommand):
    help = "Draw the app icons into static/icons/."

    def handle(self, *args, **options):
        target = Path(settings.BASE_DIR) / "static" / "icons"
        target.mkdir(parents=True, exist_ok=True)
        for name, size, maskable in (
            ("icon-192.png", 192, False),
            ("icon-512.png", 512, False),
            ("icon-maskable-512.png", 512, True),
        ):
            draw_icon(size, maskable=maskable).save(target / name, optimize=True)
            self.stdout.write(f"{target / name}")
