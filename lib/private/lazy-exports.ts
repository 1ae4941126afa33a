/**
 * Defines each export listed in `modules` (module path → exported names: classes, functions) as a
 * property of `target`, a module's `exports`, that requires the module the first time it is read
 * and then keeps the value. The module declares the same names with `export declare const` (and
 * `export type` for a class) for the compiler; a test checks every declared name resolves.
 */
export function defineLazyExports(target: object, modules: Readonly<Record<string, readonly string[]>>): void {
  for (const [path, names] of Object.entries(modules)) {
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
