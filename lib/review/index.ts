export * from './alarms';
export * from './bundle';
export * from './diagram';
export * from './keycloak-env';
export * from './names';
export * from './runbook';
export * from './runbook-kubernetes';
export * from './topology-doc';
