/**
 * The public API of `cdktf-keycloak-ha` for the model, AWS and review: everything named here is
 * covered by the versioning policy (CHANGELOG.md). Kubernetes lives in `cdktf-keycloak-ha/kubernetes`
 * (lib/index-kubernetes.ts), so that AWS-only users neither install nor load its provider.
 */

// The topology: describe, validate and analyze it (pure, no cdktf).
export { DEFAULTS, defineTopology } from './model';
export type { CachesInput, DatabaseInput, KeycloakInput, SiteInput, TopologyInput, TrafficInput } from './model';
export { errorsOf, formatDiagnostic, TopologyError, validate } from './model';
export type { Diagnostic, Severity, ValidateOptions } from './model';
export { KeycloakImage, KeycloakVersion } from './model';
export type { KeycloakImageOptions } from './model';
export { KEYCLOAK_PORTS } from './model';
export type {
  CacheSpec, CrossSiteStrategy, DatabaseSpec, DeploymentMode, ExternalCacheName, HealthCheckSpec, KeycloakSpec, NatGatewayMode,
  RiskAcknowledgement, SiteLink, SiteSpec, TakeOfflineSpec, Topology, TrafficSpec,
} from './model';
export { analyzeFailures, renderFailureTable } from './model';
export type { CrossSiteBackupTiming, FailureAnalysisOptions, FailureMode, LossExtent, RecoveryTime, ServiceLevel } from './model';
export { planCapacity, renderCapacity } from './model';
export type { CapacityOptions, CapacityPlan, CapacityScenario, LoadTarget, SiteCapacity } from './model';
export { worstCaseFailoverTime } from './model';
export type { DnsRoutingKind, FailoverTime, FailoverTimeInput, TrafficDirector } from './model';
export type { DnsHealthCheckSpec, DnsRoutingSpec, DnsSpec, GeoLocation } from './model';
export type { AlarmSummary, SecondsRange, SiteNetworkPlan, ZoneSubnets } from './model';

// Rendered configuration (pure): Keycloak options and the external Infinispan's XML.
export { optionEnvName, renderKeycloakConfig, secretOptionEnvName, toCliArgs, toEnvironment } from './render';
export type { KeycloakServerConfig, KeycloakSiteFacts, SecretReference } from './render';
export { defaultInfinispanImage, renderInfinispanServerXml, renderSiteInfinispanXml, REQUIRED_REMOTE_CACHES, SESSION_REMOTE_CACHES } from './render';
export type {
  BackupFailurePolicy, BackupStrategy, CrossSiteBackup, CrossSiteMergePolicy, CrossSiteBridge, DnsBridge, DnsDiscovery, GossipRouterAddress, HotRodSecurity,
  InfinispanPorts, InfinispanSiteConfig, InfinispanSiteWiring, KeycloakRemoteCaches, RemoteCacheConfig, RemoteCacheName, RequiredRemoteCacheName,
  SessionRemoteCacheName, TakeOffline, TcpPingBridge, TransportTls, TunnelBridge,
} from './render';

// AWS: one construct per concern, and the pattern that composes them.
export { KeycloakOnAws, AwsSite } from './patterns';
export type { AwsGeoDnsProps, AwsSiteInput, AwsSiteProps, KeycloakOnAwsProps, SiteDatabasePlan } from './patterns';
export {
  AuroraDatabase, AuroraGlobalCluster, Certificate, CredentialRotation, DatabaseCredentials, DnsHealthAlarms, DnsRouting, GeoDns,
  HostedZone, HostnameAlias, HostnameCertificate, InfinispanService, KeycloakLoadBalancer, KeycloakObservability, KeycloakService,
  PeeringAccepter, PeeringRequester, PeeringSide, SiteKey, SiteNetwork, SitePeering,
} from './aws';
export type {
  AuroraDatabaseProps, AuroraGlobalClusterProps, AuroraGlobalMembership, AwsSiteContext, ContainerDefinition, CredentialRotationProps,
  DatabaseConnection, DatabaseCredentialsProps, DnsHealthAlarmSummary, DnsHealthAlarmsProps, GeoDnsHealthCheckProps, GeoDnsProps,
  GeoDnsSite, HostnameCertificateProps, ICertificate, IHostedZone, InfinispanServiceProps, ISiteLoadBalancer, KeycloakAlarmId,
  KeycloakAlarmThresholds, KeycloakInfinispanLink, KeycloakLoadBalancerProps, KeycloakObservabilityProps, KeycloakServiceProps,
  ObservedInfinispanService, PeerIngressOptions, PeeringAccepterProps, PeeringEnd, PeeringSideProps, PeerSite, ResolvedAlarm, SiteNetworkProps, SitePeeringProps,
} from './aws';

// The HA and security rule pack, applied at synthesis.
export { CHECK_RULES, formatFinding, KeycloakChecks, runChecks, suppressCheck } from './checks';
export type { CheckFinding, CheckRule, SynthesizedResource, Violation } from './checks';

// Helpers for users' tests.
export { FORCE_NEW_ATTRIBUTES, replacementRisks, summarizeStack } from './testing';
export type { ReplacementRisk, SynthesizedConfig } from './testing';
export { planRehearsal, rehearse, RehearsalError } from './rehearsal';
export type { DrillResult, RehearsalOutcome, RehearseOptions, Substitution } from './rehearsal';

// The review bundle.
export { renderSvg, reviewBundleFiles, writeReviewBundle } from './review';
export type { DeploymentNames, KubernetesDatabaseFacts, ReviewBundleOptions, WriteReviewBundleOptions } from './review';
