"""Render one example take per chord-changes preset for the README: an OGG and a piano-roll PNG each.

Run: .venv/bin/python scripts/render_examples.py  (uses the shipped model; a few seconds)
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from jazz_core.audio import AudioSettings, render  # noqa: E402
from jazz_core.bundle import load_bundle  # noqa: E402
from jazz_core.changes import PRESETS, parse_changes  # noqa: E402
from jazz_core.midi_writer import chord_spans, voice_chord  # noqa: E402
from jazz_core.pipeline import generate  # noqa: E402
from jazz_core.settings import GenerateSettings, PlaybackSettings  # noqa: E402

COLOURS = {"C": (31, 119, 180), "S": (44, 160, 44), "A": (255, 127, 14), "X": (214, 39, 40)}
OUT = ROOT / "docs" / "examples"
PIXELS_PER_QUARTER, PIXELS_PER_SEMITONE, LOW, HIGH = 14, 5, 40, 90


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def piano_roll(take, path: Path) -> None:
    """Chords as grey bars, the solo's notes coloured by grammar type, bar lines every bar."""
    end = max(n.offset + n.duration for n in take.notes)
    width, height = int(end * PIXELS_PER_QUARTER) + 20, (HIGH - LOW) * PIXELS_PER_SEMITONE + 20
    image = Image.new("RGB", (width, height), (252, 250, 246))
    draw = ImageDraw.Draw(image)

    def y(pitch: int) -> int:
        return 10 + (HIGH - pitch) * PIXELS_PER_SEMITONE

    for start, stop, chord in chord_spans(take.progression, end):
        for pitch in voice_chord(chord.pitches):
            draw.rectangle([10 + start * PIXELS_PER_QUARTER, y(pitch), 10 + stop * PIXELS_PER_QUARTER - 2,
                            y(pitch) + PIXELS_PER_SEMITONE - 1], fill=(215, 212, 205))
        if start % 4 == 0:
            draw.line([10 + start * PIXELS_PER_QUARTER, 0, 10 + start * PIXELS_PER_QUARTER, height],
                      fill=(200, 196, 190))
    for note in take.notes:
        if note.pitch is not None:
            x0 = 10 + note.offset * PIXELS_PER_QUARTER
            draw.rectangle([x0, y(note.pitch), x0 + max(2, note.duration * PIXELS_PER_QUARTER - 1),
                            y(note.pitch) + PIXELS_PER_SEMITONE - 1], fill=COLOURS[note.kind])
    image.save(path)


def main() -> None:
    bundle = load_bundle(ROOT / "assets" / "default_model")
    playback = PlaybackSettings(tempo_bpm=150, swing="medium", bass=True, drums=True, comping=True,
                                solo_program=66, humanize=True)
    OUT.mkdir(parents=True, exist_ok=True)
    for seed, (name, text) in enumerate(PRESETS.items(), start=7):
        bars = parse_changes(text)
        take = generate(bundle, GenerateSettings(values=200, temperature=0.8, seed=seed), playback, bars)
        audio = render(take.midi, AudioSettings())
        (OUT / f"{slug(name)}.ogg").write_bytes(audio.to_ogg())
        piano_roll(take, OUT / f"{slug(name)}.png")
        print(f"{name}: {audio.seconds:.1f} s -> docs/examples/{slug(name)}.ogg, .png")


if __name__ == "__main__":
    main()
