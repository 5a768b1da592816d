"""Behaviour of the Modelwork kernel through the real Jupyter client (jupyter_client's KernelManager).

Interrupt of a CPU-bound loop and of a sleep (the next cell runs in the same session), rich display of Modelwork
reports (text/html tables, image/png charts), readable ModelworkException errors, magics, stdin.
    /usr/bin/python3 -m unittest -v test_kernel_behaviour       (kernel name: MODELWORK_KERNEL_NAME or 'modelwork')
"""
import os
import queue
import threading
import time
import unittest

# a report's JSON (never application/json, which JupyterLab shows as a JSON tree instead of the HTML)
REPORT_MIME = "application/vnd.modelwork.report+json"

from jupyter_client.manager import start_new_kernel

KERNEL = os.environ.get("MODELWORK_KERNEL_NAME", "modelwork")


def data_dir():
    """MODELWORK_ASSETS/data, else shared/data found upwards from here (as io.modelwork.core.Assets does)."""
    if os.environ.get("MODELWORK_ASSETS"):
        return os.path.join(os.environ["MODELWORK_ASSETS"], "data")
    d = os.path.dirname(os.path.abspath(__file__))
    while d != os.path.dirname(d):
        for cand in (os.path.join(d, "shared", "data"), os.path.join(os.path.dirname(d), "shared", "data")):
            if os.path.isdir(cand):
                return cand
        d = os.path.dirname(d)
    raise unittest.SkipTest("no shared/data folder")
TIMEOUT = 120

M2 = os.path.join(os.path.expanduser("~"), ".m2", "repository")


def local_versions(group_path, artifact):
    """Versions of an artifact whose jar is in the local Maven repository (~/.m2), oldest first (string order)."""
    d = os.path.join(M2, group_path, artifact)
    if not os.path.isdir(d):
        return []
    return sorted(v for v in os.listdir(d) if os.path.isfile(os.path.join(d, v, "%s-%s.jar" % (artifact, v))))


# commons-lang3 is not on the kernel's class path; any version in the local repository will do
LANG3 = local_versions("org/apache/commons", "commons-lang3")


