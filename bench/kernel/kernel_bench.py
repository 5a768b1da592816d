"""Kernel latency benchmark through the real Jupyter client (Debian's jupyter_client).

    /usr/bin/python3 bench/kernel/kernel_bench.py [--java PATH] [--starts 5] [--n 30] [--json FILE]

Measures, for the Modelwork kernel on the JDK at --java (default: java on PATH), with the kernelspec that
KernelInstaller writes for that JDK (same JVM flags as an installed kernel; extra JVM flags: --jvm-flag, repeatable):
  ready        process start (KernelManager.start_kernel) until the first kernel_info_reply  (median of --starts;
               also the kernel process's CPU ms until then)
  first cell   process start until the reply + idle of a first `1 + 1`                     (median of --starts; CPU too)
  trivial      `1 + 1` round trip, execute_request sent until reply and idle status received (median of --n, warm;
               also the kernel's mean CPU ms per round trip, from /proc, less sensitive to a loaded machine)
  %session     the same for a magic that only prints the session state (after a first %session that creates it)
  first chart  round trip of the first cell that displays a Chart (PNG + SVG) in a fresh kernel, and of later ones
  compute      CPU-heavy cells (a numeric loop in the cell; Tablesaw sorting 1M doubles), --compute times each: what
               JIT flags cost long-running code
Kernels run in a temporary folder (runs/ of the session, MODELWORK_HOME) that is deleted afterwards.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "../.."))
# the kernel jars: an installed kernel's lib folder (default: this checkout's build output)
LIB = os.environ.get("MODELWORK_KERNEL_LIB", os.path.join(ROOT, "kernel-extensions/target/kernel/lib"))

# CPU-heavy cells, to see what JIT flags cost long-running code: a numeric loop in the cell (JShell-compiled and
# stop-check instrumented) and library code (Tablesaw sorting 1M doubles)
LOOP = "double acc = 0; for (int i = 1; i < 30_000_000; i++) acc += Math.sqrt(i) / i; acc"
SORT = ('Table.create("t", DoubleColumn.create("v", new java.util.Random(1).doubles(1_000_000).toArray()))'
        '.sortOn("v").doubleColumn("v").get(0)')
CHART = ('Chart.line("bench", "Bench chart", "x", "y", List.of(Chart.Series.line("s", '
         'new double[]{1, 2, 3, 4, 5}, new double[]{1, 4, 9, 16, 25})))')


def write_spec(java, spec_root, extra_flags, installer_args=()):
    """The kernelspec KernelInstaller writes (by default with its AppCDS archive for this JDK and the C1-only JIT;
    installer_args such as --no-cds or --jit full are passed only when given, so older kernels' installers work)."""
    subprocess.run([java, "-cp", os.path.join(LIB, "*"), "io.modelwork.kernel.install.KernelInstaller",
                    "--java", java, "--lib", LIB, "--name", "modelwork-bench", "--spec-dir", spec_root]
                   + list(installer_args), check=True, stdout=subprocess.DEVNULL)
    path = os.path.join(spec_root, "modelwork-bench", "kernel.json")
    with open(path) as f:
        spec = json.load(f)
    if extra_flags:
        spec["argv"][1:1] = extra_flags
        with open(path, "w") as f:
            json.dump(spec, f)
    return spec


class Kernel:
    def __init__(self, ksm, workdir):
        self.km = KernelManager(kernel_name="modelwork-bench", kernel_spec_manager=ksm)
        self.workdir = workdir

    def start(self):
        env = dict(os.environ, MODELWORK_HOME=os.path.join(self.workdir, "home"))
        t0 = time.perf_counter()
        self.km.start_kernel(cwd=self.workdir, env=env)
        self.kc = self.km.client()
        self.kc.start_channels()
        return t0

    def kernel_info(self, timeout=60):
        """Sends one kernel_info_request (queued by ZeroMQ until the kernel binds) and waits for its reply."""
        msg_id = self.kc.kernel_info()
        deadline = time.time() + timeout
        while True:
            reply = self.kc.get_shell_msg(timeout=max(0.1, deadline - time.time()))
            if reply["parent_header"].get("msg_id") == msg_id:
                return reply

    def execute(self, code, timeout=300):
        """Round trip: execute_request sent until both the execute_reply and the idle status arrived."""
        t0 = time.perf_counter()
        msg_id = self.kc.execute(code)
        got_reply = got_idle = False
        reply = None
        mimes = set()
        deadline = time.time() + timeout
        while not got_idle:
            msg = self.kc.get_iopub_msg(timeout=max(0.1, deadline - time.time()))
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] in ("display_data", "execute_result"):
                mimes.update(msg["content"]["data"].keys())
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                got_idle = True
        while not got_reply:
            r = self.kc.get_shell_msg(timeout=max(0.1, deadline - time.time()))
            if r["parent_header"].get("msg_id") == msg_id:
                reply, got_reply = r, True
        dt = time.perf_counter() - t0
        if reply["content"]["status"] != "ok":
            raise RuntimeError("cell failed: %r -> %s" % (code, reply["content"]))
        return dt, mimes

    def cpu_seconds(self):
        """The kernel process's user + system CPU seconds so far (/proc; 10 ms ticks)."""
        with open("/proc/%d/stat" % self.km.provisioner.pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def timed(self, code, n):
        """n round trips of code: (wall seconds of each, mean kernel CPU seconds per round trip)."""
        c0 = self.cpu_seconds()
        walls = [self.execute(code)[0] for _ in range(n)]
        return walls, (self.cpu_seconds() - c0) / n

    def stop(self):
        try:
            self.kc.stop_channels()
        finally:
            self.km.shutdown_kernel(now=True)


def ms(x):
    return round(x * 1000, 1)


def summary(xs):
    xs = sorted(xs)
    return {"median_ms": ms(statistics.median(xs)), "min_ms": ms(xs[0]), "p90_ms": ms(xs[int(0.9 * (len(xs) - 1))]),
            "max_ms": ms(xs[-1]), "n": len(xs)}


def main(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--java", default=shutil.which("java"))
    p.add_argument("--starts", type=int, default=5, help="kernel starts for ready / first cell (default 5)")
    p.add_argument("--n", type=int, default=30, help="repetitions of the warm round trips (default 30)")
    p.add_argument("--charts", type=int, default=10, help="warm chart repetitions (default 10)")
    p.add_argument("--compute", type=int, default=3, help="repetitions of each CPU-heavy cell (default 3, 0: none)")
    p.add_argument("--jvm-flag", action="append", default=[], help="extra JVM flag for the kernel (repeatable)")
    p.add_argument("--jit", choices=("quick", "full"), help="KernelInstaller --jit (its default: quick, C1 only)")
    p.add_argument("--no-cds", action="store_true", help="install without the AppCDS archive (KernelInstaller --no-cds)")
    p.add_argument("--json", help="write the results here too")
    a = p.parse_args(argv)
    java = os.path.realpath(a.java)
    if not os.path.isfile(os.path.join(LIB, "modelwork-kernel.jar")):
        sys.exit("build the kernel first: mvn -q -pl kernel-extensions -am package -DskipTests")
    tmp = tempfile.mkdtemp(prefix="modelwork-kernel-bench-")
    try:
        spec_root = os.path.join(tmp, "kernels")
        spec = write_spec(java, spec_root, a.jvm_flag,
                          (["--no-cds"] if a.no_cds else []) + (["--jit", a.jit] if a.jit else []))
        ksm = KernelSpecManager(kernel_dirs=[spec_root])
        version = subprocess.run([java, "-version"], capture_output=True, text=True).stderr.splitlines()[0]
        res = {"java": java, "java_version": version, "argv": spec["argv"], "cpus": os.cpu_count(),
               "loadavg_before": os.getloadavg()}
        print("# %s (%s)" % (version, java), flush=True)

        ready, first_cell, ready_cpu, first_cpu = [], [], [], []
        for i in range(a.starts):
            k = Kernel(ksm, tempfile.mkdtemp(dir=tmp))
            t0 = k.start()
            k.kernel_info()
            ready.append(time.perf_counter() - t0)
            ready_cpu.append(k.cpu_seconds())
            k.execute("1 + 1")
            first_cell.append(time.perf_counter() - t0)
            first_cpu.append(k.cpu_seconds())
            k.stop()
            print("start %d: ready %.0f ms (kernel CPU %.0f ms), first cell answered %.0f ms after start (CPU %.0f ms)"
                  % (i + 1, ms(ready[-1]), ms(ready_cpu[-1]), ms(first_cell[-1]), ms(first_cpu[-1])), flush=True)
        # CPU the kernel process used until then (all threads, incl. the background JShell start): less load-sensitive
        res["ready"] = dict(summary(ready), kernel_cpu_ms_median=ms(statistics.median(ready_cpu)))
        res["first_cell_after_start"] = dict(summary(first_cell), kernel_cpu_ms_median=ms(statistics.median(first_cpu)))

        k = Kernel(ksm, tempfile.mkdtemp(dir=tmp))
        k.start()
        k.kernel_info()
        try:
            res["first_chart_ms"] = ms(k.execute(CHART)[0])  # before anything else drew: fonts, AWT, XChart load here
            for _ in range(3):
                k.execute("1 + 1")
            walls, cpu = k.timed("1 + 1", a.n)
            res["trivial"] = dict(summary(walls), kernel_cpu_ms_mean=ms(cpu))
            res["first_session_magic_ms"] = ms(k.execute("%session")[0])
            walls, cpu = k.timed("%session", a.n)
            res["session_magic"] = dict(summary(walls), kernel_cpu_ms_mean=ms(cpu))
            charts = []
            for _ in range(a.charts):
                dt, mimes = k.execute(CHART)
                assert "image/png" in mimes, mimes
                charts.append(dt)
            res["chart_warm"] = summary(charts)
            for name, code in (("loop_cell", LOOP), ("sort_cell", SORT)):
                if a.compute > 0:
                    walls, cpu = k.timed(code, a.compute)
                    res[name] = dict(summary(walls), kernel_cpu_ms_mean=ms(cpu))
        finally:
            k.stop()
        res["loadavg_after"] = os.getloadavg()
        print(json.dumps({key: res[key] for key in ("ready", "first_cell_after_start", "first_chart_ms", "trivial",
                                                   "first_session_magic_ms", "session_magic", "chart_warm",
                                                   "loop_cell", "sort_cell") if key in res}, indent=1))
        print("load average before/after: %s / %s" % (res["loadavg_before"], res["loadavg_after"]))
        if a.json:
            with open(a.json, "w") as f:
                json.dump(res, f, indent=1)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])
