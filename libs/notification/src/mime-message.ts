import type MimeNode from 'nodemailer/lib/mime-node';

/**
 * MimeNode's members this module reads that its type declaration keeps private. nodemailer is pinned to
 * an exact version in package.json for them: on an upgrade, check these names, then mime-message.spec.
 */
interface MimeNodeInternals {
  _raw?: unknown;
  _transforms?: unknown[];
  _processFuncs?: unknown[];
}

/** A leaf's body as nodemailer's stream would write it, or null for anything it does not handle. */
function leafBody(node: MimeNode): string | null {
  const content = node.content;
  if (typeof content !== 'string' || node.childNodes.length) return null;
  const encoding = node.getTransferEncoding();
  if (encoding === 'base64') {
    // nodemailer's base64 encoder: lines of 76 characters joined by CRLF, none after the last.
    const encoded = Buffer.from(content, 'utf8').toString('base64');
    if (encoded.length <= 76) return encoded;
    const lines: string[] = [];
    for (let i = 0; i < encoded.length; i += 76) lines.push(encoded.slice(i, i + 76));
    return lines.join('\r\n');
  }
  // 7bit and 8bit pass as they are; quoted-printable (and anything else) is left to nodemailer.
  if (encoding === '7bit' || encoding === '8bit') return content;
  return null;
}

/**
 * The message a compiled MailComposer tree (`new MailComposer(…).compile()`) streams, built as one
 * string instead: the headers from nodemailer's own `buildHeaders()` (every encoding and folding
 * decision stays nodemailer's), the bodies encoded here. `MimeNode.build()` streams the tree
 * through a PassThrough, a pipeline and a newline transform, each base64 part through a pipeline
 * of its own (Node 20 builds an AbortError each time a pipeline finishes) and a setImmediate per
 * node; the worker then streams the result once more to the SMTP server (docs/performance.md,
 * the worker, fifth round).
 *
 * Handles the shape MailSender makes: a multipart root whose leaves have string content in base64,
 * 7bit or 8bit, no newline conversion, no transforms (DKIM) and no raw node. Anything else returns
 * null, for the caller to fall back on `build()`. `mime-message.spec` holds it to `build()`'s bytes.
 */
export function buildMessageSync(root: MimeNode): Buffer | null {
  if (!plainNode(root)) return null;
  const parts: string[] = [root.buildHeaders(), '\r\n\r\n'];
  // A root that is not multipart would end with its content, where nodemailer adds a last newline.
  if (!root.multipart || !appendNode(root, parts)) return null;
  return Buffer.from(parts.join(''), 'utf8');
}

/** No raw content, no newline conversion, no transforms or post-processing (DKIM) on the node. */
function plainNode(node: MimeNode): boolean {
  const internals = node as unknown as MimeNodeInternals;
  return !internals._raw && !internals._transforms?.length && !internals._processFuncs?.length && !node.newline;
}

/** Appends a node's body (its headers are already in `parts`); false when the node is not handled. */
function appendNode(node: MimeNode, parts: string[]): boolean {
  if (!node.multipart) {
    const body = leafBody(node);
    if (body === null) return false;
    parts.push(body);
    return true;
  }
  // A multipart node with content of its own (a preamble) is left to nodemailer.
  if (node.content !== undefined || !node.childNodes.length) return false;
  for (let i = 0; i < node.childNodes.length; i++) {
    const child = node.childNodes[i];
    if (!plainNode(child)) return false;
    parts.push(`${i > 0 ? '\r\n' : ''}--${node.boundary}\r\n`, child.buildHeaders(), '\r\n\r\n');
    if (!appendNode(child, parts)) return false;
  }
  parts.push(`\r\n--${node.boundary}--\r\n`);
  return true;
}
