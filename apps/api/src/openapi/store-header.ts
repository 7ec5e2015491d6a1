import { applyDecorators } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { ErrorCode, Messages } from '@customer-access/common';
import { STORE_CODE_PATTERN } from '@customer-access/settings';
import { ErrorExample } from './api-errors';

/** 400 STORE_UNKNOWN: the Store header names no active store view (docs/api.md, Stores). */
export const STORE_UNKNOWN_ERROR: ErrorExample = {
  status: 400,
  code: ErrorCode.StoreUnknown,
  message: Messages.storeUnknown,
  when: 'the Store header names an unknown or inactive store view',
};

/**
 * The `Store` request header of every storefront route (Magento's convention): the store view's
 * code; none means `default`. Put on a storefront controller, it documents every route of it.
 */
export function ApiStoreHeader(): ClassDecorator & MethodDecorator {
  return applyDecorators(
    ApiHeader({
      name: 'Store',
      required: false,
      description:
        'The code of the store view the request is for (its website holds the account; its link base, sender and language make the emails). ' +
        'None: `default`. An unknown or inactive code: 400 `STORE_UNKNOWN`.',
      schema: { type: 'string', pattern: STORE_CODE_PATTERN.source, example: 'default' },
    }),
  );
}
