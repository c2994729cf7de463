"""Write the alert chimes (resources/sounds/*.wav): short, soft, bell-like, made here.

    python resources/sounds/make_chimes.py          # rewrites the three WAV files
    python resources/sounds/make_chimes.py --check  # exit 1 if a file differs from what this writes

Each note is a few sine partials of a struck bar (1, 2.76, 5.4 x the fundamental, as a
marimba or a glockenspiel rings), a 6 ms attack so it never clicks, and an exponential
decay; notes overlap like a two- or three-stroke door chime. 44.1 kHz, 16-bit mono,
peaks at -6 dBFS: pleasant at the desk, heard across a floor, never harsh. The app sets
the volume. Pure standard library and deterministic, so the files are reproducible
byte for byte (the tests check this); our own work, no third-party audio (CC0 like the
rest of this folder, see README.md).

- ``breach.wav``: two notes falling (E5 -> C5), a contact waited past its SLA.
- ``escalation.wav``: three notes rising (C5 E5 G5), an escalation is due within 15 minutes.
- ``feed_lost.wav``: two low notes (G4 -> D4), softer, the live data stopped.
"""

from __future__ import annotations

import argparse
import math
import struct
import sys
import wave
from pathlib import Path

RATE = 44_100
PEAK = 0.5  # -6 dBFS
PARTIALS = ((1.0, 1.0), (2.76, 0.32), (5.40, 0.10))  # (ratio to the fundamental, amplitude)
ATTACK_S = 0.006

# name: [(start s, frequency Hz, decay time constant s, loudness)], total length s
CHIMES: dict[str, tuple[list[tuple[float, float, float, float]], float]] = {
    "breach": ([(0.00, 659.26, 0.30, 1.0), (0.22, 523.25, 0.45, 1.0)], 1.3),
    "escalation": ([(0.00, 523.25, 0.28, 0.9), (0.16, 659.26, 0.28, 0.9), (0.32, 783.99, 0.50, 1.0)], 1.5),
    "feed_lost": ([(0.00, 392.00, 0.40, 0.8), (0.30, 293.66, 0.50, 0.8)], 2.0),
}


def samples(name: str) -> list[float]:
    notes, length = CHIMES[name]
    n = int(length * RATE)
    out = [0.0] * n
    for start, freq, tau, loud in notes:
        first = int(start * RATE)
        for i in range(first, n):
            t = (i - first) / RATE
            env = min(1.0, t / ATTACK_S) * math.exp(-t / tau)
            if env < 1e-4 and t > ATTACK_S:
                break
            # higher partials die faster, as on a real bar
            value = sum(a * math.exp(-t * (r - 1.0) * 2.0) * math.sin(2 * math.pi * freq * r * t)
                        for r, a in PARTIALS)
            out[i] += loud * env * value
    # a 20 ms fade at the very end so the file never stops on a step
    fade = int(0.02 * RATE)
    for k in range(fade):
        out[n - 1 - k] *= k / fade
    top = max(abs(v) for v in out) or 1.0
    return [v * PEAK / top for v in out]


def wav_bytes(name: str) -> bytes:
    import io

    frames = b"".join(struct.pack("<h", round(v * 32767)) for v in samples(name))
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(frames)
    return buf.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args(argv)
    here = Path(__file__).resolve().parent
    differ = []
    for name in CHIMES:
        data = wav_bytes(name)
        target = here / f"{name}.wav"
        if args.check:
            if not target.is_file() or target.read_bytes() != data:
                differ.append(target.name)
        else:
            target.write_bytes(data)
            print(f"wrote {target} ({len(data)} bytes)")
    if differ:
        print("differ from make_chimes.py: " + ", ".join(differ), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
