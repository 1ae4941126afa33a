import { IConstruct } from 'constructs';
import { Annotations, constructPathOf, IAspect, resourceBlocksBelow } from '../private/cdktf';
import { CHECK_RULES, CheckFinding, formatFinding, runChecks } from './pack';
import { SynthesizedResource } from './rule';

const SUPPRESSION = 'cdktf-keycloak-ha/suppress-check';

interface Suppression {
  readonly ruleId: string;
  readonly reason: string;
}

/**
 * Exempts a construct (and everything below it) from one rule. The reason is required and is kept
 * in the construct tree, so reviewers see why the rule does not apply.
 * @throws when the rule does not exist or the reason is shorter than 10 characters.
 */
export function suppressCheck(scope: IConstruct, ruleId: string, reason: string): void {
  if (!CHECK_RULES.some((rule) => rule.id === ruleId)) {
    throw new Error(`suppressCheck: ruleId '${ruleId}' is not a rule; use one of ${CHECK_RULES.map((r) => r.id).join(', ')}`);
  }
  if (typeof reason !== 'string' || reason.trim().length < 10) {
    throw new Error(`suppressCheck: reason '${reason}' for '${ruleId}' is too short; say why the rule does not apply here`);
  }
  scope.node.addMetadata(SUPPRESSION, { ruleId, reason } satisfies Suppression);
}

/**
 * Applies the check pack to every resource below the construct it is added to, when the stack is
 * synthesized: errors and warnings become annotations on the offending resource (the CLI prints
 * them), unless suppressed with a reason. `findings` keeps what was reported.
 *
 * cdktf invokes aspects top-down, each node with the aspects of its ancestors, the stack's and the
 * app's first. The pack therefore runs when it reaches the last construct of its subtree (the last
 * child's last child …): by then every other aspect has visited every construct below, so the pack
 * checks the resources as the user's own aspects (tagging, overrides) leave them.
 */
export class KeycloakChecks implements IAspect {
  private readonly reported: CheckFinding[] = [];

  constructor(private readonly root: IConstruct) {}

  /** What the last synthesis reported (suppressed findings are not included). */
  get findings(): readonly CheckFinding[] {
    return this.reported;
  }

  visit(node: IConstruct): void {
    if (node !== lastBelow(this.root)) return;
    this.reported.length = 0;
    const findings = runChecks(resourcesBelow(this.root));
    // Constructs by path, only when there is something to report (a clean synthesis needs none).
    const constructs = findings.length > 0 ? new Map(this.root.node.findAll().map((c) => [c.node.path, c])) : new Map<string, IConstruct>();
    for (const finding of findings) {
      const construct = constructs.get(finding.path) ?? this.root;
      if (isSuppressed(construct, finding.ruleId)) continue;
      this.reported.push(finding);
      const annotations = Annotations.of(construct);
      if (finding.severity === 'error') annotations.addError(formatFinding(finding));
      else annotations.addWarning(formatFinding(finding));
    }
  }
}

/** The construct a depth-first walk of `root`'s subtree visits last. */
function lastBelow(root: IConstruct): IConstruct {
  let last = root;
  for (let children = last.node.children; children.length > 0; children = last.node.children) last = children[children.length - 1];
  return last;
}

/** The synthesized (resolved) resources whose construct lives below `root`. */
function resourcesBelow(root: IConstruct): SynthesizedResource[] {
  return Object.entries(resourceBlocksBelow(root)).flatMap(([type, byName]) =>
    Object.entries(byName).map(([name, body]) => ({
      type,
      name,
      path: constructPathOf(body),
      body,
    })),
  );
}

function isSuppressed(construct: IConstruct, ruleId: string): boolean {
  return construct.node.scopes.some((scope) =>
    scope.node.metadata.some((entry) => entry.type === SUPPRESSION && (entry.data as Suppression).ruleId === ruleId));
}
