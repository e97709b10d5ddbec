"""One take as the page shows it (`TakeRecord`), and what the page asks of takes: their sound, metrics,
source profile, re-rolls, and how long a take may be.

A `TakeRecord` is one take as the page shows it: the take, its audio, its piano roll (plain data
for the roll component) and its metrics, made once when the take is made or re-rolled, so drawing it again costs no
rendering, encoding or chart building. Never imports Streamlit.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field, replace

from jazz_core import evaluation, originality, pipeline, roll
from jazz_core.bundle import Bundle
from jazz_core.errors import JazzError
from jazz_core.grammar import parse_value
from jazz_core.music import Measure, Piece
from jazz_core.progression import Timeline
from jazz_core.settings import AudioSettings


@dataclass(frozen=True)
class SourceProfile:
    """The source measured as `evaluation.compare` measures it: the mean of each metric over windows of N values."""

    metrics: dict  # metric key -> mean over the windows (None when no window has it)
    windows: int  # how many windows were measured
    values: int  # values per window (N, capped at the corpus length)
    what: str  # what the source is, in words


def source_key(bundle: Bundle, pieces: Sequence[Piece] | None) -> str:
    """A digest naming a bundle's source (its training values and chords, and the scores when known), for caching."""
    digest = hashlib.sha256()
    for value in bundle.corpus:
        digest.update(value.encode() + b"\n")
    digest.update(repr(bundle.progression).encode())
    for piece in pieces or ():
        digest.update(piece.title.encode() + repr(piece.measures).encode())
    return digest.hexdigest()


def source_profile(bundle: Bundle, pieces: Sequence[Piece] | None, values: int,
                   windows: int = 5) -> SourceProfile | None:
    """The source beside which a take of `values` values is shown, as `evaluation.compare` builds it.

    With the scores the bundle learnt from (when their values are exactly its training values) the
    source is their melody as written; otherwise the bundle's training values played over its own
    chords (rhythm and types exact, pitches chosen again). None when the bundle keeps no training values.
    """
    if not bundle.corpus or values < 1:
        return None
    length = min(values, len(bundle.corpus))
    line = evaluation.source_line(pieces) if pieces else None
    if line is not None and line.values == tuple(bundle.corpus):
        solos, what = evaluation.source_solos(line, length, windows), "the melody it learnt from, as written"
    else:
        solos, what = evaluation.corpus_solos(bundle, length, windows), "its training values over their own chords"
    summary = evaluation.summarize([evaluation.measure(solo, bundle.corpus) for solo in solos])
    means = {key: None if stats is None else stats["mean"] for key, stats in summary.items()}
    return SourceProfile(means, len(solos), length, what)


def take_metrics(take: pipeline.Take, corpus: Sequence[str]) -> dict:
    """Every metric of `evaluation.METRICS` for a take, over the chords it was played on."""
    return evaluation.measure(evaluation.Solo(take.notes, take.values, take.progression), corpus)


@dataclass(frozen=True)
class Sound:
    """A take's audio for the player (FLAC) and its length, or why it could not be played."""

    audio: bytes | None
    seconds: float
    error: str | None = None
    format: str = "audio/flac"  # the player's MIME type: FLAC for the newest take, OGG once kept
    compact: Future | None = field(default=None, repr=False, compare=False)  # its OGG, made in the background

    def kept(self) -> Sound:
        """This sound once its take is not the newest: a small OGG (audio.kept_ogg; bench/audio_session.py).

        The OGG is made in the background when the take is made (`audio.kept_ogg_later`); until it is ready
        the FLAC stays, and the next call swaps it (the page calls this on every new take)."""
        if self.audio is None or self.format != "audio/flac":
            return self
        if self.compact is not None and not self.compact.done():
            return self
        if self.compact is not None and self.compact.exception() is None:
            return replace(self, audio=self.compact.result(), format="audio/ogg", compact=None)
        from jazz_core import audio

        return replace(self, audio=audio.kept_ogg(self.audio), format="audio/ogg", compact=None)


def sound_of(take: pipeline.Take) -> Sound:
    """The take rendered by FluidSynth as FLAC (lossless and quick to encode: about 0.04 s for 30 s of music),
    its OGG for keeping started in the background."""
    from jazz_core import audio

    try:
        rendered = audio.render(take.midi, AudioSettings(chords=take.playback.chords))
        return Sound(rendered.to_flac(), rendered.seconds, compact=audio.kept_ogg_later(rendered))
    except JazzError as error:
        return Sound(None, take.seconds, f"The solo was written, but it could not be played: {error} "
                                         "The MIDI file is below.")


def wav_of(take: pipeline.Take) -> bytes:
    """The take as WAV, for the download button (rendered only when it is clicked)."""
    from jazz_core import audio

    return audio.render(take.midi, AudioSettings(chords=take.playback.chords)).wav


@dataclass(frozen=True)
class TakeRecord:
    """One take as the page shows it, with everything drawn from it made once."""

    number: int  # counted per session, from 1
    take: pipeline.Take
    bundle: Bundle  # the model that played it (re-rolls use it again)
    pieces: tuple[Piece, ...] | None  # the scores that model learnt from, when known
    model: str  # default, trained or uploaded
    instrument: str
    changes: str  # what it was played over, in words
    sound: Sound
    chart: dict  # the piano roll's data for the page's roll component (jazz_core.roll)
    roll_bars: int
    metrics: dict
    source: SourceProfile | None = None
    rerolled: tuple[int, ...] = ()  # bars (1-based) played again since it was made
    rerolls: int = 0  # re-rolled bars so far, successful or not: counts the seeds used
    notice: str | None = None  # what the last re-roll could not do
    length: str = ""  # the length asked for, when in choruses or bars: '2 choruses', '24 bars'
    batch: int = 0  # the click of Generate that made it (variants of one click share it)
    transposed: int = 0  # semitones the take was moved from how it was made (the MIDI stays at concert pitch)
    copied: Sequence[bool] = ()  # per note (rests too): inside a run of >= 4 values copied from the corpus


