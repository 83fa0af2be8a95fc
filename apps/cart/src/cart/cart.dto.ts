import { Transform } from 'class-transformer';
import { IsInt, IsNotEmpty, IsString, Max, Min } from 'class-validator';

/** The article sends ids and quantities as strings (`{"product_id":"100", "quantity":"300"}`); both are accepted. */
const asString = ({ value }: { value: unknown }) => (typeof value === 'number' ? String(value) : value);
const asNumber = ({ value }: { value: unknown }) => (typeof value === 'string' && value.trim() !== '' ? Number(value) : value);

/** `POST /save`, the article's body. */
export class SaveDto {
  @Transform(asString) @IsString() @IsNotEmpty()
  product_id!: string;

  @Transform(asNumber) @IsInt() @Min(0)
  quantity!: number;
}

/** `POST /cart/items`: add this many of a product. */
export class AddItemDto {
  @Transform(asString) @IsString() @IsNotEmpty()
  product_id!: string;

  @Transform(asNumber) @IsInt() @Min(1) @Max(999)
  quantity!: number;
}

/** `PUT /cart/items/:productId`: the line's new quantity; 0 removes it. */
export class SetQuantityDto {
  @Transform(asNumber) @IsInt() @Min(0) @Max(999)
  quantity!: number;
}
