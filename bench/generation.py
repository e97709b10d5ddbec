"""Part 3, generation by stage with the shipped model (assets/default_model), and the course's way of sampling.

Stages, as the page runs them after a click on Generate: sample the values (NumPy LSTM,
`sampling.sample_indices`, and the vocabulary lookup), values to notes (`grammar.decode_values`),
the MIDI file (`midi_writer.write_midi`), the audio (`audio.render`, FluidSynth) and the FLAC the page
plays (`RenderedAudio.to_flac`). Each is timed several times in this process, after one warm-up
render that loads the soundfont (as the page does in the background when it opens).

The course's way: a Keras model unrolled over Ty steps (bench.course.music_inference_model)
with the same weights, timed in a fresh process: build, first predict, later predicts.
"""

from __future__ import annotations

import time
from argparse import Namespace

from bench.common import DEFAULT_MODEL, PartResult, Stats, Table, Target, fmt, repeat, run_child, show

SIZES = (50, 200, 1000)
RUNS = 7
SAMPLING_LIMIT, CLICK_LIMIT, SOLO_SECONDS = 0.020, 0.5, 30.0
STAGES = ("sample", "decode", "midi", "render", "flac")


# --- in this process: our stages ------------------------------------------------------------------------------

def load_default():
    """The shipped bundle, and the seconds it took to load."""
    from jazz_core.bundle import load_bundle

    started = time.perf_counter()
    bundle = load_bundle(DEFAULT_MODEL)
    return bundle, time.perf_counter() - started


def warm_up(bundle) -> float:
    """The first render in this process (loads FluidSynth and the soundfont), as the page's background warm-up."""
    from jazz_core import pipeline
    from jazz_core.audio import AudioSettings, render
    from jazz_core.settings import GenerateSettings, PlaybackSettings

    take = pipeline.generate(bundle, GenerateSettings(values=4), PlaybackSettings(chords=False))
    started = time.perf_counter()
    render(take.midi, AudioSettings(chords=False, tail_seconds=0.0))
    return time.perf_counter() - started


