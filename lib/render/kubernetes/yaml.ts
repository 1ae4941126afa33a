import { stringify } from 'yaml';

/** A Kubernetes API object (kubernetes-types declares `apiVersion` and `kind` optional; they are required here at run time). */
export interface ApiObject {
  readonly apiVersion?: string;
  readonly kind?: string;
}

/**
 * Kubernetes objects as one multi-document YAML stream, each document opened by `---`, keys in
 * the order the objects were built (so `apiVersion`, `kind`, `metadata` lead, as reviewers and
 * `kubectl` expect). Same objects, same bytes.
 *
 * Repeated sub-objects (one label map used as selector, PDB selector and spread selector) are
 * written out in full instead of as YAML anchors and aliases: legal YAML, but a reviewer would have
 * to chase `*a1` back to its anchor, and some tools reject aliases. Lines are never folded, so a
 * long annotation or JDBC URL stays on one line and diffs stay readable.
 */
export function toYaml(objects: readonly ApiObject[]): string {
  return objects
    .map((object, index) => {
      if (typeof object?.apiVersion !== 'string' || typeof object.kind !== 'string') {
        throw new Error(`toYaml: object ${index} has no apiVersion or kind; every Kubernetes document needs both`);
      }
      return `---\n${stringify(object, { aliasDuplicateObjects: false, lineWidth: 0, minContentWidth: 0 })}`;
    })
    .join('');
}
