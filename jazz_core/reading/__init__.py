"""Reading scores: MIDI, MusicXML and ABC, from bytes or a path, into measures of melody over chords.

One module per concern: `raw` (what a file holds, the course's grid, the caps), `midi` (mido),
`music21` (music21 in a child process, with its JSON codec), `parts` (choosing the melody),
`harmony` (chords from symbols, accompaniment or melody), `piece` (measures of melody over
harmony) and `course` (the course's reading of original_metheny.mid). The entry points are here.
"""

from __future__ import annotations

from pathlib import Path

from jazz_core.errors import BadScoreError
from jazz_core.music import Piece
from jazz_core.reading.course import METHENY, METHENY_MELODY_PART, PRESETS, is_course_file, read_metheny
from jazz_core.reading.midi import read_midi
from jazz_core.reading.music21 import PARSE_SECONDS, read_music21, read_music21_isolated
from jazz_core.reading.parts import choose_melody, describe_track, is_placeholder, pitch_name
from jazz_core.reading.piece import build_piece
from jazz_core.reading.raw import MAX_BARS, MAX_NOTE_QUARTERS, MAX_SCORE_BYTES, RawScore, Track, quantize

BUILTIN = (  # public-domain pieces shipped inside the music21 package: no download needed
    ("leadSheet/berlinAlexandersRagtime.mxl", "Alexander's Ragtime Band (Irving Berlin, 1911)"),
    ("joplin/maple_leaf_rag.mxl", "Maple Leaf Rag (Scott Joplin, 1899)"),
)


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
                            f"{MAX_SCORE_BYTES // 1_000_000} MB can be read.")
    kind = detect_format(data)
    if kind == "midi":
        return read_midi(data, title or "MIDI file")
    return read_music21_isolated(data, kind, title) if isolated else read_music21(data, kind, title)


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
    from jazz_core.files import read_file

    path = Path(path)
    data = read_file(path, MAX_SCORE_BYTES, "score")  # regular files only, never more than the cap
    return read_score(data, preset, melody, title=path.stem, isolated=isolated)


def builtin_corpus() -> list[Piece]:
    """The default corpus: ragtime shipped with music21 (Berlin's lead sheet, Joplin's Maple Leaf Rag)."""
    from music21 import corpus

    pieces = []
    for work, title in BUILTIN:
        piece = read_score_file(corpus.getWork(work), isolated=False)  # shipped with music21: trusted
        pieces.append(Piece(title, piece.measures, piece.tempo_bpm, piece.origin))
    return pieces


__all__ = [
    "BUILTIN", "MAX_BARS", "MAX_NOTE_QUARTERS", "MAX_SCORE_BYTES", "METHENY", "METHENY_MELODY_PART", "PARSE_SECONDS",
    "PRESETS", "RawScore", "Track", "build_piece", "builtin_corpus", "choose_melody", "describe_track",
    "detect_format", "is_course_file", "is_placeholder", "pitch_name", "quantize", "read_metheny", "read_raw",
    "read_score", "read_score_file",
]
