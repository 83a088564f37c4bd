/**
 * One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break. A text
 * that a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage
 * return) is prefixed with an apostrophe, so that an audit entry quoting someone's note
 * cannot run anything on the machine of the admin who opens the export.
 */
export function csvField(value: string): string {
  const inert = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(inert) ? `"${inert.replaceAll('"', '""')}"` : inert;
}
