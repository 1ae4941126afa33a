export * from './replacement';
export * from './summary';
