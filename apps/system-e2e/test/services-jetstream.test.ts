// `npm start -- --services`: the same system on Redis and NATS JetStream (scripts/services.sh starts both).
import { describeSystem } from './support/system-suite';
import { MODES } from './support/system';

describeSystem(MODES.services);
