/** `--page-size` as the core listing option; absent leaves the registry's default page size. */
export function pageOptions(options: Record<string, unknown>): { pageSize?: number } {
  return typeof options.pageSize === 'number' ? { pageSize: options.pageSize } : {};
}
