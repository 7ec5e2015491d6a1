/** Test data (not built into dist/): store views and tricky Magento rows for the import's specs. */
import { ImportStores } from './import-rows';

export const stores: ImportStores = {
  storeViews: new Map([
    ['default', { websiteCode: 'base', locale: null }],
    ['cn', { websiteCode: 'asia', locale: 'zh-CN' }],
    ['asia_en', { websiteCode: 'asia', locale: null }],
  ]),
  defaultStoreView: new Map([
    ['base', 'default'],
    ['asia', 'cn'],
  ]),
  defaultLocale: 'en',
};

export const SHA = 'a853b06f077b686f8a3af80c98acfca763cf10c0e03597c67e756f1c782d1ab0:8qnyO4H1OYIfGCUb:1';
export const BCRYPT = '$2y$10$abcdefghijklmnopqrstuu0123456789ABCDEFGHIJKLMNOPQRSTU';
export const HEADER =
  '"email","_website","_store","website_id","store_id","created_in","firstname","lastname","password_hash","created_at"';
export const row = (email: string, website: string, store: string, first: string, last: string, hash: string, created: string): string =>
  `${email},${website},${store},"1","1","Default Store View",${first},${last},${hash},${created}`;

/** Rows the fast path must take or leave exactly as the general path would (the general path answers for each). */
export const TRICKY = [
  row('"customer.1@bench.example"', '"base"', '"default"', '"First 1"', '"Last"', `"${SHA}"`, '"2024-01-31 09:15:00"'),
  row(
    '" Ana@Example.COM "',
    'base',
    'default',
    'Ana ',
    ' Lovelace',
    SHA.toUpperCase().replace(':8QNYO4H1OYIFGCUB:1', ':salt:1'),
    '2024-02-29 23:59:59',
  ),
  row('ｍｉｋｅ@example.com', 'base', 'default', 'Mike', 'Full', SHA, ''),
  row('not-an-email', 'base', 'default', 'A', 'B', SHA, ''),
  row('"""a b""@example.com"', 'base', 'default', 'A', 'B', SHA, ''),
  row('"quoted.local+tag@sub-domain.example.co"', 'base', 'default', 'A', 'B', SHA, ''),
  row('x@localhost', 'base', 'default', 'A', 'B', SHA, ''),
  row('jurgen@example.de', 'base', 'default', '"Jürgen"', '"Müller-Lüdenscheidt"', '', ''),
  row('jose@example.es', 'base', 'default', '"José"', '"Núñez"', '', ''),
  row('nbsp@example.com', 'base', 'default', 'Nb\u00a0', 'Sp', '', ''),
  row('emptyname@example.com', 'base', 'default', '""', 'Sp', '', ''),
  row('spacesname@example.com', 'base', 'default', '"   "', 'Sp', '', ''),
  row('longname@example.com', 'base', 'default', 'x'.repeat(256), 'Sp', '', ''),
  row('longname2@example.com', 'base', 'default', 'x'.repeat(255), 'Sp', '', ''),
  row('widename@example.com', 'base', 'default', `a${'é'.repeat(126)}z`, 'Sp', '', ''),
  row('nowebsite@example.com', '', '', 'A', 'B', SHA, ''),
  row('asia@example.com', 'asia', '', 'A', 'B', SHA, ''),
  row('asia2@example.com', ' asia ', 'asia_en', 'A', 'B', SHA, ''),
  row('asia3@example.com', 'asia', 'default', 'A', 'B', SHA, ''),
  row('unknown@example.com', 'mars', '', 'A', 'B', SHA, ''),
  row('unknownview@example.com', 'base', 'moon', 'A', 'B', SHA, ''),
  row('bcrypt@example.com', 'base', 'default', 'A', 'B', BCRYPT, ''),
  row('badhash@example.com', 'base', 'default', 'A', 'B', 'abc', ''),
  row('colonhash@example.com', 'base', 'default', 'A', 'B', SHA.replace(':1', ':x:1'), ''),
  row('v2hash@example.com', 'base', 'default', 'A', 'B', SHA.replace(/:1$/, ':2'), ''),
  row('leap@example.com', 'base', 'default', 'A', 'B', SHA, '2023-02-29 10:00:00'),
  row('april@example.com', 'base', 'default', 'A', 'B', SHA, '2024-04-31 00:00:00'),
  row('midnight@example.com', 'base', 'default', 'A', 'B', SHA, '2024-01-31 24:00:00'),
  row('oldyear@example.com', 'base', 'default', 'A', 'B', SHA, '0999-01-01 00:00:00'),
  row('iso@example.com', 'base', 'default', 'A', 'B', SHA, '2024-01-31T09:15:00Z'),
  row('month13@example.com', 'base', 'default', 'A', 'B', SHA, '2024-13-01 00:00:00'),
  row('second60@example.com', 'base', 'default', 'A', 'B', SHA, '2024-01-01 00:00:60'),
  row('month0@example.com', 'base', 'default', 'A', 'B', SHA, '2024-00-10 00:00:00'),
  row('day0@example.com', 'base', 'default', 'A', 'B', SHA, '2024-01-00 00:00:00'),
  row('notadate@example.com', 'base', 'default', 'A', 'B', SHA, 'yesterday'),
  row('multi@example.com', 'base', 'default', '"Line\none"', 'B', SHA, ''),
  row('crlfin@example.com', 'base', 'default', '"Line\r\ntwo"', 'B', SHA, ''),
  row('doubled@example.com', 'base', 'default', '"Say ""hi"""', 'B', SHA, ''),
  row('barequote@example.com', 'base', 'default', 'Ana "the" B', 'B', SHA, ''),
  row('afterquote@example.com', 'base', 'default', '"Ana"x', 'B', SHA, ''),
  row('tab@example.com', 'base', 'default', 'A\tB', 'B', SHA, ''),
  row('long@example.com', 'base', 'default', 'y'.repeat(5000), 'B', SHA, ''),
  `${row('extra@example.com', 'base', 'default', 'A', 'B', SHA, '')},`,
  'truncated@example.com,base,default,1',
  'wrong;delimiter;row',
  '',
  '   ',
  'customer.1@bench.example,base,default,1,1,x,Dup,Row,,',
  row('"cr-only@example.com"', 'base', 'default', 'A', 'B', SHA, '') +
    '\r' +
    row('after-cr@example.com', 'base', 'default', 'A', 'B', SHA, ''),
  row('del@example.com', 'base', 'default', 'A\x7f', 'B', SHA, ''),
  row('last@example.com', 'base', 'default', 'A', 'B', SHA, '2000-01-01 00:00:00'),
];
