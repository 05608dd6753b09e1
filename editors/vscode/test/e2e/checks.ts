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

  /** Records a failure that ends the run (a time limit) and prints the closing line at once. */
  abort(reason: string): void {
    this.failed++;
    console.log(`not ok - ${reason}`);
    console.log(this.summary());
  }

  get ok(): boolean {
    return this.failed === 0;
  }

  /** The closing line CI reads. */
  summary(): string {
    return `e2e: ${this.passed} passed, ${this.failed} failed`;
  }
}

export { assert };
