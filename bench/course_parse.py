"""The course's way from original_metheny.mid to grammar values, on music21 10.5: the reference for preprocessing.

A port of deepjazz's preprocess.py and grammar.py (Ji-Sung Kim and Evan Chow, Apache-2.0) as
far as the values: music21 parses the whole 19-track file (`quantizePost=False`, so that fast
notes are not gathered into chords), the guitar's notes are joined across bar lines
(`stripTies`), offsets and durations go to the course's grid, the solo (offsets 476-548) is
grouped by 4/4 measure, and each note is judged against the last piano chord with music21's
theory: pitch names for chord tones, a derived Dorian or major scale for scale tones, transposed
chord pitches for approach tones, and `interval.Interval` plus or minus a minor third for the
leap window. Only the benchmarks use this; its cost, not its exact corpus, is the point.
"""

from __future__ import annotations

import time
from itertools import groupby


def _grid(quarters: float) -> float:
    """The course's quantisation: the nearest multiple of 1/4 or 1/3, whichever is closer."""
    sixteenth, triplet = round(quarters * 4) / 4, round(quarters * 3) / 3
    return sixteenth if abs(sixteenth - quarters) <= abs(triplet - quarters) else triplet


def _is_scale_tone(last_chord, element) -> bool:
    from music21 import scale

    kind = scale.MajorScale() if last_chord.quality == "major" else scale.DorianScale()
    names = {p.name for p in kind.derive(last_chord).getPitches()}
    return element.name in names


def _is_approach_tone(last_chord, element) -> bool:
    for pitch in last_chord.pitches:
        up, down = pitch.transpose(1), pitch.transpose(-1)
        if element.name in (down.name, down.getEnharmonic().name, up.name, up.getEnharmonic().name):
            return True
    return False


def _element_type(element, last_chord) -> str:
    from music21 import chord

    if isinstance(element, chord.Chord) or element.name in last_chord.pitchNames:
        return "C"
    if _is_scale_tone(last_chord, element):
        return "S"
    if _is_approach_tone(last_chord, element):
        return "A"
    return "X"


def parse_melody(notes: list, chords: list) -> list[str]:
    """One measure's values, as the course's grammar.parse_melody writes them."""
    from music21 import interval, note

    values, previous = [], None
    for element in notes:
        before = [c for c in chords if c.offset <= element.offset]
        last_chord = before[-1] if before else chords[0]
        text = f"{_element_type(element, last_chord)},{float(element.quarterLength):.3f}"
        if isinstance(element, note.Note):
            if previous is not None:
                leap = interval.Interval(noteStart=previous, noteEnd=element)
                upper, lower = interval.add([leap, "m3"]), interval.subtract([leap, "m3"])
                text += f",<{upper.directedName},{lower.directedName}>"
            previous = element
        values.append(text)
    return values


def _in_solo(elements, start: float = 476, end: float = 548) -> list:
    """Elements of the solo, placed on the course's grid (offsets and durations apart; zero lengths become 1/4)."""
    kept = []
    for element in elements:
        offset = _grid(float(element.offset))
        if start <= offset < end:
            element.offset = offset
            element.quarterLength = _grid(float(element.quarterLength)) or 0.25
            kept.append(element)
    return sorted(kept, key=lambda e: e.offset)


def course_values(path: str) -> dict:
    """Parse (from the file, not music21's pickle cache), strip ties, group and judge; the seconds of each step."""
    started = time.perf_counter()
    from music21 import chord, converter

    imported = time.perf_counter()
    score = converter.parse(path, quantizePost=False, forceSource=True)
    parsed = time.perf_counter()
    parts = list(score.parts)
    melody = _in_solo(parts[5].stripTies().flatten().notes)
    harmony = _in_solo(parts[0].flatten().getElementsByClass(chord.Chord))
    stripped = time.perf_counter()
    chords_by_bar = {bar: list(group) for bar, group in groupby(harmony, lambda c: int(c.offset // 4))}
    values = []
    for bar, group in groupby(melody, lambda n: int(n.offset // 4)):
        earlier = [b for b in chords_by_bar if b <= bar]
        chords = chords_by_bar[max(earlier) if earlier else min(chords_by_bar)]
        values += parse_melody(list(group), chords)
    judged = time.perf_counter()
    converter.parse(path, quantizePost=False)  # again: music21 now reads the pickle it saved the first time
    again = time.perf_counter()
    return {"import_seconds": imported - started, "parse_seconds": parsed - imported,
            "strip_seconds": stripped - parsed, "grammar_seconds": judged - stripped,
            "cached_parse_seconds": again - judged, "values": len(values), "unique": len(set(values))}
