"""The attempt policy as a pure computation over times, shared by the services (which enforce
it) and the selectors (which show it).

A window holds `attempts` counted attempts (plus any granted in it). Once they are used up,
the learner is locked until `wait` after the last one; the next attempt after that opens a new
window. A grant adds one attempt to the current window and lifts a lock. An attempt counts
when it is graded or when it expires unsubmitted, at that moment; an open attempt does not
count yet (there is at most one, see `QuizAttempt`'s constraint).
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class PolicyState:
    allowed: int  # attempts in the current window, grants included
    used: int  # counted attempts in the current window
    locked_until: datetime.datetime | None  # set while no attempt is left

    @property
    def remaining(self) -> int:
        return 0 if self.locked_until is not None else max(0, self.allowed - self.used)


def policy_state(
    *,
    attempts: int,
    wait: datetime.timedelta,
    used_at: Iterable[datetime.datetime],
    granted_at: Iterable[datetime.datetime],
    now: datetime.datetime,
) -> PolicyState:
    """Where a learner stands at `now`, from the times their attempts counted and their grants."""
    events = sorted([(t, 0) for t in granted_at] + [(t, 1) for t in used_at])
    allowed, used, locked_until = attempts, 0, None
    for moment, is_attempt in events:
        if locked_until is not None and moment >= locked_until:
            allowed, used, locked_until = attempts, 0, None
        if is_attempt:
            used += 1
            if used >= allowed:
                locked_until = moment + wait
        else:
            allowed += 1
            locked_until = None if used < allowed else locked_until
    if locked_until is not None and now >= locked_until:
        allowed, used, locked_until = attempts, 0, None
    return PolicyState(allowed=allowed, used=used, locked_until=locked_until)
