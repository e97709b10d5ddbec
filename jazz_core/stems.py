"""Stems: a take's MIDI split into one file per part (solo, chords, bass, drums), and each part played alone.

For people who practise against the band or mix in a DAW. The parts come from the take's own MIDI
file, so they keep its swing and humanising to the tick. Every stem is rendered by
`jazz_core.audio.render` and made as long as the longest, so all of them line up from 0 s; each is
peak-normalised by the renderer on its own, so set the levels in the mixer.
"""

from __future__ import annotations

import io
import re
import zipfile

from jazz_core.errors import SettingsError, SynthesizerError
from jazz_core.settings import AudioSettings

AUDIO_FORMATS = ("flac", "wav")
TAIL_SECONDS = 1.0  # release and reverb after the last note of the whole take


def _read(midi: bytes):
    import pretty_midi

    if not isinstance(midi, bytes | bytearray) or bytes(midi[:4]) != b"MThd":
        raise SynthesizerError("These bytes are not a MIDI file.")
    try:
        return pretty_midi.PrettyMIDI(io.BytesIO(bytes(midi)))
    except (OSError, EOFError, ValueError, LookupError, ZeroDivisionError):
        raise SynthesizerError("This MIDI file is damaged and cannot be read.") from None


def _file_name(name: str, index: int, taken: set[str]) -> str:
    """A safe, unique lower-case file name for a track ('Solo' -> 'solo'), never a path."""
    base = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or f"part-{index + 1}"
    while base in taken:
        base += f"-{index + 1}"
    taken.add(base)
    return base


def part_midis(midi: bytes) -> dict[str, bytes]:
    """One MIDI file per track that has notes, by a file name made from the track's name ('solo', 'bass')."""
    import pretty_midi

    score, parts, taken = _read(midi), {}, set()
    tempo = score.get_tempo_changes()[1]
    for index, track in enumerate(score.instruments):
        if not track.notes:
            continue
        single = pretty_midi.PrettyMIDI(initial_tempo=float(tempo[0]) if len(tempo) else 120.0)
        single.time_signature_changes = list(score.time_signature_changes)
        single.instruments.append(track)
        buffer = io.BytesIO()
        single.write(buffer)
        parts[_file_name(track.name or "", index, taken)] = buffer.getvalue()
    if not parts:
        raise SynthesizerError("This MIDI file has no notes to split into stems.")
    return parts


def _end_seconds(midi: bytes) -> float:
    return max(note.end for track in _read(midi).instruments for note in track.notes)


def stem_audio(midi: bytes, audio_format: str = "flac", soundfont: str | None = None) -> dict[str, bytes]:
    """Each part rendered alone, all as long as the whole take plus its tail, as FLAC or WAV bytes by name."""
    if audio_format not in AUDIO_FORMATS:
        raise SettingsError(f"stems are written as {' or '.join(AUDIO_FORMATS)}, not {audio_format!r}")
    parts = part_midis(midi)
    ends = {name: _end_seconds(data) for name, data in parts.items()}
    last = max(ends.values())
    stems = {}
    for name, data in parts.items():
        tail = min(TAIL_SECONDS + last - ends[name], 10.0)  # the renderer keeps at most 10 s of tail
        audio = _render(data, AudioSettings(soundfont=soundfont, tail_seconds=tail))
        stems[name] = audio.to_flac() if audio_format == "flac" else audio.wav
    return stems


def _render(midi: bytes, settings: AudioSettings):
    from jazz_core.audio import render

    return render(midi, settings)


def stems_zip(midi: bytes, audio_format: str = "flac", soundfont: str | None = None, audio: bool = True) -> bytes:
    """A zip of the take's parts: `audio/NAME.flac` (or .wav) for each, when `audio`, and `midi/NAME.mid`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if audio:
            for name, data in stem_audio(midi, audio_format, soundfont).items():
                archive.writestr(f"audio/{name}.{audio_format}", data, compress_type=zipfile.ZIP_STORED)
        for name, data in part_midis(midi).items():
            archive.writestr(f"midi/{name}.mid", data)
    return buffer.getvalue()
