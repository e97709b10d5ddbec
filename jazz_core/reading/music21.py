"""Reading MusicXML and ABC with music21, for uploads in a child process with a time budget.

The child (`python -m jazz_core.reading.music21 KIND TITLE`) reads the score's bytes on stdin
and answers with the `RawScore` as JSON (`raw_to_json` / `raw_from_json`), so a file that would
keep music21 busy for ever is stopped. music21 objects never leave this module.
"""

from __future__ import annotations

import io
import json
import os
import re
import sys
import tempfile
import zipfile
from dataclasses import asdict

from jazz_core.errors import BadScoreError
from jazz_core.music import snap
from jazz_core.reading.child import answer, run_child
from jazz_core.reading.raw import (
    MAX_BARS,
    MAX_NOTE_QUARTERS,
    MAX_NOTES,
    RawScore,
    Track,
    bar_lines,
    check_size,
    meters_of_bars,
    one_line,
    playback_tempo,
    quantize,
)

PARSE_SECONDS = 30.0  # time budget for music21 to read an uploaded MusicXML or ABC file
MAX_MXL_UNPACKED = 64_000_000  # a compressed MusicXML (.mxl) may unpack to this much, all members together
MAX_MXL_MEMBERS = 64


def check_mxl(data: bytes) -> None:
    """Refuse an .mxl whose members would unpack to more than MAX_MXL_UNPACKED (a zip bomb), from its directory."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise BadScoreError("This compressed MusicXML (.mxl) file is damaged: it is not a readable zip.") from None
    unpacked = sum(member.file_size for member in members)
    if len(members) > MAX_MXL_MEMBERS or unpacked > MAX_MXL_UNPACKED:
        raise BadScoreError(f"This compressed MusicXML (.mxl) file unpacks to {unpacked / 1e6:.0f} MB in "
                            f"{len(members)} files; at most {MAX_MXL_UNPACKED // 1_000_000} MB can be read.")


_ABC_BAR_LINE = re.compile(rb"[:\[]*\|[\]|:0-9]*")


def _score_text(data: bytes, kind: str) -> bytes:
    """The MusicXML or ABC text itself (for an .mxl, its largest member, already capped by check_mxl)."""
    if kind != "mxl":
        return data
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        largest = max(archive.infolist(), key=lambda member: member.file_size)
        return archive.read(largest)


_XML_METER = re.compile(rb"<(beats|beat-type)>\s*([^<]*?)\s*</\1>")
_ABC_METER = re.compile(rb"^M:\s*([^\s%]*)", re.M)
_METER_PART = re.compile(rb"^\d{1,2}$")


def check_meters(data: bytes, kind: str) -> None:
    """Refuse a time signature music21 cannot hold (1e-300 beats sends it into a loop that never ends):
    beats a sum of whole numbers up to 99, beat types up to 99 (checked in the text, before parsing)."""
    text = _score_text(data, kind)
    found = [value for _, value in _XML_METER.findall(text)] if kind != "abc" else \
        [part for meter in _ABC_METER.findall(text) if meter not in (b"C", b"C|", b"none", b"")
         for part in meter.replace(b"/", b"+").split(b"+")]
    for value in found:
        if not all(_METER_PART.match(part.strip(b"() ")) and int(part.strip(b"() ")) > 0
                   for part in value.split(b"+")):
            shown = value[:20].decode(errors="replace")
            raise BadScoreError(f"This score has a time signature with {shown!r} in it, which cannot be read; "
                                "write meters like 4/4, 3/4 or 6/8.")


def count_bars(data: bytes, kind: str) -> int:
    """Bars per part, counted in the text before music21 parses it (music21 takes minutes on thousands)."""
    text = _score_text(data, kind)
    if kind == "abc":
        voices = max(1, len(set(re.findall(rb"^V:\s*(\S+)", text, re.M))))
        return len(_ABC_BAR_LINE.findall(text)) // voices
    parts = 1 if b"score-timewise" in text[:4096] else max(1, len(re.findall(rb"<score-part[\s>]", text)))
    return len(re.findall(rb"<measure[\s>]", text)) // parts


def _music21_stream(data: bytes, kind: str):
    from music21 import converter

    suffix = {"mxl": ".mxl", "musicxml": ".musicxml", "abc": ".abc"}[kind]
    if kind == "mxl":
        check_mxl(data)
    check_meters(data, kind)
    bars = count_bars(data, kind)
    if bars > MAX_BARS:
        raise BadScoreError(f"This score runs for {bars} bars; at most {MAX_BARS} can be read, so split it "
                            "into shorter files.")
    handle, path = tempfile.mkstemp(suffix=suffix)  # our own name, never the user's
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        return converter.parse(path)
    except Exception as error:
        raise BadScoreError(f"music21 could not read this {kind.upper()} file ({one_line(error)}).") from None
    finally:
        os.unlink(path)


LATEST_QUARTERS = 1e100  # beyond, the grid arithmetic overflows; the size caps refuse long bars well before


def _timed(quarters, endless: bool = False) -> float:
    """A time in quarters from music21, refused when it is no time at all (NaN, or beyond any score's end unless
    `endless`: a note's length, which is cut later like a stuck MIDI note)."""
    value = float(quarters)
    if value != value or (abs(value) > LATEST_QUARTERS and not endless):
        raise BadScoreError("This score has a note or bar at an impossible time or of an impossible length "
                            f"({value:g} quarters); export it again from your notation program.")
    return value


def _part_track(part, index: int, symbols: list) -> Track:
    """One music21 part as a Track; its chord symbols are appended to `symbols`."""
    from music21 import harmony

    notes = []
    for element in part.flatten().notes:
        if len(notes) > MAX_NOTES:
            check_size((), len(notes))
        if isinstance(element, harmony.ChordSymbol):
            pitches = tuple(p.midi for p in element.pitches)
            if pitches:
                symbols.append((quantize(float(element.offset)), pitches, element.figure))
            continue
        offset, length = _timed(element.offset), _timed(element.quarterLength, endless=True)
        offset, duration = quantize(offset), quantize(min(length, MAX_NOTE_QUARTERS))  # as MIDI: a stuck note is cut
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
    if len(measures) > MAX_BARS:
        raise BadScoreError(f"This score runs for {len(measures)} bars; at most {MAX_BARS} can be read, so split it "
                            "into shorter files.")
    bars = tuple((snap(_timed(m.offset)), snap(_timed(m.duration.quarterLength))) for m in measures)
    changes = [(snap(float(m.offset)), m.timeSignature.ratioString) for m in measures if m.timeSignature]
    check_size([length for _, length in bars], sum(len(t.notes) for t in tracks))
    end = max((o + d for t in tracks for o, d, _ in t.notes), default=0.0)
    bars = tuple(b for b in bars if b[1] > 0) or bar_lines([(0.0, 4.0)], end)
    flat = score.flatten()
    tempos = tuple(float(m.getQuarterBPM()) for m in flat.getElementsByClass(tempo.MetronomeMark) if m.getQuarterBPM())
    meters = tuple(dict.fromkeys(ts.ratioString for ts in flat.getElementsByClass("TimeSignature")))
    name = title or (score.metadata.title if score.metadata and score.metadata.title else "")
    return RawScore(name or "Score", tuple(tracks), bars, tuple(sorted(symbols)),
                    playback_tempo(tempos[0]) if tempos else 120.0, meters or ("4/4",), tempos, 0.0,
                    meters_of_bars(changes, bars))


def read_music21_isolated(data: bytes, kind: str, title: str) -> RawScore:
    """read_music21 in a child Python, answering in JSON, within PARSE_SECONDS and the child's memory cap."""
    if kind == "mxl":
        check_mxl(data)  # refused here, before a child is started
    found = run_child("jazz_core.reading.music21", [kind, title], data, PARSE_SECONDS, kind.upper())
    try:
        return raw_from_json(found)
    except (KeyError, TypeError, ValueError):
        raise BadScoreError(f"music21 could not read this {kind.upper()} file.") from None


def raw_to_json(raw: RawScore) -> str:
    """A RawScore as JSON text (the child's answer); `raw_from_json` decodes it."""
    return json.dumps(asdict(raw))


def raw_from_json(data: dict) -> RawScore:
    """The RawScore that `raw_to_json` wrote (already parsed from JSON)."""
    tracks = tuple(Track(t["name"], tuple(tuple(n) for n in t["notes"]), t["is_drum"], t["program"])
                   for t in data["tracks"])
    symbols = tuple((o, tuple(p), f) for o, p, f in data["chord_symbols"])
    return RawScore(data["title"], tracks, tuple(tuple(b) for b in data["bars"]), symbols, data["tempo_bpm"],
                    tuple(data["meters"]), tuple(data["tempos"]), float(data.get("off_grid", 0.0)),
                    tuple(data.get("bar_meters", ())))


def _worker() -> None:
    """The child side of read_music21_isolated: score bytes on stdin, the RawScore as JSON on stdout."""
    kind, title = sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else ""
    answer(lambda data: raw_to_json(read_music21(data, kind, title)), kind.upper())


if __name__ == "__main__":
    _worker()
