/** The seven thresholds the original reads, with its defaults when a key is absent everywhere (spec §4). */
export const DEFAULT_THRESHOLDS = {
  target_p95_ms: 200,
  target_p99_ms: 500,
  min_queue_depth_for_scale: 10,
  min_queue_depth_for_batching: 5,
  target_gpu_utilization: 0.55,
  idle_throughput_threshold: 1.0,
  no_action_confidence_threshold: 0.5,
} as const;

export type ThresholdName = keyof typeof DEFAULT_THRESHOLDS;
/** Known thresholds plus any a pack adds for its own expressions. */
export type Thresholds = Record<ThresholdName, number> & Record<string, number>;
