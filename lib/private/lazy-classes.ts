/**
 * Defines each class listed in `classes` (deep path → exported class names) as a property of
 * `target`, a module's `exports`, that requires the deep path the first time it is read and then
 * keeps the class. The module declares the same names with `export declare const` and
 * `export type` for the compiler; a test checks every declared name resolves.
 */
export function defineLazyClasses(target: object, classes: Readonly<Record<string, readonly string[]>>): void {
  for (const [path, names] of Object.entries(classes)) {
    for (const name of names) {
      Object.defineProperty(target, name, {
        enumerable: true,
        configurable: true,
        get(): unknown {
          // eslint-disable-next-line @typescript-eslint/no-require-imports -- loading on first use is the purpose
          const value = (require(path) as Record<string, unknown>)[name];
          Object.defineProperty(target, name, { enumerable: true, value });
          return value;
        },
      });
    }
  }
}
