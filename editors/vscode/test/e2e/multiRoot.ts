/**
 * A workspace of two folders (an HR team's and a sales team's), each with
 * its own goalframe.toml, canon and folder settings: a document completes
 * from the canon of the folder holding it and is checked with its settings.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { assert, type Checks } from './checks';
import type { Context } from './scenario';
import { Workbench } from './workbench';

const LEVELS = { levels: [{ code: 'L1', name: 'Level One', dimensions: [{ name: 'Scope', text: 'Small things' }] }] };

function roles(title: string): unknown {
  return {
    roles: [{ id: 'widget-maker', title, family: 'Making', aliases: ['wm'], levels: { L1: { responsibilities: ['Makes.'] } } }],
  };
}

export async function multiRoot(t: Context & { url: string }, checks: Checks): Promise<void> {
  const wb = new Workbench(t.page);
  const root = path.join(path.dirname(t.workspace), 'teams');
  const folders: [string, string][] = [
    ['hr', 'Widget Maker'],
    ['sales', 'Gadget Maker'],
  ];
  for (const [name, title] of folders) {
    const canon = path.join(root, name, 'canon');
    fs.mkdirSync(canon, { recursive: true });
    fs.writeFileSync(path.join(canon, 'levels.json'), JSON.stringify(LEVELS));
    fs.writeFileSync(path.join(canon, 'roles.json'), JSON.stringify(roles(title)));
    fs.writeFileSync(path.join(root, name, 'goalframe.toml'), 'canon = ["canon"]\n');
    fs.writeFileSync(path.join(root, name, `${name}-goals.md`), '# Team goals\n\nOwner: @nobody/L1\n\n');
  }
  // A folder setting of the sales folder only: its unknown roles are warnings.
  fs.mkdirSync(path.join(root, 'sales', '.vscode'));
  fs.writeFileSync(path.join(root, 'sales', '.vscode', 'settings.json'), JSON.stringify({ 'goalframe.severity': { 'unknown-role': 'warning' } }));
  const file = path.join(root, 'teams.code-workspace');
  fs.writeFileSync(file, JSON.stringify({ folders: folders.map(([name]) => ({ path: name })) }));
  const opened = await checks.check('a workspace of two folders opens', () => wb.loadWorkspace(t.url, file, folders.map(([name]) => name)));
  if (!opened) {
    return;
  }
  for (const [name, title] of [...folders].reverse()) {
    const other = folders.find(([n]) => n !== name)?.[1] ?? '';
    await checks.check(`a document in the ${name} folder completes from that folder's own canon (${title})`, async () => {
      // Named apart: the workbench tells editors apart by file name.
      await wb.openFile(path.join(root, name, `${name}-goals.md`));
      // The new window starts its own server: `@wm` typed before it
      // answers leaves the widget without its items (a flaky failure in
      // CI). Its status for this document means it is up, with the
      // folder's canon (both folders name theirs `canon`).
      await wb.waitForStatus('goalframe:', 'goalframe: canon · 0 unfilled', 60_000);
      await wb.press('Control+End');
      await wb.type('@wm');
      const labels = await wb.waitForSuggestion(title);
      assert.ok(!labels.some((l) => l.includes(other)), `the other folder's role is offered too: ${JSON.stringify(labels)}`);
      await wb.press('Escape');
    });
  }
  await checks.check("each folder's own settings apply to its documents: an unknown role is an error in one, a warning in the other", async () => {
    await wb.waitForProblems({ errors: 1, warnings: 1 });
  });
}
