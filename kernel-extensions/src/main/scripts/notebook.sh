#!/usr/bin/env bash
# Starts Jupyter on localhost with notebooks/ open: JupyterLab when installed (the project's .venv/ first, which
# `bin/modelwork setup` creates, then Debian's), the classic Notebook otherwise.
#   notebook.sh [extra jupyter options...]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../../.." && pwd)"
py=/usr/bin/python3
opts=(--ip=127.0.0.1 --no-browser "--notebook-dir=$root/notebooks")
[ "$(id -u)" = 0 ] && opts+=(--allow-root)
# data: MODELWORK_ASSETS when set, else ../shared found from the notebook folder upwards (io.modelwork.core.Assets)
if [ -x "$root/.venv/bin/jupyter-lab" ]; then
  echo "JupyterLab $("$root/.venv/bin/jupyter-lab" --version) from $root/.venv" >&2
  exec "$root/.venv/bin/jupyter-lab" "${opts[@]}" "$@"
fi
if "$py" -c 'import jupyterlab' 2>/dev/null; then
  exec "$py" -m jupyterlab "${opts[@]}" "$@"
fi
echo "JupyterLab is not installed (bin/modelwork setup installs it when pip can reach an index): the classic Notebook" >&2
exec "$py" -m notebook "${opts[@]}" "$@"
