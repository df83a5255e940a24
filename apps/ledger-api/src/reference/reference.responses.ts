import { ApiProperty } from '@nestjs/swagger';

// The reference data as answered, for the OpenAPI document.

export class FrameworkActionSchema {
  @ApiProperty() code: string;
  @ApiProperty() title: string;
  @ApiProperty() description: string;
}

export class ActionFrameworkSchema {
  @ApiProperty() code: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'Where the wording comes from' }) source: string;
  @ApiProperty({ type: [FrameworkActionSchema] }) actions: FrameworkActionSchema[];
}

export class RegionSchema {
  @ApiProperty() code: string;
  @ApiProperty() name: string;
}
