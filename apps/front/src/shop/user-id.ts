import { BadRequestException, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { DEMO_USER_ID, USER_ID_HEADER } from '@repo/contracts';

/**
 * The shopper, as the page names them in the `x-user-id` header (the front has no login; each browser picks an
 * id). It is passed on to cart and order unchanged, so it follows their rule: at most 128 characters, no `||`.
 */
export const UserId = createParamDecorator((_data: unknown, ctx: ExecutionContext): string => {
  const raw = ctx.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined> }>().headers[USER_ID_HEADER];
  const value = (Array.isArray(raw) ? raw[0] : raw)?.trim();
  if (!value) return DEMO_USER_ID;
  if (value.length > 128 || value.includes('||')) throw new BadRequestException(`${USER_ID_HEADER} must be at most 128 characters without "||"`);
  return value;
});
