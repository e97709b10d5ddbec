#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages the project needs, if they are missing:
# the FluidSynth library and program (audio), a General MIDI soundfont, Chromium and its driver (browser tests).
set -euo pipefail
packages=(libfluidsynth3 fluidsynth fluid-soundfont-gm chromium chromium-driver)
missing=()
for package in "${packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null; then
  echo "Please install these packages with your system's package manager: ${missing[*]}" >&2
  exit 1
fi
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "Installing system packages: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
