export * from './aws-site';
export * from './keycloak-on-aws';
export * from './keycloak-on-kubernetes';
