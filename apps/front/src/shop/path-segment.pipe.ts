import { BadRequestException, Injectable, type PipeTransform } from '@nestjs/common';

const SEGMENT = /^[A-Za-z0-9._~-]{1,128}$/;

/**
 * An id that the front puts into another app's route (an order id, a product id): one plain path segment, so
 * it can only name a resource, never reach another route of that app.
 */
@Injectable()
export class PathSegmentPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!SEGMENT.test(value) || value === '.' || value === '..') throw new BadRequestException(`'${value.slice(0, 40)}' is not a valid id`);
    return value;
  }
}
