import { Type } from 'class-transformer';
import { ArrayMinSize, IsArray, IsInt, IsNotEmpty, IsString, Max, Min, ValidateNested } from 'class-validator';
import type { AllocateProduct, StockReserveAllocateRequest } from '@repo/contracts';

export class AllocateProductDto implements AllocateProduct {
  @IsString() @IsNotEmpty()
  productId!: string;

  @IsInt() @Min(1) @Max(1_000_000)
  quantity!: number;
}

/** `stock-reserve-allocate`. */
export class ReserveAllocateDto implements StockReserveAllocateRequest {
  @IsString() @IsNotEmpty()
  requestId!: string;

  @IsArray() @ArrayMinSize(1) @ValidateNested({ each: true }) @Type(() => AllocateProductDto)
  products!: AllocateProductDto[];
}

/** `stock-approve-allocate` and `stock-reject-allocate`. */
export class AllocationRequestDto {
  @IsString() @IsNotEmpty()
  requestId!: string;
}
