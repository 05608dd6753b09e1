import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonFrames } from '../../src/canon';

describe('canonFrames', () => {
  it('is the server\'s list, in its order, as sent', () => {
    const frames = [
      { id: 'okr', label: 'OKRs' },
      { id: 'smart', label: 'SMART goals' },
      { id: 'custom', label: 'A frame of a newer server' },
    ];
    assert.deepEqual(canonFrames({ frames }), frames);
  });

  it('makes no list up when the server sends none (an older server)', () => {
    assert.equal(canonFrames({}), undefined);
    assert.equal(canonFrames({ frames: [] }), undefined);
  });

  it('rejects a malformed list rather than showing part of it', () => {
    const malformed = [{ id: 'smart', label: 'SMART goals' }, { id: 'okr' }] as unknown as { id: string; label: string }[];
    assert.equal(canonFrames({ frames: malformed }), undefined);
    assert.equal(canonFrames({ frames: 'smart' as unknown as [] }), undefined);
  });
});
