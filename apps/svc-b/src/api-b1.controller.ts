import { Controller, Get } from '@nestjs/common';
import { API_B1_METHOD, API_B1_RESPONSE } from '@repo/contracts';

/** The article's svc-b: one method that svc-a invokes through the sidecars. */
@Controller()
export class ApiB1Controller {
  @Get(API_B1_METHOD)
  apiB1(): string {
    return API_B1_RESPONSE;
  }
}
