// Browser test: an executed template notebook opened in the classic Notebook (Debian's jupyter-notebook) with
// Debian's headless Chromium, driven by Playwright (playwright-core, no bundled browser).
//
//   node notebook-render.test.mjs --notebook EXECUTED.ipynb --out DIR [--timeout-s 90] [--no-kernel-check]
//
// Checks in the page: a Tablesaw report table (<table class="dataframe"> inside div.mw-table) rendered with rows,
// and a chart rendered as <img src="data:image/png;..."> that the browser decoded (naturalWidth > 0); then that the
// notebook's kernel (the kernelspec named in the notebook, found through JUPYTER_PATH) starts and goes idle.
// Writes DIR/<name>.png (the page at the first chart), DIR/<name>-chart.png (the chart), DIR/result.json,
// DIR/notebook-server.log (and DIR/<name>-failure.png when a check fails). Exit 0 = pass,
// 1 = a check failed, 2 = usage or setup error. The server and the browser get temporary folders, deleted at the end.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const CHROMIUM = process.env.MODELWORK_CHROMIUM || '/usr/bin/chromium';
const NOTEBOOK_APP = process.env.MODELWORK_JUPYTER_NOTEBOOK || '/usr/bin/jupyter-notebook';
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

function parseArgs(argv) {
  const a = { timeoutS: 90, kernelCheck: true };
  for (let i = 0; i < argv.length; i++) {
    switch (argv[i]) {
      case '--notebook': a.notebook = argv[++i]; break;
      case '--out': a.out = argv[++i]; break;
      case '--timeout-s': a.timeoutS = Number(argv[++i]); break;
      case '--no-kernel-check': a.kernelCheck = false; break;
      default: throw new Error(`unknown argument ${argv[i]}`);
    }
  }
  if (!a.notebook || !a.out) throw new Error('usage: notebook-render.test.mjs --notebook EXECUTED.ipynb --out DIR');
  return a;
}

