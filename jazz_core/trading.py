"""Going on from music already played, the LSTM state carried over: a take continued by whole choruses, and a
player's phrase answered over the changes (trading fours).

Both prime the sampler on the values heard so far (`sampling.prime`: the model hears them over the bars they
were played on) and sample on from there, so the new bars follow from the old ones as the model's own next
values would. Plain data in and out, TensorFlow-free.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from jazz_core import pipeline, sampling
from jazz_core.bundle import Bundle
from jazz_core.errors import BadScoreError
from jazz_core.grammar import decode_values, format_value, melody_line
from jazz_core.music import Measure, Note, Piece, snap
from jazz_core.progression import Timeline
from jazz_core.settings import MAX_VALUES, GenerateSettings, PlaybackSettings

PHRASE_BARS = (2, 8)  # a phrase to answer lasts this many bars, at least and at most
EPSILON = 1e-6


def _end(notes: Sequence[Note]) -> float:
    return snap(max((n.offset + n.duration for n in notes), default=0.0))


def _bars_covering(timeline: Timeline, time: float) -> int:
    """How many bars of the timeline it takes to hold `time` quarters (a bar only begun counts)."""
    bars = 0
    while timeline.bar_start(bars) < time - EPSILON:
        bars += 1
    return bars


def _rest_to(values: list[str], notes: list[Note], end: float, bar_line: float) -> None:
    """Where the music stops inside a bar, a rest from its end to the bar line, heard as such."""
    if bar_line > end + EPSILON:
        values.append(format_value("R", snap(bar_line - end)))
        notes.append(Note(end, snap(bar_line - end), None, "R"))


def last_pitch(notes: Sequence[Note]) -> int | None:
    return next((n.pitch for n in reversed(notes) if n.pitch is not None), None)


def go_on(bundle: Bundle, values: Sequence[str], measures: Sequence[Measure], start: float, length: float,
          temperature: float, seed: int) -> list[str]:
    """Values filling `length` quarters from `start`, after the model has heard `values` over `measures`."""
    state = sampling.prime(bundle.weights, bundle.vocabulary, values, measures)
    return pipeline.fill(bundle, [], length, temperature, seed, most=MAX_VALUES, progression=measures,
                         state=replace(state, time=start))


def _written(take: pipeline.Take, values: Sequence[str], notes: Sequence[Note]) -> pipeline.Take:
    """The take with these values and notes, its MIDI written again (its playback and changes kept)."""
    pipeline.check_take_length(notes, take.progression)
    longer = replace(take, values=tuple(values), notes=tuple(notes),
                     settings=replace(take.settings, values=len(values)))
    return pipeline.replayed(longer, take.playback)


def continued(bundle: Bundle, take: pipeline.Take, choruses: int, seed: int) -> pipeline.Take:
    """The take with `choruses` times the form appended, from the bar line after its end, the model's state
    carried on from the take's own values; every note already played stays as it was."""
    if choruses < 1:
        raise BadScoreError(f"Choose at least one chorus to add, not {choruses}.")
    timeline = Timeline(take.progression)
    end = _end(take.notes)
    start = timeline.bar_start(_bars_covering(timeline, end))
    values, notes = list(take.values), list(take.notes)
    _rest_to(values, notes, end, start)
    stop = timeline.bar_start(_bars_covering(timeline, start) + choruses * len(take.progression))
    new_values = go_on(bundle, values, take.progression, start, snap(stop - start),
                        max(take.settings.temperature, 0.0), seed)
    new_notes = decode_values(new_values, take.progression, seed=seed, previous=last_pitch(notes), start=start)
    return _written(take, [*values, *new_values], [*notes, *new_notes])


def phrase_notes(phrase: Piece) -> tuple[list[str], list[Note]]:
    """A player's phrase as values and as the notes they play (one note per value, its grammar type kept)."""
    values = pipeline.corpus_values([phrase])
    line = melody_line(phrase.measures)
    if not line or len(line) != len(values):
        raise BadScoreError("This phrase has no melody to answer: give a short MIDI or MusicXML phrase of "
                            f"{PHRASE_BARS[0]} to {PHRASE_BARS[1]} bars with a tune in it.")
    return values, [replace(note, kind=value[0]) for note, value in zip(line, values, strict=True)]


def answered(bundle: Bundle, phrase: Piece, measures: Sequence[Measure], bars: int,
             settings: GenerateSettings = GenerateSettings(), playback: PlaybackSettings = PlaybackSettings()
             ) -> tuple[pipeline.Take, int]:
    """The player's phrase (from bar 1 of `measures`, looped) and the model's answer in the `bars` bars after it:
    (the take, how many bars the phrase covers). The model hears the phrase over those bars' chords first."""
    values, notes = phrase_notes(phrase)
    measures = tuple(measures)
    timeline = Timeline(measures)
    length = _end(notes)
    phrase_bars = _bars_covering(timeline, length)
    if not PHRASE_BARS[0] <= phrase_bars <= PHRASE_BARS[1]:
        raise BadScoreError(f"This phrase lasts {phrase_bars} bar{'s' if phrase_bars != 1 else ''} of these "
                            f"changes; the model answers a phrase of {PHRASE_BARS[0]} to {PHRASE_BARS[1]} bars. "
                            "Give a shorter or longer phrase.")
    start = timeline.bar_start(phrase_bars)
    _rest_to(values, notes, length, start)
    answer = go_on(bundle, values, measures, start, snap(timeline.bar_start(phrase_bars + bars) - start),
                    settings.temperature, settings.seed)
    answer_notes = decode_values(answer, measures, seed=settings.seed, previous=last_pitch(notes), start=start)
    empty = pipeline.Take((), (), b"", 0.0, settings, playback, measures)
    return _written(empty, [*values, *answer], [*notes, *answer_notes]), phrase_bars

