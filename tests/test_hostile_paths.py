"""Hostile paths: devices, pipes and folders where files are expected, and writes that cannot succeed.

Each case runs the CLI as a user would and expects exit 2 and one sentence, early (before any
training), within 10 s and under 1 GB, with nothing replaced that was not ours to replace.
"""

from __future__ import annotations

import os
import time

import pytest

from jazz_core.atomic import write_bytes
from jazz_core.bundle import save_bundle
from jazz_core.errors import FileAccessError
from jazz_core.files import check_output_file, check_output_folder, read_file
from tests.conftest import midi_bytes
from tests.hostile import MEGABYTES, SECONDS, bundle_zip, read_only_folder, run_bounded

MODEL = "assets/default_model"
SCORE = midi_bytes({"Lead": [(b * 0.5, 0.5, 60 + b % 7) for b in range(64)]})


def _refused(*args: str, message: str, file_size_limit: int | None = None) -> None:
    result = run_bounded(*args, file_size_limit=file_size_limit)
    assert result.returncode == 2 and result.one_sentence, result.stderr
    assert message in result.stderr, result.stderr
    assert result.seconds < SECONDS and result.peak_megabytes < MEGABYTES
    assert "epoch" not in result.stdout  # refused before training started


# --- reading ----------------------------------------------------------------------------------

def test_corpus_of_dev_zero_is_one_sentence():
    _refused("corpus", "/dev/zero", message="Cannot open /dev/zero: it is a device, not a score.")


def test_corpus_of_a_pipe_does_not_wait_for_a_writer(tmp_path):
    os.mkfifo(tmp_path / "pipe.mid")
    _refused("corpus", str(tmp_path / "pipe.mid"), message="it is a pipe, not a score")


def test_corpus_of_a_folder(tmp_path):
    _refused("corpus", str(tmp_path), message="it is a folder, not a score")


def test_a_file_past_the_cap_is_refused_from_its_size(tmp_path):
    big = tmp_path / "big.mid"
    with open(big, "wb") as file:
        file.truncate(21_000_000)  # sparse: no disk used
    _refused("corpus", str(big), message="big.mid is 21.0 MB; a score of at most 20.0 MB can be read")


def test_read_file_reads_at_most_the_cap_plus_one_byte(tmp_path):
    path = tmp_path / "exact.bin"
    path.write_bytes(b"x" * 100)
    assert read_file(path, 100) == b"x" * 100
    with pytest.raises(FileAccessError, match=r"exact\.bin is 0\.0 MB; a file of at most 0\.0 MB"):
        read_file(path, 99)


def test_render_of_dev_zero(tmp_path):
    _refused("render", "/dev/zero", "--out", str(tmp_path / "out.wav"), message="it is a device")


def test_a_bundle_that_is_a_device():
    _refused("generate", "/dev/zero", "--out", "/tmp/unused-hostile.mid", message="no model bundle")


# --- writing: checked before the work -----------------------------------------------------------

def test_train_into_a_folder_that_refuses_files(tmp_path):
    folder = read_only_folder(tmp_path)
    _refused("train", "--epochs", "1", "--out", str(folder / "model"), message=f"Cannot write into {folder}")


def test_train_into_sys():
    _refused("train", "--epochs", "1", "--out", "/sys/jazz-model", message="Cannot write into /sys")


def test_train_onto_a_file(tmp_path):
    (tmp_path / "model").write_bytes(b"mine")
    _refused("train", "--epochs", "1", "--out", str(tmp_path / "model"), message="it is a regular file, not a folder")
    assert (tmp_path / "model").read_bytes() == b"mine"


def test_train_under_a_file(tmp_path):
    (tmp_path / "notes.txt").write_bytes(b"mine")
    _refused("train", "--epochs", "1", "--out", str(tmp_path / "notes.txt" / "model"),
             message="it is a regular file, not a folder")


def test_train_past_a_file_size_limit_fails_before_training(tmp_path):
    (tmp_path / "solo.mid").write_bytes(SCORE)
    _refused("train", str(tmp_path / "solo.mid"), "--epochs", "1", "--out", str(tmp_path / "model"),
             message="files are limited to 0.0 MB here", file_size_limit=20_000)


@pytest.mark.parametrize(("target", "message"), [
    ("missing/take.mid", "does not exist"), (".", "it is a folder")])
