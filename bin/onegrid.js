#!/usr/bin/env node
// Runs the compiled CLI when dist/ is built and newer than the sources, else the TypeScript sources
// through tsx (so a stale build is never run by mistake).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const compiled = join(root, 'dist', 'src', 'cli', 'main.js');
const stamp = join(root, 'dist', '.tsbuildinfo'); // rewritten by every build

function newestSource(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newestSource(p) : e.name.endsWith('.ts') ? statSync(p).mtimeMs : 0);
  }
  return t;
}

const useCompiled =
  process.env.ONEGRID_FROM_SOURCE !== '1' && existsSync(compiled) && existsSync(stamp) && statSync(stamp).mtimeMs >= newestSource(join(root, 'src'));
let mod;
if (useCompiled) {
  mod = await import(pathToFileURL(compiled).href);
} else {
  const { tsImport } = await import('tsx/esm/api');
  mod = await tsImport(pathToFileURL(join(root, 'src', 'cli', 'main.ts')).href, import.meta.url);
}
await mod.main(process.argv);
