import { IsNotEmpty, IsNumber, IsString, Min } from 'class-validator';
import type { PaymentCreateRequest, PaymentRejectCreateRequest } from '@repo/contracts';

/** `payment-create`. */
export class PaymentCreateDto implements PaymentCreateRequest {
  @IsString() @IsNotEmpty()
  requestId!: string;

  @IsString() @IsNotEmpty()
  userId!: string;

  @IsNumber() @Min(0)
  totalPrice!: number;
}

/** `payment-reject-create`. */
export class PaymentRejectCreateDto implements PaymentRejectCreateRequest {
  @IsString() @IsNotEmpty()
  requestId!: string;
}
