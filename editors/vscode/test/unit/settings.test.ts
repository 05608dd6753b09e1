import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toServerSettings } from '../../src/settings';

describe('toServerSettings', () => {
  it('sends nothing when nothing is set, so the server uses its defaults', () => {
    assert.deepEqual(toServerSettings({ canon: [], placeholders: [], severity: {} }, '/ws'), {});
    assert.deepEqual(toServerSettings({ canon: undefined, placeholders: undefined, severity: undefined }, undefined), {});
  });

  it('maps the example settings of docs/lsp.md', () => {
    assert.deepEqual(
      toServerSettings(
        {
          canon: ['/srv/hr/canon'],
          placeholders: ['TBD'],
          severity: { 'canon-drift': 'error', 'unfilled-placeholder': 'off' },
        },
        '/ws',
      ),
      {
        canon: ['/srv/hr/canon'],
        placeholders: ['TBD'],
        severity: { 'canon-drift': 'error', 'unfilled-placeholder': 'off' },
      },
    );
  });

  it('resolves relative canon directories against the workspace root', () => {
    assert.deepEqual(toServerSettings({ canon: ['hr/canon', './x'], placeholders: [], severity: {} }, '/ws'), {
      canon: ['/ws/hr/canon', '/ws/x'],
    });
  });

  it('keeps a relative canon directory as written when there is no workspace', () => {
    assert.deepEqual(toServerSettings({ canon: ['hr/canon'], placeholders: [], severity: {} }, undefined), {
      canon: ['hr/canon'],
    });
  });

  it('drops values of the wrong type and unknown severities', () => {
    assert.deepEqual(
      toServerSettings(
        {
          canon: ['  ', 3, '/c'],
          placeholders: 'TBD',
          severity: { 'canon-drift': 'Error', 'unknown-role': 'loud', 'unknown-level': 2 },
        },
        '/ws',
      ),
      { canon: ['/c'], severity: { 'canon-drift': 'error' } },
    );
  });
});
