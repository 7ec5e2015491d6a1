import { Body, Controller, Get, HttpCode, Post, Req, UnauthorizedException, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CustomersService, CustomerView, toCustomerView } from '@customer-access/customers';
import { CustomerAuthGuard, CustomerRequest } from '@customer-access/oauth';
import { RegisterCustomerDto } from './storefront.dto';

@ApiTags('storefront')
@Controller('customers')
export class CustomersController {
  constructor(private readonly customers: CustomersService) {}

  @Post()
  @HttpCode(201)
  async register(@Body() dto: RegisterCustomerDto): Promise<CustomerView> {
    return toCustomerView(await this.customers.register(dto));
  }

  @Get('me')
  @ApiBearerAuth()
  @UseGuards(CustomerAuthGuard)
  async me(@Req() request: CustomerRequest): Promise<CustomerView> {
    const customer = await this.customers.findById(request.customerAuth!.customerId);
    if (!customer) throw new UnauthorizedException('A valid customer access token is required.');
    return toCustomerView(customer);
  }
}
