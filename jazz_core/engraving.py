"""Writing a lead sheet: MusicXML by music21, and an SVG engraved from it by verovio, notes coloured by type.

music21 objects stay inside this module: `musicxml` takes a plain `LeadSheet` and returns bytes,
`svg` takes MusicXML bytes and returns SVG text. Bars are built complete (ties, tuplets and rests
already placed by `jazz_core.notation`), so music21 only beams, brackets the tuplets and decides
which accidentals show; its slower general `makeNotation` is not run.
"""

from __future__ import annotations

import re
import threading
from fractions import Fraction

from jazz_core.errors import JazzError
from jazz_core.notation import Bar, ChordSymbol, LeadSheet, WrittenNote

KIND_COLOURS = {"C": "#1f77b4", "S": "#2ca02c", "A": "#ff7f0e", "X": "#d62728"}  # as on the piano roll
SVG_OPTIONS = {  # one tall page, as wide as a screen, scaling with the element it is shown in
    "pageWidth": 2100, "pageHeight": 60000, "adjustPageHeight": True, "scale": 40, "svgViewBox": True,
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


def _chord_symbol(symbol: ChordSymbol):
    """A music21 chord symbol; one it cannot read is shown as plain text above the staff."""
    from music21 import harmony

    from jazz_core.changes import _music21_figure

    try:
        return harmony.ChordSymbol(_music21_figure(symbol.text))
    except Exception:  # music21 raises several kinds for figures it does not know
        return _above(symbol.text)


def _element(written: WrittenNote):
    """A music21 note or rest with the written value, spelling, tie and colour."""
    from music21 import note, pitch, tie

    length = Fraction(written.length, 12)
    if written.pitch is None:
        return note.Rest(quarterLength=length)
    spelling = written.spelling
    element = note.Note(pitch.Pitch(step=spelling.step, accidental=spelling.alter or None, octave=spelling.octave),
                        quarterLength=length)
    if written.tie:
        element.tie = tie.Tie(written.tie)
    if written.kind in KIND_COLOURS:
        element.style.color = KIND_COLOURS[written.kind]
    return element


def _measure(bar: Bar, meter_changes: bool):
    from music21 import meter, stream
    from music21.stream import makeNotation

    measure = stream.Measure(number=bar.number)
    if meter_changes:
        measure.timeSignature = meter.TimeSignature(bar.meter)
    for symbol in bar.chords:
        measure.insert(Fraction(symbol.start, 12), _chord_symbol(symbol))
    for written in bar.notes:
        measure.insert(Fraction(written.start, 12), _element(written))
    makeNotation.makeTupletBrackets(measure, inPlace=True)
    return measure


def _score(sheet: LeadSheet):
    from music21 import clef, key, metadata, stream, tempo

    score = stream.Score()
    score.insert(0, metadata.Metadata(title=sheet.title or "Solo", composer="Jazz LSTM Studio"))
    part = stream.Part()
    part.partName = sheet.part.name
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
    for measure in part.getElementsByClass(stream.Measure):
        measure.makeBeams(inPlace=True)
    part.makeAccidentals(inPlace=True)
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


def svg(score: bytes) -> str:
    """The MusicXML engraved as one SVG page: bars numbered, notes in the colours of their grammar type."""
    with _toolkit_lock:
        toolkit = _engraver()
        toolkit.setOptions(SVG_OPTIONS)
        if not toolkit.loadData(score.decode("utf-8")):
            raise EngravingError("The lead sheet could not be engraved: verovio did not accept its MusicXML.")
        return toolkit.renderToSVG(1)


def count(svg_text: str, kind: str) -> int:
    """How many elements of class `kind` ('notehead', 'measure', 'harm') an engraved SVG holds."""
    return len(re.findall(rf'<g[^>]* class="{kind}[" ]', svg_text))


def take_sheet(take, part: str = "concert", title: str = "", key_fifths: int | None = None) -> LeadSheet:
    """A take (jazz_core.pipeline.Take) written for one part: its notes over its progression, at its tempo."""
    from jazz_core.notation import lead_sheet

    return lead_sheet(take.notes, take.progression, take.playback.tempo_bpm, take.playback.swing != "straight",
                      title, part, key_fifths)
