export * from './infinispan-caches';
export * from './infinispan-site';
export * from './infinispan-xml';
export * from './keycloak-options';
export * from './database-role';
export * from './infinispan-identities';
