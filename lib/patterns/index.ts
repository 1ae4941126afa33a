export * from './keycloak-on-aws';
