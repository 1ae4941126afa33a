export * from './model';
export * from './render';
export * from './aws';
export * from './kubernetes';
export * from './patterns';
export * from './checks';
export * from './testing';
export * from './review';
