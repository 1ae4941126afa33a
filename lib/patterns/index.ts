export * from './aws-site';
export * from './keycloak-on-aws';