class KernelBehaviour(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.km, cls.kc = start_new_kernel(kernel_name=KERNEL, startup_timeout=TIMEOUT)

    @classmethod
    def tearDownClass(cls):
        cls.kc.stop_channels()
        cls.km.shutdown_kernel(now=True)

    def run_cell(self, code, timeout=TIMEOUT, stdin=None):
        """Executes code; returns (reply content, list of iopub messages for it)."""
        kc = self.kc
        msg_id = kc.execute(code, allow_stdin=stdin is not None)
        outputs = []
        deadline = time.time() + timeout
        while True:
            if stdin is not None:
                try:
                    req = kc.get_stdin_msg(timeout=0.05)
                    if req["msg_type"] == "input_request":
                        kc.input(stdin)
                except queue.Empty:
                    pass
            try:
                msg = kc.get_iopub_msg(timeout=0.1)
            except queue.Empty:
                if time.time() > deadline:
                    raise AssertionError("no idle status for: " + code)
                continue
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                break
            outputs.append(msg)
        reply = kc.get_shell_msg(timeout=timeout)
        while reply["parent_header"].get("msg_id") != msg_id:
            reply = kc.get_shell_msg(timeout=timeout)
        return reply["content"], outputs

    @staticmethod
    def mimes(outputs):
        found = set()
        for m in outputs:
            if m["msg_type"] in ("display_data", "execute_result", "update_display_data"):
                found.update(m["content"]["data"].keys())
        return found

    @staticmethod
    def traceback(outputs):
        """The traceback of the iopub error message (what the notebook shows)."""
        return "\n".join(line for m in outputs if m["msg_type"] == "error" for line in m["content"]["traceback"])

    @staticmethod
    def text(outputs, stream="stdout"):
        return "".join(m["content"]["text"] for m in outputs
                       if m["msg_type"] == "stream" and m["content"]["name"] == stream)

    def interrupt_later(self, seconds):
        t = threading.Timer(seconds, self.km.interrupt_kernel)
        t.start()
        return t

    def test_interrupt_cpu_loop_then_next_cell_runs(self):
        self.run_cell("long counter = 0;")
        self.interrupt_later(2.0)
        t0 = time.time()
        reply, outputs = self.run_cell("while (true) { counter++; }", timeout=60)
        self.assertLess(time.time() - t0, 30, "interrupt took too long")
        self.assertEqual(reply["status"], "error")
        self.assertEqual(reply["ename"], "Interrupted")
        reply, outputs = self.run_cell("counter > 0")
        self.assertEqual(reply["status"], "ok")
        results = [m for m in outputs if m["msg_type"] == "execute_result"]
        self.assertEqual(results[0]["content"]["data"]["text/plain"], "true")

    def test_interrupt_loop_that_catches_throwable(self):
        self.interrupt_later(1.5)
        reply, _ = self.run_cell(
            "for (;;) { try { Math.sqrt(2); } catch (Throwable t) { } }", timeout=60)
        self.assertEqual(reply["ename"], "Interrupted")
        reply, _ = self.run_cell("1 + 1")
        self.assertEqual(reply["status"], "ok")

    def test_interrupt_sleep(self):
        self.interrupt_later(1.5)
        reply, _ = self.run_cell("Thread.sleep(600_000);", timeout=60)
        self.assertEqual(reply["status"], "error")
        reply, _ = self.run_cell("2 + 2")
        self.assertEqual(reply["status"], "ok")

    def test_report_renders_tables_charts_and_text(self):
        code = """
            Table t = Table.create("metrics", DoubleColumn.create("x", new double[]{1, 2, 3}));
            StepReport r = new StepReport("evaluate", "Evaluation")
                .table(t)
                .chart(Chart.line("roc", "ROC", "FPR", "TPR", List.of(Chart.Series.line("model", new double[]{0, 0.5, 1}, new double[]{0, 0.8, 1}))))
                .chart(Chart.heatmap("cm", "Confusion", "predicted", "true", new double[][]{{5, 1}, {2, 7}}, List.of("a", "b")))
                .gallery(List.of(GalleryItem.row("row 7", "1", "0", 0.93, Map.of("age", "41"))));
            r
        """
        reply, outputs = self.run_cell(code)
        self.assertEqual(reply["status"], "ok", reply)
        found = self.mimes(outputs)
        self.assertIn("text/html", found)
        self.assertIn("text/plain", found)
        self.assertIn("image/png", found)
        htmls = [m["content"]["data"].get("text/html", "") for m in outputs if "data" in m["content"]]
        self.assertTrue(any("<table" in h for h in htmls))
        self.assertTrue(any("mw-gallery" in h for h in htmls))
        pngs = [m for m in outputs if "data" in m["content"] and "image/png" in m["content"]["data"]]
        self.assertEqual(len(pngs), 2)

    def test_modelwork_error_shows_what_where_fix(self):
        reply, outputs = self.run_cell(
            'throw new io.modelwork.core.ModelworkException("Column missing", "data.csv: column y", "name the label column");')
        self.assertEqual(reply["status"], "error")
        self.assertEqual(reply["ename"], "ModelworkException")
        tb = self.traceback(outputs)
        self.assertIn("name the label column", tb)
        self.assertNotIn("at java.", tb)
        self.assertIn("Column missing", tb)
        self.assertIn("data.csv: column y", tb)
        # shown once: the error output only (a second HTML card of the same error was shown before)
        self.assertEqual([m for m in outputs if m["msg_type"] == "display_data"], [])

    def test_compile_error_points_at_the_line(self):
        reply, outputs = self.run_cell("int a = 1;\nint b = a + undefinedThing;")
        self.assertEqual(reply["status"], "error")
        tb = self.traceback(outputs)
        self.assertIn("line 2", tb)
        self.assertIn("cannot find symbol", tb)

    def test_runtime_error_has_short_trace(self):
        reply, outputs = self.run_cell("int[] a = new int[1];\na[3] = 1;")
        self.assertEqual(reply["ename"], "ArrayIndexOutOfBoundsException")
        tb = self.traceback(outputs)
        self.assertIn("Index 3 out of bounds", tb)
        self.assertIn("at cell", tb)
        self.assertNotIn("jdk.jshell", tb)

    def test_magics(self):
        reply, outputs = self.run_cell("%help")
        self.assertEqual(reply["status"], "ok")
        text = "".join(m["content"]["data"]["text/plain"] for m in outputs if m["msg_type"] == "execute_result")
        for magic in ("%configure", "%fit", "%%recipe", "%classpath", "%maven", "%%time"):
            self.assertIn(magic, text)
        reply, outputs = self.run_cell("%%time\nint s = 0; for (int i = 0; i < 1000; i++) s += i;\ns")
        self.assertIn("Wall time", self.text(outputs))
        reply, outputs = self.run_cell("%%html\n<i>hello</i>")
        self.assertIn("text/html", self.mimes(outputs))
        reply, outputs = self.run_cell("%%markdown\n# Title")
        self.assertIn("text/markdown", self.mimes(outputs))
        reply, _ = self.run_cell("%nosuchmagic")
        self.assertEqual(reply["status"], "error")
        reply, outputs = self.run_cell("%configure sed=1")
        self.assertEqual(reply["ename"], "ModelworkException")
        self.assertIn("seed", self.traceback(outputs))

    def test_modelwork_error_is_shown_once(self):
        reply, outputs = self.run_cell("%configure sed=1")
        self.assertEqual(reply["ename"], "ModelworkException")
        shown = [m for m in outputs if m["msg_type"] in ("display_data", "execute_result", "error", "stream")]
        self.assertEqual([m["msg_type"] for m in shown], ["error"], "one error output, no extra display of it")
        tb = self.traceback(outputs)
        self.assertIn("did you mean 'seed'", tb)

    def test_runtime_error_names_the_cell_line(self):
        reply, outputs = self.run_cell("int[] a = new int[1];\nint k = 3;\na[k] = 1;")
        self.assertEqual(reply["status"], "error")
        self.assertIn("line 3 of the cell: a[k] = 1;", self.traceback(outputs))
        self.run_cell("void boom() {\n  int z = 0;\n  System.out.println(1 / z);\n}")
        reply, outputs = self.run_cell("int q = 1;\nboom();")
        tb = self.traceback(outputs)
        self.assertIn("in boom(…), line 3 of its declaration, called from line 2 of the cell: boom();", tb)

    def test_display_shows_no_out(self):
        reply, outputs = self.run_cell('display(html("<b>x</b>"))')
        kinds = [m["msg_type"] for m in outputs if m["msg_type"] in ("display_data", "execute_result")]
        self.assertEqual(kinds, ["display_data"], "display(x) must not echo its id as an Out")
        reply, outputs = self.run_cell('display(Chart.line("c", "C", "x", "y", List.of(Chart.Series.line("s", '
                                       'new double[]{1, 2}, new double[]{1, 4}))), "image/png")')
        data = [m["content"]["data"] for m in outputs if m["msg_type"] == "display_data"]
        self.assertEqual([sorted(d) for d in data], [["image/png"]])
        reply, outputs = self.run_cell('new java.awt.image.BufferedImage(4, 3, java.awt.image.BufferedImage.TYPE_INT_RGB)')
        self.assertIn("image/png", self.mimes(outputs))

    def test_magic_keys_complete_and_inspect(self):
        code = "%configure se"
        self.kc.complete(code, len(code))
        reply = self.kc.get_shell_msg(timeout=TIMEOUT)["content"]
        self.assertIn("seed=", reply["matches"])
        self.assertEqual(reply["cursor_start"], len("%configure "))
        code = "int x = 1;\n%fit ro"
        self.kc.complete(code, len(code))
        reply = self.kc.get_shell_msg(timeout=TIMEOUT)["content"]
        self.assertIn("rounds=", reply["matches"])
        code = "%configure device=c"
        self.kc.complete(code, len(code))
        reply = self.kc.get_shell_msg(timeout=TIMEOUT)["content"]
        self.assertEqual(reply["matches"], ["cpu", "cuda"])
        self.kc.inspect("%configure seed=1", 3)
        reply = self.kc.get_shell_msg(timeout=TIMEOUT)["content"]
        self.assertTrue(reply["found"])
        self.assertIn("seed", reply["data"]["text/plain"])
        self.assertIn("default 42", reply["data"]["text/plain"])
        reply, outputs = self.run_cell("%help fit")
        text = "".join(m["content"]["data"]["text/plain"] for m in outputs if m["msg_type"] == "execute_result")
        self.assertIn("rounds", text)

    def test_recipe_cell_magic_and_session_from_java(self):
        data = os.path.join(data_dir(), "regression/modeldata_concrete.csv")
        reply, outputs = self.run_cell(
            "%%recipe\n"
            "configure: {seed: 1, threads: 1}\n"
            "attach_dataset: {path: '" + data + "', target: compressive_strength}\n"
            "prepare_data: {}\n"
            "split: {}\n"
            "build: {spec: regression.xgboost, max_depth: 3}\n"
            "fit: {rounds: 30}\n", timeout=600)
        self.assertEqual(reply["status"], "ok", self.traceback(outputs))
        steps = [m["content"]["data"][REPORT_MIME]["step"] for m in outputs
                 if REPORT_MIME in m["content"].get("data", {})]
        self.assertEqual(steps[:6], ["configure", "attach_dataset", "prepare_data", "split", "build", "fit"])
        reply, outputs = self.run_cell("session().hasRun(Step.FIT)")
        results = [m for m in outputs if m["msg_type"] == "execute_result"]
        self.assertEqual(results[0]["content"]["data"]["text/plain"], "true")
        reply, outputs = self.run_cell("%close")
        self.assertEqual(reply["status"], "ok")

    def test_zz_restart_gives_a_fresh_kernel(self):
        self.run_cell("int beforeRestart = 1;")
        self.km.restart_kernel(now=False)
        self.kc.wait_for_ready(timeout=TIMEOUT)
        reply, outputs = self.run_cell("beforeRestart")
        self.assertEqual(reply["status"], "error", "state is gone after a restart")
        reply, _ = self.run_cell("1 + 2")
        self.assertEqual(reply["status"], "ok")

    def test_stdin(self):
        reply, outputs = self.run_cell('String name = readLine("name? ");\n"hello " + name', stdin="Ada")
        self.assertEqual(reply["status"], "ok", reply)
        results = [m for m in outputs if m["msg_type"] == "execute_result"]
        self.assertEqual(results[0]["content"]["data"]["text/plain"], "hello Ada")

    def test_display_update_in_place(self):
        reply, outputs = self.run_cell(
            'String id = display(html("<b>one</b>"));\nupdateDisplay(id, html("<b>two</b>"));')
        kinds = [m["msg_type"] for m in outputs]
        self.assertIn("display_data", kinds)
        self.assertIn("update_display_data", kinds)

    def test_clear_output_sends_the_message(self):
        reply, outputs = self.run_cell('System.out.println("before");\nclearOutput();\nclearOutput(true);\n'
                                       'System.out.println("after");')
        self.assertEqual(reply["status"], "ok", reply)
        kinds = [(m["msg_type"], m["content"].get("wait"), m["content"].get("text")) for m in outputs
                 if m["msg_type"] in ("stream", "clear_output")]
        self.assertEqual(kinds, [("stream", None, "before\n"), ("clear_output", False, None),
                                 ("clear_output", True, None), ("stream", None, "after\n")])

    def test_background_thread_output_goes_to_its_cell(self):
        code = ('Thread bg = new Thread(() -> {\n'
                '    try { Thread.sleep(500); } catch (InterruptedException e) { return; }\n'
                '    System.out.println("late from the background");\n'
                '    Thread child = new Thread(() -> System.err.println("and from its child"));\n'
                '    child.start();\n'
                '});\n'
                'bg.start();')
        msg_id = self.kc.execute(code)
        reply = self.kc.get_shell_msg(timeout=TIMEOUT)
        while reply["parent_header"].get("msg_id") != msg_id:
            reply = self.kc.get_shell_msg(timeout=TIMEOUT)
        self.assertEqual(reply["content"]["status"], "ok", reply["content"])
        t_reply = time.time()
        # a second cell runs meanwhile: the late output must still name the first cell as its parent
        second = self.kc.execute("Thread.sleep(1500); 1")
        found, idle_first = {}, False
        deadline = time.time() + 30
        while len(found) < 2 and time.time() < deadline:
            try:
                m = self.kc.get_iopub_msg(timeout=0.5)
            except queue.Empty:
                continue
            parent = m["parent_header"].get("msg_id")
            if parent == msg_id and m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
                idle_first = True
            if m["msg_type"] == "stream" and "background" in m["content"]["text"]:
                found["out"] = (parent, m["content"]["name"], idle_first)
            if m["msg_type"] == "stream" and "child" in m["content"]["text"]:
                found["err"] = (parent, m["content"]["name"])
        self.assertEqual(found.get("out"), (msg_id, "stdout", True), found)
        self.assertEqual(found.get("err"), (msg_id, "stderr"), found)
        self.assertGreater(time.time() - t_reply, 0.3)
        reply = self.kc.get_shell_msg(timeout=TIMEOUT)
        while reply["parent_header"].get("msg_id") != second:
            reply = self.kc.get_shell_msg(timeout=TIMEOUT)
        self.assertEqual(reply["content"]["status"], "ok")

    # ---- %maven: offline against artifacts that are in the local repository (~/.m2) ---------------------------------

    M2 = M2
    LANG3 = LANG3

    def offline_settings(self):
        """A settings.xml that is offline and whose only mirror is unreachable: any download attempt fails."""
        import tempfile
        d = tempfile.mkdtemp(prefix="mw-maven-")
        path = os.path.join(d, "settings.xml")
        with open(path, "w") as f:
            f.write("<settings><offline>true</offline><localRepository>%s</localRepository><mirrors><mirror>"
                    "<id>unreachable</id><url>http://127.0.0.1:9/none</url><mirrorOf>*</mirrorOf></mirror></mirrors>"
                    "</settings>" % self.M2)
        return path

    def test_maven_offline_resolves_from_the_local_repository(self):
        settings = self.offline_settings()
        reply, outputs = self.run_cell("%%maven --settings %s org.apache.commons:commons-math3:3.6.1" % settings)
        self.assertEqual(reply["status"], "ok", self.traceback(outputs))
        text = "".join(m["content"]["data"]["text/plain"] for m in outputs if m["msg_type"] == "execute_result")
        self.assertIn("commons-math3-3.6.1.jar", text)
        self.assertIn("offline", text)
        self.assertNotIn("Downloaded", self.text(outputs))

    def test_maven_class_usable_in_the_next_cell(self):
        if not self.LANG3:
            self.skipTest("no commons-lang3 jar in " + self.M2)
        settings = self.offline_settings()
        for version in reversed(self.LANG3):
            reply, outputs = self.run_cell("%%maven --offline --settings %s org.apache.commons:commons-lang3:%s" % (settings, version))
            if reply["status"] == "ok":
                break
        else:
            self.skipTest("no commons-lang3 version resolvable offline: " + self.traceback(outputs))
        reply, outputs = self.run_cell('org.apache.commons.lang3.StringUtils.reverse("maven")')
        self.assertEqual(reply["status"], "ok", self.traceback(outputs))
        results = [m for m in outputs if m["msg_type"] == "execute_result"]
        self.assertEqual(results[0]["content"]["data"]["text/plain"], "nevam")

    def test_maven_missing_artifact_says_what_where_fix(self):
        settings = self.offline_settings()
        reply, outputs = self.run_cell("%%maven --settings %s io.modelwork.nonexistent:no-such-artifact:0.0.1" % settings)
        self.assertEqual(reply["status"], "error")
        self.assertEqual(reply["ename"], "ModelworkException")
        tb = self.traceback(outputs)
        self.assertIn("io.modelwork.nonexistent:no-such-artifact", tb)
        self.assertIn("local repository " + self.M2, tb)
        self.assertIn("offline", tb)
        self.assertIn("fix:", tb)
        reply, outputs = self.run_cell("%maven not-coordinates")
        self.assertIn("group:artifact:version", self.traceback(outputs))


if __name__ == "__main__":
    unittest.main()
