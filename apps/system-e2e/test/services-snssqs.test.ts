// `npm start -- --resources-path components/services-snssqs`: Redis state, SNS/SQS pub/sub on moto_server
// (scripts/services.sh starts it on 127.0.0.1:4566).
import { describeSystem } from './support/system-suite';
import { MODES } from './support/system';

describeSystem(MODES.snssqs);
