"""The shares' fast printing (`share_rounded`, `share_text`) prints every possible share as
the slow, general calls did: `Decimal.quantize(1, ROUND_HALF_UP)` and `number_format(share, 1)`
in each language of the site."""

from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.formats import number_format

from targets.selectors.achievement import Figure, share_rounded, share_text

# Every share a figure can hold: round(people * 100 / population, 1), from 0 to 100.
SHARES = sorted({round(people * 100 / 1000, 1) for people in range(1001)})


def test_every_share_rounds_half_up():
    for share in SHARES:
        expected = str(int(Decimal(str(share)).quantize(Decimal(1), ROUND_HALF_UP)))
        assert share_rounded(share) == expected, share


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_every_share_prints_as_number_format(language):
    with translation.override(language):
        for share in SHARES:
            assert share_text(share) == number_format(share, 1), share


def test_a_figure_prints_its_share_with_the_helpers():
    figure = Figure(people=529, population=1000, target_percent=Decimal(80))
    with translation.override("vi"):
        assert (figure.percent_rounded, figure.percent_text) == ("53", "52,9")
    with translation.override("en"):
        assert figure.percent_text == "52.9"
