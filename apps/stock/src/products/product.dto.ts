import { IsInt, IsNotEmpty, IsOptional, IsString, Max, Min } from 'class-validator';

/** `PUT /stock/products/:productId`: restock (set the quantity that can be reserved), or add a product. */
export class PutProductDto {
  @IsOptional() @IsString() @IsNotEmpty()
  name?: string;

  @IsOptional() @IsInt() @Min(0)
  price?: number;

  @IsInt() @Min(0) @Max(1_000_000)
  quantity!: number;
}
