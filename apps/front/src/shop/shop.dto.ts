import { IsInt, IsNotEmpty, IsString, Max, Min } from 'class-validator';

/** `POST /api/cart/items`. */
export class AddToCartDto {
  @IsString() @IsNotEmpty()
  productId!: string;

  @IsInt() @Min(1) @Max(999)
  quantity!: number;
}

/** `PUT /api/cart/items/:productId`: 0 removes the line. */
export class SetQuantityDto {
  @IsInt() @Min(0) @Max(999)
  quantity!: number;
}
