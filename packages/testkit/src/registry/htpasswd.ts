import bcrypt from 'bcryptjs';

/**
 * distribution only accepts bcrypt htpasswd entries. Cost 5 keeps each login check ~1 ms so
 * tests with many requests stay fast; the registry does not care about the cost.
 */
export function renderHtpasswd(users: Record<string, string>): string {
  return Object.entries(users)
    .map(([user, password]) => `${user}:${bcrypt.hashSync(password, 5)}`)
    .join('\n')
    .concat('\n');
}
