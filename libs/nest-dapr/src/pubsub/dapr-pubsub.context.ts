import { BaseRpcContext } from '@nestjs/microservices';
import type { IncomingHttpHeaders } from 'node:http';
import type { CloudEvent } from './cloud-event';

type DaprPubSubContextArgs = [event: CloudEvent | undefined, headers: IncomingHttpHeaders, pubsubName: string, topic: string];

/** `@Ctx()` of a Dapr subscriber: the delivered CloudEvent and the delivery's headers. */
export class DaprPubSubContext extends BaseRpcContext<DaprPubSubContextArgs> {
  /** The envelope; undefined for raw payloads. */
  getCloudEvent(): CloudEvent | undefined {
    return this.args[0];
  }

  getHeaders(): IncomingHttpHeaders {
    return this.args[1];
  }

  getPubsubName(): string {
    return this.args[2];
  }

  /** The topic the event was published to (from the envelope), else the subscribed one. */
  getTopic(): string {
    return this.args[0]?.topic ?? this.args[3];
  }
}
