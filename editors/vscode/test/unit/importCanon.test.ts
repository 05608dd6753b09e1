import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { canonSetting, hasWorkbook, importArgs, importProblems, refusedNonEmpty } from '../../src/importCanon';

describe('importArgs', () => {
  it('passes the files in order, then the folder', () => {
    assert.deepEqual(importArgs({ files: ['/hr/levels.csv', '/hr/roles.xlsx'], out: '/ws/canon', force: false }), [
      'canon',
      'import',
      '/hr/levels.csv',
      '/hr/roles.xlsx',
      '--out',
      '/ws/canon',
    ]);
  });

  it('adds --sheet only when one is named, and --force when asked', () => {
    assert.deepEqual(importArgs({ files: ['a.xlsx'], out: 'o', sheet: ' Roles 2026 ', force: true }), [
      'canon',
      'import',
      'a.xlsx',
      '--out',
      'o',
      '--sheet',
      'Roles 2026',
      '--force',
    ]);
    assert.deepEqual(importArgs({ files: ['a.xlsx'], out: 'o', sheet: '  ', force: false }), ['canon', 'import', 'a.xlsx', '--out', 'o']);
  });
});

describe('hasWorkbook', () => {
  it('is true for .xlsx files in any case', () => {
    assert.equal(hasWorkbook(['a.csv', 'B.XLSX']), true);
    assert.equal(hasWorkbook(['a.csv']), false);
  });
});

describe('importProblems', () => {
  it('splits each problem into its cell and message, CSV and workbook alike', () => {
    const stderr = [
      'error: /hr/roles.csv:4:6: unknown kind `responsibilty`; did you mean `responsibility`?',
      'error: C:\\hr\\canon.xlsx[Roles 2026]!B12: role `ae` has title `AE` at C:\\hr\\canon.xlsx[Roles 2026]!B3; this row says `Account Exec`',
      'error: /hr/x.csv: not a .csv or .xlsx file',
      'error: 3 problems; nothing was written',
      '',
    ].join('\n');
    assert.deepEqual(importProblems(stderr), [
      { location: '/hr/roles.csv:4:6', message: 'unknown kind `responsibilty`; did you mean `responsibility`?' },
      {
        location: 'C:\\hr\\canon.xlsx[Roles 2026]!B12',
        message: 'role `ae` has title `AE` at C:\\hr\\canon.xlsx[Roles 2026]!B3; this row says `Account Exec`',
      },
      { location: '', message: '/hr/x.csv: not a .csv or .xlsx file' },
      { location: '', message: '3 problems; nothing was written' },
    ]);
  });

  it('recognises the refusal of a non-empty folder', () => {
    assert.equal(refusedNonEmpty('error: /ws/canon is not empty; pass --force to replace it and everything in it\n'), true);
    assert.equal(refusedNonEmpty('error: 1 problem; nothing was written\n'), false);
  });
});

describe('canonSetting', () => {
  it('is relative inside the workspace, absolute outside it', () => {
    assert.equal(canonSetting('/ws/hr/canon', '/ws', path.posix), 'hr/canon');
    assert.equal(canonSetting('/ws', '/ws', path.posix), '.');
    assert.equal(canonSetting('/srv/canon', '/ws', path.posix), '/srv/canon');
    assert.equal(canonSetting('/srv/canon', undefined, path.posix), '/srv/canon');
    assert.equal(canonSetting('C:\\ws\\hr\\canon', 'C:\\ws', path.win32), 'hr/canon');
    assert.equal(canonSetting('D:\\canon', 'C:\\ws', path.win32), 'D:\\canon');
  });
});
