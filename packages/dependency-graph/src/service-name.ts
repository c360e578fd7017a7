/**
 * The rule every service name follows: 1 to 63 characters, ASCII letters, digits, `_`, `.` and `-`, starting with
 * a letter or a digit. Every such name is a valid Docker container name (`[a-zA-Z0-9][a-zA-Z0-9_.-]+`) and a valid
 * Compose service name (`[a-zA-Z0-9._-]+`), and fits in a DNS label (63 characters), so it can also be a host name
 * on a Docker network. It also keeps names safe in file names, metric labels, Mermaid and DOT.
 */
export const SERVICE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;

/**
 * Whether `name` follows {@link SERVICE_NAME_PATTERN}.
 * @param name - a candidate service name
 * @returns `true` when the name is valid
 * @example
 * ```ts
 * isValidServiceName('opal-client'); // true
 * isValidServiceName('-x'); // false: must start with a letter or digit
 * ```
 */
export function isValidServiceName(name: string): boolean {
  return SERVICE_NAME_PATTERN.test(name);
}
