"""What a model bundle may hold, checked in full before anything else uses it.

A bundle comes from anywhere (a download, a mail, an edit by hand), so every field is checked
for its type, its range and that it is a finite number, and the arrays' shapes are read from
their `.npy` headers and checked against the format before one byte of them is allocated. Each
failure is one sentence naming the field, so nothing downstream meets a surprise.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from itertools import pairwise

import numpy as np

from jazz_core.errors import BadBundleError
from jazz_core.grammar import TYPES, parse_value
from jazz_core.settings import DatasetSettings, ModelSettings, TrainSettings

MAX_MANIFEST_BYTES = 16_000_000  # bundle.json: the corpus and the chords, far below this for 4000 bars
MAX_WEIGHTS_BYTES = 48_000_000  # weights.npz unpacked: a 512-unit model of about 1,900 values fits
_METER = re.compile(r"^[1-9][0-9]?/(1|2|4|8|16|32)$")  # a time signature, e.g. 3/4 or 12/8
MAX_JSON_DEPTH = 8  # bundle.json nests 6 deep (progression > bar > chords > chord > pitches); settings 3
MAX_BARS = 4000  # as for scores: about three hours of 4/4 at 120 bpm
MAX_VOCABULARY = 20_000  # distinct values; the weights' byte cap bounds a large model well before this
MAX_CORPUS_VALUES = 400_000  # training values kept for originality checks
MAX_CHORDS_PER_BAR = 16
MAX_HISTORY = 100_000  # loss per epoch
MIN_BAR_QUARTERS, MAX_BAR_QUARTERS = 1 / 12, 64.0  # one grid step to sixteen bars of 4/4
MAX_VALUE_QUARTERS = 64.0  # a value longer than this (sixteen bars of 4/4) is not music the model learned
MIN_TEMPO, MAX_TEMPO = 20.0, 400.0  # as PlaybackSettings allows
MAX_TEXT = 1000  # characters in a title, a chord symbol, a hash
_STRING = re.compile(rb'"(?:[^"\\]++|\\.)*+"')


def _one_line(error: object) -> str:
    return " ".join(str(error).split())[:160]


def _damaged(where: str, problem: str) -> BadBundleError:
    return BadBundleError(f"The model bundle is damaged: {where} {problem}.")


# --- bundle.json ----------------------------------------------------------------------------

def json_depth(data: bytes) -> int:
    """How deep the JSON's brackets nest, counted without parsing it (strings blanked out first)."""
    skeleton = np.frombuffer(_STRING.sub(b'""', data), dtype=np.uint8)
    steps = np.isin(skeleton, (91, 123)).astype(np.int64) - np.isin(skeleton, (93, 125))
    return int(np.cumsum(steps).max(initial=0))


def parse_manifest(data: bytes) -> dict:
    """bundle.json as a dict, refused before parsing when too large or nested deeper than the format."""
    if len(data) > MAX_MANIFEST_BYTES:
        raise BadBundleError(f"The model bundle's bundle.json is {len(data) / 1e6:.1f} MB; at most "
                             f"{MAX_MANIFEST_BYTES // 1_000_000} MB is accepted.")
    if json_depth(data) > MAX_JSON_DEPTH:
        raise BadBundleError(f"The model bundle's bundle.json nests deeper than {MAX_JSON_DEPTH} levels; "
                             "a bundle saved by Jazz LSTM Studio never does, so it is not one of ours.")
    try:
        manifest = json.loads(data)  # NaN and Infinity parse; number() refuses them
    except (ValueError, UnicodeDecodeError):
        raise BadBundleError("The model bundle's bundle.json is damaged (it is not valid JSON).") from None
    if not isinstance(manifest, dict):
        raise BadBundleError("The model bundle's bundle.json is damaged (it holds no fields).")
    return manifest


def number(value: object, where: str, low: float, high: float) -> float:
    """A finite number between low and high, else a sentence naming the field."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _damaged(where, f"should be a number, not {_shown(value)}")
    if not math.isfinite(value):
        raise _damaged(where, f"is {value}, not a finite number")
    if not low <= value <= high:
        raise _damaged(where, f"is {value:g}, outside {low:g} to {high:g}")
    return float(value)


def integer(value: object, where: str, low: int, high: int) -> int:
    """A whole number between low and high."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise _damaged(where, f"should be a whole number, not {_shown(value)}")
    if not low <= value <= high:
        raise _damaged(where, f"is {value}, outside {low} to {high}")
    return value


