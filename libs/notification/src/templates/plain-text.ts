/**
 * Wraps plain text for the text/plain part of an email at 78 columns (RFC 5322 §2.1.1), counting
 * East Asian wide characters as two columns, breaking Latin text at spaces and CJK text between
 * characters, without starting a line with closing punctuation (，。） …) or ending one with
 * opening punctuation. A word longer than the line (a URL) stays whole on a line of its own, so
 * that it remains clickable.
 */
export const TEXT_WIDTH = 78;

const WIDE =
  /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/;
const CLOSING = /^[，。、：；！？）」』》〉】〕”’…,.:;!?)\]]/;
const OPENING = /^[（「『《〈【〔“‘([]/;

/** Display width in terminal columns. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += WIDE.test(ch) ? 2 : 1;
  return width;
}

/** Units that may not be split, each with whether a space separated it from the previous one. */
function units(paragraph: string): Array<{ text: string; spaced: boolean }> {
  const atoms: Array<{ text: string; spaced: boolean; wide: boolean }> = [];
  let spaced = false;
  for (const ch of paragraph) {
    if (ch === ' ' || ch === '\t') {
      spaced = atoms.length > 0;
      continue;
    }
    const wide = WIDE.test(ch);
    const last = atoms[atoms.length - 1];
    // Latin letters, digits and punctuation join the word before them; each wide character is a unit.
    if (!wide && last && !last.wide && !spaced) last.text += ch;
    else atoms.push({ text: ch, spaced, wide });
    spaced = false;
  }
  // Closing punctuation never starts a line, opening punctuation never ends one: glue them.
  const out: Array<{ text: string; spaced: boolean }> = [];
  for (const atom of atoms) {
    const last = out[out.length - 1];
    const glue = last && !atom.spaced && (CLOSING.test(atom.text[0]) || OPENING.test(last.text[last.text.length - 1]));
    if (glue) last.text += atom.text;
    else out.push({ text: atom.text, spaced: atom.spaced });
  }
  return out;
}

/** Only ASCII: no wide characters and no CJK punctuation, so the units are the words between spaces. */
const ASCII_ONLY = /^[^\u0080-\uffff]*$/;

/**
 * wrapParagraph for ASCII text, as it would wrap it: one column per character, and every unit after
 * the first separated by a space, so none is glued to another. Per character, the general path
 * tests a regular expression twice; the English emails' text parts take this one.
 */
function wrapAsciiParagraph(paragraph: string, width: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of paragraph.split(/[ \t]+/)) {
    if (!word) continue;
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.join('\n');
}

/** One paragraph (no newlines) wrapped to `width` columns. */
export function wrapParagraph(paragraph: string, width = TEXT_WIDTH): string {
  return ASCII_ONLY.test(paragraph) ? wrapAsciiParagraph(paragraph, width) : wrapUnits(paragraph, width);
}

/** The general path of wrapParagraph, for any text (exported for the test that holds the ASCII path to it). */
export function wrapUnits(paragraph: string, width = TEXT_WIDTH): string {
  const lines: string[] = [];
  let line = '';
  let lineWidth = 0;
  for (const unit of units(paragraph)) {
    const w = displayWidth(unit.text);
    const gap = unit.spaced && line ? 1 : 0;
    if (line && lineWidth + gap + w > width) {
      lines.push(line);
      line = unit.text;
      lineWidth = w;
    } else {
      line += (gap ? ' ' : '') + unit.text;
      lineWidth += gap + w;
    }
  }
  if (line) lines.push(line);
  return lines.join('\n');
}

/** Text of several paragraphs (separated by blank lines), each wrapped. */
export function wrapText(text: string, width = TEXT_WIDTH): string {
  return text
    .split('\n')
    .map((line) => wrapParagraph(line, width))
    .join('\n');
}
