"""Command line: `python -m jazz_core corpus|train|generate|notate|render ...`.

Settings come from the same dataclasses the page uses. Every failure the user can cause is a
JazzError: one plain sentence on stderr and exit status 2. Any other exception is a bug, and
its traceback is shown.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from jazz_core.atomic import write_bytes
from jazz_core.changes import PRESETS
from jazz_core.errors import JazzError, SettingsError
from jazz_core.files import check_output_file, check_output_folder, read_file
from jazz_core.notation import PARTS
from jazz_core.settings import (
    FAMILIES,
    SWINGS,
    DatasetSettings,
    GenerateSettings,
    ModelSettings,
    PlaybackSettings,
    TrainSettings,
)

DEFAULTS_D, DEFAULTS_M, DEFAULTS_T = DatasetSettings(), ModelSettings(), TrainSettings()
DEFAULTS_G, DEFAULTS_P = GenerateSettings(), PlaybackSettings()


def _read_pieces(files: Sequence[str], preset: str | None, melody: str | None, lenient: bool = False):
    """The pieces of the files (none: the built-in corpus) and their bytes. `lenient`: a file that cannot be
    read is named in a warning on stderr and left out; only when none is left is that an error."""
    from jazz_core.errors import BadScoreError, FileAccessError
    from jazz_core.reading import builtin_corpus, read_score

    if not files:
        return builtin_corpus(), []
    pieces, sources, refused = [], [], []
    for path in files:
        try:
            data = _read_bytes(path)
            pieces.append(read_score(data, preset, _melody(melody), title=Path(path).stem))
            sources.append(data)
        except (BadScoreError, FileAccessError) as error:
            if not lenient:
                raise
            print(f"warning: {path} left out: {error}", file=sys.stderr)
            refused.append(path)
    if not pieces:
        raise BadScoreError(f"None of the {len(files)} files could be read ({', '.join(refused)}); nothing to learn.")
    return pieces, sources


def cmd_corpus(args: argparse.Namespace) -> None:
    from jazz_core.pipeline import corpus_values
    from jazz_core.report import preflight

    if not args.files:
        pieces, _ = _read_pieces([], None, None)
        values = corpus_values(pieces)
        report = {"title": "built-in corpus", "pieces": [p.title for p in pieces],
                  "measures": sum(len(p.measures) for p in pieces), "values": len(values),
                  "unique_values": len(set(values)), "enough": True}
    elif len(args.files) == 1:
        path = args.files[0]
        report = preflight(_read_bytes(path), args.preset, _melody(args.melody), title=Path(path).stem).to_dict()
    else:
        from jazz_core.report import preflight_paths

        report = preflight_paths(args.files, args.preset, _melody(args.melody)).to_dict()
        for name in report["refused"]:
            print(f"warning: {name} left out", file=sys.stderr)
    if args.json:
        print(json.dumps(report, indent=1))
    else:
        for line in _describe(report):
            print(line)
    if not report["enough"]:
        from jazz_core.errors import BadScoreError

        raise BadScoreError(report["verdict"])


def _describe(report: dict) -> list[str]:
    lines = [f"{report['title']}: {report['measures']} measures, {report['values']} values, "
             f"{report['unique_values']} unique"] if "title" in report else []
    for part in report.get("parts", []):
        lines.append(f"  part {part['index']}: {part['name']} ({part['instrument'] or 'instrument not given'}) "
                     f"{part['lowest']}-{part['highest']}: {part['description']}")
    for key in ("origin", "changes", "verdict"):
        if report.get(key) and not (key == "verdict" and "files" in report):
            lines.append(f"{key}: {report[key]}")
    lines += [f"warning: {w}" for w in report.get("warnings", [])]
    for sub in report.get("files", []):
        lines += _describe(sub) if sub.get("parts") else [f"{sub['title']}: {sub['verdict']}"]
    if "files" in report:
        lines.append(f"corpus: {report['measures']} measures, {report['values']} values, "
                     f"{report['unique_values']} unique; {report['verdict']}")
    return lines


def _melody(melody: str | None) -> int | str | None:
    return int(melody) if melody is not None and melody.isdigit() else melody


def _read_bytes(path: str) -> bytes:
    """A score (or MIDI) file given on the command line: a regular file within the score size cap."""
    from jazz_core.reading import MAX_SCORE_BYTES

    return read_file(path, MAX_SCORE_BYTES, "score")


def _bundle_bytes(pieces, hidden_units: int) -> int:
    """About how large the bundle of these pieces will be; refused before training if it could not be loaded."""
    from jazz_core.bundle_schema import check_bundle_size
    from jazz_core.pipeline import corpus_values

    values = corpus_values(pieces)
    return check_bundle_size(len(set(values)), hidden_units, len(values))


def cmd_train(args: argparse.Namespace) -> None:
    from jazz_core.bundle import save_bundle
    from jazz_core.pipeline import learn, source_hash

    dataset = DatasetSettings(windows=args.windows, sequence_length=args.sequence_length, seed=args.seed)
    model = ModelSettings(hidden_units=args.hidden_units, family=args.model)
    training = TrainSettings(epochs=args.epochs, learning_rate=args.learning_rate, seed=args.seed,
                             keep_best=args.keep_best)
    pieces, sources = _read_pieces(args.files, args.preset, args.melody, lenient=True)
    check_output_folder(args.out, _bundle_bytes(pieces, model.hidden_units))  # before training, not after

    def report(epoch) -> None:
        validation = "" if epoch.validation_loss is None else f"  val_loss {epoch.validation_loss:.4f}"
        print(f"epoch {epoch.epoch}/{epoch.epochs}  loss {epoch.loss:.4f}  accuracy {epoch.accuracy:.3f}"
              f"{validation}  {epoch.seconds:.1f}s", flush=True)

    bundle = learn(pieces, dataset, model, training, on_epoch=report, source_sha256=source_hash(sources))
    print(f"saved {save_bundle(bundle, args.out)}")


def cmd_generate(args: argparse.Namespace) -> None:
    from jazz_core.bundle import load_bundle
    from jazz_core.changes import parse_changes
    from jazz_core.pipeline import generate

    settings = GenerateSettings(values=args.values, temperature=args.temperature, seed=args.seed)
    _check_outputs(args.out, args.wav, args.musicxml, args.stems)
    band = {part.strip() for part in args.band.split(",") if part.strip()} if args.band else set()
    unknown = band - {"bass", "drums", "comp"}
    if unknown:
        raise SettingsError(f"--band takes bass, drums and comp, not {', '.join(sorted(unknown))}")
    playback = PlaybackSettings(tempo_bpm=args.tempo, solo_program=args.solo_program, chords=not args.no_chords,
                                comping="comp" in band, bass="bass" in band, drums="drums" in band,
                                swing=args.swing, humanize=args.humanize)
    progression = parse_changes(PRESETS.get(args.changes, args.changes)) if args.changes else None
    take = generate(load_bundle(args.bundle), settings, playback, progression)
    write_bytes(args.out, take.midi)
    print(f"wrote {args.out}: {len(take.values)} values, {sum(n.pitch is not None for n in take.notes)} notes, "
          f"{take.seconds:.1f} s")
    if args.wav:
        _write_wav(take.midi, args.wav, args.soundfont, None)
    if args.musicxml:
        _write_musicxml(take, args.musicxml, args.part, f"Solo over {args.changes}" if args.changes in PRESETS else "")
    if args.stems:
        _write_stems(take.midi, args.stems, args.stems_format, args.soundfont)


def _write_stems(midi: bytes, out: str, audio_format: str, soundfont: str | None) -> None:
    from jazz_core.stems import stems_zip

    write_bytes(out, stems_zip(midi, audio_format, soundfont))
    print(f"wrote {out}: each part as {audio_format.upper()} and MIDI")


def cmd_notate(args: argparse.Namespace) -> None:
    from jazz_core.changes import parse_changes
    from jazz_core.engraving import musicxml, svg
    from jazz_core.notation import lead_sheet
    from jazz_core.take_reader import read_take

    _check_outputs(args.out, args.svg)
    changes = parse_changes(PRESETS.get(args.changes, args.changes)) if args.changes else ()
    music = read_take(_read_bytes(args.midi), args.swing, changes)
    sheet = lead_sheet(music.notes, music.progression, music.tempo_bpm, args.swing != "straight",
                       args.title or Path(args.midi).stem, args.part)
    score = musicxml(sheet)
    write_bytes(args.out, score)
    print(f"wrote {args.out}: {len(sheet.bars)} bars for {sheet.part.name}")
    if args.svg:
        write_bytes(args.svg, svg(score).encode("utf-8"))
        print(f"wrote {args.svg}")


def _check_outputs(*targets: str | None) -> None:
    """Every file to be written checked before the work that makes it (see files.check_output_file)."""
    for target in filter(None, targets):
        check_output_file(target)


def _write_musicxml(take, out: str, part: str, title: str) -> None:
    from jazz_core.engraving import musicxml, take_sheet

    sheet = take_sheet(take, part, title or Path(out).stem)
    write_bytes(out, musicxml(sheet))
    print(f"wrote {out}: {len(sheet.bars)} bars for {sheet.part.name}")


def _write_wav(midi: bytes, out: str, soundfont: str | None, solo_program: int | None) -> None:
    from jazz_core.audio import AudioSettings, render

    audio = render(midi, AudioSettings(soundfont=soundfont, solo_program=solo_program))
    write_bytes(out, audio.wav)
    print(f"wrote {out}: {audio.seconds:.1f} s of audio with {Path(audio.soundfont).name}")


def cmd_render(args: argparse.Namespace) -> None:
    check_output_file(args.out)
    midi = _read_bytes(args.midi)
    _write_wav(midi, args.out, args.soundfont, args.solo_program)


def cmd_evaluate(args: argparse.Namespace) -> None:
    from jazz_core.bundle import load_bundle
    from jazz_core.evaluation import check_comparison, compare, format_report
    from jazz_core.pipeline import source_hash

    check_comparison(args.values, args.seeds)  # before the bundle and the scores are read
    bundle = load_bundle(args.bundle)
    pieces = None
    if args.files:
        pieces, _ = _read_pieces(args.files, args.preset, args.melody)
    elif bundle.source_sha256 == source_hash([]):  # trained on the built-in corpus
        pieces, _ = _read_pieces([], None, None)
    held_out = _read_pieces(args.held_out, args.preset, args.melody)[0] if args.held_out else None
    report = compare(bundle, pieces, values=args.values, seeds=args.seeds, held_out=held_out)
    print(json.dumps(report, indent=1) if args.json else format_report(report))


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python -m jazz_core", description="Learn a jazz solo's grammar and improvise.")
    commands = top.add_subparsers(dest="command", required=True)

    def music(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("files", nargs="*", help="MIDI, MusicXML or ABC files (none: the built-in corpus)")
        sub.add_argument("--preset", choices=["metheny"], help="read the course's original_metheny.mid its way")
        sub.add_argument("--melody", help="the melody part, by index or name (default: chosen automatically)")

    corpus = commands.add_parser("corpus", help="show what a score gives to learn from")
    music(corpus)
    corpus.add_argument("--json", action="store_true", help="print JSON")
    corpus.set_defaults(run=cmd_corpus)

    train = commands.add_parser("train", help="train a model and save its bundle")
    music(train)
    train.add_argument("--epochs", type=int, default=DEFAULTS_T.epochs)
    train.add_argument("--learning-rate", type=float, default=DEFAULTS_T.learning_rate)
    train.add_argument("--hidden-units", type=int, default=DEFAULTS_M.hidden_units)
    train.add_argument("--windows", type=int, default=DEFAULTS_D.windows)
    train.add_argument("--sequence-length", type=int, default=DEFAULTS_D.sequence_length)
    train.add_argument("--seed", type=int, default=DEFAULTS_T.seed)
    train.add_argument("--model", choices=FAMILIES, default=DEFAULTS_M.family,
                       help="studio: factored values with the chords as inputs, early stopping (default); "
                       "course: the course's LSTM as taught")
    train.add_argument("--keep-best", action="store_true",
                       help="keep the epoch with the lowest validation loss instead of the last")
    train.add_argument("--out", required=True, help="directory for the model bundle")
    train.set_defaults(run=cmd_train)

    gen = commands.add_parser("generate", help="improvise a solo with a trained bundle")
    gen.add_argument("bundle", help="a bundle directory or .zip")
    gen.add_argument("--values", type=int, default=DEFAULTS_G.values, help="how many values to generate (N)")
    gen.add_argument("--temperature", type=float, default=DEFAULTS_G.temperature)
    gen.add_argument("--seed", type=int, default=DEFAULTS_G.seed)
    gen.add_argument("--tempo", type=float, default=DEFAULTS_P.tempo_bpm)
    gen.add_argument("--solo-program", type=int, default=DEFAULTS_P.solo_program)
    gen.add_argument("--no-chords", action="store_true", help="leave the chord track out")
    gen.add_argument("--changes", help='chords to play over, e.g. "| Dm7 G7 | Cmaj7 |", or a preset name: '
                     + "; ".join(PRESETS))
    gen.add_argument("--swing", choices=SWINGS, default=DEFAULTS_P.swing)
    gen.add_argument("--band", help="rhythm section parts, comma-separated: bass,drums,comp")
    gen.add_argument("--humanize", action="store_true", help="small seeded timing and velocity variations")
    gen.add_argument("--out", required=True, help="the MIDI file to write")
    gen.add_argument("--wav", help="also render the solo to this WAV file")
    gen.add_argument("--soundfont", help="a .sf2 soundfont for --wav")
    gen.add_argument("--musicxml", help="also write the solo as a lead sheet in this MusicXML file")
    gen.add_argument("--part", choices=PARTS, default="concert",
                     help="who reads the lead sheet: concert, bb-tenor, bb (trumpet, soprano sax, clarinet), "
                     "eb-alto, eb-baritone or bass (bass clef)")
    gen.set_defaults(run=cmd_generate)

    gen.add_argument("--stems", help="also write each part (solo, chords, bass, drums) as audio and MIDI in this zip")
    gen.add_argument("--stems-format", choices=("flac", "wav"), default="flac", help="audio of the stems")

    notate = commands.add_parser("notate", help="write a take's MIDI file as a lead sheet (MusicXML, SVG)")
    notate.add_argument("midi", help="a take's MIDI file, with its Solo track (and Chords track, or --changes)")
    notate.add_argument("--out", required=True, help="the MusicXML file to write")
    notate.add_argument("--svg", help="also engrave it to this SVG file")
    notate.add_argument("--part", choices=PARTS, default="concert", help="who reads it (see generate --part)")
    notate.add_argument("--changes", help="the chords it was played over, as for generate (default: read from "
                        "the Chords track)")
    notate.add_argument("--swing", choices=SWINGS, default=DEFAULTS_P.swing,
                        help="the swing it was generated with, so its eighths are written straight")
    notate.add_argument("--title", help="the title (default: the file's name)")
    notate.set_defaults(run=cmd_notate)

    render = commands.add_parser("render", help="render a MIDI file to WAV with FluidSynth")
    render.add_argument("midi")
    render.add_argument("--out", required=True)
    render.add_argument("--soundfont")
    render.add_argument("--solo-program", type=int)
    render.set_defaults(run=cmd_render)

    evaluate = commands.add_parser("evaluate", help="measure a model's solos against the source and baselines")
    evaluate.add_argument("bundle", help="a bundle directory or .zip")
    evaluate.add_argument("files", nargs="*", help="the scores the model learned from (default: the built-in "
                          "corpus if it learned from that, else its own values decoded over its chords)")
    evaluate.add_argument("--preset", choices=["metheny"], help="read the course's original_metheny.mid its way")
    evaluate.add_argument("--melody", help="the melody part, by index or name (default: chosen automatically)")
    evaluate.add_argument("--values", type=int, default=DEFAULTS_G.values, help="values per solo (N)")
    evaluate.add_argument("--seeds", type=int, default=5, help="solos per system")
    evaluate.add_argument("--held-out", nargs="+", metavar="FILE", help="score the model and n-grams on these "
                          "files' values instead of the bundle's own test block (music it never saw)")
    evaluate.add_argument("--json", action="store_true", help="print JSON")
    evaluate.set_defaults(run=cmd_evaluate)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        args.run(args)
    except JazzError as error:  # the user's doing: one sentence; anything else is a bug and shows its traceback
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr)
        return 130
    return 0


__all__ = ["main"]
