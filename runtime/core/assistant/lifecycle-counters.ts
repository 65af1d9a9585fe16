// LifecycleCounters: running totals of what the runtime has done, kept across restarts in the checkpoint.
import * as z from 'zod';
import { NexusError } from '../nexus-error.js';

const counterNames = ['requests', 'answered', 'abstained', 'stopped', 'fromMemory', 'fromTeacher', 'taught', 'promptTokens', 'completionTokens', 'errors', 'restarts'] as const;
export type CounterName = (typeof counterNames)[number];

const sectionSchema = z.object(Object.fromEntries(counterNames.map((name) => [name, z.number().int().min(0).default(0)])) as Record<CounterName, z.ZodDefault<z.ZodNumber>>);

export type LifecycleSection = Record<CounterName, number>;

export class LifecycleCounters {
  private readonly values: LifecycleSection;

  constructor(initial: Partial<LifecycleSection> = {}) {
    this.values = Object.fromEntries(counterNames.map((name) => [name, initial[name] ?? 0])) as LifecycleSection;
  }

  static fromSection(section: unknown): LifecycleCounters {
    const parsed = sectionSchema.safeParse(section ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new NexusError('CHECKPOINT_CORRUPT', { reason: `lifecycle section [${issue.path.join('.')}] ${issue.message}` });
    }
    return new LifecycleCounters(parsed.data as LifecycleSection);
  }

  add(name: CounterName, amount = 1): void {
    this.values[name] += amount;
  }

  get(name: CounterName): number {
    return this.values[name];
  }

  /** Takes `other`'s values (a restored checkpoint). */
  replaceWith(other: LifecycleCounters): void {
    Object.assign(this.values, other.values);
  }

  toSection(): LifecycleSection {
    return { ...this.values };
  }
}
