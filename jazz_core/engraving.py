"""Writing a lead sheet: MusicXML by music21, and an SVG engraved from it by verovio, notes coloured by type.

The MusicXML is black and white, for notation programs; the SVG's notes are coloured afterwards,
in score order, as on the piano roll (colouring inside music21 cost a tenth of the export).

music21 objects stay inside this module: `musicxml` takes a plain `LeadSheet` and returns bytes,
`svg` takes MusicXML bytes and returns SVG text. Bars are built complete (ties, tuplets and rests
and shown accidentals already decided by `jazz_core.notation`; beams by the beat here), so music21
only brackets the tuplets: its general `makeNotation`, beaming and accidental passes, which took
most of the time, are not run, and the engraver sets the stems.
"""

from __future__ import annotations

import copy
import re
import threading
from collections.abc import Sequence
from fractions import Fraction
from functools import lru_cache

from jazz_core.errors import JazzError
from jazz_core.notation import Bar, ChordSymbol, LeadSheet, WrittenNote, beat_of
from jazz_core.roll import KIND_COLOURS  # as on the piano roll

SVG_OPTIONS = {  # one tall page, as wide as a screen, scaling with the element it is shown in
    "pageWidth": 1600, "pageHeight": 60000, "adjustPageHeight": True, "scale": 40, "svgViewBox": True,
    "breaks": "auto", "mnumInterval": 1, "header": "auto", "footer": "none", "pageMarginTop": 50,
    "pageMarginBottom": 50, "pageMarginLeft": 50, "pageMarginRight": 50, "svgHtml5": True,
}


class EngravingError(JazzError):
    """The lead sheet could not be written or drawn."""


def _above(words: str):
    from music21 import expressions

    text = expressions.TextExpression(words)
    text.placement = "above"
    return text


@lru_cache(maxsize=256)
def _parsed_symbol(text: str):
    """music21's chord symbol for a text, parsed once (music21 is slow at it); None if it cannot read it."""
    from music21 import harmony

    from jazz_core.changes import music21_figure

    try:
        return harmony.ChordSymbol(music21_figure(text))
    except Exception:  # music21 raises several kinds for figures it does not know
        return None


def _chord_symbol(symbol: ChordSymbol):
    """A music21 chord symbol (a copy of the parsed one); one it cannot read is shown as text above the staff."""
    parsed = _parsed_symbol(symbol.text)
    return _above(symbol.text) if parsed is None else copy.deepcopy(parsed)


BEAMS = {9: 1, 6: 1, 4: 1, 3: 2, 2: 2, 1: 3}  # beams of each written length (twelfths) shorter than a quarter


def _beam_groups(notes: Sequence[WrittenNote], beat: int) -> list[list[int]]:
    """Indices of the notes beamed together: two or more beamable notes running on inside one beat."""
    groups, current, current_beat = [], [], None
    for index, written in enumerate(notes):
        beamable = written.pitch is not None and written.length in BEAMS
        if not beamable or written.start // beat != current_beat:
            groups.append(current)
            current, current_beat = [], written.start // beat
        if beamable:
            current.append(index)
    return [group for group in [*groups, current] if len(group) > 1]


def _beam(elements: list, notes: Sequence[WrittenNote], beat: int) -> None:
    """Beams by the beat, as many as each value needs; a lone shorter value gets a partial beam."""
    for group in _beam_groups(notes, beat):
        levels = [BEAMS[notes[i].length] for i in group]
        for position, index in enumerate(group):
            for level in range(1, levels[position] + 1):
                before = position > 0 and levels[position - 1] >= level
                after = position + 1 < len(group) and levels[position + 1] >= level
                kind = "continue" if before and after else "start" if after else "stop" if before else "partial"
                direction = ("right" if position == 0 else "left") if kind == "partial" else None
                elements[index].beams.append(kind, direction)


def _element(written: WrittenNote):
    """A music21 note or rest with the written value, spelling, tie and colour."""
    from music21 import note, pitch, tie

    length = Fraction(written.length, 12)
    if written.pitch is None:
        return note.Rest(quarterLength=length)
    spelling = written.spelling
    sound = pitch.Pitch(step=spelling.step, octave=spelling.octave)
    if spelling.alter or written.accidental:
        sound.accidental = pitch.Accidental(spelling.alter)
        sound.accidental.displayStatus = written.accidental  # decided by notation.mark_accidentals
    element = note.Note(sound, quarterLength=length)
    if written.tie:
        element.tie = tie.Tie(written.tie)
    return element