def test_generate_out_where_no_file_can_be(tmp_path, target, message):
    _refused("generate", MODEL, "--values", "8", "--out", str(tmp_path / target), message=message)


def test_generate_into_a_folder_that_refuses_files(tmp_path):
    folder = read_only_folder(tmp_path)
    _refused("generate", MODEL, "--values", "8", "--out", str(folder / "take.mid"), message="Cannot write into")


def test_wav_into_a_folder_that_refuses_files(tmp_path):
    folder = read_only_folder(tmp_path)
    _refused("generate", MODEL, "--values", "8", "--out", str(tmp_path / "take.mid"), "--wav",
             str(folder / "take.wav"), message="Cannot write into")
    assert not (tmp_path / "take.mid").exists()  # refused before anything was written


def test_render_into_a_folder_that_refuses_files(tmp_path):
    (tmp_path / "take.mid").write_bytes(SCORE)
    folder = read_only_folder(tmp_path)
    _refused("render", str(tmp_path / "take.mid"), "--out", str(folder / "take.wav"), message="Cannot write into")


def test_a_write_past_the_file_size_limit_is_one_sentence(tmp_path):
    _refused("generate", MODEL, "--values", "400", "--out", str(tmp_path / "take.mid"),
             message="file too large", file_size_limit=200)
    assert not list(tmp_path.iterdir())  # the temporary file is gone too


# --- never replacing what is not a regular file -----------------------------------------------

def test_out_never_replaces_a_pipe(tmp_path):
    os.mkfifo(tmp_path / "take.mid")
    _refused("generate", MODEL, "--values", "8", "--out", str(tmp_path / "take.mid"), message="it is a pipe")
    assert os.path.exists(tmp_path / "take.mid") and not os.path.isfile(tmp_path / "take.mid")


def test_out_never_replaces_a_symlink(tmp_path):
    (tmp_path / "precious.txt").write_bytes(b"keep")
    (tmp_path / "take.mid").symlink_to(tmp_path / "precious.txt")
    _refused("generate", MODEL, "--values", "8", "--out", str(tmp_path / "take.mid"), message="a symbolic link")
    assert (tmp_path / "take.mid").is_symlink() and (tmp_path / "precious.txt").read_bytes() == b"keep"


def test_out_never_replaces_a_device():
    _refused("generate", MODEL, "--values", "8", "--out", "/dev/null", message="it is a device")


def test_write_bytes_refuses_special_files_itself(tmp_path):
    os.mkfifo(tmp_path / "pipe")
    with pytest.raises(FileAccessError, match="pipe or a device"):
        write_bytes(tmp_path / "pipe", b"x")
    with pytest.raises(FileAccessError, match="a folder"):
        write_bytes(tmp_path, b"x")


def test_output_checks_accept_ordinary_targets(tmp_path):
    assert check_output_file(tmp_path / "take.mid") == tmp_path / "take.mid"
    assert check_output_folder(tmp_path / "new" / "model", free_bytes=1000) == tmp_path / "new" / "model"
    assert list(tmp_path.iterdir()) == []  # the checks leave nothing behind


# --- temporary files ------------------------------------------------------------------------

def test_a_killed_saves_temporary_weights_are_removed_on_the_next_save(tmp_path):
    from jazz_core.bundle import bundle_from_bytes

    folder = tmp_path / "model"
    folder.mkdir()
    leftover = folder / ".weights-0123456789abcdef.npz.5f2a.tmp"
    leftover.write_bytes(b"half a model")
    (folder / "notes.tmp").write_bytes(b"not ours")
    save_bundle(bundle_from_bytes(bundle_zip()), folder)
    assert not leftover.exists() and (folder / "notes.tmp").exists()
    assert time.time() - (folder / "bundle.json").stat().st_mtime < 60


@pytest.mark.parametrize(("soundfont", "message"), [("/dev/zero", "is a device or pipe, not a file"),
                                                    ("/tmp", "is a folder, not a file")])
def test_a_soundfont_that_is_not_a_file_says_what_it_is(tmp_path, soundfont, message):
    _refused("generate", MODEL, "--values", "8", "--out", str(tmp_path / "take.mid"), "--wav",
             str(tmp_path / "take.wav"), "--soundfont", soundfont, message=message)
