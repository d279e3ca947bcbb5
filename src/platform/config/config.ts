import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The project root: two levels above this file in src/ and in dist/src/. */
export const projectRoot = (): string => {
  const here = dirname(fileURLToPath(import.meta.url));
  // src/platform/config → root; dist/src/platform/config → root
  const up = resolve(here, '..', '..', '..');
  return up.endsWith('dist') ? resolve(up, '..') : up;
};

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const int = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

/**
 * Every environment variable OneGrid reads, in one place. Nothing else in the code reads process.env for
 * configuration; a bad value stops start-up with a message naming the variable.
 */
const envSchema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case SQL identifier')
    .optional(),
  DATABASE_POOL_SIZE: int(1, 200).default(10),
  ONEGRID_DATA_DIR: z.string().min(1).default('./var'),
  ONEGRID_SHARED_DATA_DIR: z.string().min(1).optional(),
  ONEGRID_SQLITE_SYNCHRONOUS: z.enum(['NORMAL', 'FULL']).default('FULL'),
  PORT: int(1, 65535).default(8080),
  HOST: z.string().min(1).default('0.0.0.0'),
  ONEGRID_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  ONEGRID_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ONEGRID_BODY_LIMIT: int(1024, 512 * 1024 * 1024).default(1024 * 1024),
  ONEGRID_UPLOAD_LIMIT: int(1024, 512 * 1024 * 1024).default(10 * 1024 * 1024),
  ONEGRID_SESSION_HOURS: int(1, 24 * 90).default(12),
  ONEGRID_LOGIN_RATE_LIMIT: int(1, 100_000).default(10),
  ONEGRID_ANONYMOUS_REPORT_RATE_LIMIT: int(1, 10_000_000).default(60),
  ONEGRID_SECURE_COOKIES: bool.default(false),
  ONEGRID_DEMO_ON_EMPTY: z
    .enum(['full', 'users', 'none', 'true', 'false'])
    .default('full')
    .transform((v) => (v === 'true' ? 'full' : v === 'false' ? 'none' : v)),
  ONEGRID_JOBS: bool.default(true),
  ONEGRID_JOB_POLL_MS: int(10, 600_000).default(1000),
  ONEGRID_ALERT_SWEEP_MS: int(1000, 3_600_000).default(60_000),
  ONEGRID_ALERT_WARN_PERCENT: int(1, 100).default(25),
  ONEGRID_ALERT_LEADER_HOURS: int(1, 24 * 30).default(24),
  ONEGRID_ALERT_BUREAU_HOURS: int(1, 24 * 30).default(48),
  ONEGRID_ARGON2_MEMORY_KIB: int(1024, 1024 * 1024).default(19456),
  ONEGRID_ARGON2_ITERATIONS: int(1, 20).default(2),
});

export type SqliteSynchronous = 'NORMAL' | 'FULL';

export interface Config {
  database:
    | { dialect: 'sqlite'; file: string; synchronous: SqliteSynchronous }
    | { dialect: 'postgres'; url: string; schema?: string; poolSize: number };
  dataDir: string;
  sharedDataDir: string;
  port: number;
  host: string;
  secret: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  bodyLimit: number;
  uploadLimit: number;
  sessionHours: number;
  loginRateLimit: number;
  /** Anonymous report submissions (and photo uploads) per client address per minute. */
  anonymousReportRateLimit: number;
  secureCookies: boolean;
  /** What to load into an empty database: the whole demo district, only demo users, or nothing. */
  demoOnEmpty: 'full' | 'users' | 'none';
  jobs: { enabled: boolean; pollMs: number };
  /** Case deadline alerts (src/cases/alerts.ts): sweep interval, warning lead as a share of the period, escalation limits. */
  alerts: { sweepMs: number; warnPercent: number; leaderHours: number; bureauHours: number };
  argon2: { memoryCost: number; timeCost: number };
}

export class ConfigError extends Error {
  constructor(readonly problems: Array<{ variable: string; message: string }>) {
    super(`invalid configuration: ${problems.map((p) => `${p.variable} ${p.message}`).join('; ')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates the configuration from an environment (process.env by default). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const picked: Record<string, string> = {};
  for (const key of Object.keys(envSchema.shape)) {
    const v = env[key];
    if (v !== undefined && v !== '') picked[key] = v;
  }
  const parsed = envSchema.safeParse(picked);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => ({ variable: String(i.path[0] ?? '?'), message: i.message })),
    );
  }
  const e = parsed.data;
  const root = projectRoot();
  const dataDir = resolve(root, e.ONEGRID_DATA_DIR);
  return {
    database: e.DATABASE_URL
      ? { dialect: 'postgres', url: e.DATABASE_URL, schema: e.DATABASE_SCHEMA, poolSize: e.DATABASE_POOL_SIZE }
      : { dialect: 'sqlite', file: join(dataDir, 'onegrid.sqlite'), synchronous: e.ONEGRID_SQLITE_SYNCHRONOUS },
    dataDir,
    sharedDataDir: resolve(root, e.ONEGRID_SHARED_DATA_DIR ?? '../shared/data'),
    port: e.PORT,
    host: e.HOST,
    secret: e.ONEGRID_SECRET ?? '',
    logLevel: e.ONEGRID_LOG_LEVEL,
    bodyLimit: e.ONEGRID_BODY_LIMIT,
    uploadLimit: e.ONEGRID_UPLOAD_LIMIT,
    sessionHours: e.ONEGRID_SESSION_HOURS,
    loginRateLimit: e.ONEGRID_LOGIN_RATE_LIMIT,
    anonymousReportRateLimit: e.ONEGRID_ANONYMOUS_REPORT_RATE_LIMIT,
    secureCookies: e.ONEGRID_SECURE_COOKIES,
    demoOnEmpty: e.ONEGRID_DEMO_ON_EMPTY,
    jobs: { enabled: e.ONEGRID_JOBS, pollMs: e.ONEGRID_JOB_POLL_MS },
    alerts: {
      sweepMs: e.ONEGRID_ALERT_SWEEP_MS,
      warnPercent: e.ONEGRID_ALERT_WARN_PERCENT,
      leaderHours: e.ONEGRID_ALERT_LEADER_HOURS,
      bureauHours: e.ONEGRID_ALERT_BUREAU_HOURS,
    },
    argon2: { memoryCost: e.ONEGRID_ARGON2_MEMORY_KIB, timeCost: e.ONEGRID_ARGON2_ITERATIONS },
  };
}

/**
 * Without ONEGRID_SECRET, a random secret is made once and kept in the data directory, so that a fresh
 * clone runs with no setup and sessions survive restarts.
 */
export function ensureSecret(config: Config): Config {
  if (config.secret) return config;
  const file = join(config.dataDir, 'secret');
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 });
  }
  return { ...config, secret: readFileSync(file, 'utf8').trim() };
}
