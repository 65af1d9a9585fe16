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

/** The highest sampling temperature: the limit of the appliance's /api/interact, so that a value valid locally is valid with --url too. */
const maxTemperature = 10;

/** Parses a sampling temperature from 0 (greedy) to 10 (`--temperature`). */
export function parseTemperature(value: string): number {
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || number < 0 || number > maxTemperature) {
    throw new InvalidArgumentError(`expected a number from 0 to ${maxTemperature}, got "${value}"`);
  }
  return number;
}
