import type { RunSummary, ScenarioResult } from '../../../scenarios/report/index.js';

export const passed: ScenarioResult = {
  name: 'create order',
  file: 'scenarios/orders/create-order.yaml',
  status: 'passed',
  durationMs: 123.4,
  failures: [],
  steps: [{ name: 'post order', status: 'passed', durationMs: 120 }],
};

export const DIFF = ['request 2 POST /sandbox-app-key/orders', '  $.body.order_id', '    - expected: "00001001"', '    + actual:   "00001002"'].join('\n');

export const failed: ScenarioResult = {
  name: 'sync <&>"\' products',
  file: './scenarios/sync/products.yml',
  status: 'failed',
  durationMs: 1234.5678,
  failures: [
    { step: 'receiver gets the order', message: 'request body differs', diff: `${DIFF}\n\u001b[31mred\u001b[0m bell\u0007 nul\u0000 esc\u001b vt\u000b ff\u000c lone\ud800 nonchar\uffff cr\r\nend` },
    { message: 'flow run FAILED\nsecond line' },
  ],
  steps: [
    { name: 'seed', status: 'passed', durationMs: 3 },
    { name: 'receiver gets the order', status: 'failed', durationMs: 40 },
    { name: 'monitoring', status: 'skipped', durationMs: 0 },
  ],
  log: ['MPL 1 COMPLETED', '\u001b[33mMPL 2 FAILED\u001b[0m'],
};

export const errored: ScenarioResult = {
  name: 'broken',
  file: 'scenarios\\broken.yaml',
  status: 'error',
  durationMs: 5,
  failures: [{ message: 'cannot read fixture products.csv' }],
  steps: [],
};

export const summary: RunSummary = { results: [passed, failed, errored], durationMs: 4567.8, startedAt: '2025-01-02T03:04:05.678Z' };
