/**
 * The addresses of the storefront's pages, as Magento names them: the hosted pages serve them, and
 * the reset email links to `createPassword` on STOREFRONT_URL (the hosted page, or the store's own).
 */
export const STOREFRONT_PAGES = {
  /** Every hosted page lives under it; their cookies are scoped to it. */
  base: '/customer/account',
  forgotPassword: '/customer/account/forgotpassword',
  /** The reset link's page: `?token=` carries the reset token. */
  createPassword: '/customer/account/createPassword',
} as const;
