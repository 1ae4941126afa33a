import { Testing } from 'cdktf';
import * as fc from 'fast-check';
import { stringify } from 'yaml';
import { writeDocument } from '../../../lib/render/kubernetes/yaml';
import { KubernetesSingleSiteStack } from '../../../examples/kubernetes-single-site/stack';
import { kubernetesTwoSitesStacks } from '../../../examples/kubernetes-two-sites/stack';

/** What the `yaml` package writes with toYaml's options. */
const byPackage = (value: unknown) => stringify(value, { aliasDuplicateObjects: false, lineWidth: 0, minContentWidth: 0 });

describe('writeDocument writes what the yaml package writes', () => {
  test.each([
    ['kubernetes-single-site', () => new KubernetesSingleSiteStack(Testing.app(), 'single').keycloak],
    ['kubernetes-two-sites', () => kubernetesTwoSitesStacks(Testing.app()).keycloak],
  ])('for every object of %s, without falling back to the package', (_, build) => {
    const objects = Object.values(build().objects).flat();
    expect(objects.length).toBeGreaterThan(10);
    for (const object of objects) expect(writeDocument(object)).toBe(byPackage(object));
  });

  test('for strings a reader could take for something else', () => {
    const tricky = ['', 'true', 'False', 'null', '~', '30', '-1', '0x1F', '0o17', '1e5', '.5', '3.', '.inf', '.NaN', 'yes', '16k', '- a', '-a', '? x', ':x',
      'a: b', 'a:b', 'a #b', 'a#b', '#x', 'x:', ' lead', 'trail ', '@x', '`x', '%x', '---x', '...', 'say "hi"', "it's", `"it's"`, 'back\\slash', 'tab\there',
      '{{ $value }}', '[x]', 'a,b', '*x', '&x', '!x', '|x', '>x', "'x", '"x', 'héllo', 'x\ny', 'x\n', 'x\n\n', '\nx', '  x\ny', 'x\n  y\n', 'x\n\ny\n', 'x \ny'];
    for (const text of tricky) {
      const object = { key: text, list: [text, { nested: text }], [text || 'empty']: 1 };
      const written = writeDocument(object);
      if (written !== undefined) expect(written).toBe(byPackage(object));
    }
    // Everything Kubernetes objects hold is written here, not by the package.
    expect(writeDocument({ a: 'true', b: '30', c: 'x\n  y\n', d: [], e: {}, f: null, g: [{ h: 1, i: ['j'] }] })).toBeDefined();
  });

  test('for arbitrary JSON-like documents, or it leaves them to the package', () => {
    const scalar = fc.oneof(fc.string(), fc.constantFrom('true', '1', 'a: b', 'x\ny\n', ' x', "'", '"', '#', '- y', '---'), fc.integer(), fc.boolean(), fc.constant(null));
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, scalar, tie('list'), tie('map')),
      list: fc.array(tie('node'), { maxLength: 4 }),
      map: fc.dictionary(fc.oneof(fc.string(), fc.constantFrom('a', 'true', 'k: v')), tie('node'), { maxKeys: 4 }),
    }));
    let compared = 0;
    fc.assert(fc.property(value.map, (document) => {
      const written = writeDocument(document);
      if (written === undefined) return;
      compared += 1;
      expect(written).toBe(byPackage(document));
    }), { numRuns: 1000 });
    // Most of them are written here, so the comparison covers the writer, not the fallback.
    expect(compared).toBeGreaterThan(500);
  });
});
