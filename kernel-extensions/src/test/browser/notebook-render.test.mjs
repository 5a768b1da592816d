// Browser test: an executed template notebook opened in the classic Notebook (Debian's jupyter-notebook) or in
// JupyterLab 4 (--app lab: the project's .venv/bin/jupyter-lab, or MODELWORK_JUPYTER_LAB) with Debian's headless
// Chromium, driven by Playwright (playwright-core, no bundled browser).
//
//   node notebook-render.test.mjs --notebook EXECUTED.ipynb --out DIR [--app notebook|lab] [--timeout-s 90]
//        [--no-kernel-check] [--min-tables N]
//
// In JupyterLab it checks every output of the notebook (windowing off, so that all cells are in the page): at least
// N report tables rendered as HTML tables, charts as images (<img> of PNG/SVG, or Vega-Lite charts), no JSON tree
// (.jp-RenderedJSON: a report bundle with application/json shows as one), and no error output in the notebook.
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
const LAB_APP = process.env.MODELWORK_JUPYTER_LAB
  || path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../../../.venv/bin/jupyter-lab');
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

function parseArgs(argv) {
  const a = { timeoutS: 90, kernelCheck: true, app: 'notebook', minTables: 1 };
  for (let i = 0; i < argv.length; i++) {
    switch (argv[i]) {
      case '--notebook': a.notebook = argv[++i]; break;
      case '--out': a.out = argv[++i]; break;
      case '--timeout-s': a.timeoutS = Number(argv[++i]); break;
      case '--no-kernel-check': a.kernelCheck = false; break;
      case '--app': a.app = argv[++i]; break;
      case '--min-tables': a.minTables = Number(argv[++i]); break;
      default: throw new Error(`unknown argument ${argv[i]}`);
    }
  }
  if (!a.notebook || !a.out) throw new Error('usage: notebook-render.test.mjs --notebook EXECUTED.ipynb --out DIR [--app notebook|lab]');
  if (!['notebook', 'lab'].includes(a.app)) throw new Error(`--app takes notebook or lab, not ${a.app}`);
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
    if (server.exitCode !== null) throw new Error(`the Jupyter server exited with ${server.exitCode}`);
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
  const lab = args.app === 'lab';
  const app = lab ? LAB_APP : NOTEBOOK_APP;
  for (const [what, p] of [['chromium', CHROMIUM], [lab ? 'jupyter-lab' : 'jupyter-notebook', app], ['notebook', args.notebook]]) {
    if (!fs.existsSync(p)) { console.error(`missing ${what}: ${p}`); return 2; }
  }
  const deadline = t0 + args.timeoutS * 1000;
  const name = path.basename(args.notebook, '.ipynb');
  const shot = lab ? `${name}-lab` : name; // file names of the screenshots and the result
  fs.mkdirSync(args.out, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'modelwork-browser-'));
  const dirs = {};
  for (const d of ['root', 'runtime', 'config', 'data', 'chromium-profile', 'lab-settings', 'lab-workspaces']) {
    dirs[d] = path.join(tmp, d);
    fs.mkdirSync(dirs[d]);
  }
  fs.copyFileSync(args.notebook, path.join(dirs.root, `${name}.ipynb`));

  const port = await freePort();
  const token = crypto.randomBytes(24).toString('hex');
  const base = `http://127.0.0.1:${port}`;
  const serverArgs = lab
    ? ['--no-browser', '--ip=127.0.0.1', `--port=${port}`, '--port-retries=0', `--IdentityProvider.token=${token}`,
      `--ServerApp.root_dir=${dirs.root}`, '--LabApp.news_url=', '--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate']
    : ['--no-browser', '--ip=127.0.0.1', `--port=${port}`, '--port-retries=0',
      `--NotebookApp.token=${token}`, `--notebook-dir=${dirs.root}`];
  // Lab draws only the cells in view unless windowing is off: every output must be in the page to be counted
  const trackerSettings = path.join(dirs['lab-settings'], '@jupyterlab', 'notebook-extension');
  fs.mkdirSync(trackerSettings, { recursive: true });
  fs.writeFileSync(path.join(trackerSettings, 'tracker.jupyterlab-settings'), JSON.stringify({ windowingMode: 'none' }));
  if (process.getuid && process.getuid() === 0) serverArgs.push('--allow-root');
  const env = {
    ...process.env,
    JUPYTER_RUNTIME_DIR: dirs.runtime, // connection files, the server's info file
    JUPYTER_CONFIG_DIR: dirs.config, // no user configuration or extensions
    JUPYTER_DATA_DIR: dirs.data, // notebook signatures (the notebook opens untrusted); kernelspecs via JUPYTER_PATH
    IPYTHONDIR: path.join(tmp, 'ipython'),
    PYDEVD_DISABLE_FILE_VALIDATION: '1',
    JUPYTERLAB_SETTINGS_DIR: dirs['lab-settings'],
    JUPYTERLAB_WORKSPACES_DIR: dirs['lab-workspaces'],
  };
  const serverLog = fs.createWriteStream(path.join(args.out, lab ? 'lab-server.log' : 'notebook-server.log'));
  const server = spawn(app, serverArgs, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  server.stdout.pipe(serverLog, { end: false });
  server.stderr.pipe(serverLog, { end: false });
  let context;
  const result = { notebook: args.notebook, app: args.app, chromium: CHROMIUM, checks: {}, pageErrors: [], ok: false };
  try {
    // the executed notebook itself: no error output (a failed cell would show one in any front end)
    const nb = JSON.parse(fs.readFileSync(args.notebook, 'utf8'));
    const errors = nb.cells.flatMap((c) => (c.outputs || []).filter((o) => o.output_type === 'error').map((o) => `${o.ename}: ${o.evalue}`));
    result.checks.errorOutputs = errors.length;
    if (errors.length) throw new Error(`the notebook has error outputs: ${errors.join(' | ')}`);
    await waitForServer(base, token, server, Math.min(deadline, Date.now() + 60000));
    log(`${lab ? 'JupyterLab' : 'Notebook'} server up at ${base}`);

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

    if (lab) {
      await checkLab(page, base, token, name, args, result);
      await page.screenshot({ path: path.join(args.out, `${shot}.png`) });
      result.ok = true;
      log(`PASS; screenshots in ${args.out}`);
      return 0;
    }
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
    if (result.checks.tables < args.minTables)
      throw new Error(`only ${result.checks.tables} report tables rendered (expected ≥ ${args.minTables})`);
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
      if (page) await page.screenshot({ path: path.join(args.out, `${shot}-failure.png`) });
    } catch { /* best effort */ }
  } finally {
    result.seconds = (Date.now() - t0) / 1000;
    fs.writeFileSync(path.join(args.out, lab ? 'result-lab.json' : 'result.json'), JSON.stringify(result, null, 2));
    if (context) await context.close().catch(() => {});
    await stopServer(server);
    serverLog.end();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  if (result.pageErrors.length) log(`page errors: ${result.pageErrors.join(' | ')}`);
  return result.ok ? 0 : 1;
}

