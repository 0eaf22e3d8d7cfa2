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
from django.db import transaction
from django.utils import timezone

from .achievement import Criteria, TargetReport
from .reports import target_report

VERSION_KEY = "targets:data-version"


def cache_seconds() -> int:
    return settings.LMS_TARGETS_CACHE_SECONDS


def data_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = int(timezone.now().timestamp())  # a fresh cache never meets old keys
        cache.add(VERSION_KEY, version, timeout=None)
    return version


def data_version_bump() -> None:
    """Invalidate every cached target page once the current transaction commits."""

    def bump():
        try:
            cache.incr(VERSION_KEY)
        except ValueError:
            cache.set(VERSION_KEY, int(timezone.now().timestamp()), timeout=None)

    transaction.on_commit(bump)


def cached_target_report(target, *, unit, criteria: Criteria) -> TargetReport:
    seconds = cache_seconds()
    if seconds <= 0:
        return target_report(target, unit=unit, criteria=criteria)
    digest = hashlib.sha256(repr(criteria).encode()).hexdigest()[:16]
    key = (
        f"targets:report:{target.pk}:{target.updated_at.timestamp()}:{unit.pk}:{digest}:"
        f"{data_version()}:{timezone.localdate().isoformat()}"
    )
    report = cache.get(key)
    if report is None:
        report = target_report(target, unit=unit, criteria=criteria)
        report.computed_at = timezone.now()
        cache.set(key, report, seconds)
    report.cache_key = key
    return report
