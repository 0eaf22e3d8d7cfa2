"""Honest study time: how long a lesson takes, estimated from what it contains.

A course's hours are the sum of its required lessons' minutes unless a trainer overrides them
with a reason (shown to managers). A lesson's minutes come from its body:

- reading: the words of text, callouts, captions and transcripts at `READING_WPM` words a
  minute (a slow reader of Vietnamese as a second language, the people this is for);
- audio and video: the duration the trainer entered on the block, else `MEDIA_DEFAULT_MINUTES`;
- a quiz: `QUIZ_MINUTES_PER_QUESTION` for each question a learner answers (its draw, else all);
- an H5P activity: `H5P_DEFAULT_MINUTES`;
- images and documents: nothing (a document is extra reading, not counted).

The estimator reads the raw stream data (lists and dicts), so migrations can use it too.
"""

import math
import re
from decimal import ROUND_HALF_UP, Decimal

READING_WPM = 100
MEDIA_DEFAULT_MINUTES = 5
QUIZ_MINUTES_PER_QUESTION = 1.5
H5P_DEFAULT_MINUTES = 5
SCORM_DEFAULT_MINUTES = 15  # a SCORM package states no duration we can trust

_TAG = re.compile(r"<[^>]+>")
_WORD = re.compile(r"\w+", re.UNICODE)


def _words(text) -> int:
    if not text:
        return 0
    return len(_WORD.findall(_TAG.sub(" ", str(text))))


def _raw(body) -> list:
    """A StreamValue, its raw data or a JSON string, as a list of {"type", "value"} dicts."""
    raw = getattr(body, "raw_data", body)
    if isinstance(raw, str):
        import json

        raw = json.loads(raw or "[]")
    return list(raw or [])


def _list_values(items) -> list:
    # ListBlock values are stored as [{"type": "item", "value": ...}] (or bare values in
    # older data).
    out = []
    for item in items or []:
        if isinstance(item, dict) and "value" in item and "type" in item:
            out.append(item["value"])
        else:
            out.append(item)
    return out


def _media_minutes(value: dict) -> float:
    minutes = value.get("duration_minutes")
    if isinstance(minutes, int | float) and minutes > 0:
        return float(minutes)
    return float(MEDIA_DEFAULT_MINUTES)


def lesson_minutes_estimate(body) -> int:
    """Minutes a learner needs for a lesson body (at least one)."""
    words = 0
    minutes = 0.0
    for block in _raw(body):
        kind, value = block.get("type"), block.get("value")
        if kind == "text":
            words += _words(value)
        elif kind == "callout" and isinstance(value, dict):
            words += _words(value.get("title")) + _words(value.get("text"))
        elif kind == "image" and isinstance(value, dict):
            words += _words(value.get("caption"))
        elif kind in ("audio", "video") and isinstance(value, dict):
            minutes += _media_minutes(value)
        elif kind == "quiz" and isinstance(value, dict):
            questions = len(_list_values(value.get("questions")))
            draw = value.get("draw")
            if isinstance(draw, int) and 0 < draw < questions:
                questions = draw
            minutes += QUIZ_MINUTES_PER_QUESTION * questions
        elif kind == "h5p":
            minutes += H5P_DEFAULT_MINUTES
        elif kind == "scorm":
            minutes += SCORM_DEFAULT_MINUTES
    minutes += words / READING_WPM
    return max(1, math.ceil(minutes))


def hours_from_minutes(minutes: int) -> Decimal:
    """Minutes as hours with one decimal (rounded half up), at least 0.1."""
    hours = (Decimal(minutes) / Decimal(60)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return max(hours, Decimal("0.1"))
