// Commander argument parsers for numeric options: a bad value is a usage error naming the option.
import { InvalidArgumentError } from 'commander';

/** Parses a non-negative integer (`--seed`, `-n`). */
export function parseInteger(value: string): number {
  if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError(`expected a non-negative integer, got "${value}"`);
  return Number(value);
}

/** Parses an integer ≥ 1 (`--max-tokens`): 0 and negative values get the same message. */
export function parsePositiveInteger(value: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1) throw new InvalidArgumentError(`expected an integer ≥ 1, got "${value}"`);
  return Number(value);
}

/** Parses a finite number (`--temperature`). */
export function parseDecimal(value: string): number {
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number)) throw new InvalidArgumentError(`expected a number, got "${value}"`);
  return number;
}
