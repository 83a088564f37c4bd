const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** The value of an `<input type="datetime-local">` for an instant, in the viewer's time zone. */
export function toLocalInput(at: number): string {
  const d = new Date(at);
  return `${pad(d.getFullYear(), 4)}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** The instant an `<input type="datetime-local">` holds (a local time), or undefined when empty or invalid. */
export function fromLocalInput(value: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value)) return undefined;
  const at = new Date(value).getTime();
  return Number.isFinite(at) ? at : undefined;
}
