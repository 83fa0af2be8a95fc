export * from './apps';
export * from './topics';
export * from './saga';
export * from './shop';
export * from './demo';
