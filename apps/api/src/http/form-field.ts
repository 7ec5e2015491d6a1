/**
 * A text field of a form or JSON body, as sent; '' when absent, not a single string (a repeated
 * form field arrives as an array) or longer than `max` (see INPUT_LIMITS).
 */
export function formField(body: unknown, name: string, max: number): string {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' && value.length <= max ? value : '';
}
