/**
 * What a person does with the extension, step by step, each step a check:
 * complete a token into a frame, see the squiggles, Problems and status bar,
 * use the commands, change settings and the canon while the editor is open.
 * Expected text comes from the server's own command line (`goalframe
 * render`), so the checks hold whatever the canon says.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { assert, type Checks } from './checks';
import { extensionLog } from './codeServer';
import { Workbench } from './workbench';

const MARKER_SMART = '<!-- goalframe: account-executive-field-sales/P2 smart -->';
const MARKER_OKR = '<!-- goalframe: account-executive-field-sales/P2 okr -->';
/** What goals.md holds before the test types into it. */
export const HEADING = '# Goals 2026\n\n';
const STATUS = 'goalframe:';
const PLACEHOLDER = /⟨[^⟩\n]*⟩/g;

export interface Context {
  page: Page;
  /** The goalframe binary. */
  bin: string;
  /** The opened folder; goals.md is in it. */
  workspace: string;
  /** A valid canon directory to copy into the workspace. */
  canonSource: string;
  /** code-server's user data directory (its logs are read). */
  userData: string;
  /** Where screenshots go. */
  out: string;
}

export async function scenario(t: Context, checks: Checks): Promise<void> {
  const { page, workspace, out } = t;
  const wb = new Workbench(page);
  const document = path.join(workspace, 'goals.md');
  const read = (): string => fs.readFileSync(document, 'utf8');
  let expectedSmart = '';
  let expectedOkr = '';
  const rendered = await checks.check('`goalframe render` prints the SMART and OKR frames the editor must hold', () => {
    expectedSmart = render(t.bin, 'smart');
    expectedOkr = render(t.bin, 'okr');
    assert.ok(expectedSmart.startsWith(MARKER_SMART) && expectedOkr.startsWith(MARKER_OKR), 'no marker line');
    return Promise.resolve();
  });
  if (!rendered) {
    return;
  }

  await checks.check('opening a markdown file activates the extension and starts the server', async () => {
    await wb.openFile(document);
    await wb.waitForStatus(STATUS, 'goalframe: default canon · 0 unfilled', 60_000);
  });

  await checks.check('typing @ae/p2 offers the frames, SMART first', async () => {
    await wb.press('Control+End');
    await wb.type('@ae/p2');
    // Level lists are incomplete, so VS Code asks again once the level is
    // typed and the frames replace the levels without any extra key.
    const labels = await wb.waitForSuggestion('SMART goals', 10_000);
    const frames = ['SMART goals', 'OKRs', 'MBO areas', 'Scorecard', 'All frames'];
    assert.deepEqual(
      labels.map((l) => frames.find((f) => l.startsWith(f))).filter((f) => f !== undefined),
      frames,
      `suggestions: ${labels.join(' | ')}`,
    );
    await page.screenshot({ path: path.join(out, 'completion.png') });
  });

  await checks.check('accepting SMART goals replaces the token with the markdown SMART frame', async () => {
    await wb.acceptSuggestion('SMART goals');
    await wb.press('Escape', 'Escape', 'Control+S');
    await waitFor(() => read() !== HEADING, 'the document to be saved');
    const text = read();
    assert.ok(text.includes(MARKER_SMART), 'the frame marker is missing');
    assert.ok(!text.includes('@ae/p2'), 'the token was left in the document');
    assert.equal(text.slice(HEADING.length).trimEnd(), expectedSmart.trimEnd(), 'the frame differs from `goalframe render`');
  });

  const smartCount = placeholders(expectedSmart);
  await checks.check('unfilled placeholders are squiggled', async () => {
    assert.ok(smartCount > 0, 'the SMART frame has no placeholders');
    await wb.waitForSquiggles('warning', (n) => n > 0, 'warning squiggles');
  });

  await checks.check(`the Problems count shows one warning per placeholder (${smartCount})`, async () => {
    await wb.waitForProblems({ errors: 0, warnings: smartCount });
  });

  await checks.check('the status bar shows the canon and the unfilled count', async () => {
    await wb.waitForStatus(STATUS, `goalframe: default canon · ${smartCount} unfilled`);
  });

  const bothCount = smartCount + placeholders(expectedOkr);
  await checks.check('"goalframe: Insert goal frame…" inserts the OKR frame chosen by role, level and frame', async () => {
    // A fresh line after a blank one; markdown keeps the list indentation on Enter, so clear it.
    await wb.press('Control+End', 'Enter', 'Enter', 'Shift+Home', 'Delete');
    await wb.runCommand('goalframe: Insert goal frame');
    await wb.pick('Account Executive / Field Sales');
    await wb.pick('P2 — Developing Professional');
    await wb.pick('OKRs');
    await waitFor(async () => (await wb.statusItem(STATUS)).endsWith(`${bothCount} unfilled`), 'the status to count the new frame');
    await wb.press('Escape', 'Escape', 'Control+S');
    await waitFor(() => read().includes(MARKER_OKR), 'the OKR frame to be saved');
    assert.ok(read().includes(expectedOkr.trimEnd()), 'the inserted OKR frame differs from `goalframe render`');
    await wb.waitForProblems({ errors: 0, warnings: bothCount });
  });

  await checks.check('settings apply live: severity "off" silences unfilled-placeholder, and back', async () => {
    writeWorkspaceSettings(workspace, { 'goalframe.severity': { 'unfilled-placeholder': 'off' } });
    try {
      await wb.waitForProblems({ errors: 0, warnings: 0 });
      await wb.waitForStatus(STATUS, 'goalframe: default canon · 0 unfilled');
      assert.equal(await wb.squiggles('warning'), 0, 'squiggles remain');
    } finally {
      writeWorkspaceSettings(workspace, {}); // whatever failed, later checks start from the defaults
    }
    await wb.waitForProblems({ errors: 0, warnings: bothCount });
    await wb.waitForStatus(STATUS, `goalframe: default canon · ${bothCount} unfilled`);
  });

  await checks.check('"goalframe: Restart server" brings the server back with the same diagnostics', async () => {
    const log = extensionLog(t.userData);
    const startsBefore = countStarts(log);
    await wb.runCommand('goalframe: Restart server');
    await waitFor(() => countStarts(extensionLog(t.userData)) > startsBefore, 'a second server start in the log');
    await wb.waitForStatus(STATUS, `goalframe: default canon · ${bothCount} unfilled`);
    await wb.waitForProblems({ errors: 0, warnings: bothCount });
  });

  await checks.check('a server path that points nowhere says how to fix it; fixing it restarts the server', async () => {
    writeWorkspaceSettings(workspace, { 'goalframe.server.path': path.join(workspace, 'no-such-goalframe') });
    try {
      await wb.notification('no executable file');
      await wb.waitForStatus(STATUS, 'goalframe: server not running');
    } finally {
      writeWorkspaceSettings(workspace, {});
    }
    await wb.waitForStatus(STATUS, `goalframe: default canon · ${bothCount} unfilled`);
    await wb.runCommand('Notifications: Clear All Notifications');
  });

  await checks.check('"goalframe: Show canon errors" reports that the canon loaded cleanly', async () => {
    await wb.runCommand('goalframe: Show canon errors');
    await wb.notification('loaded without errors');
  });

  await checks.check('a workspace canon setting applies live; a broken canon file shows as canon errors that open the file', async () => {
    const canon = path.join(workspace, 'hr-canon');
    fs.cpSync(t.canonSource, canon, { recursive: true });
    writeWorkspaceSettings(workspace, { 'goalframe.canon': ['hr-canon'] });
    await wb.waitForStatus(STATUS, `goalframe: hr-canon · ${bothCount} unfilled`);

    const levels = path.join(canon, 'levels.json');
    const good = fs.readFileSync(levels, 'utf8');
    try {
      fs.writeFileSync(levels, good.replace('"name"', '"nmae"'));
      await wb.waitForStatus(STATUS, new RegExp(`^goalframe: hr-canon · \\d+ canon errors? · ${bothCount} unfilled$`));
      await wb.runCommand('goalframe: Show canon errors');
      await wb.quickRow('levels.json:');
      await wb.press('Enter');
      await wb.waitForEditor('levels.json');
      await wb.press('Control+W');

      fs.writeFileSync(levels, good);
      await wb.waitForStatus(STATUS, `goalframe: hr-canon · ${bothCount} unfilled`);
    } finally {
      fs.writeFileSync(levels, good);
      writeWorkspaceSettings(workspace, {});
    }
    await wb.waitForStatus(STATUS, `goalframe: default canon · ${bothCount} unfilled`);
  });

  await checks.check('canon files are validated against the canon schema', async () => {
    // No `$schema` key: the extension's jsonValidation contribution must supply the schema.
    const extra = path.join(workspace, 'canon', 'extra.json');
    fs.mkdirSync(path.dirname(extra));
    fs.writeFileSync(extra, '{ "levles": [] }\n');
    await wb.openFile(extra);
    await wb.waitForProblems({ errors: 0, warnings: bothCount + 1 });
    await wb.press('Control+W');
    await wb.waitForProblems({ errors: 0, warnings: bothCount });
  });

  await checks.check('in a plain-text document the command inserts the plain-text frame', async () => {
    const notes = path.join(workspace, 'notes.txt');
    fs.writeFileSync(notes, '');
    // docs/lsp.md: the text form is the §2.1 block preceded by a title line and an empty line.
    const expected = `SMART goals — Account Executive / Field Sales — P2\n\n${render(t.bin, 'smart', 'text')}`;
    await wb.openFile(notes);
    await wb.runCommand('goalframe: Insert goal frame');
    await wb.pick('Account Executive / Field Sales');
    await wb.pick('P2 — Developing Professional');
    await wb.pick('SMART goals');
    await wb.waitForStatus(STATUS, `goalframe: default canon · ${placeholders(expected)} unfilled`);
    await wb.press('Escape', 'Escape', 'Control+S');
    await waitFor(() => fs.readFileSync(notes, 'utf8') !== '', 'notes.txt to be saved');
    assert.equal(fs.readFileSync(notes, 'utf8').trimEnd(), expected.trimEnd(), 'the text frame differs from `goalframe render`');
    await wb.press('Control+W');
  });

  await checks.check('screenshot of the frames, their squiggles, Problems and the completion list', async () => {
    // Explorer closed, Problems open, focus back in the editor for one more token.
    await wb.press('Escape', 'Control+B', 'Control+Shift+M', 'Control+1', 'Control+End', 'Enter', 'Enter', 'Shift+Home', 'Delete');
    await wb.type('@ae/p2');
    await wb.waitForSuggestion('SMART goals', 3_000).catch(() => wb.resuggest('SMART goals'));
    await wb.showSuggestionDetails();
    await page.screenshot({ path: path.join(out, 'screenshot.png') });
  });
}

/** The server's own rendering of a frame (SPEC §5), what the editor must end up holding. */
function render(bin: string, frame: string, format: 'markdown' | 'text' = 'markdown'): string {
  return execFileSync(bin, ['render', 'ae', 'P2', '--frame', frame, '--format', format], {
    encoding: 'utf8',
    timeout: 30_000,
  });
}

function placeholders(text: string): number {
  return text.match(PLACEHOLDER)?.length ?? 0;
}

/**
 * The workspace's `.vscode/settings.json`: the workbench applies a change to
 * it at once (code-server does not notice outside edits of the user file).
 */
function writeWorkspaceSettings(workspace: string, settings: object): void {
  fs.mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
  fs.writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify(settings, null, 2));
}

function countStarts(log: string): number {
  return log.match(/Starting \S+ \(found via/g)?.length ?? 0;
}

async function waitFor(ok: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
