"""Text normalisation for names and slugs: NFC storage, accent-free search keys, ASCII slugs."""

import unicodedata


def nfc(value: str) -> str:
    """Return `value` NFC-normalised with surrounding and repeated whitespace removed."""
    return " ".join(unicodedata.normalize("NFC", value or "").split())


def search_key(value: str) -> str:
    """Lowercase, accent-free form of a Vietnamese name ("Xã Ia Grai" -> "xa ia grai").

    Lets a learner on a phone keyboard without Vietnamese input find their commune.
    """
    decomposed = unicodedata.normalize("NFD", nfc(value).replace("Đ", "D").replace("đ", "d"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.lower()


def ascii_slug(value: str, *, max_length: int = 255) -> str:
    """An ASCII URL slug of a Vietnamese text ("Bài mới về Đắk Lắk" -> "bai-moi-ve-dak-lak").

    Django's slugify drops "đ" (it has no decomposition); `search_key` maps it to "d" first,
    so links shared on Zalo or SMS read as words instead of percent-encoded letters.
    """
    from django.utils.text import slugify

    return slugify(search_key(value), allow_unicode=False)[:max_length].strip("-")
