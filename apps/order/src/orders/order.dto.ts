import { Type } from 'class-transformer';
import { ArrayMinSize, IsArray, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Max, Min, ValidateNested } from 'class-validator';
import { ProcessType, type AllocateProduct, type CreateOrderReply, type CreateOrderRequest, type ReplyStatus } from '@repo/contracts';

export class OrderLineDto implements AllocateProduct {
  @IsString() @IsNotEmpty()
  productId!: string;

  @IsInt() @Min(1) @Max(999)
  quantity!: number;
}

/** `POST /orders`: these items, or (no `items`) the user's cart. */
export class CreateOrderDto implements CreateOrderRequest {
  @IsOptional() @IsArray() @ArrayMinSize(1) @ValidateNested({ each: true }) @Type(() => OrderLineDto)
  items?: OrderLineDto[];
}

export class ListOrdersQuery {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100)
  limit?: number;
}

/** `create-order-reply`. */
export class CreateOrderReplyDto implements CreateOrderReply {
  @IsString() @IsNotEmpty()
  requestId!: string;

  @IsIn([200, 400])
  status!: ReplyStatus;

  @IsIn(Object.values(ProcessType))
  processType!: ProcessType;

  @IsOptional() @IsString()
  message?: string;
}
