"""The preflight report: what a score holds and what the app will learn from it, before any training.

Parts with instrument, note count and range; which part is the melody and why; where the
harmony comes from; meters, tempos, measures, values; and a verdict with what to do.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

from jazz_core.errors import BadScoreError, FileAccessError, JazzError
from jazz_core.files import read_file
from jazz_core.music import Piece
from jazz_core.pipeline import corpus_values
from jazz_core.reading import (
    MAX_SCORE_BYTES,
    METHENY,
    RawScore,
    build_piece,
    describe_track,
    pitch_name,
    read_metheny,
    read_raw,
)
from jazz_core.reading.chords import name_pitches
from jazz_core.settings import DatasetSettings

_GM_FAMILIES = ("Piano", "Chromatic percussion", "Organ", "Guitar", "Bass", "Strings", "Ensemble", "Brass", "Reed",
                "Pipe", "Synth lead", "Synth pad", "Synth effects", "Ethnic", "Percussive", "Sound effects")


@dataclass(frozen=True)
class PartReport:
    index: int
    name: str
    instrument: str  # General MIDI family, "Drums", or "" when the file does not say
    notes: int
    lowest: str  # e.g. "C4"; "" without notes
    highest: str
    drums: bool
    description: str  # why it is or is not melody-like


@dataclass(frozen=True)
class Preflight:
    title: str
    parts: tuple[PartReport, ...]
    origin: str  # which part is the melody and why; where the harmony comes from
    meters: tuple[str, ...]
    tempos: tuple[float, ...]
    measures: int
    values: int
    unique_values: int
    enough: bool  # enough values to cut at least one training window
    verdict: str  # one sentence: ready, or what is missing and what to do
    warnings: tuple[str, ...]
    changes: str = ""  # the chords found, as a lead sheet's symbols: "| Dm7 G7 | Cmaj7 |" (the first 16 bars)
    ready: bool = False  # enough values, and neither a riff nor an unquantised performance

    def to_dict(self) -> dict:
        return asdict(self)


def _part(index: int, track) -> PartReport:
    pitches = [p for _, _, p in track.notes]
    instrument = "Drums" if track.is_drum else _GM_FAMILIES[track.program // 8] if track.program is not None else ""
    return PartReport(index, track.name, instrument, len(pitches), pitch_name(min(pitches)) if pitches else "",
                      pitch_name(max(pitches)) if pitches else "", track.is_drum, describe_track(track))


def _tempo_warnings(raw: RawScore) -> list[str]:
    """A tempo that changes, or a marking outside what playback allows (clamped when read)."""
    found = []
    if len(set(raw.tempos)) > 1:
        found.append(f"The tempo changes ({', '.join(f'{t:g}' for t in raw.tempos[:12])} bpm): "
                     f"playback uses the first, {raw.tempo_bpm:g} bpm.")
    if raw.tempos and raw.tempos[0] != raw.tempo_bpm:
        found.append(f"The tempo marking of {raw.tempos[0]:g} bpm is outside 20-400 bpm; playback uses "
                     f"{raw.tempo_bpm:g} bpm.")
    return found


def preflight(data: bytes, preset: str | None = None, melody: int | str | None = None,
              settings: DatasetSettings = DatasetSettings(), title: str = "", raw: RawScore | None = None) -> Preflight:
    """Read a score and say what it gives to learn from; raises BadScoreError only for unreadable files.

    `raw`, when the caller has already read these bytes with `read_raw`, saves reading them again.
    """
    return _report_and_piece(data, preset, melody, settings, title, raw)[0]


def _report_and_piece(data: bytes, preset: str | None, melody: int | str | None, settings: DatasetSettings,
                      title: str = "", raw: RawScore | None = None) -> tuple[Preflight, Piece | None]:
    raw = raw or read_raw(data, title)
    parts = tuple(_part(i, t) for i, t in enumerate(raw.tracks))
    try:
        piece = read_metheny(data) if preset == METHENY else build_piece(raw, melody)
    except BadScoreError as error:
        return Preflight(title or raw.title, parts, "", raw.meters, raw.tempos, 0, 0, 0, False, str(error), ()), None
    values = corpus_values([piece])
    needed = settings.sequence_length + 1
    enough = len(values) >= needed
    problem = _degenerate(values, raw.off_grid)
    if not enough:
        verdict = (f"Too little music: {len(values)} values, but a training window needs {needed}. "
                   f"Add more music, or set the sequence length to {max(2, len(values) - 1)} or less.")
    elif problem:
        verdict = f"Learnable, but not ready: {problem}"
    else:
        verdict = f"Ready: {len(values)} values to learn from ({len(set(values))} different)."
    report = Preflight(piece.title or raw.title, parts, piece.origin, raw.meters, raw.tempos, len(piece.measures),
                       len(values), len(set(values)), enough, verdict, tuple(_warnings(piece, raw, values)),
                       changes_text(piece.measures), enough and not problem)
    return report, piece if values else None


@dataclass(frozen=True)
class CorpusReport:
    """Several files read together: each file's preflight, the pieces to learn from, the refused files, the total."""

    files: tuple[Preflight, ...]  # one per file, in order; a refused file's verdict says why
    pieces: tuple[Piece, ...]  # the pieces read from the files that gave music to learn from
    refused: tuple[str, ...]  # the names of the files that gave nothing
    measures: int
    values: int
    unique_values: int
    enough: bool  # the pieces together give at least one training window
    verdict: str

    def to_dict(self) -> dict:
        """Plain data for JSON (the pieces left out)."""
        return {"files": [f.to_dict() for f in self.files], "refused": list(self.refused), "measures": self.measures,
                "values": self.values, "unique_values": self.unique_values, "enough": self.enough,
                "verdict": self.verdict}


