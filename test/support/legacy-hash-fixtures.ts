import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * Password hashes made by the other systems' own code at test time (never hand-written constants):
 * - PHP 8.2 (Debian's php-cli, with sodium): password_hash for bcrypt `$2y$`; Magento 2.4's Encryptor
 *   steps reproduced line for line (md5/sha256 of salt + input, sodium_crypto_pwhash argon2id13 with the
 *   salt cut or repeated to 16 bytes, chained versions); WordPress 6.8's wp_hash_password
 *   ('$wp' . password_hash(base64_encode(hash_hmac('sha384', $password, 'wp-sha384', true)))).
 * - /usr/bin/python3 with passlib (phpass `$P$`/`$H$`, pbkdf2_sha256, argon2 via argon2-cffi) and
 *   Django's make_password (pbkdf2_sha256).
 * `.ci/run` installs php-cli, python3-passlib, python3-django and python3-argon2 when missing.
 */
export interface LegacyFixture {
  /** Which tool made it, for the test names and the docs' table. */
  madeBy: string;
  algorithm: string;
  password: string;
  hash: string;
}

export const PHP = '/usr/bin/php';
export const PYTHON = '/usr/bin/python3';

/** Why the fixtures cannot be made here, or null when PHP and Python with passlib and Django are present. */
export function fixturesUnavailable(): string | null {
  if (!existsSync(PHP)) return `${PHP} is missing (Debian's php-cli)`;
  if (!existsSync(PYTHON)) return `${PYTHON} is missing`;
  try {
    execFileSync(PYTHON, ['-c', 'import passlib, django, argon2'], { stdio: 'ignore' });
  } catch {
    return 'python3-passlib, python3-django or python3-argon2 is missing';
  }
  return null;
}

const PHP_SCRIPT = String.raw`
$pw = getenv('FIXTURE_PASSWORD');
$out = [];
// Magento 2.4 Encryptor::getHash / isValidHash, steps as in lib/internal/Magento/Framework/Encryption/Encryptor.php.
function magentoArgon($data, $seedBytes, $ops, $mem, $salt) {
  if (strlen($salt) < SODIUM_CRYPTO_PWHASH_SALTBYTES) { $salt = str_pad($salt, SODIUM_CRYPTO_PWHASH_SALTBYTES, $salt); }
  elseif (strlen($salt) > SODIUM_CRYPTO_PWHASH_SALTBYTES) { $salt = substr($salt, 0, SODIUM_CRYPTO_PWHASH_SALTBYTES); }
  return bin2hex(sodium_crypto_pwhash($seedBytes, $data, $salt, $ops, $mem, SODIUM_CRYPTO_PWHASH_ALG_ARGON2ID13));
}
function magentoStep($version, $salt, $data) {
  if (preg_match('/^3\_(?<seed>\d+)\_(?<ops>\d+)\_(?<mem>\d+)$/', $version, $p)) {
    return magentoArgon($data, (int)$p['seed'], (int)$p['ops'], (int)$p['mem'], $salt);
  }
  if ((int)$version === 2) {
    return magentoArgon($data, SODIUM_CRYPTO_SIGN_SEEDBYTES, SODIUM_CRYPTO_PWHASH_OPSLIMIT_INTERACTIVE, SODIUM_CRYPTO_PWHASH_MEMLIMIT_INTERACTIVE, $salt);
  }
  return hash([0 => 'md5', 1 => 'sha256'][(int)$version], $salt . $data);
}
function magento($pw, $salt, array $versions) {
  $h = $pw;
  foreach ($versions as $v) { $h = magentoStep((string)$v, $salt, $h); }
  return implode(':', [$h, $salt, implode(':', $versions)]);
}
$salt = 'Xq3bZ8kP0aLmN4cRtY7uWvE1sD5fG9hJ'; // 32 characters, as Magento's Random::getRandomString(32)
$agnostic = implode('_', [3, SODIUM_CRYPTO_SIGN_SEEDBYTES, SODIUM_CRYPTO_PWHASH_OPSLIMIT_INTERACTIVE, SODIUM_CRYPTO_PWHASH_MEMLIMIT_INTERACTIVE]);
$out[] = ['magento-v0-md5', magento($pw, $salt, [0])];
$out[] = ['magento-v1-sha256', magento($pw, $salt, [1])];
$out[] = ['magento-v2-argon2id13', magento($pw, $salt, [2])];
$out[] = ['magento-v3-argon2id13', magento($pw, $salt, [$agnostic])];
$out[] = ['magento-v3-argon2id13', magento($pw, 'short', ['3_16_1_8192'])]; // short salt: repeated to 16 bytes
$out[] = ['magento-chained', magento($pw, $salt, [1, 2])];
$out[] = ['magento-chained', magento($pw, $salt, [0, 1, $agnostic])];
$out[] = ['magento-unversioned-md5', md5($salt . $pw) . ':' . $salt];
$out[] = ['magento-unversioned-sha256', hash('sha256', $salt . $pw) . ':' . $salt];
$out[] = ['md5', md5($pw)];
$out[] = ['bcrypt', password_hash($pw, PASSWORD_BCRYPT, ['cost' => 10])];
// WordPress 6.8 wp_hash_password.
$out[] = ['wordpress-bcrypt', '$wp' . password_hash(base64_encode(hash_hmac('sha384', $pw, 'wp-sha384', true)), PASSWORD_BCRYPT)];
echo json_encode($out);
`;

const PYTHON_SCRIPT = String.raw`
import json, os
from passlib.hash import phpass, pbkdf2_sha256, argon2, bcrypt
import django
from django.conf import settings
settings.configure(PASSWORD_HASHERS=['django.contrib.auth.hashers.PBKDF2PasswordHasher'])
django.setup()
from django.contrib.auth.hashers import make_password
pw = os.environ['FIXTURE_PASSWORD']
out = [
  ['phpass', phpass.using(rounds=13).hash(pw)],                       # WordPress: $P$B (2^13)
  ['phpass', phpass.using(rounds=11, ident='H').hash(pw)],            # phpBB: $H$9
  ['pbkdf2-sha256', pbkdf2_sha256.using(rounds=29000).hash(pw)],
  ['argon2id', argon2.using(type='ID', memory_cost=19456, time_cost=2, parallelism=1).hash(pw)],
  ['argon2i', argon2.using(type='I', memory_cost=8192, time_cost=3, parallelism=2).hash(pw)],
  ['django-pbkdf2-sha256', make_password(pw, hasher='pbkdf2_sha256')],
]
print(json.dumps(out))
`;

/** Runs the PHP and Python generators for one password; every hash is tagged with its maker. */
export function makeLegacyFixtures(password: string): LegacyFixture[] {
  const env = { ...process.env, FIXTURE_PASSWORD: password };
  const php = JSON.parse(execFileSync(PHP, ['-r', PHP_SCRIPT], { env, encoding: 'utf8' })) as [string, string][];
  const py = JSON.parse(execFileSync(PYTHON, ['-c', PYTHON_SCRIPT], { env, encoding: 'utf8' })) as [string, string][];
  return [
    ...php.map(([algorithm, hash]) => ({ madeBy: algorithm === 'bcrypt' ? 'PHP password_hash' : 'PHP 8.2', algorithm, password, hash })),
    ...py.map(([algorithm, hash]) => ({
      madeBy: algorithm.startsWith('django') ? 'Django make_password' : 'Python passlib',
      algorithm,
      password,
      hash,
    })),
  ];
}
