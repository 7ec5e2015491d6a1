/** Han, kana and Hangul: names written in them put the family name first, with no space. */
const CJK_NAME = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}·・]+$/u;

/**
 * A customer's full name as its own script writes it: 王小雨 (family name first, no space) for a
 * Chinese name, Jane Doe for a Latin one, whatever the language of the text around it.
 */
export function fullName(firstName: string, lastName: string): string {
  const first = firstName.trim();
  const last = lastName.trim();
  if (!first || !last) return first || last;
  return CJK_NAME.test(first) && CJK_NAME.test(last) ? `${last}${first}` : `${first} ${last}`;
}
