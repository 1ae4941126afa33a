/**
 * Attributes that make Terraform destroy and re-create a resource when they change ("forces
 * replacement" in a plan), for the stateful resource types this library creates. Source: the
 * ForceNew attributes of terraform-provider-aws 6.x (per-resource docs, "Argument Reference").
 * A routine change of a topology must touch none of them.
 */
export const FORCE_NEW_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  aws_rds_cluster: ['cluster_identifier', 'engine', 'engine_mode', 'database_name', 'master_username', 'kms_key_id', 'storage_encrypted', 'availability_zones', 'db_subnet_group_name'],
  aws_rds_cluster_instance: ['identifier', 'cluster_identifier', 'engine', 'availability_zone', 'db_subnet_group_name', 'performance_insights_kms_key_id'],
  aws_kms_key: ['customer_master_key_spec', 'key_usage', 'multi_region'],
  aws_kms_alias: ['name'],
  aws_secretsmanager_secret: ['name'],
  aws_secretsmanager_secret_version: ['secret_id'],
  aws_cloudwatch_log_group: ['name'],
  aws_db_subnet_group: ['name'],
  aws_vpc: ['cidr_block', 'instance_tenancy'],
  aws_subnet: ['vpc_id', 'cidr_block', 'availability_zone'],
};

/** Synthesized Terraform JSON, as far as the comparison needs it. */
export interface SynthesizedConfig {
  readonly resource?: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, unknown>>>>>>;
}

/** A stateful resource a change would destroy. */
export interface ReplacementRisk {
  readonly address: string;
  /** `removed` (its address is gone) or the replacement-forcing attribute that changed. */
  readonly reason: string;
}

/**
 * Compares two synthesized stacks and lists every stateful resource that Terraform would destroy:
 * addresses that disappear and replacement-forcing attributes that change. Pure, so users can
 * assert on their own topology changes in jest.
 */
export function replacementRisks(before: SynthesizedConfig, after: SynthesizedConfig): ReplacementRisk[] {
  const risks: ReplacementRisk[] = [];
  for (const [type, attributes] of Object.entries(FORCE_NEW_ATTRIBUTES)) {
    for (const [name, old] of Object.entries(before.resource?.[type] ?? {})) {
      const address = `${type}.${name}`;
      const current = after.resource?.[type]?.[name];
      if (!current) {
        risks.push({ address, reason: 'removed' });
        continue;
      }
      for (const attribute of attributes) {
        if (JSON.stringify(old[attribute]) !== JSON.stringify(current[attribute])) {
          risks.push({ address, reason: `${attribute} changes from ${JSON.stringify(old[attribute])} to ${JSON.stringify(current[attribute])}` });
        }
      }
    }
  }
  return risks;
}
