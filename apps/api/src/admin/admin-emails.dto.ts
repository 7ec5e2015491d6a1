import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { EMAIL_ORIGINS, EMAIL_STATUSES, EMAIL_TEMPLATE_NAMES } from '@customer-access/notification';

/** Requests and answers of the email routes (docs/api.md, Admin routes), for validation and OpenAPI. */

export class EmailLocaleQueryDto {
  @ApiPropertyOptional({ example: 'zh-CN', description: 'A supported locale (en, zh-CN); default: the defaultLocale setting.' })
  @IsOptional()
  @IsString()
  @MaxLength(35)
  locale?: string;
}

export class TestEmailRequestDto extends EmailLocaleQueryDto {}

export class EmailTemplateSummaryDto {
  @ApiProperty({ enum: EMAIL_TEMPLATE_NAMES })
  name: string;

  @ApiProperty({ type: [String], example: ['en', 'zh-CN'] })
  locales: string[];
}

export class EmailTemplateListDto {
  @ApiProperty({ type: [EmailTemplateSummaryDto] })
  items: EmailTemplateSummaryDto[];
}

export class EmailPreviewDto {
  @ApiProperty({ enum: EMAIL_TEMPLATE_NAMES })
  name: string;

  @ApiProperty({ example: 'zh-CN' })
  locale: string;

  @ApiProperty({ example: 'Reset your My Store password' })
  subject: string;

  @ApiProperty({ description: 'The HTML part, rendered with sample data and a sample link (never a live token).' })
  html: string;

  @ApiProperty({ description: 'The text/plain part.' })
  text: string;
}

export class TestEmailAcceptedDto {
  @ApiProperty({ example: 'The test email will be sent to admin@example.com.' })
  message: string;
}

export class CustomerEmailDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: EMAIL_TEMPLATE_NAMES })
  template: string;

  @ApiProperty({ enum: EMAIL_ORIGINS })
  origin: string;

  @ApiProperty({ example: 'zh-CN', description: 'The language the email is written in.' })
  locale: string;

  @ApiProperty({
    nullable: true,
    type: String,
    example: 'default',
    description:
      'The store view the email came from: its link base, sender, store name and fallback language. Null for emails logged before store views.',
  })
  storeViewCode: string | null;

  @ApiProperty({ enum: EMAIL_STATUSES })
  status: string;

  @ApiProperty({ example: 1 })
  attempts: number;

  @ApiProperty({ format: 'date-time' })
  requestedAt: string;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  sentAt: string | null;

  @ApiProperty({ nullable: true, type: String, example: '<3b1f…@shop.example>' })
  messageId: string | null;

  @ApiProperty({ nullable: true, type: String, example: 'connect ECONNREFUSED 10.0.0.5:587' })
  lastError: string | null;

  @ApiProperty({
    enum: ['unused', 'used', 'expired', 'superseded'],
    nullable: true,
    description: 'Reset emails: what became of the link. Never the link or its token.',
  })
  link: string | null;
}

export class CustomerEmailListDto {
  @ApiProperty({ type: [CustomerEmailDto], description: 'Newest first (the latest 50).' })
  items: CustomerEmailDto[];
}
