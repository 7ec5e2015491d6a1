import { storefrontSignInUrl, storeViewSignInUrl } from './page-responder';

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

describe('storeViewSignInUrl', () => {
  it("is under the store view's configured baseUrl, and none when that is this service", () => {
    expect(storeViewSignInUrl({ baseUrl: 'https://eu.shop.example' }, { publicUrl: 'https://account.shop.example' })).toBe(
      'https://eu.shop.example/customer/account/login',
    );
    expect(storeViewSignInUrl({ baseUrl: 'http://localhost:3000' }, { publicUrl: 'http://localhost:3000' })).toBeUndefined();
  });
});
