#!/usr/bin/env bash
# Runs every template notebook with device=cuda and prints per-step timings and where each step ran, for a machine
# with an NVIDIA GPU (on one without, every step reports its CPU fallback, which is what the test suite checks).
#   bench/gpu/run.sh [NOTEBOOK...] [--out DIR]
# Needs the kernel installed (bin/modelwork setup). ONNX Runtime's CUDA execution provider is used when the GPU build
# of ONNX Runtime is on the class path (Maven com.microsoft.onnxruntime:onnxruntime_gpu, same version) and a GPU is
# visible; XGBoost4J / LightGBM4J from Maven Central are CPU builds and say so in the fit report.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="$root/out/gpu"
nbs=()
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    *) nbs+=("$1"); shift ;;
  esac
done
[ ${#nbs[@]} -eq 0 ] && nbs=("$root"/notebooks/*.ipynb)
export MODELWORK_ASSETS="${MODELWORK_ASSETS:-$(cd "$root/.." && pwd)/shared}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,memory.total --format=csv,noheader || echo "no nvidia-smi: every step will report its CPU fallback"
# a copy of each notebook whose %configure line asks for device=cuda
/usr/bin/python3 - "$work" "${nbs[@]}" <<'PY'
import json, re, sys, os
work, nbs = sys.argv[1], sys.argv[2:]
for p in nbs:
    nb = json.load(open(p))
    for c in nb["cells"]:
        if c["cell_type"] != "code":
            continue
        src = "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
        lines = []
        for line in src.split("\n"):
            if line.lstrip().startswith("%configure"):
                line = re.sub(r"\bdevice=\S+", "", line).rstrip() + " device=cuda"
            lines.append(line)
        c["source"] = "\n".join(lines)
    json.dump(nb, open(os.path.join(work, os.path.basename(p)), "w"), indent=1)
PY
"$root/kernel-extensions/src/main/scripts/run.sh" "$work"/*.ipynb --out "$out" || echo "(some notebook failed: see $out)"
# per-step timings from the executed notebooks' reports
/usr/bin/python3 - "$out" <<'PY'
import json, sys, os, glob
MIME = "application/vnd.modelwork.report+json"
print("| notebook | step | seconds | device / notes |")
print("|---|---|---|---|")
for p in sorted(glob.glob(os.path.join(sys.argv[1], "*.ipynb"))):
    nb = json.load(open(p))
    total = 0.0
    for c in nb["cells"]:
        for o in c.get("outputs", []):
            r = o.get("data", {}).get(MIME)
            if not isinstance(r, dict) or "step" not in r:
                continue
            sec = r.get("seconds") or 0.0
            total += sec
            notes = [n for n in r.get("notes", []) if "cuda" in n.lower() or "gpu" in n.lower() or "cpu" in n.lower()]
            dev = r.get("device") or r.get("device_used") or ""
            print("| %s | %s | %.2f | %s |" % (os.path.basename(p)[:-6], r["step"], sec, (str(dev) + " " + "; ".join(notes)).strip()[:120]))
    print("| %s | **total** | %.2f | |" % (os.path.basename(p)[:-6], total))
PY