def text(value: object, where: str, most: int = MAX_TEXT) -> str:
    """A string of at most `most` characters."""
    if not isinstance(value, str):
        raise _damaged(where, f"should be text, not {_shown(value)}")
    if len(value) > most:
        raise _damaged(where, f"is {len(value)} characters long; at most {most} are allowed")
    return value


def items(value: object, where: str, fewest: int, most: int) -> list:
    """A list of fewest to most items."""
    if not isinstance(value, list):
        raise _damaged(where, f"should be a list, not {_shown(value)}")
    if not fewest <= len(value) <= most:
        raise _damaged(where, f"has {len(value)} entries; {fewest} to {most} are allowed")
    return value


def mapping(value: object, where: str) -> dict:
    """A JSON object."""
    if not isinstance(value, dict):
        raise _damaged(where, f"should be a set of named fields, not {_shown(value)}")
    return value


def _shown(value: object) -> str:
    kind = {dict: "named fields", list: "a list", str: "text", bool: "true/false", type(None): "null"}
    return kind.get(type(value), repr(value)[:40])


def check_vocabulary(values: object) -> tuple[str, ...]:
    """Distinct grammar values in sorted order (the order the weights' rows follow), each readable."""
    found = items(values, "its vocabulary", 1, MAX_VOCABULARY)
    for index, value in enumerate(found):
        check_value(value, f"vocabulary value {index + 1}")
    for index, (first, second) in enumerate(pairwise(found)):
        if first >= second:
            raise BadBundleError(f"The model bundle is damaged: its vocabulary is not in sorted order of distinct "
                                 f"values ({second!r} at place {index + 2} follows {first!r}), so its values "
                                 "cannot be matched with the weights.")
    return tuple(found)


def check_value(value: object, where: str) -> str:
    """One grammar value like 'C,0.250,<m2,P-4>', with a finite duration a bar can hold."""
    value = text(value, where, 64)
    try:
        kind, duration, _ = parse_value(value)
    except (ValueError, OverflowError):
        raise _damaged(where, f"{value!r} is not a grammar value (like C,0.250,<m2,P-4>)") from None
    if kind not in TYPES or not duration <= MAX_VALUE_QUARTERS:
        raise _damaged(where, f"{value!r} lasts longer than {MAX_VALUE_QUARTERS:g} quarter notes")
    return value


def check_corpus(values: object, vocabulary: Sequence[str]) -> tuple[str, ...]:
    """The training values: every one a value of the vocabulary."""
    found = items(values, "its corpus of training values", 0, MAX_CORPUS_VALUES)
    known = set(vocabulary)
    for index, value in enumerate(found):
        if not isinstance(value, str) or value not in known:
            shown = repr(value[:40]) if isinstance(value, str) else _shown(value)
            raise _damaged(f"training value {index + 1}", f"({shown}) is not in the model's vocabulary")
    return tuple(found)


def check_chord(chord: object, where: str, length: float) -> dict:
    """A chord: where it starts in its bar, its pitches (MIDI numbers), its scale (pitch classes), its symbol."""
    chord = mapping(chord, where)
    offset = number(chord.get("offset"), f"{where}'s offset", 0.0, length)
    pitches = [integer(p, f"{where}'s pitches", 0, 127) for p in items(chord.get("pitches"), f"{where}'s pitches",
                                                                       1, 128)]
    scale = [integer(p, f"{where}'s scale", 0, 11) for p in items(chord.get("scale", []), f"{where}'s scale", 0, 12)]
    return {"offset": offset, "pitches": pitches, "scale": scale, "symbol": text(chord.get("symbol", ""), where, 100)}


