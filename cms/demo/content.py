"""Demo content for seed_demo, read from the data files in `cms/demo/data/` (Vietnamese):
`site.yaml` (home and About pages), `news.yaml`, and one folder per course under `courses/`
holding `course.yaml` and its lessons as numbered files (`01-<slug>.yaml`, ...), each lesson's
body a list of `[block type, value]` pairs as the lesson page's StreamField takes them, the
final quiz with its whole question bank (each attempt draws 5 of at least 15, so repeating
the quiz to guess is useless; `topic` names the lesson to review, `explanation` is shown once
the learner passes).

A trainer or translator edits the files, not Python; `seed_demo` loads them.
`translations/` holds sample translations of lessons (one file per lesson and language: the
Vietnamese text of each segment and its translation), loaded through wagtail-localize.
"""

from functools import cache
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parent / "data"


def _read(path: Path):
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@cache
def courses() -> list[dict]:
    """Every demo course with its lessons, in catalogue order (`order` in course.yaml)."""
    loaded = []
    for folder in sorted(p for p in (DATA / "courses").iterdir() if p.is_dir()):
        course = _read(folder / "course.yaml")
        course["lessons"] = [_read(path) for path in sorted(folder.glob("[0-9][0-9]-*.yaml"))]
        loaded.append(course)
    return sorted(loaded, key=lambda course: course["order"])


_site = _read(DATA / "site.yaml")
HOME = _site["home"]
ABOUT = _site["about"]
NEWS = _read(DATA / "news.yaml")["news"]
COURSES = courses()
TRANSLATIONS = [_read(path) for path in sorted((DATA / "translations").glob("*.yaml"))]
