#!/usr/bin/env node
// Builds what `npm start` needs, skipping what is already up to date: the server (tsc → dist/) and the
// web console (vite → web/dist/).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const force = process.argv.includes('--force');

function newest(dir, skip = new Set(['node_modules', 'dist'])) {
  let t = 0;
  if (!existsSync(dir)) return t;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (skip.has(e.name)) continue;
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p, skip) : statSync(p).mtimeMs);
  }
  return t;
}
const mtime = (p) => (existsSync(p) ? statSync(p).mtimeMs : 0);

function run(label, cmd, args) {
  const started = Date.now();
  process.stdout.write(`build: ${label} …\n`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    process.stderr.write(`build: ${label} failed\n`);
    process.exit(r.status ?? 1);
  }
  process.stdout.write(`build: ${label} done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const serverStamp = join(root, 'dist', '.tsbuildinfo'); // rewritten by every build
if (force || mtime(serverStamp) < Math.max(newest(join(root, 'src')), newest(join(root, 'bench')), mtime(join(root, 'package.json')))) {
  run('server (tsc)', process.execPath, [tsc, '-p', 'tsconfig.build.json']);
} else process.stdout.write('build: server up to date\n');

const webConfig = join(root, 'web', 'vite.config.ts');
if (existsSync(webConfig)) {
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const webStamp = join(root, 'web', 'dist', 'index.html');
  if (force || mtime(webStamp) < Math.max(newest(join(root, 'web')), mtime(join(root, 'package.json')))) {
    run('web console (vite)', process.execPath, [vite, 'build', '--config', webConfig]);
  } else process.stdout.write('build: web console up to date\n');
}
