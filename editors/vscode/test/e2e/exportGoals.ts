/**
 * "goalframe: Export goals…" in VS Code (docs/export.md): an unfilled
 * document is refused with its problems in the Problems view and nothing
 * written; "Export anyway" writes, through the save dialog's file, exactly
 * what `goalframe export --allow-incomplete` writes. Runs after the other
 * checks, in their workspace.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { assert, type Checks } from './checks';
import { type Context, placeholders, saveAndClose, waitFor } from './scenario';
import { Workbench } from './workbench';

const TIMEOUT_MS = 30_000;

export async function exportGoals(t: Context, checks: Checks): Promise<void> {
  const { page, workspace, out } = t;
  const wb = new Workbench(page);
  const name = 'submit.md';
  const doc = path.join(workspace, name);
  const frame = execFileSync(t.bin, ['render', 'ae', 'P2', '--frame', 'smart', '--format', 'markdown'], { encoding: 'utf8', timeout: 30_000 });
  // The first goal filled; the rest still to fill, so the export is refused.
  fs.writeFileSync(doc, `# Goals\n\n${frame.replace('from ⟨baseline⟩ to ⟨target⟩ by ⟨date⟩', 'from 12 deals to 18 deals by 2027-06-30')}`);
  const unfilled = placeholders(fs.readFileSync(doc, 'utf8'));
  const target = path.join(workspace, 'submit-csv.csv');

  await checks.check('"goalframe: Export goals…" refuses an unfilled document: its problems in Problems, nothing written', async () => {
    await wb.openFile(doc);
    await wb.waitForProblemRows(name, (rows) => rows[0] === `${name} ${unfilled}`, `${name} ${unfilled} in Problems`);
    await wb.runCommand('goalframe: Export goals');
    await wb.pick('This document');
    await wb.pick('CSV');
    // The save dialog proposes submit-csv.csv next to the document's folder.
    await page.waitForFunction(
      (file) => Array.from(document.querySelectorAll<HTMLInputElement>('.quick-input-widget input')).some((i) => i.value.endsWith(file)),
      'submit-csv.csv',
      { timeout: TIMEOUT_MS },
    );
    await wb.press('Enter');
    await wb.notification('not ready for export; nothing was written');
    assert.ok(!fs.existsSync(target), 'a refused export wrote its file');
    // The export's problems join the document's own diagnostics.
    await wb.waitForProblemRows(
      name,
      (rows) => rows[0] === `${name} ${2 * unfilled}` && rows.some((r) => r.includes('goalframe export unfilled-placeholder')),
      `${name} ${2 * unfilled} in Problems, half of them from goalframe export`,
    );
    await page.screenshot({ path: path.join(out, 'export-refused.png') });
  });

  await checks.check('"Export anyway" writes what `goalframe export --allow-incomplete` writes, and clears the problems', async () => {
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'not ready for export' });
    await toast.getByRole('button', { name: 'Export anyway' }).click({ timeout: TIMEOUT_MS });
    await waitFor(() => fs.existsSync(target), 'the exported file', TIMEOUT_MS);
    const expected = execFileSync(t.bin, ['export', name, '--format', 'csv', '--allow-incomplete'], {
      cwd: workspace,
      timeout: 30_000,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    assert.ok(fs.readFileSync(target).equals(expected), 'the exported file differs from `goalframe export`');
    assert.ok(expected.toString('utf8').includes('18 deals'), 'the filled target is not in the export');
    await wb.notification('goalframe: exported');
    await wb.waitForProblemRows(name, (rows) => rows[0] === `${name} ${unfilled}`, `${name} ${unfilled} in Problems again`);
    await wb.problemRows('').catch(() => undefined); // no filter left for later checks
    await wb.runCommand('Notifications: Clear All Notifications');
    await saveAndClose(wb, page);
  });
}
