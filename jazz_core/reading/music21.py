"""Reading MusicXML and ABC with music21, for uploads in a child process with a time budget.

The child (`python -m jazz_core.reading.music21 KIND TITLE`) reads the score's bytes on stdin
and answers with the `RawScore` as JSON (`raw_to_json` / `raw_from_json`), so a file that would
keep music21 busy for ever is stopped. music21 objects never leave this module.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import asdict

from jazz_core.errors import BadScoreError
from jazz_core.music import snap
from jazz_core.reading.raw import RawScore, Track, bar_lines, quantize

PARSE_SECONDS = 30.0  # time budget for music21 to read an uploaded MusicXML or ABC file


def _music21_stream(data: bytes, kind: str):
    from music21 import converter

    suffix = {"mxl": ".mxl", "musicxml": ".musicxml", "abc": ".abc"}[kind]
    handle, path = tempfile.mkstemp(suffix=suffix)  # our own name, never the user's
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        return converter.parse(path)
    except Exception as error:
        raise BadScoreError(f"music21 could not read this {kind.upper()} file ({error}).") from None
    finally:
        os.unlink(path)


def _part_track(part, index: int, symbols: list) -> Track:
    """One music21 part as a Track; its chord symbols are appended to `symbols`."""
    from music21 import harmony

    notes = []
    for element in part.flatten().notes:
        if isinstance(element, harmony.ChordSymbol):
            pitches = tuple(p.midi for p in element.pitches)
            if pitches:
                symbols.append((quantize(float(element.offset)), pitches, element.figure))
            continue
        offset, duration = quantize(float(element.offset)), quantize(float(element.quarterLength))
        for pitch in element.pitches:
            notes.append((offset, duration, pitch.midi))
    name = part.partName or f"Part {index + 1}"
    drum = "percussion" in type(part.getInstrument(returnDefault=True)).__name__.lower()
    return Track(name, tuple(notes), drum)


def read_music21(data: bytes, kind: str, title: str = "") -> RawScore:
    """A MusicXML or ABC score's parts, chord symbols, bars and tempo."""
    from music21 import tempo

    score = _music21_stream(data, kind)
    parts = list(getattr(score, "parts", [])) or [score]
    symbols: list = []
    tracks = [_part_track(part, index, symbols) for index, part in enumerate(parts)]
    measures = parts[0].getElementsByClass("Measure")
    bars = tuple((snap(float(m.offset)), snap(float(m.duration.quarterLength))) for m in measures)
    end = max((o + d for t in tracks for o, d, _ in t.notes), default=0.0)
    bars = tuple(b for b in bars if b[1] > 0) or bar_lines([(0.0, 4.0)], end)
    flat = score.flatten()
    tempos = tuple(float(m.getQuarterBPM()) for m in flat.getElementsByClass(tempo.MetronomeMark) if m.getQuarterBPM())
    meters = tuple(dict.fromkeys(ts.ratioString for ts in flat.getElementsByClass("TimeSignature")))
    name = title or (score.metadata.title if score.metadata and score.metadata.title else "")
    return RawScore(name or "Score", tuple(tracks), bars, tuple(sorted(symbols)), tempos[0] if tempos else 120.0,
                    meters or ("4/4",), tempos)


def read_music21_isolated(data: bytes, kind: str, title: str) -> RawScore:
    """read_music21 in a child Python, answering in JSON, within PARSE_SECONDS."""
    try:
        done = subprocess.run([sys.executable, "-m", "jazz_core.reading.music21", kind, title], input=data,
                              capture_output=True, timeout=PARSE_SECONDS, check=False)
    except subprocess.TimeoutExpired:
        raise BadScoreError(f"Reading this {kind.upper()} file took longer than {PARSE_SECONDS:g} s, so it was "
                            "stopped. Try a shorter score, or export it as MIDI.") from None
    try:
        answer = json.loads(done.stdout)
    except ValueError:
        raise BadScoreError(f"music21 could not read this {kind.upper()} file.") from None
    if "error" in answer:
        raise BadScoreError(answer["error"])
    return raw_from_json(answer)


def raw_to_json(raw: RawScore) -> str:
    """A RawScore as JSON text (the child's answer); `raw_from_json` decodes it."""
    return json.dumps(asdict(raw))


def raw_from_json(data: dict) -> RawScore:
    """The RawScore that `raw_to_json` wrote (already parsed from JSON)."""
    tracks = tuple(Track(t["name"], tuple(tuple(n) for n in t["notes"]), t["is_drum"], t["program"])
                   for t in data["tracks"])
    symbols = tuple((o, tuple(p), f) for o, p, f in data["chord_symbols"])
    return RawScore(data["title"], tracks, tuple(tuple(b) for b in data["bars"]), symbols, data["tempo_bpm"],
                    tuple(data["meters"]), tuple(data["tempos"]))


def _worker() -> None:
    """The child side of read_music21_isolated: score bytes on stdin, the RawScore as JSON on stdout."""
    kind, title = sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else ""
    try:
        answer = raw_to_json(read_music21(sys.stdin.buffer.read(), kind, title))
    except BadScoreError as error:
        answer = json.dumps({"error": str(error)})
    sys.stdout.write(answer)


if __name__ == "__main__":
    _worker()
