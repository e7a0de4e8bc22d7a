#!/usr/bin/env bash
# Install everything the tests need on a fresh Debian/Ubuntu machine, start the test services
# (virtual sound device, PostgreSQL, keyring) and run the whole test suite.
# Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

STUDIO_TEST_PACKAGES="postgresql openssh-server openssh-client gnome-keyring dbus dbus-x11 \
  libsecret-tools espeak-ng sox ffmpeg curl poppler-utils" bash .ci/install-system.sh

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -c constraints.txt -e ".[test,postgres]"

# shellcheck source=/dev/null
source .ci/services.sh
trap studio_services_stop EXIT

export QT_QPA_PLATFORM=offscreen
.venv/bin/ruff check .
.venv/bin/lint-imports
# The Secret Service needs a D-Bus session and an unlocked keyring in a fresh folder.
export XDG_DATA_HOME=$STUDIO_SVC/keyring-data
rm -rf "$XDG_DATA_HOME"; mkdir -p "$XDG_DATA_HOME"
dbus-run-session -- bash -c '
  eval "$(printf "test-pass\n" | gnome-keyring-daemon --unlock --components=secrets)"
  export GNOME_KEYRING_CONTROL SSH_AUTH_SOCK
  exec .venv/bin/python -m pytest "$@"' pytest "$@"
