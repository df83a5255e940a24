/** Plain code-unit order: unlike localeCompare, the same on every server whatever its locale. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