def check_bar(bar: object, number_: int) -> dict:
    """A bar of the progression: a length in quarters and the chords sounding in it (at least one)."""
    where = f"bar {number_} of its chord progression"
    bar = mapping(bar, where)
    length = number(bar.get("length"), f"{where}'s length", MIN_BAR_QUARTERS, MAX_BAR_QUARTERS)
    chords = bar.get("chords")
    if isinstance(chords, list) and not chords:
        raise _damaged(where, "has no chords")
    chords = items(chords, f"{where}'s chords", 1, MAX_CHORDS_PER_BAR)
    meter = text(bar.get("meter", ""), f"{where}'s meter", 8)
    if meter and not _METER.match(meter):
        raise _damaged(where, f"has a meter ({meter!r}) that is not a time signature like 3/4")
    return {"length": length, "chords": [check_chord(c, f"chord {i + 1} of {where}", length)
                                         for i, c in enumerate(chords)], "meter": meter}


def check_progression(bars: object) -> list[dict]:
    """The source's bars, 1 to MAX_BARS of them."""
    if isinstance(bars, list) and len(bars) > MAX_BARS:
        raise BadBundleError(f"The model bundle's chord progression has {len(bars)} bars; at most {MAX_BARS} "
                             "are accepted, as for scores.")
    return [check_bar(bar, i + 1) for i, bar in enumerate(items(bars, "its chord progression", 1, MAX_BARS))]


def check_settings(settings: object) -> dict:
    """The settings the model was made with: each known group is a mapping the settings classes accept."""
    settings = mapping(settings, "its settings")
    for name, kind in (("dataset", DatasetSettings), ("model", ModelSettings), ("training", TrainSettings)):
        if name not in settings:
            continue
        group = mapping(settings[name], f"its {name} settings")
        known = {k: v for k, v in group.items() if k in kind.__dataclass_fields__}
        try:
            kind(**known)
        except (TypeError, ValueError) as error:
            raise _damaged(f"its {name} settings", f"are not usable ({_one_line(error)})") from None
    return settings


def check_manifest(manifest: dict, vocabulary: tuple[str, ...]) -> dict:
    """Every field of bundle.json but the vocabulary (checked first, by check_vocabulary) checked."""
    history = items(manifest.get("history", []), "its training history", 0, MAX_HISTORY)
    return {
        "title": text(manifest.get("title", ""), "its title"),
        "tempo_bpm": min(max(number(manifest.get("tempo_bpm", 120.0), "its tempo", 1e-3, math.inf), MIN_TEMPO),
                         MAX_TEMPO),  # a score's odd tempo is played within the range the page allows
        "source_sha256": text(manifest.get("source_sha256", ""), "its source fingerprint", 128),
        "vocabulary": vocabulary,
        "progression": check_progression(manifest.get("progression")),
        "corpus": check_corpus(manifest.get("corpus", []), vocabulary),
        "settings": check_settings(manifest.get("settings", {})),
        "history": tuple(_loss(v, i) for i, v in enumerate(history)),
    }


def _loss(value: object, index: int) -> float:
    """One epoch's training loss: any number (a run that diverged records NaN; it is only shown, never used)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _damaged(f"epoch {index + 1}'s loss", f"should be a number, not {_shown(value)}")
    return float(value)


def weights_bytes(vocabulary: int, hidden_units: int) -> int:
    """Bytes of a model's weights as a bundle stores them (float64 .npy members)."""
    four = 4 * hidden_units
    return 8 * (vocabulary * four + hidden_units * four + four + hidden_units * vocabulary + vocabulary) + 1024


def check_bundle_size(vocabulary: int, hidden_units: int, corpus_values: int) -> int:
    """Refuse, before training, a model whose bundle could not be loaded back (the caps are the loader's);
    returns the bundle's size on disk, about."""
    weights = weights_bytes(vocabulary, hidden_units)
    if weights > MAX_WEIGHTS_BYTES:
        raise BadBundleError(f"A model of {hidden_units} hidden units over {vocabulary} values would need "
                             f"{weights / 1e6:.0f} MB of weights; a bundle can hold {MAX_WEIGHTS_BYTES // 1_000_000} "
                             "MB (so that it can be loaded back). Choose fewer hidden units or a smaller corpus.")
    manifest = 40 * corpus_values + 65_536
    if manifest > MAX_MANIFEST_BYTES:
        raise BadBundleError(f"A corpus of {corpus_values:,} values is more than a bundle keeps "
                             f"({MAX_MANIFEST_BYTES // 1_000_000} MB of bundle.json); train on fewer pieces.")
    return weights + manifest
