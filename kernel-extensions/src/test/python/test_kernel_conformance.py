"""Jupyter protocol conformance for the Modelwork kernel (Debian's python3-jupyter-kernel-test).

Run with Debian's Python against an installed kernelspec (or one on JUPYTER_PATH):
    /usr/bin/python3 -m unittest -v kernel-extensions/src/test/python/test_kernel_conformance.py
The kernel name defaults to 'modelwork'; MODELWORK_KERNEL_NAME overrides it.
"""
import os
import unittest

import jupyter_kernel_test as jkt


class ModelworkKernelTests(jkt.KernelTests):
    kernel_name = os.environ.get("MODELWORK_KERNEL_NAME", "modelwork")
    language_name = "java"
    file_extension = ".jshell"

    code_hello_world = 'System.out.println("hello, world");'
    code_stderr = 'System.err.println("oops");'

    completion_samples = [
        {"text": "Math.ma", "matches": {"max("}},
        {"text": "\"abc\".toUpper", "matches": {"toUpperCase("}},
    ]

    complete_code_samples = ["1 + 1", "int x = 1;", "void f() { }", "%help"]
    incomplete_code_samples = ["for (int i = 0; i < 3; i++) {", "void f() {", "1 +"]
    invalid_code_samples = ["int x = 1; )", "} + 1"]

    code_generate_error = 'throw new IllegalStateException("boom");'

    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": "\"a\" + \"b\"", "result": "ab"},
        {"code": "java.util.List.of(1, 2)", "result": "[1, 2]"},
    ]

    code_display_data = [
        {"code": 'display(html("<b>hi</b>"));', "mime": "text/html"},
        {"code": 'display(markdown("*hi*"));', "mime": "text/markdown"},
    ]

    supported_history_operations = ("tail", "range", "search")
    code_history_pattern = "6 * ?"

    code_inspect_sample = "Math.max"


if __name__ == "__main__":
    unittest.main()
