export * from './database-objects';
export * from './infinispan-objects';
export * from './keycloak-objects';
export * from './yaml';
