import { HttpException, HttpStatus } from '@nestjs/common';
import type { AppName } from '@repo/contracts';
import type { NotAnsweringBody } from '../web/views';
import { APP_LABELS } from './app-labels';

/** An app could not be reached through the sidecar (down, hung, or its sidecar gone): 503 with a plain message. */
export class AppNotAnswering extends HttpException {
  constructor(
    readonly appId: AppName,
    readonly detail: string,
  ) {
    const body: NotAnsweringBody = { statusCode: 503, appId, message: `${APP_LABELS[appId]} is not answering.`, detail };
    super(body, HttpStatus.SERVICE_UNAVAILABLE);
  }
}
