"""The CMI data a SCORM player commits: what we keep of it, checked and bounded.

scorm-again commits its whole CMI object as JSON (`{"cmi": {...}}`, the shape its
`renderCommitCMI` produces); we read only the few elements that matter to the learner and the
trainer, by SCORM version, with the vocabularies and sizes the standards set. Anything else
in the object is ignored; a wrong type or an oversized value refuses the whole commit with a
reason (nothing half-stored).
"""

import math
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# SCORM 1.2 allows 4,096 characters of suspend data and 255 of location; SCORM 2004 4th
# edition 64,000 and 1,000. Many 1.2 packages write more than 4,096 and most players accept
# it, so 1.2 gets the 2004 limits too: still a bound, and no learner loses their place.
SUSPEND_DATA_MAX = 64000
LOCATION_MAX = 1000
LESSON_STATUS_12 = {"passed", "completed", "failed", "incomplete", "browsed", "not attempted"}
COMPLETION_2004 = {"completed", "incomplete", "not attempted", "unknown"}
SUCCESS_2004 = {"passed", "failed", "unknown"}
# SCORM 1.2 CMITimespan HHHH:MM:SS.SS; SCORM 2004 ISO 8601 duration.
TIMESPAN_12 = re.compile(r"^(\d{1,4}):(\d{2}):(\d{2})(\.\d{1,2})?$")
DURATION_2004 = re.compile(
    r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$"
)
MAX_SECONDS = 10 * 365 * 24 * 3600


@dataclass
class Cmi:
    lesson_status: str = ""
    completion_status: str = ""
    success_status: str = ""
    score_raw: float | None = None
    score_min: float | None = None
    score_max: float | None = None
    score_scaled: float | None = None
    location: str = ""
    suspend_data: str = ""
    total_seconds: int | None = None

    @property
    def completed(self) -> bool:
        """Done as the SCO reports it: 1.2 completed/passed; 2004 completed or passed."""
        return (
            self.lesson_status in ("completed", "passed")
            or self.completion_status == "completed"
            or self.success_status == "passed"
        )


def _invalid(element: str) -> ValidationError:
    return ValidationError(
        _("The SCORM data element %(element)s has a wrong value.") % {"element": element},
        code="invalid_cmi",
    )


def _text(data: dict, key: str, element: str, limit: int) -> str:
    value = data.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _invalid(element)
    if len(value) > limit:
        raise ValidationError(
            _(
                "The SCORM data element %(element)s is too long (%(size)s characters; "
                "the limit is %(max)s)."
            )
            % {"element": element, "size": len(value), "max": limit},
            code="cmi_too_large",
        )
    if "\x00" in value:
        raise _invalid(element)
    return value


def _vocabulary(data: dict, key: str, element: str, allowed: set[str]) -> str:
    value = _text(data, key, element, 32)
    if value and value not in allowed:
        raise _invalid(element)
    return value


def _number(data: dict, key: str, element: str, low: float, high: float) -> float | None:
    value = data.get(key, "")
    if value in ("", None):
        return None
    if isinstance(value, bool):
        raise _invalid(element)
    if isinstance(value, str):
        if len(value) > 32:
            raise _invalid(element)
        try:
            value = float(value)
        except ValueError:
            raise _invalid(element) from None
    if not isinstance(value, int | float) or not math.isfinite(value) or not low <= value <= high:
        raise _invalid(element)
    return float(value)


def _seconds_12(value: str) -> int | None:
    match = TIMESPAN_12.match(value)
    if not match:
        return None
    hours, minutes, seconds = (int(match.group(i)) for i in (1, 2, 3))
    return hours * 3600 + minutes * 60 + seconds


def _seconds_2004(value: str) -> int | None:
    match = DURATION_2004.match(value)
    if not match or value in ("P", "PT"):
        return None
    years, months, days, hours, minutes = (int(match.group(i) or 0) for i in range(1, 6))
    seconds = float(match.group(6) or 0)
    total = (years * 365 + months * 30 + days) * 86400 + hours * 3600 + minutes * 60 + seconds
    return min(int(total), MAX_SECONDS)


