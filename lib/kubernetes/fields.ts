import { Token } from '../private/cdktf';

/** The API object being translated and the Terraform resource type it becomes; every error names both. */
export interface Origin {
  readonly kind: string;
  readonly name: string;
  readonly resourceType: string;
}

type Defined<T> = Exclude<T, undefined | null>;
type ElementOf<T> = Defined<T> extends ReadonlyArray<infer E> ? Extract<E, object> : never;
/** Keys whose values are nested API structs (not lists, not scalars). */
type StructKey<T> = {
  [K in keyof T]-?: Defined<T[K]> extends ReadonlyArray<unknown> ? never : Defined<T[K]> extends object ? K : never;
}[keyof T] & string;
/** Keys whose values are lists of API structs. */
type ListKey<T> = { [K in keyof T]-?: Defined<T[K]> extends ReadonlyArray<object> ? K : never }[keyof T] & string;
/** Keys whose values are numbers or int-or-strings. */
type NumericKey<T> = { [K in keyof T]-?: Defined<T[K]> extends number | string ? K : never }[keyof T] & string;

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function prefix(origin: Origin): string {
  return `cannot translate ${origin.kind} "${origin.name}" to ${origin.resourceType}`;
}

/**
 * A read cursor over one struct of an API object. Translators read every field they support through
 * it; `finish` then throws on any field that is present but was never read, so a field the provider
 * translation does not know is reported with its JSON path instead of being dropped. The keys a
 * translator asked for are exactly the supported ones, which is what the error lists.
 *
 * Give every `struct`/`list` callback its provider block type as return type (`(port):
 * ServiceV1SpecPort => ({ ... })`): an inferred return type escapes TypeScript's excess-property
 * check, so a misspelt provider field would compile and then be dropped by the generated
 * `toTerraform` serializer.
 */
export class Fields<T extends object> {
  private readonly asked = new Set<string>();

  constructor(
    readonly origin: Origin,
    readonly path: string,
    private readonly value: T,
  ) {}

  /** A field passed through unchanged: strings, booleans, numbers, string lists, string maps. */
  get<K extends keyof T & string>(key: K): T[K] {
    this.asked.add(key);
    return this.value[key];
  }

  /** A field the provider resource requires even where the API does not. */
  required<K extends keyof T & string>(key: K): Defined<T[K]> {
    const value = this.get(key);
    if (value === undefined || value === null) return this.missing(key);
    return value as Defined<T[K]>;
  }

  /**
   * A number or int-or-string field the provider types as a string (`replicas`, ports, `maxUnavailable`,
   * user and group ids). Unresolved number tokens stay tokens.
   */
  text<K extends NumericKey<T>>(key: K): string | undefined {
    const value = this.get(key) as unknown as number | string | undefined | null;
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'number') return Token.isUnresolved(value) ? Token.asString(value) : String(value);
    return value;
  }

  /**
   * File mode bits: the API carries them as a decimal integer (420), the provider as an octal string
   * with a leading zero ("0644") that it parses with base 8 and rejects above 0777.
   */
  mode<K extends NumericKey<T>>(key: K): string | undefined {
    const value = this.get(key) as unknown as number | string | undefined | null;
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || Token.isUnresolved(value) || !Number.isInteger(value) || value < 0 || value > 0o777) {
      throw new Error(`${prefix(this.origin)}: ${join(this.path, key)} must be a literal integer from 0 to 511 (0777); received ${String(value)}`);
    }
    return `0${value.toString(8)}`;
  }

  /** A nested struct, translated by `translate` with its own cursor; undefined when absent. */
  struct<K extends StructKey<T>, R>(key: K, translate: (fields: Fields<Extract<Defined<T[K]>, object>>) => R): R | undefined {
    const value = this.get(key);
    if (value === undefined || value === null) return undefined;
    return read(this.origin, join(this.path, key), value as Extract<Defined<T[K]>, object>, translate);
  }

  /** A list of structs, each translated by `translate`; undefined when absent. */
  list<K extends ListKey<T>, R>(key: K, translate: (fields: Fields<ElementOf<T[K]>>) => R): R[] | undefined {
    const value = this.get(key) as unknown as ReadonlyArray<ElementOf<T[K]>> | undefined | null;
    if (value === undefined || value === null) return undefined;
    return value.map((element, index) => read(this.origin, `${join(this.path, key)}[${index}]`, element, translate));
  }

  /** Throws: `key` is absent but the provider resource requires it. */
  missing(key: keyof T & string): never {
    throw new Error(`${prefix(this.origin)}: ${join(this.path, key)} is required by ${this.origin.resourceType} but absent`);
  }

  /** Throws when a present field was never read. */
  finish(): void {
    for (const [key, value] of Object.entries(this.value)) {
      if (value === undefined || this.asked.has(key)) continue;
      const supported = [...this.asked].sort().join(', ') || 'none';
      throw new Error(
        `${prefix(this.origin)}: ${join(this.path, key)} is not supported (supported at ${this.path === '' ? 'the top level' : this.path}: ${supported})`,
      );
    }
  }
}

/** Translates `value` (found at `path`) with a fresh cursor and checks that every present field was read. */
export function read<T extends object, R>(origin: Origin, path: string, value: T, translate: (fields: Fields<T>) => R): R {
  const fields = new Fields(origin, path, value);
  const result = translate(fields);
  fields.finish();
  return result;
}
