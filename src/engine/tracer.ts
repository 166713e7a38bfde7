/**
 * Explain is a tracer (OPA's QueryTracer): evaluation emits one event per (entity, rule) only when
 * `tracer.enabled`, so the fast path pays nothing. `TraceCollector` groups the events per entity.
 */
import { CHECKS, type CheckResult } from './checks.js';
import type { Entity } from './entities.js';
import type { EntityTrace } from './schemas.js';

export interface TraceEvent {
  op: 'fire' | 'stop';
  entity: Entity;
  rule_id: string;
  /** Index in CHECKS of the stopping check (op 'stop'). */
  check: number;
  /** All five checks when the rule fired; only the stopping one when it did not. */
  checks: CheckResult[];
}

export interface Tracer {
  enabled: boolean;
  /** Called once per entity before its rules, so entities without rules are listed too. */
  entity(e: Entity): void;
  event(ev: TraceEvent): void;
}

export const NO_TRACER: Tracer = { enabled: false, entity: () => {}, event: () => {} };

export class TraceCollector implements Tracer {
  readonly enabled = true;
  private readonly byEntity = new Map<string, EntityTrace>();

  entity(e: Entity): void {
    this.byEntity.set(e.entity_id, {
      entity_type: e.entity_type,
      entity_id: e.entity_id,
      fired: [],
      not_fired: [],
      summary: '',
    });
  }

  event(ev: TraceEvent): void {
    const t = this.byEntity.get(ev.entity.entity_id);
    if (!t) return;
    if (ev.op === 'fire') t.fired.push(ev.rule_id);
    else {
      const stop = ev.checks[0]!;
      t.not_fired.push({
        rule_id: ev.rule_id,
        stopped_by: CHECKS[ev.check]!,
        detail: stop.detail,
        observed: stop.observed,
        compared_to: stop.compared_to,
      });
    }
  }

  /** One entry per entity seen, sorted by id, each saying what fired or that nothing did. */
  traces(): EntityTrace[] {
    const out = [...this.byEntity.values()].sort((a, b) =>
      a.entity_id < b.entity_id ? -1 : a.entity_id > b.entity_id ? 1 : 0,
    );
    for (const t of out) {
      t.fired.sort();
      t.not_fired.sort((a, b) => (a.rule_id < b.rule_id ? -1 : 1));
      t.summary = t.fired.length > 0 ? `fired: ${t.fired.join(', ')}` : 'no recommendation: no rule fired';
    }
    return out;
  }
}
