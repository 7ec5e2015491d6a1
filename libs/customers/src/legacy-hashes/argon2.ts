import * as argon2Lib from 'argon2';
import { HashFamily, malformed, passwordBytes, tooCostly, WORK_FACTOR_LIMITS } from './format';

/** PHC strings `$argon2id$v=19$m=…,t=…,p=…$salt$hash` and `$argon2i$…`, verified by the argon2 package. */
const PHC = /^\$(argon2id|argon2i)\$(?:v=(16|19)\$)?m=(\d{1,10}),t=(\d{1,10}),p=(\d{1,3})\$[A-Za-z0-9+/]{11,}\$[A-Za-z0-9+/]{16,}$/;

export const argon2: HashFamily<string> = {
  parse(hash) {
    if (!hash.startsWith('$argon2id$') && !hash.startsWith('$argon2i$')) return null;
    const m = PHC.exec(hash);
    if (!m) throw malformed('an argon2 PHC string is $argon2id$v=19$m=…,t=…,p=…$salt$hash');
    const [memory, time, lanes] = [Number(m[3]), Number(m[4]), Number(m[5])];
    if (memory < 8 || time < 1 || lanes < 1) throw malformed('argon2 parameters out of range');
    if (memory > WORK_FACTOR_LIMITS.argon2MemoryKiB) throw tooCostly('argon2 memory above 256 MiB');
    if (time > WORK_FACTOR_LIMITS.argon2TimeCost) throw tooCostly(`argon2 passes above ${WORK_FACTOR_LIMITS.argon2TimeCost}`);
    return { algorithm: m[1] === 'argon2id' ? 'argon2id' : 'argon2i', parsed: hash };
  },
  async verify(password, hash) {
    try {
      return await argon2Lib.verify(hash, passwordBytes(password));
    } catch {
      return false;
    }
  },
};