def _object(value, element: str) -> dict:
    if value in (None, ""):
        return {}
    if not isinstance(value, dict):
        raise _invalid(element)
    return value


def cmi_parse(data, *, version: str) -> Cmi:
    """The elements we keep from scorm-again's CMI object `data` ({"cmi": {...}} or the inner
    object); ValidationError (`invalid_cmi`, `cmi_too_large`) on a wrong type or size."""
    if not isinstance(data, dict):
        raise ValidationError(_("The SCORM data must be a JSON object."), code="invalid_cmi")
    cmi = _object(data.get("cmi", data), "cmi")
    if version == "1.2":
        core = _object(cmi.get("core"), "cmi.core")
        score = _object(core.get("score"), "cmi.core.score")
        total = _text(core, "total_time", "cmi.core.total_time", 32)
        return Cmi(
            lesson_status=_vocabulary(
                core, "lesson_status", "cmi.core.lesson_status", LESSON_STATUS_12
            ),
            score_raw=_number(score, "raw", "cmi.core.score.raw", 0, 100),
            score_min=_number(score, "min", "cmi.core.score.min", 0, 100),
            score_max=_number(score, "max", "cmi.core.score.max", 0, 100),
            location=_text(core, "lesson_location", "cmi.core.lesson_location", LOCATION_MAX),
            suspend_data=_text(cmi, "suspend_data", "cmi.suspend_data", SUSPEND_DATA_MAX),
            total_seconds=_seconds_12(total) if total else None,
        )
    score = _object(cmi.get("score"), "cmi.score")
    total = _text(cmi, "total_time", "cmi.total_time", 64)
    return Cmi(
        completion_status=_vocabulary(
            cmi, "completion_status", "cmi.completion_status", COMPLETION_2004
        ),
        success_status=_vocabulary(cmi, "success_status", "cmi.success_status", SUCCESS_2004),
        score_raw=_number(score, "raw", "cmi.score.raw", -1e7, 1e7),
        score_min=_number(score, "min", "cmi.score.min", -1e7, 1e7),
        score_max=_number(score, "max", "cmi.score.max", -1e7, 1e7),
        score_scaled=_number(score, "scaled", "cmi.score.scaled", -1, 1),
        location=_text(cmi, "location", "cmi.location", LOCATION_MAX),
        suspend_data=_text(cmi, "suspend_data", "cmi.suspend_data", SUSPEND_DATA_MAX),
        total_seconds=_seconds_2004(total) if total else None,
    )


def cmi_initial(attempt, *, version: str, learner_id: str, learner_name: str) -> dict:
    """The CMI object scorm-again starts from (`loadFromJSON`): the learner, and where they
    stopped when there is an attempt (entry "resume", location, suspend data, status)."""
    if version == "1.2":
        core = {"student_id": learner_id, "student_name": learner_name}
        cmi = {"core": core}
        if attempt is not None:
            core["entry"] = "resume" if attempt.suspend_data or attempt.location else ""
            core["lesson_location"] = attempt.location
            if attempt.lesson_status:
                core["lesson_status"] = attempt.lesson_status
            if attempt.score_raw is not None:
                core["score"] = {"raw": _fmt(attempt.score_raw)}
            cmi["suspend_data"] = attempt.suspend_data
        return {"cmi": cmi}
    cmi = {"learner_id": learner_id, "learner_name": learner_name}
    if attempt is not None:
        cmi["entry"] = "resume" if attempt.suspend_data or attempt.location else ""
        cmi["location"] = attempt.location
        cmi["suspend_data"] = attempt.suspend_data
        if attempt.completion_status:
            cmi["completion_status"] = attempt.completion_status
        if attempt.success_status:
            cmi["success_status"] = attempt.success_status
    return {"cmi": cmi}


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
