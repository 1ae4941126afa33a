export * from './keycloak-options';
