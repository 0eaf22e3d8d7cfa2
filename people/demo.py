"""Demo data of the people room for `seed_demo`: an API key for the province's home-affairs
department, read-only over Gia Lai.

With DEBUG on (the demo, `make run`) the key is fixed and documented in the README, so the
API docs can be tried at once. Otherwise a random key is made and printed once.
"""

from django.conf import settings

from .models import ApiClient, OrgUnit
from .services import api_client_create

DEMO_API_CLIENT = "Sở Nội vụ Gia Lai (demo)"
# Only ever accepted because seed_demo stored its hash on a DEBUG installation.
DEMO_API_KEY = "hs_demo0gla_HocSoDemoKeyGiaLaiReadOnly-NotForProduction00"


def demo_api_client_seed(*, province_code: str) -> str:
    """Make the demo key once; a line for the command's output."""
    if ApiClient.objects.filter(name=DEMO_API_CLIENT).exists():
        return f"API key '{DEMO_API_CLIENT}' exists (kept)."
    province = OrgUnit.objects.get(code=province_code)
    _client, key = api_client_create(
        name=DEMO_API_CLIENT,
        units=[province],
        can_read=True,
        can_enrol=False,
        secret=DEMO_API_KEY if settings.DEBUG else None,
    )
    return f"API key '{DEMO_API_CLIENT}' (read, {province.name}): {key}"
