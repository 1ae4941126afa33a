export * from './aspect';
export * from './pack';
export * from './rule';
