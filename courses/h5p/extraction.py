"""Writing a validated package's members to disk, counting every byte.

The zip directory's sizes were checked by validation; a directory can lie, so extraction
enforces the limits again on what the decompressor actually produces.
"""

import zipfile
import zlib
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .validation import limits


class ExtractionLimitExceeded(Exception):
    pass


def package_extract(
    upload, members: list[str], destination: Path, *, rename=None, budget: int | None = None
) -> int:
    """Write `members` of the archive under `destination`, counting every byte written.

    The directory sizes were checked already; this enforces them again while writing (a member
    that produces more than its declared size, or a total past the limit, stops extraction with
    a ValidationError). `rename(member)` maps a member name to its path below `destination`.
    Returns the number of bytes written. The caller removes `destination` on failure.
    `budget` caps the total written (default: the H5P limit).
    """
    if budget is None:  # the H5P limit; SCORM passes its own
        budget = limits()["max_uncompressed"]
    written = 0
    upload.seek(0)
    with zipfile.ZipFile(upload) as archive:
        for member in members:
            info = archive.getinfo(member)
            target = destination / (rename(member) if rename else member)
            target.parent.mkdir(parents=True, exist_ok=True)
            member_written = 0
            try:
                with archive.open(info) as source, open(target, "xb") as sink:
                    while chunk := source.read(64 * 1024):
                        member_written += len(chunk)
                        written += len(chunk)
                        if member_written > info.file_size or written > budget:
                            raise ExtractionLimitExceeded
                        sink.write(chunk)
            except ExtractionLimitExceeded as error:
                raise ValidationError(
                    _("%(file)s: unpacks to more than the archive declares (a zip bomb?)."),
                    code="zip_bomb",
                    params={"file": member},
                ) from error
            except (zipfile.BadZipFile, zlib.error, EOFError) as error:
                raise ValidationError(
                    _("%(file)s: the file is damaged inside the archive."),
                    code="corrupt_member",
                    params={"file": member},
                ) from error
    return written
