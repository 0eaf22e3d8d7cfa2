"""Synthesised narration: a lesson read by espeak-ng (the Debian package `espeak-ng`).

Used by the demo (`seed_demo`) to give one course a voice; a trainer's recorded voice is
better and is added the same way (an audio block marked as the lesson's narration). The
result is kept small for phones: mono, low bitrate — Ogg/Opus when ffmpeg is installed, else
a WAV at 11 kHz, 8 bits (about 11 KB a second). Without espeak-ng nothing is made and the
caller says so: the demo still works, without voices.
"""

import io
import shutil
import subprocess
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path

ESPEAK_VOICE = "vi"  # Northern Vietnamese; "vi-vn-x-central" and "vi-vn-x-south" exist too
ESPEAK_WORDS_PER_MINUTE = 140  # a little slower than espeak's default, for new listeners


@dataclass(frozen=True)
class Narration:
    data: bytes
    extension: str  # "opus" or "wav"
    seconds: float


def narration_available() -> bool:
    return shutil.which("espeak-ng") is not None


def _wav_small(data: bytes) -> bytes:
    """espeak-ng's 22,050 Hz 16-bit mono WAV as 11,025 Hz 8-bit mono: a quarter of the size,
    still clear for a synthetic voice (pairs of samples averaged, then 8-bit unsigned PCM)."""
    with wave.open(io.BytesIO(data)) as source:
        channels, width, rate = source.getnchannels(), source.getsampwidth(), source.getframerate()
        frames = source.readframes(source.getnframes())
    if channels != 1 or width != 2:
        return data
    samples = memoryview(frames).cast("h")
    out = bytearray(len(samples) // 2)
    for i in range(len(out)):
        mean = (samples[2 * i] + samples[2 * i + 1]) // 2
        out[i] = (mean >> 8) + 128
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as target:
        target.setnchannels(1)
        target.setsampwidth(1)
        target.setframerate(rate // 2)
        target.writeframes(bytes(out))
    return buffer.getvalue()


def narration_synthesise(text: str, *, voice: str = ESPEAK_VOICE) -> Narration | None:
    """The text read aloud, or None when espeak-ng is not installed."""
    espeak = shutil.which("espeak-ng")
    if espeak is None:
        return None
    with tempfile.TemporaryDirectory() as folder:
        raw = Path(folder) / "narration.wav"
        subprocess.run(
            [espeak, "-v", voice, "-s", str(ESPEAK_WORDS_PER_MINUTE), "-w", str(raw), "--stdin"],
            input=text.encode("utf-8"),
            check=True,
            capture_output=True,
            timeout=120,
        )
        data = raw.read_bytes()
        with wave.open(io.BytesIO(data)) as source:
            seconds = source.getnframes() / source.getframerate()
        ffmpeg = shutil.which("ffmpeg")
        if ffmpeg is not None:
            encoded = Path(folder) / "narration.opus"
            done = subprocess.run(
                [ffmpeg, "-loglevel", "error", "-i", str(raw), "-ac", "1", "-c:a", "libopus"]
                + ["-b:a", "16k", "-application", "voip", str(encoded)],
                capture_output=True,
                timeout=120,
            )
            if done.returncode == 0 and encoded.exists():
                return Narration(encoded.read_bytes(), "opus", seconds)
        return Narration(_wav_small(data), "wav", seconds)
