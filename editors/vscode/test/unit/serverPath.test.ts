import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveServer, type SearchContext } from '../../src/serverPath';

function context(files: string[], overrides: Partial<SearchContext> = {}): SearchContext {
  return {
    configured: '',
    extensionPath: '/ext',
    workspaceRoot: '/ws',
    homedir: '/home/me',
    platform: 'linux',
    env: { PATH: '/usr/local/bin:/usr/bin' },
    isExecutableFile: (file) => files.includes(file),
    ...overrides,
  };
}

describe('resolveServer', () => {
  it('prefers the setting over a bundled binary and PATH', () => {
    const found = resolveServer(
      context(['/opt/gf/goalframe', '/ext/server/goalframe', '/usr/bin/goalframe'], { configured: '/opt/gf/goalframe' }),
    );
    assert.deepEqual(found, { kind: 'found', path: '/opt/gf/goalframe', source: 'setting' });
  });

  it('expands ~ and resolves a relative setting against the workspace', () => {
    assert.deepEqual(resolveServer(context(['/home/me/bin/goalframe'], { configured: '~/bin/goalframe' })), {
      kind: 'found',
      path: '/home/me/bin/goalframe',
      source: 'setting',
    });
    assert.deepEqual(resolveServer(context(['/ws/tools/goalframe'], { configured: 'tools/goalframe' })), {
      kind: 'found',
      path: '/ws/tools/goalframe',
      source: 'setting',
    });
  });

  it('reports a setting that points nowhere instead of silently falling back', () => {
    const result = resolveServer(context(['/usr/bin/goalframe'], { configured: '/nope/goalframe' }));
    assert.equal(result.kind, 'missing');
    assert.match(result.kind === 'missing' ? result.message : '', /goalframe\.server\.path.*\/nope\/goalframe/);
  });

  it('uses the bundled binary before PATH', () => {
    assert.deepEqual(resolveServer(context(['/ext/server/goalframe', '/usr/bin/goalframe'])), {
      kind: 'found',
      path: '/ext/server/goalframe',
      source: 'bundled',
    });
  });

  it('searches PATH in order', () => {
    assert.deepEqual(resolveServer(context(['/usr/bin/goalframe'])), {
      kind: 'found',
      path: '/usr/bin/goalframe',
      source: 'path',
    });
  });

  it('finds goalframe.exe on Windows, whose variable is spelled Path', () => {
    const found = resolveServer(
      context(['C:\\tools\\goalframe.exe'], {
        platform: 'win32',
        extensionPath: 'C:\\ext',
        env: { Path: 'C:\\Windows;C:\\tools' },
      }),
    );
    assert.deepEqual(found, { kind: 'found', path: 'C:\\tools\\goalframe.exe', source: 'path' });
  });

  it('says how to fix it when there is no binary anywhere', () => {
    const result = resolveServer(context([]));
    assert.equal(result.kind, 'missing');
    const message = result.kind === 'missing' ? result.message : '';
    assert.match(message, /goalframe\.server\.path/);
    assert.match(message, /PATH/);
    assert.match(message, /platform/);
  });
});