def _measure(bar: Bar, meter_changes: bool):
    from music21 import meter, stream
    from music21.stream import makeNotation

    measure = stream.Measure(number=bar.number)
    if meter_changes:
        measure.timeSignature = meter.TimeSignature(bar.meter)
    for symbol in bar.chords:
        measure.insert(Fraction(symbol.start, 12), _chord_symbol(symbol))
    elements = [_element(written) for written in bar.notes]
    _beam(elements, bar.notes, beat_of(bar.meter))
    for written, element in zip(bar.notes, elements, strict=True):
        measure.insert(Fraction(written.start, 12), element)
    makeNotation.makeTupletBrackets(measure, inPlace=True)
    return measure


def _score(sheet: LeadSheet):
    from music21 import clef, key, metadata, stream, tempo

    score = stream.Score()
    score.insert(0, metadata.Metadata(title=sheet.title or "Solo", composer="Jazz LSTM Studio"))
    part = stream.Part()
    part.partName = sheet.part.label
    previous = ""
    for bar in sheet.bars:
        measure = _measure(bar, bar.meter != previous)
        previous = bar.meter
        if bar.number == 1:
            measure.insert(0, clef.BassClef() if sheet.clef == "bass" else clef.TrebleClef())
            measure.insert(0, key.KeySignature(sheet.fifths))
            measure.insert(0, tempo.MetronomeMark(number=round(sheet.tempo_bpm), referent="quarter"))
            if sheet.swing:  # swung eighths are written straight; the word tells the player how to play them
                measure.insert(0, _above("Swing"))
        part.append(measure)
    score.insert(0, part)
    return score


def musicxml(sheet: LeadSheet) -> bytes:
    """The lead sheet as a MusicXML file (UTF-8 bytes) that notation programs open."""
    from music21.musicxml.m21ToXml import GeneralObjectExporter

    exporter = GeneralObjectExporter(_score(sheet))
    exporter.makeNotation = False
    written = re.sub(rb"\s*<encoding-date>[^<]*</encoding-date>", b"", exporter.parse())
    return re.sub(rb'id="P[0-9a-f]{32}"', b'id="P1"', written)  # music21's random part id: same take, same bytes


_toolkit_lock = threading.Lock()
_toolkit = None


def _engraver():
    """One verovio toolkit for the process (loading its fonts takes time); use it under `_toolkit_lock`."""
    global _toolkit
    if _toolkit is None:
        try:
            import verovio
        except ImportError:
            raise EngravingError("The engraver is missing: install it with `pip install verovio`.") from None
        verovio.enableLog(verovio.LOG_OFF)
        _toolkit = verovio.toolkit()
    return _toolkit


def svg(score: bytes, kinds: Sequence[str] = ()) -> str:
    """The MusicXML engraved as one SVG page, bars numbered; the n-th note drawn in the colour of `kinds[n]`,
    its grammar type (see `note_kinds`). The MusicXML itself stays black, as notation programs expect."""
    with _toolkit_lock:
        toolkit = _engraver()
        toolkit.setOptions(SVG_OPTIONS)
        if not toolkit.loadData(score.decode("utf-8")):
            raise EngravingError("The lead sheet could not be engraved: verovio did not accept its MusicXML.")
        drawn = toolkit.renderToSVG(1)
    colours = iter([KIND_COLOURS.get(kind, "") for kind in kinds])

    def colour(match: re.Match) -> str:
        chosen = next(colours, "")
        return f'{match.group(0)[:-1]} color="{chosen}" fill="{chosen}">' if chosen else match.group(0)

    return _NOTE.sub(colour, drawn)


_NOTE = re.compile(r'<g [^>]*class="note"[^>]*>')  # verovio draws each note as one group, in score order


def note_kinds(sheet: LeadSheet) -> list[str]:
    """The grammar type of each written note of the sheet, in order (tied notes repeat it)."""
    return [n.kind for bar in sheet.bars for n in bar.notes if n.pitch is not None]


def count(svg_text: str, kind: str) -> int:
    """How many elements of class `kind` ('notehead', 'measure', 'harm') an engraved SVG holds."""
    return len(re.findall(rf'<g[^>]* class="{kind}[" ]', svg_text))


def take_sheet(take, part: str = "concert", title: str = "", key_fifths: int | None = None) -> LeadSheet:
    """A take (jazz_core.pipeline.Take) written for one part: its notes over its progression, at its tempo."""
    from jazz_core.notation import lead_sheet

    return lead_sheet(take.notes, take.progression, take.playback.tempo_bpm, take.playback.swing != "straight",
                      title, part, key_fifths)
