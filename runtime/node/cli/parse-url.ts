// parseUrl: the commander parser of --url and --admin-url: a bad value is a usage error naming it.
import { InvalidArgumentError } from 'commander';

/** Accepts an http:// or https:// URL, as given. */
export function parseUrl(value: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url?.protocol !== 'http:' && url?.protocol !== 'https:') throw new InvalidArgumentError(`expected an http:// or https:// URL such as http://127.0.0.1:8080, got "${value}"`);
  return value;
}
