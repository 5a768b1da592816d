#!/usr/bin/env bash
# Starts Jupyter on localhost with notebooks/ open: JupyterLab when installed, the classic Notebook otherwise.
#   notebook.sh [extra jupyter options...]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../../.." && pwd)"
py=/usr/bin/python3
opts=(--ip=127.0.0.1 --no-browser "--notebook-dir=$root/notebooks")
[ "$(id -u)" = 0 ] && opts+=(--allow-root)
# data: MODELWORK_ASSETS when set, else ../shared found from the notebook folder upwards (io.modelwork.core.Assets)
if "$py" -c 'import jupyterlab' 2>/dev/null; then
  exec "$py" -m jupyterlab "${opts[@]}" "$@"
fi
exec "$py" -m notebook "${opts[@]}" "$@"
