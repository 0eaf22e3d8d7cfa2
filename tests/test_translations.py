"""Vietnamese is the default language and English is complete: no string is left untranslated
in either catalogue, and placeholders survive translation."""

import re
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parent.parent / "locale"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")


def entries(po: Path) -> list[dict]:
    """msgid/msgstr pairs of a .po file (header and obsolete entries left out)."""
    found = []
    for block in po.read_text(encoding="utf-8").split("\n\n"):
        fields, current = {}, None
        for line in block.splitlines():
            if line.startswith("#"):
                if line.startswith("#, ") and "fuzzy" in line:
                    fields["fuzzy"] = True
                continue
            match = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d\])?) "(.*)"$', line)
            if match:
                current = match.group(1)
                fields[current] = match.group(2)
            elif line.startswith('"') and current:
                fields[current] += line[1:-1]
        if fields.get("msgid"):
            found.append(fields)
    return found


@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_string_is_translated(language):
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    found = entries(po)
    assert len(found) > 200
    untranslated = [e["msgid"] for e in found if not (e.get("msgstr") or e.get("msgstr[0]"))]
    assert untranslated == []
    assert [e["msgid"] for e in found if e.get("fuzzy")] == []
    assert (po.parent / "django.mo").is_file()  # the compiled catalogue is committed


def test_placeholders_survive_translation():
    for entry in entries(LOCALE / "vi" / "LC_MESSAGES" / "django.po"):
        translated = entry.get("msgstr") or entry.get("msgstr[0]")
        assert sorted(PLACEHOLDER.findall(entry["msgid"])) == sorted(
            PLACEHOLDER.findall(translated)
        ), entry["msgid"]
