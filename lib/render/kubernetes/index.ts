export * from './database-objects';
export * from './infinispan-objects';
export * from './keycloak-objects';
export * from './monitoring-objects';
export * from './yaml';
