export type Row = [string, string, string, string];

/** Prints rows as an aligned plain-text table. */
export function printTable(rows: Row[]): void {
  const widths = [0, 1, 2, 3].map((column) => Math.max(...rows.map((row) => row[column]!.length)));
  for (const row of rows) {
    process.stdout.write(`${row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()}\n`);
  }
}
