import { Injectable, Logger } from '@nestjs/common';
import { API_B1_METHOD, APPS } from '@repo/contracts';
import { DaprClient } from '@repo/nest-dapr';

export interface PassedOnResponse {
  status: number;
  contentType: string;
  body: Buffer;
}

/** Calls svc-b through this app's sidecar (`/v1.0/invoke/svc-b/method/api-b1`), as the article's svc-a does. */
@Injectable()
export class SvcBClient {
  private readonly logger = new Logger(SvcBClient.name);

  constructor(private readonly dapr: DaprClient) {}

  async apiB1(): Promise<PassedOnResponse> {
    try {
      const res = await this.dapr.invoke(APPS['svc-b'].appId, API_B1_METHOD);
      // The article logs a failed call as "HTTP <status> => <body>" and returns svc-b's answer all the same.
      if (!res.ok) this.logger.error(`HTTP ${res.status} => ${res.text()}`);
      const contentType = res.headers['content-type'];
      return { status: res.status, contentType: typeof contentType === 'string' ? contentType : 'text/plain', body: res.body };
    } catch (err) {
      // The sidecar itself could not be reached: nothing to pass on but the failure.
      const message = err instanceof Error ? err.message : String(err);
      this.logger.error(`invoking svc-b failed: ${message}`);
      return { status: 502, contentType: 'text/plain', body: Buffer.from(message) };
    }
  }
}
