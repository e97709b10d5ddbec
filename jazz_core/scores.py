"""Reading scores: MIDI, MusicXML and ABC, from bytes or a path, into measures of melody over chords.

MIDI is read with mido straight from its events (a 19-track file takes a fraction of a second;
music21's own MIDI parse takes about 15 s); MusicXML and ABC go through music21. Both become
the same neutral `RawScore` (tracks of timed notes, chord symbols, bar lines), and one builder
picks the melody and the harmony from it. The course's file has a preset that reads it exactly
the way the course does. music21 objects never leave this module.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tempfile
from bisect import bisect_right
from collections import defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path

from jazz_core.errors import BadScoreError
from jazz_core.grammar import chord_scale
from jazz_core.music import Chord, Measure, Note, Piece, snap

METHENY = "metheny"  # the course's reading of original_metheny.mid
METHENY_MELODY_PART = 5  # the course reads the solo from part 5 (the guitar) of original_metheny.mid
PRESETS = (METHENY,)
MAX_SCORE_BYTES = 20 * 1024 * 1024  # larger uploads are refused before parsing
MAX_BARS = 4000  # a score longer than this (about three hours of 4/4 at 120 bpm) is refused
MAX_NOTE_QUARTERS = 64.0  # a note held longer (a stuck note, a billion-tick note) is cut to this
PARSE_SECONDS = 30.0  # time budget for music21 to read an uploaded MusicXML or ABC file
BUILTIN = (  # public-domain pieces shipped inside the music21 package: no download needed
    ("leadSheet/berlinAlexandersRagtime.mxl", "Alexander's Ragtime Band (Irving Berlin, 1911)"),
    ("joplin/maple_leaf_rag.mxl", "Maple Leaf Rag (Scott Joplin, 1899)"),
)


@dataclass(frozen=True)
class Track:
    """One part of a score as timed notes: (offset, duration, pitch) in quarter notes."""

    name: str
    notes: tuple[tuple[float, float, int], ...]
    is_drum: bool = False
    program: int | None = None


@dataclass(frozen=True)
class RawScore:
    """What a file holds, before choosing melody and harmony."""

    title: str
    tracks: tuple[Track, ...]
    bars: tuple[tuple[float, float], ...]  # (start, length) of every bar, in quarters
    chord_symbols: tuple[tuple[float, tuple[int, ...], str], ...] = ()  # (offset, pitches, figure)
    tempo_bpm: float = 120.0  # the first tempo: the one used for playback
    meters: tuple[str, ...] = ()  # every time signature, in order, e.g. ("4/4", "3/4")
    tempos: tuple[float, ...] = ()  # every tempo marking in bpm, in order


# --- quantisation (the course's rule) -------------------------------------------------------

def quantize(quarters: float) -> float:
    """Nearest multiple of 1/4 or 1/3 of a quarter, whichever is closer (the course's grid)."""
    sixteenth, triplet = round(quarters * 4) / 4, round(quarters * 3) / 3
    return snap(sixteenth if abs(sixteenth - quarters) <= abs(triplet - quarters) else triplet)


# --- MIDI -----------------------------------------------------------------------------------

def _midi_file(data: bytes):
    import mido

    if not data.startswith(b"MThd"):
        raise BadScoreError("This is not a MIDI file: it does not start with a MIDI header. "
                            "Choose a .mid file, a MusicXML file or an ABC tune.")
    try:
        return mido.MidiFile(file=io.BytesIO(data))
    except Exception as error:  # mido raises many kinds on damaged files
        raise BadScoreError(f"This MIDI file is damaged and cannot be read ({error}). "
                            "Try exporting it again from your notation program or DAW.") from None


def _midi_tracks(midi) -> list[tuple[str, int, int | None, list[tuple[int, int, int]]]]:
    """Per (track, channel): name, channel, program and notes as (start tick, end tick, pitch), in file order.

    A note-on is paired with the next note-off of its pitch and channel, as music21 does.
    """
    found = []
    for track in midi.tracks:
        tick, events, programs, name = 0, [], {}, track.name.strip()
        for message in track:
            tick += message.time
            if message.type in ("note_on", "note_off"):
                events.append((tick, message))
            elif message.type == "program_change":
                programs.setdefault(message.channel, message.program)
        pending: dict[tuple[int, int], int] = {}
        by_channel: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
        for time, message in reversed(events):
            key = (message.note, message.channel)
            if message.type == "note_off" or message.velocity == 0:
                pending[key] = time
            elif key in pending:
                by_channel[message.channel].append((time, pending[key], message.note))
        for channel in sorted(by_channel, key=lambda c: (min(n[0] for n in by_channel[c]), c)):
            found.append((name, channel, programs.get(channel), by_channel[channel][::-1]))
    return found


def _midi_meta(midi) -> tuple[list[tuple[int, float, str]], list[float]]:
    """Time signatures as (tick, bar length in quarters, 'n/d'), and every tempo in bpm, in order."""
    meters, tempos = [], []
    for track in midi.tracks:
        tick = 0
        for message in track:
            tick += message.time
            if message.type == "time_signature":
                meters.append((tick, 4 * message.numerator / message.denominator,
                               f"{message.numerator}/{message.denominator}"))
            elif message.type == "set_tempo":
                tempos.append((tick, round(60_000_000 / message.tempo, 2)))
    meters = sorted(dict(((t, length), (t, length, name)) for t, length, name in meters).values())
    return meters or [(0, 4.0, "4/4")], [bpm for _, bpm in sorted(tempos)] or [120.0]


def _bars(meters: list[tuple[float, float]], end: float) -> tuple[tuple[float, float], ...]:
    """Bar lines from meter changes (start in quarters, bar length) up to `end`."""
    shortest = min(length for _, length in meters if length > 0) if any(m[1] > 0 for m in meters) else 4.0
    if end / shortest > MAX_BARS:
        raise BadScoreError(f"This score runs for more than {MAX_BARS} bars; split it into shorter files.")
    meters = [(tick, length if length > 0 else 4.0) for tick, length in meters]
    bars, start = [], 0.0
    meter_index, length = 0, meters[0][1]
    while start < end:
        while meter_index + 1 < len(meters) and meters[meter_index + 1][0] <= start + 1e-9:
            meter_index += 1
            length = meters[meter_index][1]
        bars.append((snap(start), snap(length)))
        start += length
    return tuple(bars)


def read_midi(data: bytes, title: str = "MIDI file") -> RawScore:
    """A MIDI file's tracks (one per track and channel), bars and tempo, quantised to the course's grid."""
    midi = _midi_file(data)
    per_quarter = midi.ticks_per_beat or 480
    tracks = []
    for name, channel, program, notes in _midi_tracks(midi):
        timed = tuple((quantize(s / per_quarter), min(quantize((e - s) / per_quarter), MAX_NOTE_QUARTERS), p)
                      for s, e, p in notes)
        tracks.append(Track(name or f"Channel {channel + 1}", timed, channel == 9, program))
    meters, tempos = _midi_meta(midi)
    end = max((o + d for t in tracks for o, d, _ in t.notes), default=0.0)
    bars = _bars([(tick / per_quarter, length) for tick, length, _ in meters], end)
    names = tuple(dict.fromkeys(name for _, _, name in meters))
    return RawScore(title, tuple(tracks), bars, (), tempos[0], names, tuple(tempos))


# --- MusicXML and ABC through music21 -------------------------------------------------------

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


def read_music21(data: bytes, kind: str, title: str = "") -> RawScore:
    """A MusicXML or ABC score's parts, chord symbols, bars and tempo."""
    from music21 import harmony, tempo

    score = _music21_stream(data, kind)
    parts = list(getattr(score, "parts", [])) or [score]
    tracks, symbols = [], []
    for index, part in enumerate(parts):
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
        tracks.append(Track(name, tuple(notes), drum))
    measures = parts[0].getElementsByClass("Measure")
    bars = tuple((snap(float(m.offset)), snap(float(m.duration.quarterLength))) for m in measures)
    end = max((o + d for t in tracks for o, d, _ in t.notes), default=0.0)
    bars = tuple(b for b in bars if b[1] > 0) or _bars([(0.0, 4.0)], end)
    flat = score.flatten()
    tempos = tuple(float(m.getQuarterBPM()) for m in flat.getElementsByClass(tempo.MetronomeMark) if m.getQuarterBPM())
    meters = tuple(dict.fromkeys(ts.ratioString for ts in flat.getElementsByClass("TimeSignature")))
    name = title or (score.metadata.title if score.metadata and score.metadata.title else "")
    return RawScore(name or "Score", tuple(tracks), bars, tuple(sorted(symbols)), tempos[0] if tempos else 120.0,
                    meters or ("4/4",), tempos)


# --- choosing melody and harmony -----------------------------------------------------------

def is_placeholder(track: Track) -> bool:
    """A chord chart's slashes: many notes on one or two pitches only, so no melody at all."""
    return not track.is_drum and len(track.notes) >= 8 and len({p for _, _, p in track.notes}) <= 2


def _melody_score(track: Track) -> float:
    """How much a track looks like a solo line: many notes, one at a time, in a solo register."""
    if track.is_drum or not track.notes or is_placeholder(track):
        return -1.0
    onsets = {o for o, _, _ in track.notes}
    monophony = len(onsets) / len(track.notes)
    mean_pitch = sum(p for _, _, p in track.notes) / len(track.notes)
    register = 1.0 if 55 <= mean_pitch <= 84 else 0.4
    return len(onsets) * monophony * register


def describe_track(track: Track) -> str:
    """Why a track does or does not sound like a melody, in a few words."""
    if track.is_drum:
        return "drums"
    if not track.notes:
        return "no notes"
    if is_placeholder(track):
        return "placeholder notes only (one or two pitches repeated, like a chord chart's slashes)"
    onsets = {o for o, _, _ in track.notes}
    mean = round(sum(p for _, _, p in track.notes) / len(track.notes))
    return (f"{len(track.notes)} notes, {100 * len(onsets) // len(track.notes)}% one at a time, "
            f"around {pitch_name(mean)}")


def pitch_name(pitch: int) -> str:
    """MIDI number to a name as musicians write it, middle C being C4: 70 -> 'Bb4'."""
    return ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")[pitch % 12] + str(pitch // 12 - 1)


def choose_melody(tracks: tuple[Track, ...], melody: int | str | None = None) -> int:
    """Index of the melody track: the caller's choice (index or name), else the most solo-like track."""
    if isinstance(melody, int):
        if not 0 <= melody < len(tracks):
            raise BadScoreError(f"There is no part {melody}: this score has parts 0 to {len(tracks) - 1}.")
        return melody
    if isinstance(melody, str):
        for index, track in enumerate(tracks):
            if track.name.lower() == melody.lower():
                return index
        raise BadScoreError(f"There is no part named {melody!r}; the parts are: "
                            + ", ".join(t.name for t in tracks) + ".")
    scores = [_melody_score(t) for t in tracks]
    if not scores or max(scores) <= 0:
        if any(is_placeholder(t) for t in tracks):
            raise BadScoreError("This is a chord chart: its only notes are placeholders (slashes on one pitch), "
                                "so there is no melody to learn from. Choose a file with a written melody or solo.")
        raise BadScoreError("This score has no pitched notes to learn from (it is empty or drums only). "
                            "Choose a file with a melody.")
    return scores.index(max(scores))


class _Accompaniment:
    """The accompaniment's notes sorted by onset, to find what sounds in a span without scanning them all."""

    def __init__(self, tracks: list[Track]) -> None:
        self.notes = sorted(n for t in tracks for n in t.notes)
        self.onsets = [o for o, _, _ in self.notes]

    def sounding(self, low: float, high: float) -> list[int]:
        first = bisect_right(self.onsets, low - MAX_NOTE_QUARTERS - 1e-9)
        last = bisect_right(self.onsets, high - 1e-9)
        return sorted({p for o, d, p in self.notes[first:last] if o + max(d, 1 / 12) > low})


def _chords_from_tracks(accompaniment: _Accompaniment, start: float, length: float) -> list[Chord]:
    """The accompaniment reduced to one chord per half bar (per bar in short meters), drums excluded."""
    step = length / 2 if length >= 4 else length
    chords: list[Chord] = []
    position = 0.0
    while position < length - 1e-9:
        sounding = accompaniment.sounding(start + position, start + position + step)
        classes = {p % 12 for p in sounding}
        if len(classes) >= 2 and (not chords or chords[-1].pitch_classes != frozenset(classes)):
            chords.append(Chord(snap(position), tuple(sounding), chord_scale(sounding)))
        position += step
    return chords


_TRIADS = [(root, quality) for root in range(12) for quality in ((0, 4, 7), (0, 3, 7))]


def _chord_from_melody(notes: list[Note]) -> list[Chord]:
    """The triad that covers most of a bar's melody (by duration): harmony inferred when the score has none."""
    weight = defaultdict(float)
    for note in notes:
        if note.pitch is not None:
            weight[note.pitch % 12] += note.duration
    if not weight:
        return []
    root, quality = max(_TRIADS, key=lambda t: sum(weight[(t[0] + i) % 12] for i in t[1]))
    pitches = tuple(48 + root + i for i in quality)
    return [Chord(0.0, pitches, chord_scale(pitches))]


def build_piece(raw: RawScore, melody: int | str | None = None) -> Piece:
    """Measures of the melody over its harmony: chord symbols, else the accompaniment, else inferred."""
    index = choose_melody(raw.tracks, melody)
    solo = raw.tracks[index]
    others = [t for i, t in enumerate(raw.tracks) if i != index and not t.is_drum and t.notes]
    source = "chord symbols" if raw.chord_symbols else "the accompaniment" if others else "inferred from the melody"
    measures = []
    accompaniment = _Accompaniment(others)
    by_bar = _by_bar(solo.notes, raw.bars)
    for (start, length), bar_notes in zip(raw.bars, by_bar, strict=True):
        notes = tuple(Note(snap(o - start), d, p) for o, d, p in bar_notes)
        if raw.chord_symbols:
            chords = _chords_from_symbols(raw.chord_symbols, start, length)
        elif others:
            chords = _chords_from_tracks(accompaniment, start, length)
        else:
            chords = _chord_from_melody(list(notes))
        measures.append(Measure(length, notes, tuple(chords)))
    measures = _fill_missing_chords(_trim_silence(measures))
    how = "chosen by you" if melody is not None else "the most solo-like part"
    origin = f"melody: part {index} ({solo.name}; {how}: {describe_track(solo)}); harmony: {source}"
    return Piece(raw.title, tuple(measures), raw.tempo_bpm, origin)


def _by_bar(notes, bars) -> list[list[tuple[float, float, int]]]:
    """The notes that start in each bar, found by bisection rather than a scan per bar."""
    starts = [start for start, _ in bars]
    buckets: list[list[tuple[float, float, int]]] = [[] for _ in bars]
    for note in notes:
        index = bisect_right(starts, note[0] + 1e-9) - 1
        if 0 <= index < len(bars) and note[0] < bars[index][0] + bars[index][1]:
            buckets[index].append(note)
    return buckets


def _chords_from_symbols(symbols, start: float, length: float) -> list[Chord]:
    """Chord symbols sounding in a bar; the one still held from an earlier bar starts it."""
    before = [s for s in symbols if s[0] <= start + 1e-9]
    inside = [s for s in symbols if start + 1e-9 < s[0] < start + length]
    held = [(start, *before[-1][1:])] if before else []
    return [Chord(snap(o - start), p, chord_scale(p), f) for o, p, f in held + inside]


def _trim_silence(measures: list[Measure]) -> list[Measure]:
    """Drop empty bars before the first note and after the last one."""
    played = [i for i, m in enumerate(measures) if m.notes]
    return measures[played[0]: played[-1] + 1] if played else []


def _fill_missing_chords(measures: list[Measure]) -> list[Measure]:
    """A bar with no chord of its own keeps the chord of the bar before it (or the next one, at the start)."""
    last = next((m.chords[-1] for m in measures if m.chords), None)
    if last is None:
        return measures
    filled, current = [], Chord(0.0, last.pitches, last.scale, last.symbol)
    for measure in measures:
        if measure.chords:
            current = Chord(0.0, measure.chords[-1].pitches, measure.chords[-1].scale, measure.chords[-1].symbol)
            filled.append(measure)
        else:
            filled.append(Measure(measure.length, measure.notes, (current,)))
    return filled


# --- the course's file ----------------------------------------------------------------------

def is_course_file(tracks, data: bytes = b"") -> bool:
    """True for the course's original_metheny.mid: 19 parts with the guitar solo as part 5, or the
    guitar at part 5 and the song's title track ('AND THEN I KNEW') in the file. `tracks` are the
    file's parts (anything with a `name`: `Track`s, or a preflight report's parts)."""
    if len(tracks) <= METHENY_MELODY_PART or tracks[METHENY_MELODY_PART].name.strip().lower() != "guitar":
        return False
    return len(tracks) == 19 or b"and then i knew" in data[:65536].lower()


def read_metheny(data: bytes) -> Piece:
    """original_metheny.mid read as the course reads it.

    Melody: part 5 (the guitar, both voices); chords: part 0 (the piano), notes that music21
    gathers into chords (onsets and ends within 1/16 of a quarter); offsets 476 to 548, in 4/4
    bars. Parts 1, 6 and 7 are accompaniment for playback only, as in the course.
    """
    midi = _midi_file(data)
    per_quarter = midi.ticks_per_beat
    tracks = _midi_tracks(midi)
    if len(tracks) < 6:
        raise BadScoreError("The metheny preset is for the course's original_metheny.mid, "
                            f"which has 19 parts; this file has {len(tracks)}.")
    melody = sorted((quantize(s / per_quarter), quantize((e - s) / per_quarter) or 0.25, p)
                    for s, e, p in tracks[METHENY_MELODY_PART][3])
    chords = [(quantize(s / per_quarter), pitches) for s, pitches in _gather_chords(tracks[0][3], per_quarter)]
    measures = []
    for start in range(476, 548, 4):
        notes = tuple(Note(snap(o - start), d, p) for o, d, p in melody if start <= o < start + 4)
        inside = [Chord(snap(o - start), ps, chord_scale(ps)) for o, ps in chords if start <= o < start + 4]
        measures.append(Measure(4.0, notes, tuple(inside)))
    measures = _fill_missing_chords(measures)
    tempo = _midi_meta(midi)[1][0]
    origin = "melody: part 5 (Guitar, two voices merged); harmony: piano chords (part 0), as the course reads it"
    return Piece("And Then I Knew (Pat Metheny), bars 120-137", tuple(measures), tempo, origin)


def _gather_chords(notes: list[tuple[int, int, int]], per_quarter: int) -> list[tuple[int, tuple[int, ...]]]:
    """Notes that start and end within 1/16 of a quarter of each other, as music21 makes chords of them."""
    tolerance = per_quarter / 16
    taken = [False] * len(notes)
    chords = []
    for i, (start, end, pitch) in enumerate(notes):
        if taken[i]:
            continue
        group = [pitch]
        for j in range(i + 1, len(notes)):
            other_start, other_end, other_pitch = notes[j]
            if abs(other_start - start) >= tolerance:
                break
            if abs(other_end - end) <= tolerance:
                group.append(other_pitch)
                taken[j] = True
        if len(group) > 1:
            chords.append((start, tuple(sorted(group))))
    return chords


# --- entry points ---------------------------------------------------------------------------

def detect_format(data: bytes) -> str:
    """'midi', 'mxl', 'musicxml' or 'abc', from the file's first bytes (never from its name)."""
    head = data[:2048].lstrip()
    if head.startswith(b"MThd"):
        return "midi"
    if head.startswith(b"PK"):
        return "mxl"
    if head.startswith(b"<") and (b"score-partwise" in data[:4096] or b"score-timewise" in data[:4096]):
        return "musicxml"
    text = head.decode("utf-8", errors="replace")
    if any(line.startswith("X:") for line in text.splitlines()) or "\nK:" in text:
        return "abc"
    raise BadScoreError("This file is not music that can be read here: choose a MIDI (.mid), "
                        "MusicXML (.xml, .musicxml, .mxl) or ABC (.abc) file.")


def read_raw(data: bytes, title: str = "", isolated: bool = True) -> RawScore:
    """Any supported score, as bytes, into its tracks, chord symbols and bars.

    MusicXML and ABC are read by music21 in a separate process with a time budget (`isolated`),
    so a file that would keep it busy for ever is stopped; trusted files may skip that.
    """
    if not data:
        raise BadScoreError("The file is empty. Choose a MIDI, MusicXML or ABC file with music in it.")
    if len(data) > MAX_SCORE_BYTES:
        raise BadScoreError(f"The file is {len(data) / 1e6:.1f} MB; scores up to "
                            f"{MAX_SCORE_BYTES // (1024 * 1024)} MB can be read.")
    kind = detect_format(data)
    if kind == "midi":
        return read_midi(data, title or "MIDI file")
    return _read_music21_isolated(data, kind, title) if isolated else read_music21(data, kind, title)


def _read_music21_isolated(data: bytes, kind: str, title: str) -> RawScore:
    """read_music21 in a child Python (`python -m jazz_core.scores KIND`), answering in JSON, within PARSE_SECONDS."""
    try:
        done = subprocess.run([sys.executable, "-m", "jazz_core.scores", kind, title], input=data,
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
    return _raw_from_json(answer)


def _raw_from_json(data: dict) -> RawScore:
    tracks = tuple(Track(t["name"], tuple(tuple(n) for n in t["notes"]), t["is_drum"], t["program"])
                   for t in data["tracks"])
    symbols = tuple((o, tuple(p), f) for o, p, f in data["chord_symbols"])
    return RawScore(data["title"], tracks, tuple(tuple(b) for b in data["bars"]), symbols, data["tempo_bpm"],
                    tuple(data["meters"]), tuple(data["tempos"]))


def _worker() -> None:
    """The child side of _read_music21_isolated: score bytes on stdin, the RawScore as JSON on stdout."""
    kind, title = sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else ""
    try:
        answer = asdict(read_music21(sys.stdin.buffer.read(), kind, title))
    except BadScoreError as error:
        answer = {"error": str(error)}
    sys.stdout.write(json.dumps(answer))


def read_score(data: bytes, preset: str | None = None, melody: int | str | None = None, title: str = "",
               isolated: bool = True, raw: RawScore | None = None) -> Piece:
    """A score, as bytes, into a Piece of measures; `preset='metheny'` reads the course's file its way.

    `raw`, when the caller has already read these bytes with `read_raw`, saves reading them again.
    """
    if preset == METHENY:
        return read_metheny(data)
    if preset is not None:
        raise BadScoreError(f"Unknown preset {preset!r}; the presets are: {', '.join(PRESETS)}.")
    piece = build_piece(raw or read_raw(data, title, isolated), melody)
    if not piece.measures:
        raise BadScoreError("This score has no notes in its melody. Choose a file with a melody.")
    return piece


def read_score_file(path: str | Path, preset: str | None = None, melody: int | str | None = None,
                    isolated: bool = True) -> Piece:
    """Thin wrapper: read a score from a path."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise BadScoreError(f"Cannot open {path}: {error.strerror or error}.") from None
    return read_score(data, preset, melody, title=path.stem, isolated=isolated)


def builtin_corpus() -> list[Piece]:
    """The default corpus: ragtime shipped with music21 (Berlin's lead sheet, Joplin's Maple Leaf Rag)."""
    from music21 import corpus

    pieces = []
    for work, title in BUILTIN:
        piece = read_score_file(corpus.getWork(work), isolated=False)  # shipped with music21: trusted
        pieces.append(Piece(title, piece.measures, piece.tempo_bpm, piece.origin))
    return pieces


if __name__ == "__main__":
    _worker()
