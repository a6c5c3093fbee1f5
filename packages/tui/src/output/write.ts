/** One JSON document, pretty-printed, newline-terminated: what every `--json` command prints. */
export function writeJson(stdout: NodeJS.WritableStream, value: unknown): void {
  stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function writeLine(stdout: NodeJS.WritableStream, line = ''): void {
  stdout.write(`${line}\n`);
}
