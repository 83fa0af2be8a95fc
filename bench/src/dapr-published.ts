/**
 * Dapr's own published performance figures, which the report sets beside ours. Source: Dapr's published perf
 * docs and reports — the performance-and-scalability pages of docs.dapr.io and the perf test reports committed
 * in dapr/dapr (`tests/perf/report`, v1.17.0 charts and the v1.18.0 run). Their setup: Kubernetes nodes of
 * 4 cores, Fortio (invocation, state) or k6 (pub/sub) in a pod of its own, caller and callee on different nodes.
 */
export const DAPR = {
  source: "Dapr's published perf docs (docs.dapr.io performance-and-scalability; dapr/dapr tests/perf reports v1.17.0 and v1.18.0)",
  invocation: {
    version: 'v1.18',
    /** HTTP, two sidecars, 1,000 requests/s, 16 connections, 1 KB. */
    direct: { p50: 0.61, p90: 0.92, p99: 0.99, p999: 2.26 },
    throughDapr: { p50: 1.52, p90: 1.95, p99: 3.04, p999: 7.33 },
    added: { p50: 0.91, p90: 1.03, p99: 2.04 },
    sidecarMemoryMb: 51.9,
    /** 106 mCPU at 1,000 requests/s: 106 ms of CPU per 1,000 requests. */
    sidecarCpuMsPer1000: 106,
    /** Dapr's CI gate for the same test. */
    gateAddedP90: 2.0,
  },
  invocationV117: { added: { p50: 1.06, p90: 1.48, p99: 2.9 }, sidecarMemoryMb: 51, sidecarCpuMsPer1000: 202 },
  stateGet: {
    /** HTTP, in-memory store, v1.18: close to the whole sidecar cost (its baseline is a no-op). */
    inMemory: { p50: 0.58, p90: 0.93, p99: 1.36, p999: 1.99 },
    /** v1.17: added over its direct baseline. */
    addedP50V117: 0.28,
    sidecarMemoryMb: 44,
  },
  publish: {
    /** HTTP publish to the in-memory broker, k6, low rate (v1.18). */
    inMemory: { p50: 0.38, p90: 0.48, p95: 0.53 },
    /** HTTP publish at 1,000/s to Kafka, added over a direct Kafka publish (docs, v1.12). */
    addedKafka: { p90: 0.49, p99: 1.21 },
    /** HTTP bulk publish, batch of 10 × 1 KB, in-memory broker (v1.17): bulk requests per second vs single publishes per second. */
    bulkRequestsPerSecond: 13_635,
    singleRequestsPerSecond: 3_672,
    /** Kafka publish then subscribe, end to end (v1.17). */
    deliveryKafka: { p50: 3.97, p95: 8.78 },
  },
  /** Not published by Dapr. */
  startupMs: undefined,
} as const;
