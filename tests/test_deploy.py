"""The deploy recipes, checked as far as a machine without a container engine allows.

The Dockerfile is read by Docker's own parser (the `dockerfile` package wraps it), and its parts are
checked against the project's files: the port and upload limit of .streamlit/config.toml, the pinned
requirements, the Debian packages of scripts/install-system.sh and packages.txt (Streamlit Community
Cloud), and what .dockerignore lets into the image. Building the image needs a container engine and its
base image; its install steps were run by hand in a clean virtualenv instead (README, "Deploy").
"""

from __future__ import annotations

import fnmatch
import os
import re
import tomllib
from pathlib import Path

import dockerfile
import pytest

from jazz_core.audio import SYSTEM_SOUNDFONT

ROOT = Path(__file__).resolve().parent.parent
SOUNDFONT_PACKAGE = "fluid-soundfont-gm"  # Debian's package of SYSTEM_SOUNDFONT


@pytest.fixture(scope="module")
def commands() -> list[dockerfile.Command]:
    return list(dockerfile.parse_file(str(ROOT / "Dockerfile")))


@pytest.fixture(scope="module")
def server() -> dict:
    return tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["server"]


def instructions(commands, name: str) -> list[dockerfile.Command]:
    return [command for command in commands if command.cmd == name.upper()]


def apt_packages(commands) -> set[str]:
    """The packages named after `apt-get install` in the RUN instructions."""
    found = set()
    for run in instructions(commands, "run"):
        for line in re.findall(r"apt-get install ([^&|;]+)", " ".join(run.value)):
            found |= {word for word in line.split() if not word.startswith("-")}
    return found


def ignored(path: str, patterns: list[str]) -> bool:
    """Whether .dockerignore keeps `path` (relative, with /) out of the build context: a pattern matches the
    path or a folder above it; '**/' matches at any depth (Docker's rules, for the patterns used here)."""
    parts = path.split("/")
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    for pattern in patterns:
        for prefix in prefixes:
            if pattern.startswith("**/"):
                if fnmatch.fnmatchcase(prefix.rsplit("/", 1)[-1], pattern[3:]):
                    return True
            elif fnmatch.fnmatchcase(prefix, pattern):
                return True
    return False


def context_files() -> list[str]:
    """Every file of the working tree (the virtualenv and .git aside) as a path relative to the root."""
    files = []
    for folder, dirs, names in os.walk(ROOT):
        dirs[:] = [d for d in dirs if d not in {".git", ".venv"}]
        files += [os.path.relpath(os.path.join(folder, name), ROOT).replace(os.sep, "/") for name in names]
    return files


def test_the_base_is_a_slim_python_of_the_projects_version(commands):
    (base,) = instructions(commands, "from")
    image, _, tag = base.value[0].partition(":")
    required = re.search(r'requires-python = ">=(\d+\.\d+)"', (ROOT / "pyproject.toml").read_text()).group(1)
    assert image == "python" and tag.startswith(f"{required}-slim")


def test_the_synthesizer_and_the_soundfont_are_installed(commands):
    assert {"libfluidsynth3", SOUNDFONT_PACKAGE} <= apt_packages(commands)
    assert SYSTEM_SOUNDFONT.endswith("FluidR3_GM.sf2")  # the file that package installs, the app's first choice
    system_script = (ROOT / "scripts" / "install-system.sh").read_text()
    assert all(package in system_script for package in apt_packages(commands))


def test_the_pinned_requirements_are_installed_before_the_code_is_copied(commands):
    order = [(c.cmd, " ".join(c.value)) for c in commands]
    copy_requirements = order.index(("COPY", "requirements.txt ."))
    install = next(i for i, (cmd, text) in enumerate(order)
                   if cmd == "RUN" and "pip install -r requirements.txt" in text)
    copy_all = order.index(("COPY", ". ."))
    assert copy_requirements < install < copy_all  # a change to the code alone keeps the installed layer
    lines = [line.split("#")[0].strip() for line in (ROOT / "requirements.txt").read_text().splitlines()]
    assert all(re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[\w.]+", line) for line in lines if line)


def test_the_app_runs_as_a_user_who_is_not_root(commands):
    users = instructions(commands, "user")
    assert users and users[-1].value[0] not in {"root", "0"}
    last_user = commands.index(users[-1])
    assert not [c for c in commands[last_user:] if c.cmd == "RUN"]  # nothing after it needs root
    assert commands.index(instructions(commands, "cmd")[0]) > last_user


def test_the_port_is_config_tomls(commands, server):
    (expose,) = instructions(commands, "expose")
    assert expose.value == (str(server["port"]),)
    command = " ".join(instructions(commands, "cmd")[0].value)
    assert command.startswith("streamlit run streamlit_app.py") and "--server.address=0.0.0.0" in command
    assert "--server.port" not in command and "maxUploadSize" not in command  # both come from config.toml


def test_the_health_check_asks_streamlit_on_that_port(commands, server):
    (health,) = instructions(commands, "healthcheck")
    assert health.value[0] == "CMD"
    assert f"http://127.0.0.1:{server['port']}/_stcore/health" in " ".join(health.value)
    assert any(flag.startswith("--start-period=") for flag in health.flags)  # TensorFlow-free start, but not instant


def test_the_image_holds_the_app_and_its_settings_and_nothing_else(server):
    patterns = [line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()
                if line.strip() and not line.startswith("#")]
    files = context_files()
    kept = [path for path in files if not ignored(path, patterns)]
    assert ".streamlit/config.toml" in kept and server["maxUploadSize"] == 50  # docs/limits.md
    assert {"streamlit_app.py", "requirements.txt", "jazz_core/audio.py", "jazz_core/synth_pool.py"} <= set(kept)
    assert all(path in kept for path in files if path.startswith(("jazz_core/", "assets/")) and
               "__pycache__" not in path)
    assert not [path for path in kept if path.startswith(("tests/", "bench/", "docs/")) or path.endswith(".pyc")]
    assert ignored(".venv/bin/python", patterns) and ignored(".git/HEAD", patterns)


def test_streamlit_community_cloud_gets_the_same_sound():
    """packages.txt: one Debian package a line; the FluidSynth program pulls in the library of whichever Debian
    release the Cloud runs (libfluidsynth2 on bullseye, libfluidsynth3 on bookworm), and the same soundfont."""
    packages = (ROOT / "packages.txt").read_text().split("\n")
    packages = [line for line in packages if line]
    assert all(re.fullmatch(r"[a-z0-9][a-z0-9.+\-]+", line) for line in packages)
    assert {"fluidsynth", SOUNDFONT_PACKAGE} <= set(packages)


def test_the_readme_says_how_to_deploy():
    readme = (ROOT / "README.md").read_text()
    section = readme.split("\n## Deploy", 1)[1].split("\n## ", 1)[0]
    for needed in ("docker build", "docker run", "packages.txt", "requirements.txt", "sticky", "/_stcore/health"):
        assert needed in section, needed
