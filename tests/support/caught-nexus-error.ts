// Test support: runs an action that must throw a NexusError, and returns it for assertions on code and message.
import { expect } from 'vitest';
import { NexusError } from '../../runtime/core/nexus-error.js';

export function caught(action: () => unknown): NexusError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(NexusError);
    return error as NexusError;
  }
  throw new Error('expected a NexusError');
}
