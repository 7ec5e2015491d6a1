import { storefrontSignInUrl } from './page-responder';

describe('storefrontSignInUrl', () => {
  it("is STOREFRONT_URL's Magento sign-in page", () => {
    expect(storefrontSignInUrl({ publicUrl: 'https://account.shop.example', storefrontUrl: 'https://www.shop.example' })).toBe(
      'https://www.shop.example/customer/account/login',
    );
  });

  it('is none when STOREFRONT_URL is this service (its default): there is no sign-in page here', () => {
    expect(storefrontSignInUrl({ publicUrl: 'http://localhost:3000', storefrontUrl: 'http://localhost:3000' })).toBeUndefined();
  });
});