def time_stages(bundle, count: int, runs: int) -> dict:
    """Statistics of every stage for `count` values (seed 1, temperature 0.7), and the solo's length in seconds.

    Music longer than the renderer accepts (audio.MAX_SECONDS, less a bar's margin) is not rendered.
    """
    from jazz_core.audio import MAX_SECONDS, AudioSettings, render
    from jazz_core.grammar import decode_values
    from jazz_core.midi_writer import write_midi
    from jazz_core.sampling import sample_values
    from jazz_core.settings import PlaybackSettings

    weights, vocabulary, measures, playback = bundle.weights, bundle.vocabulary, bundle.progression, PlaybackSettings()
    found: dict[str, Stats] = {}
    found["sample"], values = repeat(lambda: vocabulary.decode(
        sample_values(weights, vocabulary, bundle.corpus, measures, count, 0.7, 1)), runs)
    found["decode"], notes = repeat(lambda: decode_values(values, measures, seed=1), runs)
    found["midi"], midi = repeat(lambda: write_midi(notes, measures, playback, seed=1), runs)
    end = max(n.offset + n.duration for n in notes) * 60.0 / playback.tempo_bpm
    if end < MAX_SECONDS - 10:
        found["render"], audio = repeat(lambda: render(midi, AudioSettings()), runs)
        found["flac"], _ = repeat(audio.to_flac, max(3, runs // 2))
    return {"stats": found, "seconds": end, "values": len(values)}


def encode(samples, rate: int, container: str, subtype: str) -> bytes:
    """Audio frames encoded with libsndfile (soundfile) in blocks, as `RenderedAudio.to_flac` and `to_ogg` do."""
    import io

    import soundfile

    buffer = io.BytesIO()
    with soundfile.SoundFile(buffer, "w", rate, samples.shape[1], format=container, subtype=subtype) as out:
        for start in range(0, len(samples), 16384):
            out.write(samples[start:start + 16384])
    return buffer.getvalue()


def player_formats(bundle, count: int) -> Table:
    """What the page's player could be sent for one take: FLAC as now, OGG, a smaller OGG, plain WAV."""
    from jazz_core import pipeline
    from jazz_core.audio import AudioSettings, render
    from jazz_core.settings import GenerateSettings

    audio = render(pipeline.generate(bundle, GenerateSettings(values=count)).midi, AudioSettings())
    samples = audio.samples()
    ways = {"FLAC, 44.1 kHz stereo (to_flac, lossless: the page's player now)": audio.to_flac,
            "OGG Vorbis, 44.1 kHz stereo (to_ogg)": audio.to_ogg,
            "OGG Vorbis, 22.05 kHz mono": lambda: encode(samples[::2, :1].copy(), 22050, "OGG", "VORBIS"),
            "WAV (RenderedAudio.wav, no encoding)": lambda: audio.wav}
    table = Table(f"Encoding the player's audio for a {audio.seconds:.0f}-second take ({count} values)",
                  ["format", "encode", "size"],
                  note="Chromium, Firefox and Safari all play FLAC and WAV in an audio element. The 22.05 kHz mono "
                       "line halves the samples by plain decimation (a sketch of the cost, not of the sound).")
    for name, way in ways.items():
        stats, data = repeat(way, 5)
        table.add(name, "none" if name.startswith("WAV") else stats.text(), f"{len(data) / 1e6:.2f} MB")
    return table


def values_for(bundle, seconds: float) -> int:
    """How many values make a solo of about `seconds` at the default tempo (from a 400-value sample)."""
    from jazz_core import pipeline
    from jazz_core.settings import GenerateSettings

    take = pipeline.generate(bundle, GenerateSettings(values=400))
    return max(1, round(400 * seconds / take.seconds))


# --- in a child process: the course's sampling model ----------------------------------------------------------

def course_weights():
    """The shipped model's weights when it is of the course's family, else seeded random ones of its size
    (the comparison is of the two ways of running the course's model, which any weights show)."""
    import numpy as np

    from jazz_core.bundle import load_bundle
    from jazz_core.model import LstmWeights

    weights = load_bundle(DEFAULT_MODEL).weights
    if weights.family == "course":
        return weights
    rng = np.random.default_rng(0)
    n, h = weights.vocabulary_size, weights.hidden_units
    return LstmWeights(*(rng.normal(0, 0.3, shape) for shape in ((n, 4 * h), (h, 4 * h), (4 * h,), (h, n), (n,))))


def child_course_sampling(ty: int, runs: int = 3) -> dict:
    """Build the course's Ty-step inference model with the shipped weights; time build, first and later predicts."""
    started = time.perf_counter()
    import keras
    import numpy as np

    imported = time.perf_counter()
    from bench.course import music_inference_model

    weights = course_weights()
    n_values, n_a = weights.vocabulary_size, weights.hidden_units
    built_at = time.perf_counter()
    lstm_cell = keras.layers.LSTM(n_a, return_state=True)
    densor = keras.layers.Dense(n_values, activation="softmax")
    model = music_inference_model(lstm_cell, densor, ty)
    lstm_cell.set_weights([weights.kernel, weights.recurrent_kernel, weights.bias])
    densor.set_weights([weights.dense_kernel, weights.dense_bias])
    built = time.perf_counter()
    inputs = [np.zeros((1, 1, n_values), np.float32), np.zeros((1, n_a), np.float32), np.zeros((1, n_a), np.float32)]
    predicts = []
    for _ in range(1 + runs):
        begun = time.perf_counter()
        outputs = model.predict(inputs, verbose=0)
        indices = [int(np.argmax(o)) for o in outputs]
        predicts.append(time.perf_counter() - begun)
    return {"import_seconds": imported - started, "build_seconds": built - built_at, "first_seconds": predicts[0],
            "later_seconds": predicts[1:], "indices": indices}


def course_sampling(bundle, sizes: tuple[int, ...]) -> Table:
    """The course's unrolled inference model against our NumPy sampler at temperature 0 (argmax, as the course)."""
    from jazz_core.sampling import sample_indices

    table = Table("Sampling Ty values: the course's unrolled Keras inference model against ours (argmax)",
                  ["way", "Ty", "import TF+Keras", "build", "first predict", "later predicts", "same values"],
                  note="The course's model: a Python loop of Ty steps (shared LSTM cell with its states, softmax "
                       "Dense, argmax fed back as a one-hot by a Lambda), built in a fresh process with the shipped "
                       "weights and called with model.predict. Ours: NumPy, no TensorFlow, nothing to build.")
    for ty in sizes:
        print(f"  the course's inference model, Ty = {ty} (fresh process)...", flush=True)
        course = run_child("course_sampling", ty=ty)
        ours_stats, ours = repeat(lambda ty=ty, weights=course_weights(): sample_indices(weights, ty, 0.0, 1), RUNS)
        same = sum(a == b for a, b in zip(course["indices"], ours, strict=True))
        table.add("course: Keras inference model", ty, fmt(course["import_seconds"]), fmt(course["build_seconds"]),
                  fmt(course["first_seconds"]), Stats.of(course["later_seconds"]).text(), f"{same}/{ty}")
        table.add("ours: sampling.sample_indices, temperature 0", ty, "none", "none", ours_stats.text(),
                  ours_stats.text(), "")
    return table


# --- the part -------------------------------------------------------------------------------------------------

def stage_table(rows: list[tuple[int, dict]], title: str) -> Table:
    """One row per N: each stage's median (range) and the sum of the medians."""
    table = Table(title, ["N values", "music", "sample", "decode", "MIDI", "render", "FLAC", "sum of medians",
                          "real-time factor"],
                  note=f"Medians of {RUNS} runs (FLAC: fewer), range in brackets, in one warm process. The sum is "
                       "what a click on Generate costs the page before its audio player appears (plus Streamlit's "
                       "own work).")
    for count, found in rows:
        stats = found["stats"]
        total = sum(stats[s].median for s in STAGES if s in stats)
        table.add(count, f"{found['seconds']:.1f} s", *(stats[s].text() if s in stats else "n/a" for s in STAGES),
                  fmt(total), f"{found['seconds'] / total:.0f}x")
    return table


def run(options: Namespace) -> PartResult:
    """Stages for 50, 200, 1000 values and for a 30-second solo; the course's sampling model for comparison."""
    result = PartResult("generation", "3. Generation, by stage")
    bundle, load_seconds = load_default()
    first_render = warm_up(bundle)
    thirty = values_for(bundle, SOLO_SECONDS)
    rows = [(count, time_stages(bundle, count, RUNS)) for count in sorted({*SIZES, thirty})]
    result.tables.append(stage_table(rows, f"Generating with the shipped model ({len(bundle.vocabulary)} values, "
                                           f"n_a {bundle.weights.hidden_units}), 130 bpm, temperature 0.7"))
    result.notes.append(f"Loading the shipped bundle: {fmt(load_seconds)}; the first render in a process (loads "
                        f"FluidSynth and the soundfont): {fmt(first_render)}; the page does both before the first "
                        f"click. A {SOLO_SECONDS:.0f}-second solo is about {thirty} values at 130 bpm.")
    by_count = dict(rows)
    sampling = by_count[1000]["stats"]["sample"].median
    click = sum(s.median for s in by_count[thirty]["stats"].values())
    result.targets += [
        Target("sampling 1000 values", f"< {fmt(SAMPLING_LIMIT)}", fmt(sampling), sampling < SAMPLING_LIMIT),
        Target(f"click to audio, {SOLO_SECONDS:.0f}-second solo ({thirty} values), sum of the stages",
               f"< {fmt(CLICK_LIMIT)}", fmt(click), click < CLICK_LIMIT)]
    result.tables.append(player_formats(bundle, thirty))
    result.tables.append(course_sampling(bundle, (50, 500) if options.long else (50,)))
    if not options.long:
        result.notes.append("The course's 500-step inference model (about 4 s to build and over a minute for its "
                            "first call, by the issue) is measured with --long.")
    for item in [*result.tables, *result.targets, *result.notes]:
        show(item)
    return result
