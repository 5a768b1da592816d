#!/usr/bin/env bash
# Installs the Modelwork Jupyter kernel (name "modelwork", display name "Modelwork (Java)").
#   install-kernel.sh [--user|--sys-prefix] [--java PATH] [--print] [--no-cds] [--jit quick|full]
#     (--no-cds: no AppCDS archive; --jit full: tiered C1+C2 JIT for long Java loops instead of C1 only)
#   install-kernel.sh --deps-only [--with-tests]   only install the Debian packages (tests add the protocol test suite,
#                                                   Chromium and Node.js for the browser test, and its npm packages)
# Uses Debian's Jupyter (/usr/bin/jupyter); on Debian, as root, installs the Jupyter packages when missing.
# JVM flags are chosen for the JDK the kernel runs on (java on PATH, or --java PATH, or $JAVA_HOME/bin/java).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../../.." && pwd)"
lib="$root/kernel-extensions/target/kernel/lib"

deps_only=0; with_tests=0
for a in "$@"; do
  case "$a" in --deps-only) deps_only=1 ;; --with-tests) with_tests=1 ;; esac
done
need_pkgs=()
if [ "$with_tests" = 1 ]; then
  /usr/bin/python3 -c 'import jupyter_kernel_test' 2>/dev/null || need_pkgs+=(python3-jupyter-kernel-test)
  # the browser test (NotebookBrowserTest): Debian's Chromium driven by Playwright on Node.js
  [ -x /usr/bin/chromium ] || need_pkgs+=(chromium)
  command -v node >/dev/null || need_pkgs+=(nodejs)
  command -v npm >/dev/null || need_pkgs+=(npm)
fi
[ -x /usr/bin/jupyter-kernelspec ] || need_pkgs+=(jupyter-client)
/usr/bin/python3 -c 'import nbclient' 2>/dev/null || need_pkgs+=(python3-nbclient)
[ -x /usr/bin/jupyter-nbconvert ] || need_pkgs+=(jupyter-nbconvert)
[ -x /usr/bin/jupyter-notebook ] || need_pkgs+=(jupyter-notebook)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need_pkgs+=(fonts-dejavu-core)
if [ ${#need_pkgs[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    echo "installing Debian packages: ${need_pkgs[*]}" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y "${need_pkgs[@]}" >&2 \
      || { apt-get update >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y "${need_pkgs[@]}" >&2; }
  else
    echo "missing Debian packages: ${need_pkgs[*]} (apt-get install -y ${need_pkgs[*]})" >&2
  fi
fi

if [ "$with_tests" = 1 ]; then
  # playwright-core as pinned in package-lock.json (it downloads no browser; the test drives /usr/bin/chromium)
  browser_dir="$root/kernel-extensions/src/test/browser"
  if command -v npm >/dev/null && [ ! -f "$browser_dir/node_modules/playwright-core/package.json" ]; then
    echo "installing the browser test's npm packages (npm ci in $browser_dir)" >&2
    (cd "$browser_dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --prefer-offline --no-audit --no-fund >&2) \
      || echo "npm ci failed: the browser test will be skipped" >&2
  fi
fi

if [ "$deps_only" = 1 ]; then exit 0; fi

if [ ! -f "$lib/modelwork-kernel.jar" ]; then
  echo "building the kernel (mvn -q -pl kernel-extensions -am package -DskipTests)" >&2
  (cd "$root" && mvn -q -pl kernel-extensions -am package -DskipTests)
fi

java_bin=java
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --java) java_bin="$2"; args+=(--java "$2"); shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
if [ "$java_bin" = java ] && [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
  java_bin="$JAVA_HOME/bin/java"
fi
java_bin="$(readlink -f "$(command -v "$java_bin")")"
exec "$java_bin" -cp "$lib/*" io.modelwork.kernel.install.KernelInstaller --java "$java_bin" "${args[@]}"
