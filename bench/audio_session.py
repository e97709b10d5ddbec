"""Memory of one session's takes: 24 takes of 30 s kept the old way (every take's FLAC) and the small way.

    .venv/bin/python -m bench.audio_session [--takes 24]

A session keeps, for each take, what plays it again: the take itself (its values, notes, settings and MIDI,
`pipeline.Take`) and its audio. The old way kept every take's FLAC (2.6 MB for 30 s); the small way keeps the
newest take's FLAC for the player and every older take's audio as a small OGG (`audio.kept_ogg`), converted
when a newer take arrives. Memory is what `tracemalloc` counts as still allocated once the takes are made and
the garbage collected (bytes, NumPy arrays and Python objects alike), less what was allocated before; the
model, the synths and the soundfont are shared by every session and not counted. With the page's own take
records (`jazz_core.session.TakeRecord`: piano roll spec and metrics too), when that module is present.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import time
import tracemalloc

VALUES = 200  # the page's default: about 30 s of music at 130 beats per minute (a few seeds play 90 s)


def _take(bundle, seed: int):
    from jazz_core import pipeline
    from jazz_core.settings import GenerateSettings

    return pipeline.generate(bundle, GenerateSettings(values=VALUES, seed=seed))


def _seeds(bundle, count: int, about: float | None) -> list[int]:
    """The first `count` seeds whose take lasts within 5 s of `about` seconds (any take when None)."""
    seeds, seed = [], 0
    while len(seeds) < count:
        if about is None or abs(_take(bundle, seed).seconds - about) <= 5.0:
            seeds.append(seed)
        seed += 1
    return seeds


def _flac(take) -> bytes:
    from jazz_core.audio import render
    from jazz_core.settings import AudioSettings

    return render(take.midi, AudioSettings()).to_flac()


def session_of(bundle, seeds: list[int], small: bool) -> list[tuple]:
    """New takes of these seeds, (take, audio) newest first, as a session keeps them: each take's FLAC, or older takes'
    audio as OGG."""
    from jazz_core.audio import kept_ogg

    kept: list[tuple] = []
    for seed in seeds:
        take = _take(bundle, seed)
        if small and kept:
            kept[0] = (kept[0][0], kept_ogg(kept[0][1]))
        kept.insert(0, (take, _flac(take)))
    return kept


def measured(build) -> tuple[float, float, object]:
    """MB still allocated after `build()` (its result kept), the seconds it took, and the result."""
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    started = time.perf_counter()
    result = build()
    seconds = time.perf_counter() - started
    gc.collect()
    held = tracemalloc.get_traced_memory()[0] - base
    tracemalloc.stop()
    return held / 1e6, seconds, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--takes", type=int, default=24)
    parser.add_argument("--about", type=float, default=30.0,
                        help="keep takes lasting this many seconds, give or take 5 (0: the first seeds, any length)")
    args = parser.parse_args()
    from bench.common import DEFAULT_MODEL
    from jazz_core.bundle import load_bundle

    bundle = load_bundle(DEFAULT_MODEL)
    _flac(_take(bundle, 0))  # the synth, the soundfont and the encoders loaded outside the measurement
    seeds = _seeds(bundle, args.takes, args.about or None)
    for name, small in (("every take's FLAC (the old way)", False), ("newest FLAC, older takes OGG", True)):
        megabytes, seconds, kept = measured(lambda small=small: session_of(bundle, seeds, small))
        audio_mb = sum(len(audio) for _, audio in kept) / 1e6
        music = sum(take.seconds for take, _ in kept) / len(kept)
        print(f"  {name:34s} {megabytes:6.1f} MB held for {len(kept)} takes of {music:.1f} s on average "
              f"(audio bytes {audio_mb:.1f} MB), made in {seconds:.1f} s")
    if importlib.util.find_spec("jazz_core.session") is not None:
        page_records(bundle, seeds)


def page_records(bundle, seeds: list[int]) -> None:
    """The page's own take records, built as the page builds them, 24 in a session."""
    from jazz_core import session

    def build() -> list:
        records: list = []
        for number, seed in enumerate(seeds, 1):
            take = _take(bundle, seed)
            record = session.take_record(number, take, bundle, None, "default", "Jazz guitar", "its own changes")
            if getattr(record.sound, "compact", None) is not None:  # made in the background while one listens
                record.sound.compact.result()
            records = session.with_take(records, record, len(seeds))
        return records

    megabytes, seconds, records = measured(build)
    print(f"  {'the page: session.TakeRecord list':34s} {megabytes:6.1f} MB held for {len(records)} takes, "
          f"made in {seconds:.1f} s")


if __name__ == "__main__":
    main()
