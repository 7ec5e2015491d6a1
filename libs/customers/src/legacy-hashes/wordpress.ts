import { createHmac } from 'node:crypto';
import { checkBcrypt, verifyBcrypt } from './bcrypt';
import { HashFamily } from './format';

/**
 * WordPress 6.8+ (`wp_hash_password`): `$wp` + bcrypt of base64(HMAC-SHA384(key "wp-sha384",
 * password)), so that passwords longer than bcrypt's 72 bytes still count in full. wp_check_password
 * verifies the bcrypt part (the hash without `$wp`) against the same pre-hash.
 */
export const wordpress: HashFamily<string> = {
  parse: (hash) => (hash.startsWith('$wp$') ? { algorithm: 'wordpress-bcrypt', parsed: checkBcrypt(hash.slice(3)) } : null),
  verify: (password, bcryptPart) => verifyBcrypt(createHmac('sha384', 'wp-sha384').update(password, 'utf8').digest('base64'), bcryptPart),
};
