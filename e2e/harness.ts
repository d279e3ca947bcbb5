// What every browser test needs: a current build of the console, the real server on a free port with a
// fresh data directory, and the system Chromium. Each piece cleans up after itself.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { chromiumPath, isCI } from '../src/platform/testing/environment.js';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const screenshotDir = join(repoRoot, 'artifacts', 'screenshots');
const webDir = join(repoRoot, 'web');
const webDist = join(webDir, 'dist');

/** The demo password the server gives every demo user on an empty database. */
export const DEMO_PASSWORD = 'OneGrid-demo-2026';

/**
 * Why the browser tests cannot run here, or null when they can. Under CI a missing Chromium is not a
 * reason to skip: the suite runs and fails in launchBrowser().
 */
export function browserSkipReason(): string | null {
  if (existsSync(chromiumPath()) || isCI()) return null;
  return `Chromium not found at ${chromiumPath()} (install: apt-get install -y chromium fonts-noto-cjk; CI fails instead of skipping)`;
}

async function newestMtime(path: string): Promise<number> {
  const info = await stat(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of await readdir(path)) {
    if (entry === 'dist' || entry === 'node_modules') continue;
    newest = Math.max(newest, await newestMtime(join(path, entry)));
  }
  return newest;
}

/** True when web/dist is missing or older than any source of the console (or the installed packages). */
export async function webDistIsStale(): Promise<boolean> {
  const builtIndex = join(webDist, 'index.html');
  if (!existsSync(builtIndex)) return true;
  const builtAt = (await stat(builtIndex)).mtimeMs;
  const sources = [webDir, join(repoRoot, 'package-lock.json')].filter((p) => existsSync(p));
  for (const source of sources) if ((await newestMtime(source)) > builtAt) return true;
  return false;
}

function run(command: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolvePromise()
        : reject(new Error(`${command} ${args.join(' ')} exited ${code}:\n${output}`)),
    );
  });
}

/**
 * Builds the console with Vite when web/dist is missing or stale (ONEGRID_E2E_REBUILD=1 forces it).
 * A lock directory keeps two test files from writing web/dist at the same moment.
 */
export async function ensureWebBuilt(): Promise<{ built: boolean; ms: number }> {
  const started = Date.now();
  const lock = join(tmpdir(), `onegrid-web-build-${Buffer.from(repoRoot).toString('hex').slice(-32)}.lock`);
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch {
      // Another build holds the lock; a lock older than two minutes belongs to a process that died.
      const age = await stat(lock).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      if (age > 120_000) await rm(lock, { recursive: true, force: true });
      else await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    if (process.env.ONEGRID_E2E_REBUILD !== '1' && !(await webDistIsStale())) {
      return { built: false, ms: Date.now() - started };
    }
    const vite = join(repoRoot, 'node_modules', 'vite', 'bin', 'vite.js');
    await run(
      process.execPath,
      [vite, 'build', '--config', join(webDir, 'vite.config.ts'), '--logLevel', 'warn'],
      repoRoot,
    );
    return { built: true, ms: Date.now() - started };
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address !== null
          ? resolvePromise(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

export interface RunningServer {
  baseUrl: string;
  dataDir: string;
  /** What the server printed so far (for failure messages). */
  output: () => string;
  stop: () => Promise<void>;
}

/**
 * Starts `node bin/onegrid.js serve` on a free port with a fresh data directory and waits for
 * GET /readyz → 200. ONEGRID_E2E_SERVER_ENTRY names another entry script (only for working on this
 * harness while the server is not there).
 */
export async function startServer(options: { readyTimeoutMs?: number } = {}): Promise<RunningServer> {
  const readyTimeoutMs = options.readyTimeoutMs ?? 60_000;
  const port = await freePort();
  const dataDir = await mkdtemp(join(tmpdir(), 'onegrid-e2e-'));
  const entry = process.env.ONEGRID_E2E_SERVER_ENTRY ?? join(repoRoot, 'bin', 'onegrid.js');
  const child: ChildProcess = spawn(process.execPath, [entry, 'serve'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      PORT: String(port),
      ONEGRID_DATA_DIR: dataDir,
      ONEGRID_LOG_LEVEL: 'warn',
      ONEGRID_DEMO_ON_EMPTY: process.env.ONEGRID_E2E_DEMO ?? 'users',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  let hasExited = false;
  void exited.then(() => (hasExited = true));

  const stop = async () => {
    if (!hasExited) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dataDir, { recursive: true, force: true });
  };

  const baseUrl = `http://localhost:${port}`;
  const deadline = Date.now() + readyTimeoutMs;
  let lastProblem = 'no answer yet';
  while (Date.now() < deadline) {
    if (hasExited) {
      await stop();
      throw new Error(`server exited before it was ready (${entry} serve):\n${output}`);
    }
    try {
      const response = await fetch(`${baseUrl}/readyz`, { signal: AbortSignal.timeout(2_000) });
      if (response.status === 200) return { baseUrl, dataDir, output: () => output, stop };
      lastProblem = `/readyz answered ${response.status}`;
    } catch (e) {
      lastProblem = String(e);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop();
  throw new Error(`server not ready within ${readyTimeoutMs} ms (${lastProblem}):\n${output}`);
}

/** The system Chromium, headless, with everything that phones home turned off. */
export async function launchBrowser(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!existsSync(executablePath)) {
    throw new Error(`Chromium not found at ${executablePath} and CI=true: browser tests must run in CI`);
  }
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/** Saves a full-page screenshot to artifacts/screenshots/<name>.png and returns the path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  // Finished transitions, so a screenshot shows the settled page and not a menu highlight mid-fade.
  await page.screenshot({ path, fullPage: true, animations: 'disabled' });
  return path;
}

const OPEN_OPTIONS = '.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option';

/**
 * Picks an option of an antd Select: opens it, optionally types to filter, clicks the first option
 * matching `optionText` (or the first option when it is omitted). A dropdown can close under the
 * pointer when the page re-renders behind it (a table refetching after a save), so a failed pick closes
 * the dropdown and tries again, a few times, before giving up with the last error.
 */
export async function pickOption(
  page: Page,
  select: Locator,
  optionText?: string | RegExp,
  options: { search?: string; fillSearch?: boolean; attempts?: number } = {},
): Promise<void> {
  const attempts = options.attempts ?? 4;
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      await select.click({ timeout: 10_000 });
      if (options.search !== undefined) {
        if (options.fillSearch) await select.locator('input').fill(options.search, { timeout: 5_000 });
        else await page.keyboard.type(options.search);
      }
      const option = page
        .locator(OPEN_OPTIONS, optionText === undefined ? {} : { hasText: optionText })
        .first();
      await option.click({ timeout: 5_000 });
      return;
    } catch (error) {
      lastError = error;
      await page.keyboard.press('Escape').catch(() => undefined);
      await page.waitForTimeout(300 * attempt);
    }
  }
  throw lastError;
}