def preflight_paths(paths: Sequence[str], preset: str | None = None, melody: int | str | None = None,
                    settings: DatasetSettings = DatasetSettings()) -> CorpusReport:
    """Thin wrapper: preflight_files on score files given by path (a file that cannot be opened is refused)."""
    return preflight_files([(str(path), _read_or_error(path)) for path in paths], preset, melody, settings)


def _read_or_error(path: str) -> bytes | FileAccessError:
    try:
        return read_file(path, MAX_SCORE_BYTES, "score")
    except FileAccessError as error:
        return error


def preflight_files(files: Sequence[tuple[str, bytes | JazzError]], preset: str | None = None,
                    melody: int | str | None = None, settings: DatasetSettings = DatasetSettings()) -> CorpusReport:
    """Several scores as (name, bytes): each one's report, and the corpus of those that can be read.

    A file that cannot be read, or gives no music, is named in `refused` and the others still count;
    the names are for display only (never used as paths).
    """
    reports, pieces, refused = [], [], []
    for name, data in files:
        try:
            if isinstance(data, JazzError):  # a path that could not be opened (preflight_paths)
                raise data
            report, piece = _report_and_piece(data, preset, melody, settings, name)
        except (BadScoreError, FileAccessError) as error:
            report, piece = Preflight(name, (), "", (), (), 0, 0, 0, False, str(error), ()), None
        reports.append(report)
        if piece is None:
            refused.append(name)
        else:
            pieces.append(piece)
    values = corpus_values(pieces)
    needed = settings.sequence_length + 1
    enough = len(values) >= needed
    kept = f"{len(pieces)} of {len(files)} files" if refused else f"all {len(files)} files"
    if not pieces:
        verdict = "None of the files gives music to learn from: " + "; ".join(
            f"{r.title}: {r.verdict}" for r in reports)
    elif enough:
        verdict = f"Ready: {len(values)} values from {kept} ({len(set(values))} different)."
    else:
        verdict = (f"Too little music: {len(values)} values from {kept}, but a training window needs {needed}. "
                   "Add more music, or lower the sequence length.")
    if refused:
        verdict += " Left out: " + ", ".join(refused) + "."
    return CorpusReport(tuple(reports), tuple(pieces), tuple(refused), sum(len(p.measures) for p in pieces),
                        len(values), len(set(values)), enough, verdict)


