import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { DomainError, ErrorCode } from '@customer-access/common';
import { CustomerPasswordSettingsPatch, DEFAULT_SETTINGS } from '@customer-access/settings';
import { createValidationPipe } from '../http/validation.pipe';

/**
 * Validates a settings change strictly. The patch class converts numbers (it also reads values
 * back from the database), which would let `"5"`, `true` or `[5]` pass as 5; an admin API should
 * say the type is wrong instead. So the JSON types are checked first, against the defaults' types,
 * then the patch class's ranges, with the app's usual validation options.
 */
@Injectable()
export class SettingsPatchPipe implements PipeTransform {
  private readonly validation = createValidationPipe();

  async transform(value: unknown, metadata: ArgumentMetadata): Promise<CustomerPasswordSettingsPatch> {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new DomainError(ErrorCode.Validation, 'The request body must be a JSON object of settings.');
    }
    const wrongTypes = Object.entries(value)
      .filter(([key]) => key in DEFAULT_SETTINGS)
      .filter(([key, v]) => typeof v !== typeof DEFAULT_SETTINGS[key as keyof typeof DEFAULT_SETTINGS])
      .map(([key]) => `${key} must be a ${typeof DEFAULT_SETTINGS[key as keyof typeof DEFAULT_SETTINGS]}`);
    if (wrongTypes.length > 0) throw new DomainError(ErrorCode.Validation, wrongTypes.join('; '));
    return this.validation.transform(value, { ...metadata, type: 'body', metatype: CustomerPasswordSettingsPatch });
  }
}
