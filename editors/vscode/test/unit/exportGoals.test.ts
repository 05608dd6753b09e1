import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type ExportResult, exportFileName, exportFormats, exportMessage, exportWarnings } from '../../src/exportGoals';

const CSV = { id: 'culture-amp', label: 'Culture Amp', extension: 'csv' };

describe('exportFormats', () => {
  it("keeps the server's formats in its order", () => {
    const json = { id: 'json', label: 'JSON', extension: 'json', description: 'versioned' };
    assert.deepEqual(exportFormats({ exportFormats: [json, CSV] }), [json, CSV]);
  });

  it('makes no list up for an older server or a malformed answer', () => {
    assert.equal(exportFormats({}), undefined);
    assert.equal(exportFormats({ exportFormats: [] }), undefined);
    assert.equal(exportFormats({ exportFormats: [{ id: 'csv' }] }), undefined);
  });
});

describe('exportFileName', () => {
  it('names the workspace export after the format, one document after itself', () => {
    assert.equal(exportFileName(CSV), 'goals-culture-amp.csv');
    assert.equal(exportFileName({ id: 'json', label: 'JSON', extension: 'json' }, 'review.2026.md'), 'review.2026-json.json');
  });
});

describe('exportMessage', () => {
  const result: ExportResult = {
    written: true,
    output: '/ws/goals.csv',
    documents: 2,
    goals: 1,
    refusedGoals: 0,
    refusedDocuments: 0,
    problems: [],
    skipped: [],
  };

  it('says what was written', () => {
    assert.equal(exportMessage(result), 'goalframe: exported 1 goal from 2 documents to /ws/goals.csv');
  });

  it('shows each warning the server gives, and none from an older server', () => {
    assert.deepEqual(exportWarnings(result), []);
    const twice = { ...result, warnings: ['the goals of a@b.co for FY2027 H1 come from 2 documents: a.md, b.md; …'] };
    assert.deepEqual(exportWarnings(twice), ['goalframe: the goals of a@b.co for FY2027 H1 come from 2 documents: a.md, b.md; …']);
  });

  it('says why nothing was written, and what was not read', () => {
    const refused = { ...result, written: false, refusedGoals: 3, refusedDocuments: 1, skipped: [{ path: 'x.md', reason: 'binary' }] };
    assert.equal(
      exportMessage(refused),
      'goalframe: 3 goals in 1 document are not ready for export; nothing was written (1 file could not be read)',
    );
  });
});
