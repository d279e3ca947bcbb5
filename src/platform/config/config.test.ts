import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('defaults to SQLite under ./var on port 8080', () => {
    const c = loadConfig({});
    expect(c.database.dialect).toBe('sqlite');
    expect(c.port).toBe(8080);
    expect(c.dataDir.endsWith('var')).toBe(true);
  });

  it('uses PostgreSQL when DATABASE_URL is set', () => {
    const c = loadConfig({ DATABASE_URL: 'postgres://u@h:5432/db' });
    expect(c.database).toMatchObject({ dialect: 'postgres', url: 'postgres://u@h:5432/db' });
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://x'],
    ['ONEGRID_LOG_LEVEL', 'loud'],
    ['ONEGRID_SECRET', 'short'],
    ['ONEGRID_SQLITE_SYNCHRONOUS', 'OFF'],
  ])('refuses a bad %s and names it', (variable, value) => {
    try {
      loadConfig({ [variable]: value });
      expect.unreachable('should have thrown');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).problems.map((p) => p.variable)).toContain(variable);
      expect((e as Error).message).toContain(variable);
    }
  });
});
