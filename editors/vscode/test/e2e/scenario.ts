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
import { serverCanon } from './serverCanon';
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
  /** The frames' labels in the server's order (`frames` of `goalframe.canon`). */
  let frameLabels: string[] = [];
  const rendered = await checks.check('`goalframe render` prints the SMART and OKR frames the editor must hold', async () => {
    expectedSmart = render(t.bin, 'smart');
    expectedOkr = render(t.bin, 'okr');
    assert.ok(expectedSmart.startsWith(MARKER_SMART) && expectedOkr.startsWith(MARKER_OKR), 'no marker line');
    const frames = (await serverCanon(t.bin)).frames ?? [];
    frameLabels = frames.map((f) => f.label);
    assert.ok(frames.some((f) => f.id === 'smart'), `goalframe.canon lists no smart frame: ${JSON.stringify(frames)}`);
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
    assert.deepEqual(
      labels.map((l) => frameLabels.find((f) => l.startsWith(f))).filter((f) => f !== undefined),
      frameLabels,
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
    // A fresh line after a blank one: VS Code keeps the last row's list
    // indentation on it, and the frame must still start at column 0.
    await wb.press('Control+End', 'Enter', 'Enter');
    await wb.runCommand('goalframe: Insert goal frame');
    await wb.pick('Account Executive / Field Sales');
    await wb.pick('P2 — Developing Professional');
    // The frames offered are the server's (`frames` of goalframe.canon), in its order.
    const offered = await wb.quickLabels(frameLabels);
    if (offered.join('\n') !== frameLabels.join('\n')) {
      await wb.press('Escape'); // leave no picker open for the next checks
    }
    assert.deepEqual(offered, frameLabels, 'the frame picker differs from the server\'s frames');
    await wb.pick('OKRs');
    await waitFor(async () => (await wb.statusItem(STATUS)).endsWith(`${bothCount} unfilled`), 'the status to count the new frame');
    await wb.press('Escape', 'Escape', 'Control+S');
    await waitFor(() => read().includes(MARKER_OKR), 'the OKR frame to be saved');
    assert.equal(
      read().trimEnd(),
      `${HEADING}${expectedSmart.trimEnd()}\n\n${expectedOkr.trimEnd()}`,
      'the document differs from the two frames `goalframe render` prints',
    );
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
    // docs/lsp.md: the text form is the plain-text block (docs/frames.md) preceded by a title line and an empty line.
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

  await checks.check('Tab walks the placeholders of a plain-text frame while word suggestions are on', async () => {
    // Words of the document would be suggested while a value is typed; Tab
    // must move to the next placeholder rather than accept one.
    const file = path.join(workspace, 'tab.txt');
    fs.writeFileSync(file, 'Pipeline opportunities and qualified meetings.\n\n');
    writeWorkspaceSettings(workspace, {
      '[plaintext]': { 'editor.quickSuggestions': { other: 'on' }, 'editor.wordBasedSuggestions': 'currentDocument' },
    });
    try {
      await wb.openFile(file);
      await wb.press('Control+End');
      await wb.type('@ae/p2');
      await wb.waitForSuggestion('SMART goals', 10_000).catch(() => wb.resuggest('SMART goals'));
      await wb.acceptSuggestion('SMART goals');
      // ⟨baseline⟩ → ⟨target⟩ → ⟨date⟩ of the first goal, each typed at a
      // person's pace, as words of the document are suggested.
      await wb.type('12 qualified meetings');
      await wb.press('Tab');
      await wb.type('20 qualified meetings');
      await wb.press('Tab');
      await wb.type('Q3 2026');
      await wb.press('Escape', 'Escape', 'Control+S');
      await waitFor(() => fs.readFileSync(file, 'utf8').includes('Q3 2026'), 'tab.txt to be saved');
      const text = fs.readFileSync(file, 'utf8');
      const measurable = text.split('\n').find((l) => l.includes('Move the metric this drives from')) ?? '';
      assert.ok(
        measurable.endsWith('from 12 qualified meetings to 20 qualified meetings by Q3 2026.'),
        `Measurable row: ${measurable}`,
      );
      const timeBound = text.split('\n').find((l) => l.includes('Time-bound:')) ?? '';
      assert.ok(timeBound.endsWith('Q3 2026'), `Time-bound row: ${timeBound}`);
    } finally {
      writeWorkspaceSettings(workspace, {});
    }
    await saveAndClose(wb, page);
  });

  await checks.check('a filled SMART goal shows unmeasurable-target and date-mismatch in Problems; its Quick Fix applies the Measurable date', async () => {
    const file = path.join(workspace, 'quality.md');
    fs.writeFileSync(file, '');
    await wb.openFile(file);
    await wb.type('@ae/p2');
    await wb.waitForSuggestion('SMART goals', 10_000).catch(() => wb.resuggest('SMART goals'));
    await wb.acceptSuggestion('SMART goals');
    // ⟨baseline⟩ → ⟨target⟩ → ⟨date⟩ of the first goal: a target with no
    // number; the Time-bound date follows the Measurable date as it is typed.
    await wb.type('12 deals');
    await wb.press('Tab');
    await wb.type('more deals');
    await wb.press('Tab');
    await wb.type('2027-06-30');
    await wb.press('Escape', 'Escape');
    // Then the Time-bound date alone is changed: a second date for the goal.
    const lines = expectedSmart.split('\n');
    const measurable = lines.findIndex((l) => l.includes('**Measurable:**'));
    const timeBound = lines.findIndex((l, i) => i > measurable && l.includes('**Time-bound:**'));
    assert.ok(measurable >= 0 && timeBound > measurable, 'no Measurable and Time-bound rows in the SMART frame');
    const dateColumn = lines[timeBound].indexOf('⟨date⟩') + 1;
    await wb.goTo(timeBound + 1, dateColumn);
    await wb.press('Shift+End');
    await wb.type('2027-05-31');
    await wb.press('Control+S');
    const filled = [...lines];
    filled[measurable] = lines[measurable].replace('⟨baseline⟩ to ⟨target⟩ by ⟨date⟩', '12 deals to more deals by 2027-06-30');
    filled[timeBound] = lines[timeBound].replace('⟨date⟩', '2027-05-31');
    const holds = (want: string[]) => (): boolean => fs.readFileSync(file, 'utf8').trimEnd() === want.join('\n').trimEnd();
    await waitFor(holds(filled), 'quality.md to hold the filled goal', 10_000).catch(() => {
      assert.equal(fs.readFileSync(file, 'utf8').trimEnd(), filled.join('\n').trimEnd(), 'quality.md');
    });

    // Each warning in Problems with its code and position ([Ln, Col] 1-based),
    // under the file's row with its count: the placeholders left and these two.
    const targetAt = `[Ln ${measurable + 1}, Col ${filled[measurable].indexOf('more deals') + 1}]`;
    const dateAt = `[Ln ${timeBound + 1}, Col ${dateColumn}]`;
    const count = placeholders(filled.join('\n')) + 2;
    // A row reads `message goalframe code [Ln l, Col c]` (the code's brackets are drawn, not text).
    const shows = (rows: string[], code: string, at: string): boolean => rows.some((r) => r.includes(`goalframe ${code} ${at}`));
    try {
      await wb.waitForProblemRows(
        'quality.md',
        (rows) => rows[0] === `quality.md ${count}` && shows(rows, 'unmeasurable-target', targetAt) && shows(rows, 'date-mismatch', dateAt),
        `quality.md ${count}, unmeasurable-target ${targetAt} and date-mismatch ${dateAt} in Problems`,
      );
      await page.screenshot({ path: path.join(out, 'quality.png') });

      // The Quick Fix menu (Ctrl+.) on the Time-bound date, chosen by keyboard.
      await wb.goTo(timeBound + 1, dateColumn + 2);
      await wb.quickFix('Use the Measurable date `2027-06-30`');
      // The editor applies the chosen fix after the menu closes; saving at
      // once could write the document before the fix is in it. The Problems
      // rows change only once the server has the fixed text.
      await wb.waitForProblemRows(
        'quality.md',
        (rows) => rows[0] === `quality.md ${count - 1}` && shows(rows, 'unmeasurable-target', targetAt) && !rows.some((r) => r.includes('date-mismatch')),
        `quality.md ${count - 1} in Problems, without date-mismatch`,
      );
      await wb.press('Control+S');
      const fixed = [...filled];
      fixed[timeBound] = lines[timeBound].replace('⟨date⟩', '2027-06-30');
      await waitFor(holds(fixed), 'the Time-bound row to hold the Measurable date', 10_000).catch(() => {
        assert.equal(fs.readFileSync(file, 'utf8').trimEnd(), fixed.join('\n').trimEnd(), 'quality.md after the Quick Fix');
      });
    } finally {
      await wb.problemRows('').catch(() => undefined); // no filter left for the next checks
    }
    await saveAndClose(wb, page);
  });

  for (const [name, form] of [
    ['rows.md', 'markdown'],
    ['rows.txt', 'text'],
  ] as const) {
    await checks.check(`frames typed one below another land verbatim at column 0 (${name})`, async () => {
      const file = path.join(workspace, name);
      fs.writeFileSync(file, '');
      await wb.openFile(file);
      const accept = async (typed: string, label: string): Promise<void> => {
        await wb.type(typed);
        await wb.waitForSuggestion(label, 10_000).catch(() => wb.resuggest(label));
        await wb.acceptSuggestion(label);
        await wb.press('Escape', 'Escape');
      };
      await accept('@ae/p2', 'SMART goals');
      // Enter twice below the last (indented) row: the editor keeps its
      // indentation on the line the next token is typed on.
      await wb.press('Control+End', 'Enter', 'Enter');
      await accept('@ae/p2', 'MBO areas');
      await wb.press('Control+End', 'Enter', 'Enter');
      await accept('Goals: @ae/p2', 'OKRs');
      await wb.press('Control+S');
      const frame = (f: string, title: string): string =>
        form === 'markdown'
          ? render(t.bin, f).trimEnd()
          : `${title} — Account Executive / Field Sales — P2\n\n${render(t.bin, f, 'text').trimEnd()}`;
      // Text typed before a token is the author's and stays as typed, with
      // the indentation the editor gave its line; the frame starts at column 0.
      const mbo = frame('mbo', 'MBO areas');
      const indent = /^\s*/.exec(mbo.split('\n').at(-1) ?? '')?.[0] ?? '';
      const expected = `${frame('smart', 'SMART goals')}\n\n${mbo}\n\n${indent}Goals:\n${frame('okr', 'OKRs')}`;
      await waitFor(() => fs.readFileSync(file, 'utf8').trimEnd() === expected, `${name} to hold the three frames as rendered`, 10_000).catch(
        () => {
          assert.equal(fs.readFileSync(file, 'utf8').trimEnd(), expected, `${name} differs from \`goalframe render\``);
        },
      );
      await saveAndClose(wb, page);
    });
  }

  await checks.check('a frame preview is the plain-text frame, wrapped rather than clipped', async () => {
    const file = path.join(workspace, 'preview.txt');
    fs.writeFileSync(file, '');
    await wb.openFile(file);
    await wb.type('@ae/p2');
    await wb.waitForSuggestion('SMART goals', 10_000).catch(() => wb.resuggest('SMART goals'));
    await wb.showSuggestionDetails();
    const docs = page.locator('.suggest-details-container .suggest-details .docs');
    await docs.waitFor({ state: 'visible', timeout: 10_000 });
    const shown = await docs.evaluate((el) => ({
      text: (el as HTMLElement).innerText,
      scroll: el.scrollWidth,
      width: el.clientWidth,
      code: el.querySelector('code, pre') !== null,
    }));
    await page.screenshot({ path: path.join(out, 'preview.png') });
    const firstRow = render(t.bin, 'smart', 'text').split('\n')[0];
    assert.ok(shown.text.includes(firstRow.slice(0, 40)), `the preview is not the text frame: ${shown.text.slice(0, 200)}`);
    assert.ok(!shown.code && !shown.text.includes('\\$') && !shown.text.includes('```'), `the preview shows markup: ${shown.text.slice(0, 200)}`);
    assert.ok(shown.scroll <= shown.width + 1, `the preview is clipped: scrollWidth ${shown.scroll} > clientWidth ${shown.width}`);
    await saveAndClose(wb, page);
  });

  await checks.check('screenshot of the frames, their squiggles, Problems and the completion list', async () => {
    // Explorer closed, Problems open, focus back in the editor for one more token.
    await wb.press('Escape', 'Control+B', 'Control+Shift+M', 'Control+1', 'Control+End', 'Enter', 'Enter');
    await wb.type('@ae/p2');
    await wb.waitForSuggestion('SMART goals', 3_000).catch(() => wb.resuggest('SMART goals'));
    await wb.showSuggestionDetails();
    await page.screenshot({ path: path.join(out, 'screenshot.png') });
  });
}

/** The server's own rendering of a frame (docs/lint.md), what the editor must end up holding. */
function render(bin: string, frame: string, format: 'markdown' | 'text' = 'markdown'): string {
  return execFileSync(bin, ['render', 'ae', 'P2', '--frame', frame, '--format', format], {
    encoding: 'utf8',
    timeout: 30_000,
  });
}

/**
 * Saves and closes the active editor. Should the editor still count as
 * changed, its "save?" dialog is answered, so that no dialog is left in the
 * way of the next check.
 */
export async function saveAndClose(wb: Workbench, page: Page): Promise<void> {
  await wb.press('Escape', 'Escape', 'Control+S');
  await page.waitForTimeout(300);
  await wb.press('Control+W');
  const dontSave = page.locator('.monaco-dialog-box .monaco-button', { hasText: "Don't Save" });
  const asked = await dontSave
    .first()
    .waitFor({ state: 'visible', timeout: 1000 })
    .then(() => true)
    .catch(() => false);
  if (asked) {
    await dontSave.first().click();
  }
}

export function placeholders(text: string): number {
  return text.match(PLACEHOLDER)?.length ?? 0;
}

/**
 * The workspace's `.vscode/settings.json` (code-server does not notice
 * outside edits of the user file). The workbench learns of a change
 * through a file watcher, a moment later on a busy machine: a check waits
 * for the change's effect before it relies on it.
 */
export function writeWorkspaceSettings(workspace: string, settings: object): void {
  fs.mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
  fs.writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify(settings, null, 2));
}

function countStarts(log: string): number {
  return log.match(/Starting \S+ \(found via/g)?.length ?? 0;
}

export async function waitFor(ok: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