FEW_UNIQUE = 12  # a corpus of at least 100 values with this many different ones or fewer is a riff or a loop
MOSTLY_UNIQUE = 0.8  # a corpus of at least 100 values with this share different has nothing that recurs
UNQUANTISED = 0.3  # a file with this share of its onsets off the grid was played in, not quantised


def _degenerate(values: list[str], off_grid: float = 0.0) -> str:
    """What is wrong with a corpus a model can train on but would learn little from, and what to do; else ''."""
    unique = len(set(values))
    if len(values) >= 100 and unique <= FEW_UNIQUE:
        return (f"only {unique} different values in {len(values)}: the melody repeats a few figures (a riff or a "
                "loop), and a model would only learn to loop them. Choose the part that plays the tune (--melody, "
                "or the melody part on the page), or add music with more variety.")
    if off_grid >= UNQUANTISED or (len(values) >= 100 and unique >= MOSTLY_UNIQUE * len(values)):
        return (f"{unique} of {len(values)} values are different and {100 * off_grid:.0f}% of the notes start "
                "off the sixteenth-and-triplet grid: the timing looks unquantised (a live "
                "performance), so there is little to learn. Quantise the file in your notation program or DAW "
                "(to sixteenths and triplets), or choose a written score.")
    return ""


def _warnings(piece, raw: RawScore, values: list[str]) -> list[str]:
    warnings = []
    if "inferred" in piece.origin:
        warnings.append("No chords or accompaniment found: the harmony is inferred from the melody, one chord a bar.")
    warnings += _tempo_warnings(raw)
    if "free meter" in piece.origin:
        warnings.append(f"This score has no real meter (bars of {raw.bars[0][1]:g} beat, e.g. a free-meter "
                        "transcription): it is grouped into 4/4 bars, so a chord lasts a bar and takes are written "
                        "in 4/4. Give it a time signature in your notation program if the music has one.")
    problem = _degenerate(values, raw.off_grid)
    if problem:
        warnings.append(problem[0].upper() + problem[1:])
    return warnings


def changes_text(measures, bars: int = 16) -> str:
    """The chords of the first `bars` bars as a lead sheet writes them, e.g. '| Dm7 G7 | Cmaj7 | % |'."""
    cells, previous = [], None
    for measure in measures[:bars]:
        names = " ".join(c.symbol or name_pitches(c.pitches) for c in measure.chords) or "?"
        cells.append("%" if names == previous else names)
        previous = names
    return ("| " + " | ".join(cells) + " |") if cells else ""


COURSE_VALUES, COURSE_UNIQUE = 193, 78  # the course's corpus: "Our music generation system will use 78 unique values"


def reading_note(course_file: bool, course_reading: bool, values: int, unique: int) -> str:
    """Which reading made these numbers, and why the course's file gives other numbers under the other one."""
    if course_reading:
        return (f"Course-exact reading: {values} values, {unique} different, as in the course's notebook "
                f"({COURSE_VALUES} and {COURSE_UNIQUE}; X of shape (60, 30, {COURSE_UNIQUE})). It reads the guitar "
                "(part 5, both voices) over bars 120-137 as deepjazz did: each onset and length on the nearest "
                "1/4 or 1/3 of a beat, tied notes joined, rests left out.")
    if course_file:
        return (f"Improved reading: {values} values, {unique} different, where the course's reading gives "
                f"{COURSE_VALUES} and {COURSE_UNIQUE}: this one reads every bar of the file (the course only bars "
                "120-137), keeps rests and the finer grid of sixteenths and triplets, so its numbers differ. Tick "
                "the course box to compare with the notebook.")
    return (f"Improved reading: {values} values, {unique} different. (The course-exact reading is only for the "
            "course's original_metheny.mid.)")