const t0 = Date.now();
const log = (msg) => console.log(`[browser-test ${((Date.now() - t0) / 1000).toFixed(1)} s] ${msg}`);

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitForServer(base, token, server, deadline) {
  let last = '';
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`jupyter-notebook exited with ${server.exitCode}`);
    try {
      const r = await fetch(`${base}/api/status`, { headers: { Authorization: `token ${token}` } });
      if (r.ok) return;
      last = `HTTP ${r.status}`;
    } catch (e) {
      last = String(e.cause?.code || e.message);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the Notebook server did not answer at ${base} (${last})`);
}

function stopServer(server) {
  return new Promise((resolve) => {
    if (server.exitCode !== null || server.signalCode !== null) return resolve();
    const kill = setTimeout(() => { try { server.kill('SIGKILL'); } catch { /* gone */ } }, 5000);
    server.once('exit', () => { clearTimeout(kill); resolve(); });
    server.kill('SIGTERM'); // the Notebook server shuts its kernels down on SIGTERM
  });
}

async function main() {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(e.message);
    return 2;
  }
  for (const [what, p] of [['chromium', CHROMIUM], ['jupyter-notebook', NOTEBOOK_APP], ['notebook', args.notebook]]) {
    if (!fs.existsSync(p)) { console.error(`missing ${what}: ${p}`); return 2; }
  }
  const deadline = t0 + args.timeoutS * 1000;
  const name = path.basename(args.notebook, '.ipynb');
  fs.mkdirSync(args.out, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'modelwork-browser-'));
  const dirs = {};
  for (const d of ['root', 'runtime', 'config', 'data', 'chromium-profile']) {
    dirs[d] = path.join(tmp, d);
    fs.mkdirSync(dirs[d]);
  }
  fs.copyFileSync(args.notebook, path.join(dirs.root, `${name}.ipynb`));

  const port = await freePort();
  const token = crypto.randomBytes(24).toString('hex');
  const base = `http://127.0.0.1:${port}`;
  const serverArgs = ['--no-browser', '--ip=127.0.0.1', `--port=${port}`, '--port-retries=0',
    `--NotebookApp.token=${token}`, `--notebook-dir=${dirs.root}`];
  if (process.getuid && process.getuid() === 0) serverArgs.push('--allow-root');
  const env = {
    ...process.env,
    JUPYTER_RUNTIME_DIR: dirs.runtime, // connection files, the server's info file
    JUPYTER_CONFIG_DIR: dirs.config, // no user configuration or extensions
    JUPYTER_DATA_DIR: dirs.data, // notebook signatures (the notebook opens untrusted); kernelspecs via JUPYTER_PATH
    IPYTHONDIR: path.join(tmp, 'ipython'),
    PYDEVD_DISABLE_FILE_VALIDATION: '1',
  };
  const serverLog = fs.createWriteStream(path.join(args.out, 'notebook-server.log'));
  const server = spawn(NOTEBOOK_APP, serverArgs, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  server.stdout.pipe(serverLog, { end: false });
  server.stderr.pipe(serverLog, { end: false });
  let context;
  const result = { notebook: args.notebook, chromium: CHROMIUM, checks: {}, pageErrors: [], ok: false };
  try {
    await waitForServer(base, token, server, Math.min(deadline, Date.now() + 60000));
    log(`Notebook server up at ${base}`);

    context = await chromium.launchPersistentContext(dirs['chromium-profile'], {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_FLAGS,
      viewport: { width: 1280, height: 900 },
      timeout: 60000,
    });
    result.browserVersion = context.browser()?.version() ?? null;
    const page = context.pages()[0] ?? await context.newPage();
    page.on('pageerror', (e) => result.pageErrors.push(String(e.message || e)));
    page.setDefaultTimeout(Math.max(5000, deadline - Date.now()));

    await page.goto(`${base}/notebooks/${encodeURIComponent(name)}.ipynb?token=${token}`, { waitUntil: 'domcontentloaded' });
    await page.waitForSelector('#notebook-container .cell');
    log('notebook loaded');

    // 1. a Tablesaw report table with header and body rows
    const table = page.locator('.output_html div.mw-table table.dataframe').first();
    await table.waitFor({ state: 'visible' });
    const tableInfo = await table.evaluate((t) => ({
      caption: t.caption ? t.caption.textContent : null,
      headers: t.querySelectorAll('thead th').length,
      rows: t.querySelectorAll('tbody tr').length,
      height: t.getBoundingClientRect().height,
    }));
    result.checks.table = tableInfo;
    if (!(tableInfo.headers > 0 && tableInfo.rows > 0 && tableInfo.height > 0))
      throw new Error(`the report table rendered empty: ${JSON.stringify(tableInfo)}`);
    result.checks.tables = await page.locator('.output_html table.dataframe').count();
    log(`report table rendered (${tableInfo.rows} rows × ${tableInfo.headers} columns; ${result.checks.tables} tables in the page)`);

    // 2. a chart: <img src="data:image/png;base64,..."> decoded by the browser
    const img = page.locator('.output_area img[src^="data:image/png"]').first();
    await img.waitFor({ state: 'visible' });
    await img.scrollIntoViewIfNeeded();
    await page.waitForFunction((el) => el.complete && el.naturalWidth > 0, await img.elementHandle());
    const imgInfo = await img.evaluate((el) => ({ naturalWidth: el.naturalWidth, naturalHeight: el.naturalHeight, srcChars: el.src.length }));
    result.checks.chart = imgInfo;
    result.checks.pngCharts = await page.locator('.output_area img[src^="data:image/png"]').count();
    result.checks.svgCharts = await page.locator('.output_svg svg').count();
    log(`chart rendered (${imgInfo.naturalWidth}×${imgInfo.naturalHeight} PNG; ${result.checks.pngCharts} PNG + ${result.checks.svgCharts} SVG charts in the page)`);
    await img.screenshot({ path: path.join(args.out, `${name}-chart.png`) });

    // 3. the notebook's kernel starts and answers (kernel indicator idle)
    if (args.kernelCheck) {
      await page.waitForSelector('#kernel_indicator_icon.kernel_idle_icon', { state: 'attached' });
      result.checks.kernel = (await page.locator('.kernel_indicator_name').textContent())?.trim();
      log(`kernel "${result.checks.kernel}" idle`);
    }

    // the Notebook scrolls inside #site, so a full-page shot is the viewport: show the first chart and what precedes it
    await img.evaluate((el) => el.scrollIntoView({ block: 'end' }));
    await page.screenshot({ path: path.join(args.out, `${name}.png`) });
    result.ok = true;
    log(`PASS; screenshots in ${args.out}`);
  } catch (e) {
    result.error = String(e.message || e);
    console.error(`[browser-test] FAIL: ${result.error}`);
    try {
      const page = context?.pages()[0];
      if (page) await page.screenshot({ path: path.join(args.out, `${name}-failure.png`) });
    } catch { /* best effort */ }
  } finally {
    result.seconds = (Date.now() - t0) / 1000;
    fs.writeFileSync(path.join(args.out, 'result.json'), JSON.stringify(result, null, 2));
    if (context) await context.close().catch(() => {});
    await stopServer(server);
    serverLog.end();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  if (result.pageErrors.length) log(`page errors: ${result.pageErrors.join(' | ')}`);
  return result.ok ? 0 : 1;
}

process.exitCode = await main();
