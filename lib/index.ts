export * from './model';
export * from './render';
export * from './aws';
export * from './patterns';
export * from './checks';
export * from './testing';
export * from './review';