/** JupyterLab 4: report tables, charts as images or Vega-Lite, no JSON trees, the kernel idle. */
async function checkLab(page, base, token, name, args, result) {
  await page.goto(`${base}/lab/tree/${encodeURIComponent(name)}.ipynb?token=${token}`, { waitUntil: 'domcontentloaded' });
  await page.waitForSelector('.jp-Notebook .jp-Cell');
  log('notebook loaded in JupyterLab');
  const table = page.locator('.jp-OutputArea-output div.mw-table table.dataframe').first();
  await table.waitFor({ state: 'visible' });
  // the outputs of every cell are in the page (windowing off); give the lazy renderers (Vega) a moment
  await page.waitForFunction(() => document.querySelectorAll('.jp-OutputArea-output').length > 0);
  await page.waitForTimeout(1500);
  const counts = await page.evaluate(() => {
    const q = (s) => document.querySelectorAll(s).length;
    const stderr = [...document.querySelectorAll('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')]
      .map((e) => e.textContent).filter((t) => /Exception|Error:|error:/.test(t));
    return {
      outputs: q('.jp-OutputArea-output'),
      tables: q('.jp-OutputArea-output div.mw-table table.dataframe'),
      tableRows: [...document.querySelectorAll('.jp-OutputArea-output div.mw-table table.dataframe')]
        .map((t) => t.querySelectorAll('tbody tr').length),
      imgCharts: q('.jp-OutputArea-output img[src^="data:image/png"], .jp-OutputArea-output img[src^="data:image/svg"], .jp-RenderedSVG svg'),
      vegaCharts: q('.jp-OutputArea-output .vega-embed'),
      jsonTrees: q('.jp-RenderedJSON'),
      stderrErrors: stderr,
      // the header stays in view: a header table above the rows' own scroll box, column widths equal (the styles
      // survived Lab's sanitizer, which drops position:sticky from untrusted outputs)
      boxes: q('.jp-OutputArea-output div.mw-table'),
      fixedHeaders: [...document.querySelectorAll('.jp-OutputArea-output div.mw-table')].filter((box) => {
        const head = box.querySelector(':scope > table.mw-head'), body = box.querySelector(':scope > div.mw-body');
        const rows = body && body.querySelector('table.dataframe');
        return head && rows && getComputedStyle(body).overflowY === 'auto' && getComputedStyle(rows).tableLayout === 'fixed'
          && Math.abs(head.getBoundingClientRect().width - rows.getBoundingClientRect().width) < 2;
      }).length,
    };
  });
  result.checks.lab = counts;
  log(`JupyterLab: ${counts.tables} report tables, ${counts.imgCharts} image + ${counts.vegaCharts} Vega-Lite charts, `
    + `${counts.jsonTrees} JSON trees, ${counts.outputs} outputs`);
  if (counts.jsonTrees > 0) throw new Error(`${counts.jsonTrees} outputs render as a JSON tree (application/json in a bundle?)`);
  if (counts.tables < args.minTables) throw new Error(`only ${counts.tables} report tables rendered (expected ≥ ${args.minTables})`);
  if (counts.tableRows.some((n) => n === 0)) throw new Error(`a report table rendered without rows: ${counts.tableRows}`);
  if (counts.fixedHeaders < counts.boxes) throw new Error(`only ${counts.fixedHeaders} of ${counts.boxes} tables keep their header in view (styles sanitized away?)`);
  if (counts.imgCharts + counts.vegaCharts === 0) throw new Error('no chart rendered as an image or a Vega-Lite chart');
  if (counts.stderrErrors.length) throw new Error(`error text in the outputs: ${counts.stderrErrors.join(' | ').slice(0, 500)}`);
  // the first chart: a decoded image, or a drawn Vega canvas/svg
  const chart = page.locator('.jp-OutputArea-output .vega-embed, .jp-OutputArea-output img[src^="data:image/png"]').first();
  await chart.scrollIntoViewIfNeeded();
  const drawn = await chart.evaluate((el) => el.tagName === 'IMG' ? el.complete && el.naturalWidth > 0
    : !!el.querySelector('canvas, svg') && el.getBoundingClientRect().height > 50);
  if (!drawn) throw new Error('the first chart was not drawn');
  await chart.screenshot({ path: path.join(args.out, `${name}-lab-chart.png`) });
  if (args.kernelCheck) {
    await page.waitForSelector('.jp-Notebook-ExecutionIndicator[data-status="idle"]', { state: 'attached' });
    result.checks.kernel = (await page.locator('.jp-KernelName').first().textContent())?.trim();
    log(`kernel "${result.checks.kernel}" idle`);
  }
}

process.exitCode = await main();
