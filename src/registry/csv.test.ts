import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DomainError } from '../platform/errors.js';
import {
  csvField,
  decodeCsv,
  guardFormula,
  parseCsv,
  readCsvTable,
  unguardFormula,
  writeCsv,
} from './csv.js';

const fieldsOf = (text: string) => parseCsv(text).map((r) => r.fields);
const errorOf = (f: () => unknown): DomainError => {
  try {
    f();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('no error thrown');
};

describe('parseCsv (RFC 4180)', () => {
  it('reads plain records with CRLF, LF and CR line ends alike', () => {
    expect(fieldsOf('a,b\r\nc,d\r\n')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    expect(fieldsOf('a,b\nc,d')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    expect(fieldsOf('a,b\rc,d\r')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
  });

  it('reads quoted fields with commas, doubled quotes and empty quoted fields', () => {
    expect(fieldsOf('"上海, 闵行","他说""好""",""\r\n')).toEqual([['上海, 闵行', '他说"好"', '']]);
  });

  it('keeps line breaks inside quotes and numbers records by the line they start on', () => {
    const recs = parseCsv(
      'name,address\r\n"东街","沪闵路\r\n1号"\r\n"西街","莘松路\n2号\n3幢"\r\nlast,x\r\n',
    );
    expect(recs.map((r) => r.fields)).toEqual([
      ['name', 'address'],
      ['东街', '沪闵路\r\n1号'],
      ['西街', '莘松路\n2号\n3幢'],
      ['last', 'x'],
    ]);
    expect(recs.map((r) => r.line)).toEqual([1, 2, 4, 7]);
  });

  it('strips a UTF-8 byte-order mark, so the first header is not "\\uFEFFcode"', () => {
    expect(fieldsOf('\uFEFFcode,name\r\nA1,东苑\r\n')).toEqual([
      ['code', 'name'],
      ['A1', '东苑'],
    ]);
    expect(decodeCsv(Buffer.from('\uFEFFcode\r\n', 'utf8'))).toBe('\uFEFFcode\r\n');
    expect(fieldsOf(decodeCsv(Buffer.from('\uFEFFcode\r\n', 'utf8')))).toEqual([['code']]);
  });

  it('a trailing comma is an empty last field; a final line end adds no record; empty text has none', () => {
    expect(fieldsOf('a,\r\n')).toEqual([['a', '']]);
    expect(fieldsOf('a,')).toEqual([['a', '']]);
    expect(fieldsOf('')).toEqual([]);
    expect(fieldsOf('a\r\n\r\nb')).toEqual([['a'], [''], ['b']]);
  });

  it('names line and column of an unclosed quote, a stray quote and text after a closing quote', () => {
    const unclosed = errorOf(() => parseCsv('a,b\r\nx,"never\r\nclosed\r\n'));
    expect(unclosed).toMatchObject({
      code: 'Invalid',
      messageKey: 'csvMalformed',
      details: { reason: 'unterminatedQuote', line: 2, column: 3 },
    });
    const stray = errorOf(() => parseCsv('a,b\nx,ab"c\n'));
    expect(stray.details).toMatchObject({ reason: 'quoteInUnquotedField', line: 2, column: 5 });
    const after = errorOf(() => parseCsv('"a"b,c\n'));
    expect(after.details).toMatchObject({ reason: 'textAfterClosingQuote', line: 1, column: 4 });
  });

  it('refuses a file that is not UTF-8 (e.g. GBK from an old Excel) instead of garbling it', () => {
    const gbk = Buffer.from([0x63, 0x6f, 0x64, 0x65, 0x0d, 0x0a, 0xd6, 0xd0, 0xce, 0xc4]); // "code\r\n中文" in GBK
    expect(errorOf(() => decodeCsv(gbk))).toMatchObject({ code: 'Invalid', messageKey: 'csvNotUtf8' });
  });
});

describe('writeCsv', () => {
  it('quotes only what needs it, writes CRLF and a BOM', () => {
    expect(writeCsv([['a', 'b,c', 'say "hi"', 'two\nlines', ' pad', '']])).toBe(
      '\uFEFFa,"b,c","say ""hi""","two\nlines"," pad",\r\n',
    );
    expect(writeCsv([['x']], { bom: false })).toBe('x\r\n');
    expect(csvField('普通')).toBe('普通');
  });

  it('fast-check: whatever the text, parse(write(rows)) gives the rows back', () => {
    const cellText = fc.string({
      unit: fc.constantFrom('a', '中', ',', '"', '\r', '\n', ' ', "'", '=', '\uFEFF'),
      maxLength: 8,
    });
    const table = fc
      .integer({ min: 1, max: 5 })
      .chain((w) =>
        fc.array(fc.array(cellText, { minLength: w, maxLength: w }), { minLength: 1, maxLength: 6 }),
      );
    fc.assert(
      fc.property(table, fc.boolean(), (rows, bom) => {
        expect(fieldsOf(writeCsv(rows, { bom }))).toEqual(rows);
      }),
      { numRuns: 500 },
    );
  });

  it('guards cells a spreadsheet would run as formulas, and the guard comes off again', () => {
    expect(guardFormula('=HYPERLINK("x")')).toBe('\'=HYPERLINK("x")');
    expect(guardFormula('+8613812345678')).toBe("'+8613812345678");
    expect(guardFormula('东苑')).toBe('东苑');
    expect(unguardFormula("'it's")).toBe("'it's");
    expect(guardFormula("'=x")).toBe("''=x");
    const text = fc.string({ unit: fc.constantFrom("'", '=', '+', '-', '@', 'a', '中', '\t'), maxLength: 6 });
    fc.assert(fc.property(fc.oneof(text, fc.string()), (s) => unguardFormula(guardFormula(s)) === s));
  });
});

describe('readCsvTable', () => {
  const columns = ['code', 'name', 'note'];
  it('matches headers by name in any order, skips blank rows and takes formula guards off', () => {
    const t = readCsvTable('name,code\r\n东苑,A1\r\n,\r\n"\'=1+1",A2\r\n', columns, ['code', 'name']);
    expect(t.problems).toEqual([]);
    expect(t.rows).toEqual([
      { line: 2, cells: { name: '东苑', code: 'A1' } },
      { line: 4, cells: { name: '=1+1', code: 'A2' } },
    ]);
  });

  it('reports unknown, repeated and missing columns on line 1 and short rows on their line', () => {
    const t = readCsvTable('code,colour,code\r\nA1,red,A1\r\nA2\r\n', columns, ['code', 'name']);
    expect(t.problems).toEqual([
      { line: 1, field: 'colour', reason: 'unknownColumn', value: 'colour' },
      { line: 1, field: 'code', reason: 'duplicateColumn', value: 'code' },
      { line: 1, field: 'name', reason: 'missingColumn' },
      { line: 3, field: '*', reason: 'fieldCount', value: '1/3' },
    ]);
    expect(readCsvTable('', columns, []).problems).toEqual([{ line: 1, field: '*', reason: 'empty' }]);
  });
});
