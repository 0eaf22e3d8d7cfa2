"""Audio in lessons: which files an audio block accepts, and the lesson's narration.

An audio block plays a Wagtail document in a plain `<audio src>` element (so a phone's offline
cache can keep the file). The server decides what may be played: an allowed extension, a size
under `LMS_AUDIO_MAX_BYTES`, and the first bytes of the file must match that audio format (a
renamed PDF or HTML page is refused before a learner's browser ever fetches it).

A block marked as the lesson's *narration* is what the lesson's "Listen" button plays; a
synthesised voice (e.g. the demo's espeak-ng narration) is marked so learners are told.
"""

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

MP3_FRAME_STARTS = (b"\xff\xfb", b"\xff\xf3", b"\xff\xf2")
# Extension -> (MIME type, test on the file's first bytes).
AUDIO_FORMATS = {
    "mp3": ("audio/mpeg", lambda head: head[:3] == b"ID3" or head[:2] in MP3_FRAME_STARTS),
    "ogg": ("audio/ogg", lambda head: head[:4] == b"OggS"),
    "opus": ("audio/ogg", lambda head: head[:4] == b"OggS"),
    "m4a": ("audio/mp4", lambda head: head[4:8] == b"ftyp"),
    "wav": ("audio/wav", lambda head: head[:4] == b"RIFF" and head[8:12] == b"WAVE"),
}


def audio_max_bytes() -> int:
    return settings.LMS_AUDIO_MAX_BYTES


def audio_file_problem(document) -> str | None:
    """Why this document cannot be a lesson's audio (in the user's language), or None."""
    name = (document.file.name or "").rsplit("/", 1)[-1]
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in AUDIO_FORMATS:
        return _("“%(name)s” is not an audio file. Allowed: %(allowed)s.") % {
            "name": name,
            "allowed": ", ".join(sorted(AUDIO_FORMATS)),
        }
    try:
        size = document.file.size
        with document.file.open("rb") as handle:
            head = handle.read(16)
    except OSError:
        return _("The audio file “%(name)s” cannot be read; upload it again.") % {"name": name}
    if size > audio_max_bytes():
        return _("The audio file is too big (%(size)s); the limit is %(limit)s.") % {
            "size": filesizeformat(size),
            "limit": filesizeformat(audio_max_bytes()),
        }
    if not AUDIO_FORMATS[extension][1](head):
        return _("“%(name)s” does not contain %(kind)s audio; export it again as %(kind)s.") % {
            "name": name,
            "kind": extension.upper(),
        }
    return None


def audio_mime_type(document) -> str:
    name = (document.file.name or "").lower()
    return AUDIO_FORMATS.get(name.rsplit(".", 1)[-1], ("audio/mpeg",))[0]


def lesson_narration(body):
    """The lesson's narration block (the first audio block marked as narration), or None."""
    for block in body:
        if block.block_type == "audio" and block.value.get("narration"):
            return block
    return None
