import { Body, Controller, Get, Headers, HttpCode, Post, Req, UnauthorizedException, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ErrorCode, Messages } from '@customer-access/common';
import { CustomersService, CustomerView, toCustomerView } from '@customer-access/customers';
import { CustomerAuthGuard, CustomerRequest } from '@customer-access/oauth';
import { LogContext } from '@customer-access/observability';
import { StoreRegistry } from '@customer-access/settings';
import { ApiErrors, COMMON_INPUT_ERRORS, ErrorResponseDto, PASSWORD_BREACHED_ERROR } from '../openapi/api-errors';
import { LogsCaller } from '../ops/request-log-context.interceptor';
import { ApiStoreHeader, STORE_UNKNOWN_ERROR } from '../openapi/store-header';
import { RegisterCustomerDto } from './storefront.dto';
import { CustomerResponseDto } from './storefront.responses';

@ApiTags('storefront')
@ApiStoreHeader()
@Controller('customers')
export class CustomersController {
  constructor(
    private readonly customers: CustomersService,
    private readonly logContext: LogContext,
    private readonly stores: StoreRegistry,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Register a customer account' })
  @ApiCreatedResponse({ type: CustomerResponseDto, description: 'The new customer, without any secret.' })
  @ApiErrors(
    ...COMMON_INPUT_ERRORS,
    {
      status: 400,
      code: ErrorCode.PasswordPolicy,
      message: 'The password needs at least 6 characters. Create a new password and try again.',
      when: 'the password breaks the password policy (length, character classes, spaces, common password)',
    },
    PASSWORD_BREACHED_ERROR,
    STORE_UNKNOWN_ERROR,
    { status: 409, code: ErrorCode.EmailTaken, message: Messages.emailTaken },
  )
  async register(@Body() dto: RegisterCustomerDto, @Headers('store') store?: string): Promise<CustomerView> {
    // The account belongs to the Store header's website and store view (none: base/default).
    const customer = toCustomerView(await this.customers.register(dto, this.stores.forRequest(store)));
    this.logContext.assign({ customerId: customer.id });
    return customer;
  }

  @Get('me')
  @ApiOperation({ summary: 'The customer the access token belongs to' })
  @ApiBearerAuth()
  @ApiOkResponse({ type: CustomerResponseDto })
  @ApiResponse({
    status: 401,
    type: ErrorResponseDto,
    description: 'Missing, expired or revoked access token.',
    example: { statusCode: 401, code: ErrorCode.Unauthorized, message: 'A valid customer access token is required.' },
  })
  @ApiErrors(STORE_UNKNOWN_ERROR)
  @UseGuards(CustomerAuthGuard)
  @LogsCaller()
  async me(@Req() request: CustomerRequest, @Headers('store') store?: string): Promise<CustomerView> {
    // The Store header is checked as on every storefront route; the token names the account, whatever the store view.
    this.stores.forRequest(store);
    const customer = await this.customers.findById(request.customerAuth!.customerId);
    if (!customer) throw new UnauthorizedException('A valid customer access token is required.');
    return toCustomerView(customer);
  }
}
