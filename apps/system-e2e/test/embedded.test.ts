// `npm start`: every sidecar in the runner's process, on the embedded components (sqlite state, in-memory pub/sub).
import { describeSystem } from './support/system-suite';
import { MODES } from './support/system';

describeSystem(MODES.embedded);
