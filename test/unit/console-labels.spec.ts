import { AuditAction } from '@customer-access/admin';
import { flattenCatalogue, loadCatalogues } from '@customer-access/i18n';
import { EMAIL_TEMPLATE_NAMES } from '@customer-access/notification';
import { WEBHOOK_EVENT_TYPES } from '@customer-access/webhooks';
import { AUDIT_ACTION_KEYS, EMAIL_TEMPLATE_KEYS, WEBHOOK_EVENT_KEYS } from '../../apps/admin-console/src/screens/label-keys';

/**
 * The admin console names every audit action, email template and webhook event type the server can
 * write, in every language: the lists come from the server's own single sources (the AuditAction
 * enum, the email log's template names, WEBHOOK_EVENT_TYPES), so a new one without a console label
 * fails here.
 */
describe('console labels', () => {
  const catalogues = loadCatalogues();

  const cases: Array<[string, readonly string[], Record<string, string>, string]> = [
    ['audit action', Object.values(AuditAction), AUDIT_ACTION_KEYS, 'console.audit.actions'],
    ['email template', EMAIL_TEMPLATE_NAMES, EMAIL_TEMPLATE_KEYS, 'console.emails.templates'],
    ['webhook event type', WEBHOOK_EVENT_TYPES, WEBHOOK_EVENT_KEYS, 'console.webhooks.eventTypes'],
  ];

  it.each(cases)('every %s the server writes has a console label, and no label is for a name the server lacks', (_, names, keys) => {
    expect(names.length).toBeGreaterThan(3);
    expect({ unlabelled: names.filter((name) => !keys[name]), stale: Object.keys(keys).filter((name) => !names.includes(name)) }).toEqual({
      unlabelled: [],
      stale: [],
    });
  });

  it.each(
    cases.flatMap(([kind, names, keys, section]) => Object.keys(catalogues).map((locale) => [kind, locale, names, keys, section] as const)),
  )('every %s label is in the %s catalogue', (_, locale, names, keys, section) => {
    const flat = flattenCatalogue(catalogues[locale]);
    expect(names.filter((name) => !flat[`${section}.${keys[name]}`]?.trim())).toEqual([]);
  });

  it('includes the admin commands and the customer email-changed notice', () => {
    expect(AUDIT_ACTION_KEYS['admin.password_set']).toBeDefined();
    expect(AUDIT_ACTION_KEYS['admin.unlocked']).toBeDefined();
    expect(EMAIL_TEMPLATE_KEYS['email-changed']).toBeDefined();
  });
});
