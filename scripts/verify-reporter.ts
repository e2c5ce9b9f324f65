/**
 * The vitest reporter of `standin verify` and `standin drift`: one line per test file while the suites run, and
 * every scenario's outcome (the first line of each error, the reason of a skip) in scenarios.json, so a run
 * against a backend that fails hundreds of scenarios still prints a short log and never a page of HTML.
 * STANDIN_SCENARIOS_FILE names that file.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import type { Reporter, SerializedError, TestCase, TestModule } from 'vitest/node';

export interface ScenarioResult {
  file: string;
  /** The describe blocks and the scenario's name, joined by ' > '. */
  name: string;
  status: 'passed' | 'failed' | 'skipped';
  /** The first line of each error, at most 300 characters. */
  errors: string[];
  /** Why it was skipped, when the scenario said. */
  skipReason?: string;
}

const MAX_LINE = 300;

/** The first line of an error message, without colour codes, cut to a readable length. */
export function firstLine(message: string | undefined): string {
  const line =
    (message ?? '')
      // biome-ignore lint/suspicious/noControlCharactersInRegex: ESC starts the colour codes removed here
      .replace(/\u001b\[[0-9;]*m/g, '')
      .replace(
        /Buffer\[ ([\d, ]*)(?:…\((\d+)\) )?\]/g,
        (_, shown: string, more = '0') =>
          `<a body that is not JSON, ${shown.split(',').filter((n) => n.trim()).length + Number(more)} bytes>`,
      )
      .split('\n')
      .find((l) => l.trim()) ?? '';
  return line.length > MAX_LINE ? `${line.slice(0, MAX_LINE)}…` : line.trim();
}

export default class VerifyReporter implements Reporter {
  private readonly results: ScenarioResult[] = [];
  private readonly root = process.cwd();
  private readonly started = performance.now();

  onTestCaseResult(test: TestCase): void {
    const result = test.result();
    const entry: ScenarioResult = {
      file: relative(this.root, test.module.moduleId),
      name: test.fullName,
      status: result.state === 'passed' ? 'passed' : result.state === 'failed' ? 'failed' : 'skipped',
      errors: (result.errors ?? []).map((e) => firstLine(e.message)),
    };
    if (result.state === 'skipped' && result.note) entry.skipReason = result.note;
    this.results.push(entry);
  }

  onTestModuleEnd(module: TestModule): void {
    const file = relative(this.root, module.moduleId);
    const mine = this.results.filter((r) => r.file === file);
    const count = (status: ScenarioResult['status']) => mine.filter((r) => r.status === status).length;
    const errors = module.errors();
    // A failed file-level hook leaves its scenarios skipped without a note: the hook's error is why.
    if (errors.length)
      for (const r of mine)
        if (r.status === 'skipped' && !r.skipReason)
          r.skipReason = `not run: the file's setup failed (${firstLine(errors[0]!.message)})`;
    // A file whose imports or hooks failed has no failed scenario of its own: it counts as one failure.
    if (errors.length && !count('failed'))
      this.results.push({
        file,
        name: `${file} (file)`,
        status: 'failed',
        errors: errors.map((e) => firstLine(e.message)),
      });
    const mark = errors.length || count('failed') ? '✗' : '✓';
    const failed =
      errors.length && !count('failed') ? `file failed: ${firstLine(errors[0]!.message)}` : `${count('failed')} failed`;
    console.log(
      `${mark} ${file}: ${count('passed')} passed, ${failed}, ${count('skipped')} skipped (${(module.diagnostic().duration / 1000).toFixed(1)} s)`,
    );
  }

  onTestRunEnd(_modules: ReadonlyArray<TestModule>, unhandled: ReadonlyArray<SerializedError>): void {
    for (const error of unhandled) console.log(`✗ unhandled error: ${firstLine(error.message)}`);
    const file = process.env.STANDIN_SCENARIOS_FILE;
    if (file) {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, JSON.stringify(this.results, null, 1));
    }
    console.log(`${this.results.length} scenarios in ${((performance.now() - this.started) / 1000).toFixed(0)} s`);
  }
}
