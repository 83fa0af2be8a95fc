export { createSidecar, type Sidecar } from './sidecar';
export type { SidecarOptions, SidecarMode, LogLevel } from './options';
export { DaprError, ResourceError } from './errors';
export { loadResources } from './resources/load';
export type * from './resources/types';
export { supportedTypes } from './components/registry';
export { parseCommandLine, HELP } from './cli';
export { VERSION } from './version';
