/**
 * A minimal check recorder: each check runs, is reported on its own line,
 * and a failure does not stop the run, so one report shows everything that
 * is broken. Ends with the `N passed, N failed` line CI reads.
 */
import * as assert from 'node:assert/strict';

export class Checks {
  private passed = 0;
  private failed = 0;

  async check(name: string, body: () => Promise<void>): Promise<boolean> {
    const started = Date.now();
    try {
      await body();
      this.passed++;
      console.log(`ok - ${name} (${Date.now() - started} ms)`);
      return true;
    } catch (error) {
      this.failed++;
      const message = error instanceof Error ? error.message : String(error);
      console.log(`not ok - ${name} (${Date.now() - started} ms)\n  ${message.split('\n').join('\n  ')}`);
      return false;
    }
  }

  get ok(): boolean {
    return this.failed === 0;
  }

  summary(): string {
    return `${this.passed} passed, ${this.failed} failed`;
  }
}

export { assert };
