import { Injectable } from '@nestjs/common';
import type { ReceivedDemoOrders } from '@repo/contracts';

const KEEP = 100;

/** The article's `order` messages this instance received (in memory, last 100), so a reader can see them arrive. */
@Injectable()
export class ReceivedOrders {
  private count = 0;
  private readonly messages: ReceivedDemoOrders['messages'] = [];

  add(data: unknown, eventId: string | undefined): void {
    this.count++;
    this.messages.push({ data, eventId, receivedAt: new Date().toISOString() });
    if (this.messages.length > KEEP) this.messages.shift();
  }

  list(): ReceivedDemoOrders {
    return { count: this.count, messages: [...this.messages] };
  }
}
