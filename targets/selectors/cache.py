"""A target page's figures, cached for a few minutes so a busy dashboard does not rescan
millions of enrolments on every view.

The key holds the target (and when it was last edited), the unit, the filters and a data
version that every completion and every population change bumps (after commit), so a new
completion shows on the next view; what bumps nothing (a learner changing unit or target
group) shows within `LMS_TARGETS_CACHE_SECONDS` (default 300; 0 turns the cache off). The page
says when its figures were counted.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from core.cache import UNKNOWN_VERSION, Version

from .achievement import Criteria, TargetReport
from .reports import target_report

DATA = Version("targets:data-version")
VERSION_KEY = DATA.key


def cache_seconds() -> int:
    return settings.LMS_TARGETS_CACHE_SECONDS


def data_version() -> int:
    return DATA.current()


def data_version_bump() -> None:
    """Invalidate every cached target page once the current transaction commits."""
    DATA.bump_after_commit()


def cached_target_report(target, *, unit, criteria: Criteria) -> TargetReport:
    seconds = cache_seconds()
    version = data_version()
    if seconds <= 0 or version == UNKNOWN_VERSION:  # off, or the cache cannot be read
        return target_report(target, unit=unit, criteria=criteria)
    digest = hashlib.sha256(repr(criteria).encode()).hexdigest()[:16]
    key = (
        f"targets:report:{target.pk}:{target.updated_at.timestamp()}:{unit.pk}:{digest}:"
        f"{version}:{timezone.localdate().isoformat()}"
    )
    report = cache.get(key)
    if report is None:
        report = target_report(target, unit=unit, criteria=criteria)
        report.computed_at = timezone.now()
        cache.set(key, report, seconds)
    report.cache_key = key
    return report
