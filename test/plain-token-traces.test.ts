// The jest setup file test/setup/plain-token-traces.ts: cheap traces for cdktf's tokens, and
// source-mapped stacks for the errors a developer reads.
test('an error thrown in a test still points at its TypeScript line', () => {
  const line = new Error('here').stack?.split('\n')[1] ?? '';
  expect(line).toContain('plain-token-traces.test.ts:4:');
});

test('a trace captured on a plain object (as cdktf does per token) is formatted without source maps', () => {
  const holder = { stack: '' };
  Error.captureStackTrace(holder);
  // jest's formatter would head it `Error: ` (it names every object so).
  expect(holder.stack.split('\n')[0]).toBe('Trace');
  expect(holder.stack).toContain('plain-token-traces.test.ts');
});
