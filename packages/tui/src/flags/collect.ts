/** Commander reducer for repeatable options (`--insecure-registry A --insecure-registry B`). */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
