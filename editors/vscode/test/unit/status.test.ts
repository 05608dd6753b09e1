import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonLabel, countUnfilled, statusView } from '../../src/status';

describe('canonLabel', () => {
  it('names the built-in canon and directories by their last segment', () => {
    assert.equal(canonLabel(['<embedded>']), 'default canon');
    assert.equal(canonLabel(['/srv/hr/canon/']), 'canon');
    assert.equal(canonLabel(['/srv/hr', '/srv/sales']), 'hr, sales');
    assert.equal(canonLabel(['/a', '/b', '/c']), 'a +2');
    assert.equal(canonLabel([]), 'no canon');
  });
});

describe('countUnfilled', () => {
  it('counts only goalframe unfilled-placeholder diagnostics', () => {
    assert.equal(
      countUnfilled([
        { source: 'goalframe', code: 'unfilled-placeholder' },
        { source: 'goalframe', code: { value: 'unfilled-placeholder' } },
        { source: 'goalframe', code: 'canon-drift' },
        { source: 'markdownlint', code: 'unfilled-placeholder' },
        { source: 'goalframe' },
      ]),
      2,
    );
  });
});

describe('statusView', () => {
  it('shows the canon and the unfilled count of a goal document', () => {
    const view = statusView({ state: 'running', canon: 'default canon', canonErrors: 0, unfilled: 12 });
    assert.equal(view.text, '$(checklist) goalframe: default canon · 12 unfilled');
    assert.equal(view.accessibleLabel, 'goalframe: default canon, 12 unfilled');
    assert.equal(view.warning, false);
  });

  it('leaves the count out for other documents', () => {
    assert.equal(
      statusView({ state: 'running', canon: 'hr', canonErrors: 0, unfilled: undefined }).text,
      '$(checklist) goalframe: hr',
    );
  });

  it('warns about canon errors', () => {
    const view = statusView({ state: 'running', canon: 'hr', canonErrors: 1, unfilled: 0 });
    assert.equal(view.text, '$(warning) goalframe: hr · 1 canon error · 0 unfilled');
    assert.equal(view.warning, true);
    assert.match(view.tooltip, /last good canon/);
  });

  it('says when the server is not running', () => {
    const view = statusView({ state: 'stopped', canon: 'hr', canonErrors: 0, unfilled: 3 });
    assert.equal(view.text, '$(sync) goalframe: server not running');
    assert.equal(view.warning, true);
  });
});
