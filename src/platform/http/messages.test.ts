// Error messages are read by people: instants in them are Shanghai wall-clock time, while the details beside
// them keep the UTC ISO form for programs.
import { describe, expect, it } from 'vitest';
import { pickLang, renderMessage, shownInstant, type MessageCatalogue } from './messages.js';

const catalogue: MessageCatalogue = {
  late: { 'zh-CN': '期限已于 {due} 届满（{basis}）', en: 'The period ended at {due} ({basis})' },
  counted: { 'zh-CN': '共 {n} 条：{list}', en: '{n} in all: {list}' },
};

describe('messages', () => {
  it('shows a UTC instant as Shanghai time with its offset, in both languages', () => {
    const details = { due: '2026-11-30T16:30:00.000Z', basis: '第7条' };
    expect(renderMessage(catalogue, 'late', 'zh-CN', details)).toBe(
      '期限已于 2026-12-01 00:30 +08:00 届满（第7条）',
    );
    expect(renderMessage(catalogue, 'late', 'en', details)).toBe(
      'The period ended at 2026-12-01 00:30 +08:00 (第7条)',
    );
    expect(shownInstant('2026-02-16T23:59:59Z')).toBe('2026-02-17 07:59 +08:00');
  });

  it('leaves other strings alone, writes other values as JSON and keeps an unknown placeholder', () => {
    expect(renderMessage(catalogue, 'late', 'en', { due: '2026-11-30', basis: 'x' })).toBe(
      'The period ended at 2026-11-30 (x)',
    );
    expect(renderMessage(catalogue, 'late', 'en', { due: '2026-13-45T99:99:00Z', basis: 'x' })).toBe(
      'The period ended at 2026-13-45T99:99:00Z (x)',
    );
    expect(renderMessage(catalogue, 'counted', 'en', { n: 2, list: ['a', 'b'] })).toBe('2 in all: ["a","b"]');
    expect(renderMessage(catalogue, 'late', 'en', {})).toBe('The period ended at {due} ({basis})');
    expect(renderMessage(catalogue, 'nosuchkey', 'en', {})).toBe('nosuchkey');
  });

  it('speaks zh-CN unless English is asked for', () => {
    expect(pickLang(undefined)).toBe('zh-CN');
    expect(pickLang('en-US,en;q=0.9')).toBe('en');
    expect(pickLang('en', 'zh')).toBe('zh-CN');
  });
});
