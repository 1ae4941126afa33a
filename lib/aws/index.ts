export * from './aurora-database';
export * from './hostname-dns';
export * from './keycloak-service';
export * from './load-balancer';
export * from './references';
export * from './site-context';
export * from './site-key';
export * from './site-network';
