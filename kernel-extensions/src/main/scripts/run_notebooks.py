"""Executes notebooks with nbclient (the real Jupyter client) and writes, for each NOTEBOOK.ipynb:
  NOTEBOOK.executed.ipynb and NOTEBOOK.html next to it, or NOTEBOOK.ipynb and NOTEBOOK.html in --out DIR.
Each notebook runs with its own folder as working directory and the kernel named in its metadata (default
'modelwork', or --kernel). Exit status 1 when any cell errors (the partial notebook and HTML are still written)."""
import argparse
import os
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from nbconvert import HTMLExporter


def run_one(path, out_dir, kernel, timeout):
    nb = nbformat.read(path, as_version=4)
    kernel_name = kernel or nb.metadata.get("kernelspec", {}).get("name") or "modelwork"
    workdir = os.path.dirname(os.path.abspath(path))
    client = NotebookClient(nb, timeout=timeout, kernel_name=kernel_name, resources={"metadata": {"path": workdir}})
    error = None
    t0 = time.time()
    try:
        client.execute()
    except CellExecutionError as e:
        error = e
    except Exception as e:  # kernel died, timeout
        error = e
    base = os.path.splitext(os.path.basename(path))[0]
    if out_dir:
        os.makedirs(out_dir, exist_ok=True)
        ipynb = os.path.join(out_dir, base + ".ipynb")
        html = os.path.join(out_dir, base + ".html")
    else:
        ipynb = os.path.join(workdir, base + ".executed.ipynb")
        html = os.path.join(workdir, base + ".html")
    nbformat.write(nb, ipynb)
    body, _ = HTMLExporter().from_notebook_node(nb)
    with open(html, "w", encoding="utf-8") as f:
        f.write(body)
    status = "FAILED" if error else "ok"
    print(f"{status}  {path}  ({time.time() - t0:.1f} s) -> {ipynb}, {html}", flush=True)
    if error:
        print(str(error)[-4000:], file=sys.stderr, flush=True)
    return error is None


def main(argv):
    p = argparse.ArgumentParser(prog="modelwork run", description=__doc__)
    p.add_argument("notebooks", nargs="+")
    p.add_argument("--out", help="folder for the executed notebooks and HTML")
    p.add_argument("--kernel", help="kernel name (default: the notebook's, else modelwork)")
    p.add_argument("--timeout", type=int, default=1800, help="seconds per cell (default 1800)")
    a = p.parse_args(argv)
    ok = True
    for nb in a.notebooks:
        if not os.path.isfile(nb):
            print(f"no such notebook: {nb}", file=sys.stderr)
            ok = False
            continue
        ok = run_one(nb, a.out, a.kernel, a.timeout) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
