"""Write the README's lead sheet: the shipped model's blues take (render_examples.py's settings) as MusicXML and SVG.

Run: .venv/bin/python scripts/render_lead_sheet.py  (uses the shipped model; about a second)
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from jazz_core import engraving  # noqa: E402
from jazz_core.bundle import load_bundle  # noqa: E402
from jazz_core.changes import PRESETS, parse_changes  # noqa: E402
from jazz_core.pipeline import generate  # noqa: E402
from jazz_core.settings import GenerateSettings, PlaybackSettings  # noqa: E402

OUT = ROOT / "docs" / "examples"
PRESET, SEED = "12-bar blues in F", 7  # the first example of render_examples.py, with its settings


def main() -> None:
    bundle = load_bundle(ROOT / "assets" / "default_model")
    playback = PlaybackSettings(tempo_bpm=150, swing="medium", bass=True, drums=True, comping=True,
                                solo_program=66, humanize=True)
    take = generate(bundle, GenerateSettings(values=200, temperature=0.8, seed=SEED), playback,
                    parse_changes(PRESETS[PRESET]))
    for part, suffix in (("concert", ""), ("bb-tenor", "-tenor")):
        sheet = engraving.take_sheet(take, part, f"Solo over a {PRESET}")
        score = engraving.musicxml(sheet)
        drawn = engraving.svg(score, engraving.note_kinds(sheet)).replace("<svg ", '<svg style="background:white" ', 1)
        (OUT / f"12-bar-blues-in-f{suffix}.musicxml").write_bytes(score)
        (OUT / f"12-bar-blues-in-f{suffix}.svg").write_text(drawn)
        print(f"{part}: {len(sheet.bars)} bars -> docs/examples/12-bar-blues-in-f{suffix}.musicxml, .svg")


if __name__ == "__main__":
    main()
