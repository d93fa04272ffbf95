import { z } from 'zod';
import { ApiError } from './contract';

export const faultRuleSchema = z
  .object({
    product: z.string().min(1).optional(),
    action: z.string().min(1).optional(),
    region: z.string().min(1).optional(),
    probability: z.number().min(0).max(1).optional(),
    count: z.number().int().positive().optional(),
    error: z
      .object({
        code: z.string().min(1),
        httpStatus: z.number().int().min(400).max(599),
        message: z.string().optional(),
      })
      .strict()
      .optional(),
    latencyMs: z.number().int().min(0).max(600_000).optional(),
    dropResponse: z.literal(true).optional(),
  })
  .strict()
  .refine((r) => r.error !== undefined || r.latencyMs !== undefined || r.dropResponse === true, {
    message: 'a rule needs at least one effect: error, latencyMs or dropResponse',
  })
  .refine((r) => !(r.error && r.dropResponse), {
    message: 'error and dropResponse exclude each other (an error is an answer)',
  });

export type FaultRuleInput = z.infer<typeof faultRuleSchema>;

export interface FaultRule extends FaultRuleInput {
  id: string;
  /** Times the rule fired so far. */
  fired: number;
}

/** What the matching rules ask for on one request. */
export interface FaultEffect {
  ruleIds: string[];
  latencyMs: number;
  error?: ApiError;
  dropResponse: boolean;
}

/**
 * Injected failures. Rules are checked in the order they were added; each that matches (product,
 * action, region) and wins its probability draw fires, and `count` rules retire after `count` firings.
 */
export class FaultInjector {
  private rules: FaultRule[] = [];
  private nextId = 1;

  /**
   * `catalog` (product → its action names) and `regions` let rules be checked when added: a rule
   * naming an unknown product, action or region would silently never fire.
   */
  constructor(
    private readonly random: () => number = Math.random,
    private readonly catalog?: ReadonlyMap<string, ReadonlySet<string>>,
    private readonly regions?: readonly string[],
  ) {}

  private checkNames(rule: FaultRuleInput): void {
    if (this.catalog && rule.product !== undefined && !this.catalog.has(rule.product)) {
      throw new Error(
        `Invalid fault rule: unknown product "${rule.product}" (served: ${[...this.catalog.keys()].join(', ')})`,
      );
    }
    if (this.catalog && rule.action !== undefined) {
      const owners = rule.product !== undefined ? [rule.product] : [...this.catalog.keys()];
      if (!owners.some((p) => this.catalog?.get(p)?.has(rule.action as string))) {
        throw new Error(`Invalid fault rule: no action "${rule.action}" in ${rule.product ?? 'any served product'}`);
      }
    }
    if (this.regions && rule.region !== undefined && !this.regions.includes(rule.region)) {
      throw new Error(`Invalid fault rule: unknown region "${rule.region}"`);
    }
  }

  add(input: unknown): FaultRule {
    const parsed = faultRuleSchema.safeParse(input);
    if (!parsed.success) {
      const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '(rule)'}: ${i.message}`).join('; ');
      throw new Error(`Invalid fault rule: ${detail}`);
    }
    this.checkNames(parsed.data);
    const rule: FaultRule = { ...parsed.data, id: `fault-${this.nextId++}`, fired: 0 };
    this.rules.push(rule);
    return rule;
  }

  list(): FaultRule[] {
    return this.rules.map((r) => ({ ...r }));
  }

  /** Removes one rule (returns whether it existed) or, without an id, all of them. */
  remove(id?: string): boolean {
    if (id === undefined) {
      this.rules = [];
      return true;
    }
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.id !== id);
    return this.rules.length < before;
  }

  /** Draws for every matching rule and consumes counts. */
  apply(call: { product: string; action: string; region: string }): FaultEffect {
    const effect: FaultEffect = { ruleIds: [], latencyMs: 0, dropResponse: false };
    for (const rule of this.rules) {
      if (rule.product !== undefined && rule.product !== call.product) continue;
      if (rule.action !== undefined && rule.action !== call.action) continue;
      if (rule.region !== undefined && rule.region !== call.region) continue;
      if (this.random() >= (rule.probability ?? 1)) continue;
      rule.fired++;
      effect.ruleIds.push(rule.id);
      effect.latencyMs += rule.latencyMs ?? 0;
      if (rule.dropResponse) effect.dropResponse = true;
      if (rule.error && !effect.error) {
        effect.error = new ApiError(
          rule.error.httpStatus,
          rule.error.code,
          rule.error.message ?? `Injected fault ${rule.id} (${rule.error.code}).`,
        );
      }
    }
    this.rules = this.rules.filter((r) => r.count === undefined || r.fired < r.count);
    return effect;
  }
}
