/**
 * cdktf and constructs record a stack trace for every token they create: `Error.captureStackTrace`
 * on a plain object, at unbounded depth, read at once. Under jest each of those traces went through
 * jest's source-map formatter frame by frame, a fifth of the suite's CPU time; the traces only ever
 * appear in cdktf's message about a token it cannot resolve. This formats stacks of objects that
 * are not errors plainly (file positions of the transformed code), and leaves every real error to
 * jest's formatter, so a failing test still points at the TypeScript line.
 */
import { Script } from 'node:vm';

// Errors made in the test's context look for `Error.prepareStackTrace` on that context's Error
// first, then on the main context's, where jest installs its formatter after the setup files run.
const mainContextError = new Script('Error').runInThisContext() as ErrorConstructor;

Error.prepareStackTrace = (error: unknown, frames: NodeJS.CallSite[]): string => {
  const format = mainContextError.prepareStackTrace;
  if (error instanceof Error && format) return format(error, frames) as string;
  return `${error instanceof Error ? `${error.name}: ${error.message}` : 'Trace'}${frames.map((frame) => `\n    at ${frame.toString()}`).join('')}`;
};
