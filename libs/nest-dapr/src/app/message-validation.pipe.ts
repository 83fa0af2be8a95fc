import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { DropMessage } from '../pubsub/drop-message';

/**
 * Validates `@Payload()` DTOs of subscribers. A message that fails validation will never pass, so it is
 * dropped (dead-lettered when configured) instead of being redelivered forever.
 */
export function messageValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    exceptionFactory: (errors: ValidationError[]) => new DropMessage(`invalid message: ${describe(errors)}`),
  });
}

/** Validates request DTOs at the HTTP edge: 400 with the violations. */
export function requestValidationPipe(): ValidationPipe {
  return new ValidationPipe({ transform: true, whitelist: true });
}

function describe(errors: ValidationError[], prefix = ''): string {
  return errors
    .flatMap((e) => {
      const own = Object.values(e.constraints ?? {}).map((c) => `${prefix}${c}`);
      const nested = e.children?.length ? [describe(e.children, `${prefix}${e.property}.`)] : [];
      return [...own, ...nested];
    })
    .join('; ');
}
