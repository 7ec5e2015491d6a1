/** One CSV record: the physical line it starts on (1-based), its fields, or why it cannot be used. */
export interface CsvRecord {
  line: number;
  fields: string[];
  /** Set when the record is damaged (a field too long, a quote never closed); its fields are then not to be used. */
  error?: string;
}

/** The longest field kept; a longer one makes its record an error (a damaged file must not fill memory). */
export const MAX_CSV_FIELD_LENGTH = 4096;

const QUOTE = 34; // "
const CR = 13;
const LF = 10;

enum State {
  FieldStart,
  Bare,
  Quoted,
  /** A quote inside a quoted field: the field's end, or the first of a doubled quote. */
  QuoteInQuoted,
}

/**
 * RFC 4180 records from text given in pieces (a streamed file): fields separated by `delimiter`,
 * quoted fields with doubled quotes and line breaks inside, CRLF, LF or CR line ends, a leading
 * byte-order mark dropped, blank lines skipped. Memory stays bounded whatever the input: a field
 * longer than {@link MAX_CSV_FIELD_LENGTH} is not kept, and its record comes out with an error.
 * Lenient where Excel and Magento are (a stray quote inside a bare field is text).
 */
export class CsvRecordParser {
  private readonly delimiter: number;
  private state = State.FieldStart;
  private fields: string[] = [];
  private field = '';
  private error: string | undefined;
  private line = 1;
  private recordLine = 1;
  private afterCr = false;
  private crInQuotes = false;
  private first = true;

  constructor(delimiter = ',') {
    this.delimiter = delimiter.charCodeAt(0);
  }

  /** The records this piece of text completes. */
  push(text: string): CsvRecord[] {
    const out: CsvRecord[] = [];
    let i = 0;
    if (this.first && text.length > 0) {
      this.first = false;
      if (text.charCodeAt(0) === 0xfeff) i = 1;
    }
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (this.afterCr) {
        this.afterCr = false;
        if (c === LF) continue; // the LF of a CRLF already ended its line
      }
      const lineBreak = c === LF || c === CR;
      switch (this.state) {
        case State.Quoted:
          if (c === QUOTE) this.state = State.QuoteInQuoted;
          else if (c !== CR && c !== LF) {
            // The run of plain characters up to the next quote or line break, taken as one slice.
            let end = i + 1;
            while (end < text.length) {
              const next = text.charCodeAt(end);
              if (next === QUOTE || next === CR || next === LF) break;
              end++;
            }
            this.add(text.slice(i, end));
            i = end - 1;
          } else {
            // A line break inside a quoted field is part of it, as written; CRLF counts as one line.
            if (c === CR || (c === LF && !this.crInQuotes)) this.line++;
            this.add(text[i]);
          }
          this.crInQuotes = c === CR;
          continue;
        case State.QuoteInQuoted:
          if (c === QUOTE) {
            this.add('"');
            this.state = State.Quoted;
            continue;
          }
          break; // the quoted field ended: a delimiter or line end follows (text after it is kept, leniently)
        case State.FieldStart:
          if (c === QUOTE) {
            this.state = State.Quoted;
            continue;
          }
          break;
        default:
          break;
      }
      if (c === this.delimiter) {
        this.endField();
        this.state = State.FieldStart;
      } else if (lineBreak) {
        const record = this.endRecord();
        if (record) out.push(record);
        this.newLine(c);
        this.recordLine = this.line;
      } else {
        // The run of plain characters up to the next delimiter or line break, taken as one slice
        // (a quote inside a bare field is text).
        let end = i + 1;
        while (end < text.length) {
          const next = text.charCodeAt(end);
          if (next === this.delimiter || next === CR || next === LF) break;
          end++;
        }
        this.add(text.slice(i, end));
        i = end - 1;
        this.state = State.Bare;
      }
    }
    return out;
  }

  /**
   * Whether the text so far ended exactly after a record (or blank lines): nothing of a record is
   * pending, so the next line may be read by other means (the import's fast path) and passed over
   * with {@link skipLine}.
   */
  atRecordStart(): boolean {
    return this.state === State.FieldStart && this.fields.length === 0 && this.field === '' && !this.error && !this.afterCr;
  }

  /** The line number the next record starts on (1-based). */
  get nextLine(): number {
    return this.line;
  }

  /** One line read by other means ({@link atRecordStart}): the next record starts a line further on. */
  skipLine(): void {
    this.first = false;
    this.line++;
    this.recordLine = this.line;
  }

  /** The last record, once the text has ended: an unclosed quote makes it an error (a truncated file). */
  end(): CsvRecord[] {
    if (this.state === State.Quoted) {
      const record = { line: this.recordLine, fields: [], error: 'the file ends inside a quoted field (a truncated file?)' };
      this.reset();
      return [record];
    }
    const record = this.endRecord();
    return record ? [record] : [];
  }

  private newLine(c: number): void {
    this.line++;
    this.afterCr = c === CR;
  }

  private add(text: string): void {
    if (this.error) return;
    if (this.field.length + text.length > MAX_CSV_FIELD_LENGTH) {
      this.error = `a field is longer than ${MAX_CSV_FIELD_LENGTH} characters`;
      this.field = '';
      return;
    }
    this.field += text;
  }

  private endField(): void {
    this.fields.push(this.field);
    this.field = '';
  }

  private endRecord(): CsvRecord | null {
    const blank = this.state === State.FieldStart && this.fields.length === 0 && !this.error;
    if (blank) return null;
    this.endField();
    const record: CsvRecord = { line: this.recordLine, fields: this.fields };
    if (this.error) record.error = this.error;
    this.reset();
    return record;
  }

  private reset(): void {
    this.state = State.FieldStart;
    this.fields = [];
    this.field = '';
    this.error = undefined;
  }
}

/** Records of a whole stream of text (a file read with an encoding), in order, with backpressure. */
export async function* csvRecords(chunks: AsyncIterable<string>, delimiter = ','): AsyncGenerator<CsvRecord> {
  const parser = new CsvRecordParser(delimiter);
  for await (const chunk of chunks) yield* parser.push(chunk);
  yield* parser.end();
}
