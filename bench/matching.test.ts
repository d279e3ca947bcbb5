import { describe, expect, it } from 'vitest';
import { compareWithNaive, generateReports, westernmost } from './matching.js';

describe('matching bench data and comparison', () => {
  it('the indexed and naive matchers give identical sites on a few hundred clustered reports', () => {
    const reports = generateReports(300, 300, 42);
    expect(reports).toHaveLength(600);
    expect(new Set(reports.map((r) => r.channel)).size).toBe(6);
    const c = compareWithNaive(reports);
    expect(c.identical).toBe(true);
    // Clustered: many reports link, but not all into a few sites.
    expect(c.sites).toBeLessThan(450);
    expect(c.sites).toBeGreaterThan(100);
  });
  it('is deterministic and the subset keeps its clusters whole', () => {
    expect(generateReports(50, 50, 7)).toEqual(generateReports(50, 50, 7));
    const sub = westernmost(generateReports(2000, 2000, 7), 400);
    expect(compareWithNaive(sub).identical).toBe(true);
  });
});
