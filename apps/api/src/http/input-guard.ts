import { DomainError, ErrorCode } from '@customer-access/common';

/**
 * Checks a request's body, query or params before any library walks it. Two shapes of input break
 * libraries downstream, and would otherwise surface as 500s:
 *
 * - deep nesting: class-transformer recurses once per level, so a 16 KiB body of `[[[[...]]]]` or
 *   `{"a":{"a":...}}` overflows the stack (RangeError);
 * - lone UTF-16 surrogates (`"\ud800"` in JSON): validator's isEmail calls encodeURI, which throws
 *   URIError; and a password with one would be hashed as U+FFFD, so two different typed passwords
 *   could match.
 *
 * Both are refused as 400 VALIDATION. The walk is iterative, so the check cannot overflow itself.
 */
export const MAX_INPUT_DEPTH = 32;
const LONE_SURROGATE = /\p{Cs}/u;

export function assertSafeInput(value: unknown): void {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (typeof node === 'string') {
      if (LONE_SURROGATE.test(node)) throw invalidUnicode();
      continue;
    }
    if (node === null || typeof node !== 'object') continue;
    if (depth >= MAX_INPUT_DEPTH) {
      throw new DomainError(ErrorCode.Validation, `The request is nested too deeply (at most ${MAX_INPUT_DEPTH} levels).`);
    }
    for (const [key, child] of Object.entries(node)) {
      if (LONE_SURROGATE.test(key)) throw invalidUnicode();
      stack.push([child, depth + 1]);
    }
  }
}

function invalidUnicode(): DomainError {
  return new DomainError(ErrorCode.Validation, 'The request contains text that is not valid Unicode (a lone surrogate).');
}
