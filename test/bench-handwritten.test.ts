import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'cdktf';
import { MultiAzStack } from '../examples/aws-multi-az/stack';
import { blocksOf, generateHandwritten, HandwrittenStyle, readStacks, withoutMetadata } from '../scripts/bench-handwritten';

// The benchmark's yardsticks (npm run bench): a generated program must synthesize what the library
// did, and the typed one must build its blocks with typed configuration, not overrides.
const scratch = join(__dirname, '..', '.cache', 'bench-test');

function synthesizeWith(program: string): ReturnType<typeof readStacks> {
  const outdir = mkdtempSync(join(scratch, 'out-'));
  const file = join(scratch, `program-${process.pid}-${Math.random().toString(36).slice(2)}.js`);
  writeFileSync(file, program);
  // The generated program is plain CommonJS that requires cdktf and the providers from the repository.
  const result = spawnSync(process.execPath, [file], { env: { ...process.env, CDKTF_OUTDIR: outdir }, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(result.stderr);
  return readStacks(outdir);
}

describe('hand-written baselines of the benchmark', () => {
  let reference: string;
  beforeAll(() => {
    mkdirSync(scratch, { recursive: true });
    reference = mkdtempSync(join(scratch, 'reference-'));
    const app = new App({ outdir: reference });
    new MultiAzStack(app, 'keycloak-multi-az');
    app.synth();
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  test.each<HandwrittenStyle>(['typed', 'overrides'])('the %s program of aws-multi-az synthesizes the same stacks', (style) => {
    const program = generateHandwritten(reference, style);
    const [expected, actual] = [readStacks(reference), synthesizeWith(program)];
    expect(Object.keys(actual)).toEqual(Object.keys(expected));
    for (const id of Object.keys(expected)) {
      expect(withoutMetadata({ ...actual[id], '//': null })).toEqual(withoutMetadata({ ...expected[id], '//': null }));
    }
  }, 60_000);

  test('the typed program configures every block through its class, and blocks named as overrides fall back', () => {
    const blocks = blocksOf(readStacks(reference));
    expect(blocks.length).toBeGreaterThan(90);
    const typed = generateHandwritten(reference, 'typed');
    expect(typed.match(/= typed\(stack,/g)?.length).toBe(blocks.length);
    expect(typed).not.toMatch(/= block\(stack,/);
    const fallback = generateHandwritten(reference, 'typed', new Set([blocks[0].key]));
    expect(fallback.match(/= block\(stack,/g)).toEqual([`= block(stack,`]);
    expect(fallback).toContain(`b[${JSON.stringify(blocks[0].address)}] = block(stack,`);
  });
});
