// Vitest global setup: checks once, before any test file, that what the tests need is there.
// Under CI=true a missing PostgreSQL or Chromium is an error, never a silent skip.
export default async function setup(): Promise<void> {
  const { checkTestEnvironment } = await import('./environment.js');
  await checkTestEnvironment();
}
