#!/usr/bin/env bash
# Install the app on a fresh Debian/Ubuntu machine (system libraries + a virtual environment)
# and start it. Data goes to the user data folder, or to $STUDIO_HOME when set.
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/install-system.sh
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -c constraints.txt -e .
exec .venv/bin/studio "$@"
