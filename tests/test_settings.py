"""Settings check themselves: a bad value raises SettingsError (a JazzError and a ValueError) quoting it."""

from __future__ import annotations

import pytest

from jazz_core.errors import JazzError, SettingsError
from jazz_core.settings import (
    AudioSettings,
    DatasetSettings,
    GenerateSettings,
    ModelSettings,
    PlaybackSettings,
    TrainSettings,
)

BAD = [
    (DatasetSettings, {"windows": 1}, "windows must be between 2 and 5000, not 1"),
    (DatasetSettings, {"sequence_length": 2.5}, "sequence length must be a whole number, not 2.5"),
    (DatasetSettings, {"validation_fraction": 0.9}, "validation fraction must be between 0.0 and 0.5, not 0.9"),
    (DatasetSettings, {"seed": -1}, "seed must be between 0 and 4294967295, not -1"),
    (ModelSettings, {"hidden_units": True}, "hidden units must be a whole number, not True"),
    (TrainSettings, {"epochs": 0}, "epochs must be between 1 and 2000, not 0"),
    (TrainSettings, {"learning_rate": "fast"}, "learning rate must be a number, not 'fast'"),
    (TrainSettings, {"learning_rate": float("nan")}, "learning rate must be between 1e-06 and 1.0, not nan"),
    (GenerateSettings, {"values": 0}, "values to generate must be between 1 and 5000, not 0"),
    (GenerateSettings, {"temperature": -1}, "temperature must be between 0.0 and 5.0, not -1"),
    (PlaybackSettings, {"tempo_bpm": 1000}, "tempo must be between 20.0 and 400.0, not 1000"),
    (PlaybackSettings, {"swing": "heavy"}, "swing must be one of straight, light, medium, hard, not 'heavy'"),
    (PlaybackSettings, {"bass_program": 128}, "bass instrument must be between 0 and 127, not 128"),
    (AudioSettings, {"sample_rate": 44100.0}, "sample rate must be a whole number, not 44100.0"),
    (AudioSettings, {"soundfont": 3}, "soundfont must be a file path, not 3"),
    (AudioSettings, {"tail_seconds": 11}, "tail must be between 0.0 and 10.0, not 11"),
]


@pytest.mark.parametrize(("kind", "fields", "message"), BAD)
def test_a_bad_setting_is_refused_with_its_value_quoted(kind, fields, message):
    with pytest.raises(SettingsError) as raised:
        kind(**fields)
    assert str(raised.value) == message
    assert isinstance(raised.value, JazzError) and isinstance(raised.value, ValueError)


@pytest.mark.parametrize("kind", [DatasetSettings, ModelSettings, TrainSettings, GenerateSettings, PlaybackSettings,
                                  AudioSettings])
def test_the_defaults_are_valid(kind):
    assert kind() == kind()


def test_the_audio_settings_are_still_found_where_the_audio_is():
    from jazz_core import audio

    assert audio.AudioSettings is AudioSettings