def drawn(take: pipeline.Take, corpus: Sequence[str],
          copied: Sequence[bool] | None = None) -> tuple[dict, int, list[bool]]:
    """The take's piano roll as plain data, how many bars it covers, and its notes copied from `corpus` (the
    model's training values: originality.copied_mask, one flag per note), which the roll marks. A take played
    again with the same values passes its `copied` flags, so the corpus is not searched again."""
    copied = originality.copied_mask(take.values, corpus) if copied is None else list(copied)
    drawing = roll.piano_roll(take.notes, take.progression, take.playback.tempo_bpm, copied)
    return drawing.data(), drawing.bar_count, copied


def take_record(number: int, take: pipeline.Take, bundle: Bundle, pieces, model: str, instrument: str,
                changes: str, source: SourceProfile | None = None, length: str = "") -> TakeRecord:
    """A new take's record: rendered, drawn and measured."""
    chart, bars, copied = drawn(take, bundle.corpus)
    return TakeRecord(number, take, bundle, tuple(pieces) if pieces else None, model, instrument, changes,
                      sound_of(take), chart, bars, take_metrics(take, bundle.corpus), source, length=length,
                      copied=copied)


# --- how long a take may be -----------------------------------------------------------------

def _player_seconds() -> float:
    from jazz_core.audio import MAX_SECONDS

    return MAX_SECONDS


def most_bars(measures: Sequence[Measure], tempo_bpm: float) -> int:
    """How many bars of the looped progression the player can play at this tempo (it renders at most 10 minutes)."""
    quarters = _player_seconds() * tempo_bpm / 60.0
    timeline, bars = Timeline(measures), 0
    while timeline.bar_start(bars + 1) <= quarters + 1e-9:
        bars += 1
    return bars


def mean_quarters(bundle: Bundle) -> float:
    """The mean length of the values the model learnt from, in quarters (a quarter when it keeps none)."""
    lengths = [parse_value(v)[1] for v in bundle.corpus]
    return sum(lengths) / len(lengths) if lengths else 1.0


def length_problem(unit: str, count: int, values: int, tempo_bpm: float, measures: Sequence[Measure],
                   bundle: Bundle) -> str | None:
    """Why a take of this length cannot be played at this tempo (the player renders at most 10 minutes), else
    None: `count` choruses or bars, or `values` values (judged by the mean length of the model's values)."""
    minutes = f"{_player_seconds() / 60:g} minutes"
    if unit in ("choruses", "bars"):
        per = len(measures) if unit == "choruses" else 1
        most = most_bars(measures, tempo_bpm) // per
        if not 1 <= count <= most or count != int(count):
            return (f"{count:g} {unit} cannot be played: at {tempo_bpm:g} bpm the player plays at most {minutes}, "
                    f"which is 1 to {most} {unit}. Choose a number in that range, or a faster tempo.")
        return None
    most = int(_player_seconds() * tempo_bpm / 60.0 / mean_quarters(bundle))
    if values > most:
        return (f"{values} values would last about {values * mean_quarters(bundle) * 60 / tempo_bpm / 60:.0f} "
                f"minutes at {tempo_bpm:g} bpm; the player plays at most {minutes}. Choose at most {most} values, "
                "or a faster tempo.")
    return None


def rerolled(record: TakeRecord, bars: Sequence[int]) -> TakeRecord:
    """The take with the chosen bars (1-based) played again, a new seed each (from the take's seed and a
    count), every other bar kept; bars that cannot be played again are named in the notice."""
    take, count, done, problems = record.take, record.rerolls, [], []
    for bar in sorted(bars):
        count += 1
        try:
            take = pipeline.reroll(record.bundle, take, bar - 1, pipeline.reroll_seed(take.settings.seed, count))
            done.append(bar)
        except JazzError as error:
            problems.append(str(error)[:1].upper() + str(error)[1:].rstrip(".") + ".")
    updated = replace(record, rerolls=count, notice=" ".join(problems) or None,
                      rerolled=tuple(sorted({*record.rerolled, *done})))
    return retaken(updated, take) if done else updated


def retaken(record: TakeRecord, take: pipeline.Take) -> TakeRecord:
    """The record holding a changed take (re-rolled bars, added choruses): rendered, drawn and measured anew."""
    chart, roll_bars, copied = drawn(take, record.bundle.corpus)
    return replace(record, take=take, sound=sound_of(take), chart=chart, roll_bars=roll_bars, copied=copied,
                   metrics=take_metrics(take, record.bundle.corpus))


def with_take(takes: Sequence[TakeRecord], record: TakeRecord, most: int) -> list[TakeRecord]:
    """The takes with `record` in place of the one of its number, or on top when new (the others' sound kept)."""
    if any(r.number == record.number for r in takes):
        return [record if r.number == record.number else r for r in takes]
    return [record, *(replace(r, sound=r.sound.kept()) for r in takes[:most - 1])]
