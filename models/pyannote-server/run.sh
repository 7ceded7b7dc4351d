#!/usr/bin/env bash
# Runs the pyannote sidecar in the foreground: ./run.sh (configuration from the environment, see
# README.md). PYTHON picks the interpreter (default: python3 of the active virtualenv, if any).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export PYTHONPATH="$HERE${PYTHONPATH:+:$PYTHONPATH}"
exec "${PYTHON:-python3}" -m steno_pyannote "$@"
