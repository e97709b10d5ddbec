"""Build the shipped jazz model: the studio family trained on the Weimar Jazz Database's solos.

    make bundle-jazz WJAZZD=../shared/data/wjazzd
    .venv/bin/python -m bench.jazz_model --corpus ../shared/data/wjazzd --out assets/jazz_model

Trained on the same 340 solos as bench/quality.py's Weimar row (whole solos; every ~8th of the 386,
sorted by name, is held out), so `python -m jazz_core evaluate assets/jazz_model --held-out` on the
other 46 judges it on music it never saw. Pieces are read once and cached (bench/corpus.py).
Credit: Weimar Jazz Database (Jazzomat Research Project, HfM Franz Liszt Weimar, ODbL 1.0), MusicXML
by the MINGUS project (Madaghiele, Lisena, Troncy, 2021).
"""

from __future__ import annotations

import argparse
import dataclasses
import time
from pathlib import Path

from bench.corpus import WJAZZD, read_folder, split_solos

# a big corpus: bigger batches (the same windows, a quarter of the steps), at most 18 epochs
TRAINING = {"batch_size": 128, "patience": 6, "epochs": 18}
TITLE = "Weimar Jazz Database: 340 solos (Jazzomat Research Project, HfM Weimar, ODbL; MusicXML by MINGUS)"


def main() -> None:
    from jazz_core.bundle import save_bundle
    from jazz_core.changes import PRESETS, parse_changes
    from jazz_core.pipeline import learn, source_hash
    from jazz_core.settings import DatasetSettings, ModelSettings, TrainSettings

    parser = argparse.ArgumentParser(description="Train the shipped jazz model on the Weimar solos.")
    parser.add_argument("--corpus", default=str(WJAZZD), help="the folder of Weimar .mxl solos")
    parser.add_argument("--out", default="assets/jazz_model")
    args = parser.parse_args()
    files = sorted(Path(args.corpus).glob("*.mxl"))
    if not files:
        raise SystemExit(f"no .mxl solos in {args.corpus}: pass WJAZZD=path/to/wjazzd")
    train, test = split_solos(read_folder(Path(args.corpus)))
    started = time.perf_counter()
    bundle = learn(train, DatasetSettings(validation_fraction=0.1, test_fraction=0.0), ModelSettings(),
                   TrainSettings(**TRAINING), on_epoch=lambda r: print(f"epoch {r.epoch}  loss {r.loss:.3f}  val_loss "
                                                             f"{r.validation_loss:.3f}  {r.seconds:.0f}s", flush=True),
                   source_sha256=source_hash([f.read_bytes() for f in files]))
    # the 340 solos' chords are 22,861 bars, more than a bundle may hold: it plays over a blues by default
    # (any changes can be chosen); the training values stay, for the originality checks
    blues = tuple(parse_changes(PRESETS["12-bar blues in F"]))
    bundle = dataclasses.replace(bundle, title=TITLE, tempo_bpm=160.0, progression=blues, measures_per_piece=())
    print(f"trained in {time.perf_counter() - started:.0f} s; kept epoch {bundle.settings['kept_epoch']}; "
          f"{len(test)} solos held out, e.g. {', '.join(p.title for p in test[:3])}")
    print(f"saved {save_bundle(bundle, args.out)}")


if __name__ == "__main__":
    main()
