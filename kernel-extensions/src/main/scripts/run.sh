#!/usr/bin/env bash
# Executes notebooks headless through the real Jupyter client (nbclient), writing the executed notebook and an HTML
# rendering of each; exits non-zero when a cell errors.
#   run.sh NOTEBOOK... [--out DIR] [--kernel NAME] [--timeout SECONDS]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../../.." && pwd)"
# data: MODELWORK_ASSETS when set, else ../shared found from the notebook folder upwards (io.modelwork.core.Assets)
export PYDEVD_DISABLE_FILE_VALIDATION=1
exec /usr/bin/python3 -Xfrozen_modules=off "$here/run_notebooks.py" "$@"
