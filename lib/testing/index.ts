export * from './replacement';
