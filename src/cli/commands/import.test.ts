import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readGeoJsonFile } from './import.js';
import { CliExit } from '../context.js';

describe('onegrid import layer: reading the file', () => {
  it('refuses a 200 MB file before reading it, and a file that is not JSON, with clear messages', () => {
    const dir = mkdtempSync(join(tmpdir(), 'onegrid-layer-'));
    try {
      const big = join(dir, 'big.geojson');
      writeFileSync(big, '');
      truncateSync(big, 200 * 1024 * 1024); // sparse: costs no disk
      expect(() => readGeoJsonFile(big)).toThrow(CliExit);
      expect(() => readGeoJsonFile(big)).toThrow(/200 MB; the limit for a layer file is 150 MB/);
      const notJson = join(dir, 'x.geojson');
      writeFileSync(notJson, '<html>not a layer</html>');
      expect(() => readGeoJsonFile(notJson)).toThrow(/is not JSON/);
      expect(() => readGeoJsonFile(join(dir, 'missing.geojson'))).toThrow(/cannot read/);
      const ok = join(dir, 'ok.geojson');
      writeFileSync(ok, JSON.stringify({ type: 'FeatureCollection', features: [] }));
      expect(readGeoJsonFile(ok)).toEqual({ type: 'FeatureCollection', features: [] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
