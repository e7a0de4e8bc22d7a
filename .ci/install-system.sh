#!/usr/bin/env bash
# System packages for the app, its tests and the screenshot script (Debian/Ubuntu).
# Pango/HarfBuzz: WeasyPrint renders the periodic report's PDF with them.
set -euo pipefail
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
$SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends \
  python3 python3-venv python3-pip \
  libportaudio2 libsndfile1 pulseaudio pulseaudio-utils libasound2-plugins \
  libgl1 libegl1 libx11-6 libdbus-1-3 libfontconfig1 libfreetype6 libglib2.0-0 libxkbcommon0 \
  fonts-dejavu-core xvfb xauth libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 \
  libxcb-render-util0 libxcb-render0 libxcb-shape0 libxcb-xkb1 libxkbcommon-x11-0 libxcb-util1 \
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
  ${STUDIO_TEST_PACKAGES:-} >/dev/null
