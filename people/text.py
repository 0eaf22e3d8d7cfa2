"""Text normalisation for names: NFC storage and accent-free search keys."""

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
