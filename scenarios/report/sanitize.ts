/**
 * Making free text (failure messages, diffs, flow logs) safe to print or to put into XML: ANSI
 * escape sequences removed, other control characters shown as their Unicode control pictures
 * (`\x07` → `␇`), line breaks normalised to `\n`.
 */

// ANSI/VT sequences: CSI (`ESC [ … final`, also the 8-bit CSI), OSC (`ESC ] … BEL|ST`) and two-byte escapes.
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u009b[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[@-Z\\-_]/g;

// C0 controls but tab and newline, and DEL.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

// What XML 1.0 forbids beyond C0 controls: U+FFFE, U+FFFF and unpaired surrogates.
const XML_NONCHARACTERS = /[\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function stripAnsi(s: string): string {
  return s.replace(ANSI, '');
}

function picture(c: string): string {
  const code = c.charCodeAt(0);
  return code === 0x7f ? '\u2421' : String.fromCharCode(0x2400 + code);
}

/** Text without ANSI sequences or control characters other than `\n` and `\t`. */
export function plainText(s: string): string {
  return stripAnsi(s.replace(/\r\n?/g, '\n')).replace(CONTROL, picture);
}

/** `plainText`, also free of the characters XML 1.0 forbids (replaced with U+FFFD). */
export function xmlText(s: string): string {
  return plainText(s).replace(XML_NONCHARACTERS, '\ufffd');
}

/** `xmlText` on one line, for attributes (line breaks and tabs become spaces). */
export function xmlAttribute(s: string): string {
  return xmlText(s).replace(/[\n\t]/g, ' ');
}
