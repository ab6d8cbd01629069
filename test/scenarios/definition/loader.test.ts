/**
 * The scenario file loader: every kind of bad scenario is rejected with the file, the line and column
 * and the JSON path of the culprit, all problems at once in file order; good ones load with their
 * values as written. The shipped catalogue loads as the runner loads it.
 */
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DefinitionError, type DefinitionIssue } from '../../../mock-third-party/definition/validate.js';
import { type LoadScenarioOptions, ScenarioFileError, loadScenarioFile, parseScenario } from '../../../scenarios/definition/loader.js';
import { CATALOG_DIR, findScenarioFiles, loadScenario } from '../../../scenarios/engine/run-scenarios.js';
import { validateMatcher } from '../../../scenarios/expect/index.js';

const FILE = 'bad.yaml';
const ACTIONS = 'create, update, delete, runCronJob, advanceClock, trigger, fault, waitUntil, expect';
const MATCHERS = '$absent, $any, $type, $regex, $gte, $lte, $oneOf, $not, $json, $contains, $capture, and $exact on field objects';

/** The real matcher check, as the runner wires it. */
const withMatchers: LoadScenarioOptions = {
  validateMatcher: (v) => validateMatcher(v).map((p) => ({ path: p.path, message: p.message })),
};

function issuesOf(yaml: string, options: LoadScenarioOptions = {}): DefinitionIssue[] {
  try {
    parseScenario(yaml, FILE, options);
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioFileError);
    expect(e).toBeInstanceOf(DefinitionError);
    const error = e as ScenarioFileError;
    expect(error.name).toBe('ScenarioFileError');
    // The message is the issues, one `file:line:col: path: message` line each.
    expect(error.message).toBe(error.issues.map((i) => `${String(i.file)}:${String(i.line)}:${String(i.column)}: ${i.path}: ${i.message}`).join('\n'));
    for (const i of error.issues) expect(i.file).toBe(FILE);
    return error.issues;
  }
  throw new Error('the scenario loaded');
}

/** Every issue as `line:column path: message`, in the order reported. */
function problems(yaml: string, options: LoadScenarioOptions = {}): string[] {
  return issuesOf(yaml, options).map((i) => `${String(i.line)}:${String(i.column)} ${i.path}: ${i.message}`);
}

/** A valid scenario around the given steps (they start on line 5, at column 3). */
const withSteps = (steps: string): string => `name: x
flow:
  reference: pass-through
steps:
${steps}`;

describe('scenario loader: YAML and top-level problems', () => {
  it('a YAML syntax error is one issue at its position, path $', () => {
    expect(problems('name: x\nflow: [\n')).toEqual(['3:1 $: YAML: Flow sequence in block collection must be sufficiently indented and end with a ]']);
  });

  it('a duplicate key is a YAML error at the second key', () => {
    expect(problems('name: x\nflow: {reference: a}\nname: y\nsteps: [{runCronJob: j}]\n')).toEqual(['3:1 $: YAML: Map keys must be unique']);
  });

  it('missing name, flow or steps, at the document start', () => {
    expect(problems('flow:\n  reference: a\nsteps:\n  - runCronJob: j\n')).toEqual(['1:1 $: missing required key "name"']);
    expect(problems('name: x\nsteps:\n  - runCronJob: j\n')).toEqual(['1:1 $: missing required key "flow"']);
    expect(problems('name: x\nflow:\n  reference: a\n')).toEqual(['1:1 $: missing required key "steps"']);
    expect(problems('description: only\n')).toEqual(['1:1 $: missing required key "name"', '1:1 $: missing required key "flow"', '1:1 $: missing required key "steps"']);
  });

  it('an unknown top-level key names the allowed ones, at the key', () => {
    expect(problems(`${withSteps('  - runCronJob: j\n')}stepz: []\n`)).toEqual([
      '6:1 $.stepz: unknown key "stepz" (allowed: name, description, tags, timeout, sandbox, flow, steps, expect)',
    ]);
  });

  it('wrong types, empty steps and unknown keys deeper in the file', () => {
    expect(problems('name: 5\nflow: {reference: a}\nsteps: [{runCronJob: j}]\n')).toEqual(['1:7 $.name: must be string, not integer']);
    expect(problems('name: x\nflow: {reference: a}\nsteps: []\n')).toEqual(['3:8 $.steps: must NOT have fewer than 1 items']);
    expect(problems('name: x\nflow: {reference: a}\nsteps: [5]\n')).toEqual(['3:9 $.steps[0]: must be object, not integer']);
    expect(problems(`${withSteps('  - runCronJob: j\n')}sandbox:\n  seed: 1\n  projct: demo\n`)).toEqual([
      '8:3 $.sandbox.projct: unknown key "projct" (allowed: project, commerceVersion, seed, time, properties, thirdParties, impex, impexText)',
    ]);
    expect(problems(`${withSteps('  - runCronJob: j\n')}sandbox:\n  commerceVersion: '1905'\n`)).toEqual([
      '7:20 $.sandbox.commerceVersion: must be one of: "2211", "2005" (got "1905")',
    ]);
  });
});

describe('scenario loader: steps', () => {
  it('a step with no action', () => {
    expect(problems(withSteps('  - name: only a name\n'))).toEqual([`5:5 $.steps[0]: a step has exactly one action (${ACTIONS}); found none`]);
  });

  it('a step with only an unknown key names it', () => {
    expect(problems(withSteps('  - runCronJobs: j\n'))).toEqual([`5:5 $.steps[0]: a step has exactly one action (${ACTIONS}); found 'runCronJobs'`]);
  });

  it('a step with two actions', () => {
    expect(problems(withSteps('  - runCronJob: j\n    advanceClock: 5m\n'))).toEqual([
      `5:5 $.steps[0]: a step has exactly one action (${ACTIONS}); found runCronJob and advanceClock`,
    ]);
  });

  it('an unknown key beside the action, at the key (timeout belongs to waitUntil only)', () => {
    expect(problems(withSteps('  - runCronJob: j\n    nam: x\n'))).toEqual(['6:5 $.steps[0].nam: unknown key "nam" (allowed: name, runCronJob)']);
    expect(problems(withSteps('  - name: wait\n    advanceClock: 5m\n    timeout: 5s\n'))).toEqual([
      '7:5 $.steps[0].timeout: unknown key "timeout" (allowed: name, advanceClock)',
    ]);
  });

  it("the action's own schema: create without path, runCronJob: 5, a bad status, trigger: false, fault without thirdParty", () => {
    expect(problems(withSteps('  - create: {service: Orders}\n'))).toEqual(['5:13 $.steps[0].create: missing required key "path"']);
    expect(problems(withSteps('  - runCronJob: 5\n'))).toEqual(['5:17 $.steps[0].runCronJob: must be string, not integer']);
    expect(problems(withSteps('  - update: {service: O, path: P, status: 99}\n'))).toEqual(['5:43 $.steps[0].update.status: must be >= 100']);
    expect(problems(withSteps('  - trigger: false\n'))).toEqual(['5:14 $.steps[0].trigger: must be true']);
    // An object is checked as one (no "must be true" beside its real problem).
    expect(problems(withSteps('  - trigger: {expectStatus: DONE}\n'))).toEqual([
      '5:29 $.steps[0].trigger.expectStatus: must be one of: "COMPLETED", "FAILED" (got "DONE")',
    ]);
    expect(problems(withSteps('  - trigger: {x: 1}\n'))).toEqual(['5:15 $.steps[0].trigger.x: unknown key "x" (allowed: expectStatus)']);
    expect(problems(withSteps('  - trigger: [1]\n'))).toEqual(['5:14 $.steps[0].trigger: must be true']);
    expect(problems(withSteps('  - fault:\n      clear: true\n'))).toEqual(['6:7 $.steps[0].fault: missing required key "thirdParty"']);
    expect(problems(withSteps('  - delete:\n      service: Orders\n      path: Orders(1)\n      body: x\n      query: y\n'))).toEqual([
      '9:7 $.steps[0].delete.query: unknown key "query" (allowed: service, path, body, status)',
    ]);
  });

  it('an empty expectation is an error', () => {
    expect(problems(withSteps('  - expect: {}\n'))).toEqual(['5:13 $.steps[0].expect: must not be empty']);
  });

  it('every bad step is reported, in file order', () => {
    expect(problems(withSteps('  - name: only a name\n  - runCronJob: ok\n  - runCronJob: 5\n  - create: {service: O}\n'))).toEqual([
      `5:5 $.steps[0]: a step has exactly one action (${ACTIONS}); found none`,
      '7:17 $.steps[2].runCronJob: must be string, not integer',
      '8:13 $.steps[3].create: missing required key "path"',
    ]);
  });
});

describe('scenario loader: flow', () => {
  it('a flow with no implementation', () => {
    expect(problems('name: x\nflow:\n  parameters: {a: b}\nsteps:\n  - runCronJob: j\n')).toEqual([
      '3:3 $.flow: name exactly one flow implementation (reference, external or command); found none',
    ]);
    expect(problems('name: x\nflow: {}\nsteps:\n  - runCronJob: j\n')).toEqual([
      '2:7 $.flow: name exactly one flow implementation (reference, external or command); found none',
    ]);
  });

  it('a flow with two implementations', () => {
    expect(problems('name: x\nflow:\n  reference: a\n  external: {url: "http://x"}\nsteps:\n  - runCronJob: j\n')).toEqual([
      '3:3 $.flow: name exactly one flow implementation (reference, external or command); found reference and external',
    ]);
  });

  it('a command flow needs run', () => {
    expect(problems('name: x\nflow:\n  command: {url: "http://x"}\nsteps:\n  - runCronJob: j\n')).toEqual(['3:12 $.flow.command: missing required key "run"']);
  });

  it('an unknown reference flow, when the known ones are given', () => {
    const yaml = 'name: x\nflow:\n  reference: nope\nsteps:\n  - runCronJob: j\n';
    expect(problems(yaml, { referenceFlows: ['send-orders', 'pass-through'] })).toEqual([
      "3:14 $.flow.reference: unknown reference flow 'nope' (known: send-orders, pass-through)",
    ]);
    // Without the list the name is not checked.
    expect(parseScenario(yaml, FILE).flow.reference).toBe('nope');
  });
});

describe('scenario loader: durations and times', () => {
  it('timeout: soon', () => {
    expect(problems(`name: x\ntimeout: soon\nflow:\n  reference: a\nsteps:\n  - runCronJob: j\n`)).toEqual([
      '2:10 $.timeout: not a duration: "soon" (e.g. 5000, "90s", "5m", "PT1H")',
    ]);
  });

  it('advanceClock: -5 (the schema) and advanceClock: later (the parser)', () => {
    expect(problems(withSteps('  - advanceClock: -5\n'))).toEqual(['5:19 $.steps[0].advanceClock: must be >= 0']);
    expect(problems(withSteps('  - advanceClock: later\n'))).toEqual(['5:19 $.steps[0].advanceClock: not a duration: "later" (e.g. 5000, "90s", "5m", "PT1H")']);
    expect(problems(withSteps("  - advanceClock: ''\n"))).toEqual(['5:19 $.steps[0].advanceClock: must NOT have fewer than 1 characters']);
  });

  it("waitUntil timeout: 'x'", () => {
    expect(problems(withSteps("  - waitUntil: {flowRuns: []}\n    timeout: 'x'\n"))).toEqual([
      '6:14 $.steps[0].timeout: not a duration: "x" (e.g. 5000, "90s", "5m", "PT1H")',
    ]);
  });

  it('good durations in every form load', () => {
    const loaded = parseScenario(
      'name: x\ntimeout: PT1M\nflow:\n  reference: a\nsteps:\n  - advanceClock: 1h30m\n  - advanceClock: 5000\n  - waitUntil: {flowRuns: []}\n    timeout: 250ms\n',
      FILE,
    );
    expect(loaded.timeout).toBe('PT1M');
    expect(loaded.steps).toEqual([{ advanceClock: '1h30m' }, { advanceClock: 5000 }, { waitUntil: { flowRuns: [] }, timeout: '250ms' }]);
  });

  it('a bad sandbox.time', () => {
    expect(problems(`${withSteps('  - runCronJob: j\n')}sandbox:\n  time: yesterday\n`)).toEqual(['7:9 $.sandbox.time: not an ISO 8601 time: yesterday']);
    expect(problems(`${withSteps('  - runCronJob: j\n')}sandbox:\n  time: 1767603600000\n`)).toEqual(['7:9 $.sandbox.time: must be string, not integer']);
  });
});

describe('scenario loader: matchers (validateMatcher option)', () => {
  it('in a step expect: the expectation is located, the matcher path is in the message', () => {
    const yaml = withSteps('  - expect:\n      outboundRequests: [{status: {$regx: x}}]\n');
    expect(problems(yaml, withMatchers)).toEqual([`6:25 $.steps[0].expect.outboundRequests: $[0].status: unknown matcher "$regx" (known: ${MATCHERS})`]);
    // Without the option matchers are not checked.
    expect(parseScenario(yaml, FILE).steps).toEqual([{ expect: { outboundRequests: [{ status: { $regx: 'x' } }] } }]);
  });

  it('in a waitUntil (third-party requests)', () => {
    expect(problems(withSteps('  - waitUntil:\n      thirdParty: {reviews: {requests: {$contains: 5}}}\n'), withMatchers)).toEqual([
      '6:40 $.steps[0].waitUntil.thirdParty.reviews.requests: $.$contains: $contains must be an array',
    ]);
  });

  it('in the final expect: a Commerce body, and a matcher problem at the root of the value (no inner path)', () => {
    const yaml = `${withSteps('  - runCronJob: j\n')}expect:\n  commerce:\n    - get: x\n      body: {$type: int}\n  cronJob: {$oops: 1}\n  flowRuns: [{status: '\${unterminated'}]\n`;
    expect(problems(yaml, withMatchers)).toEqual([
      '9:13 $.expect.commerce[0].body: $.$type: $type must be one of string, number, boolean, object, array, null, not "int"',
      `10:12 $.expect.cronJob: unknown matcher "$oops" (known: ${MATCHERS})`,
      '11:13 $.expect.flowRuns: $[0].status: unterminated "${" in "${unterminated" (write "$${" for a literal "${")',
    ]);
  });

  it('valid matchers pass', () => {
    const yaml = `${withSteps('  - expect:\n      cronJob: {result: {$oneOf: [SUCCESS, ERROR]}, details: {sent: {$gte: 1}}}\n')}expect:\n  flowRuns: {$contains: [{status: COMPLETED}]}\n`;
    expect(parseScenario(yaml, FILE, withMatchers).expect).toEqual({ flowRuns: { $contains: [{ status: 'COMPLETED' }] } });
  });
});

describe('scenario loader: several problems at once', () => {
  it('problems of every kind are reported together, in file order (not in the order they are checked)', () => {
    const yaml = `expect:
  cronJob: {$oops: 1}
steps:
  - waitUntil: {flowRuns: []}
    timeout: 'x'
  - advanceClock: later
  - expect: {inboundRequests: [{status: {$type: int}}]}
sandbox:
  time: yesterday
flow:
  parameters: {a: b}
timeout: soon
name: several
`;
    expect(problems(yaml, withMatchers)).toEqual([
      `2:12 $.expect.cronJob: unknown matcher "$oops" (known: ${MATCHERS})`,
      '5:14 $.steps[0].timeout: not a duration: "x" (e.g. 5000, "90s", "5m", "PT1H")',
      '6:19 $.steps[1].advanceClock: not a duration: "later" (e.g. 5000, "90s", "5m", "PT1H")',
      '7:31 $.steps[2].expect.inboundRequests: $[0].status.$type: $type must be one of string, number, boolean, object, array, null, not "int"',
      '9:9 $.sandbox.time: not an ISO 8601 time: yesterday',
      '11:3 $.flow: name exactly one flow implementation (reference, external or command); found none',
      '12:10 $.timeout: not a duration: "soon" (e.g. 5000, "90s", "5m", "PT1H")',
    ]);
  });

  it('schema problems of the file are reported together, in file order', () => {
    expect(problems('steps: 5\nname: 5\nflow: {reference: a, extra: 1}\ncolour: red\n')).toEqual([
      '1:8 $.steps: must be array, not integer',
      '2:7 $.name: must be string, not integer',
      '3:22 $.flow.extra: unknown key "extra" (allowed: reference, options, external, command, parameters, commerceCredentials, outbound)',
      '4:1 $.colour: unknown key "colour" (allowed: name, description, tags, timeout, sandbox, flow, steps, expect)',
    ]);
  });

  it('step problems come with the flow and duration problems of the other steps; a bad step is not checked twice', () => {
    const yaml = `name: x
flow: {}
steps:
  - advanceClock: -5
  - runCronJob: j
    advanceClock: later
  - advanceClock: later
  - expect: {cronJob: {$oops: 1}}
    extra: 1
`;
    expect(problems(yaml, withMatchers)).toEqual([
      '2:7 $.flow: name exactly one flow implementation (reference, external or command); found none',
      '4:19 $.steps[0].advanceClock: must be >= 0',
      `5:5 $.steps[1]: a step has exactly one action (${ACTIONS}); found runCronJob and advanceClock`,
      '7:19 $.steps[2].advanceClock: not a duration: "later" (e.g. 5000, "90s", "5m", "PT1H")',
      '9:5 $.steps[3].extra: unknown key "extra" (allowed: name, expect)',
    ]);
  });
});

describe('scenario loader: a valid scenario', () => {
  const FULL = `name: Everything
description: every step kind and every sandbox key
tags: [a, b]
timeout: 30s
sandbox:
  project: ./project
  commerceVersion: '2005'
  seed: 7
  time: '2026-01-05T09:00:00Z'
  properties: { a.b: c }
  thirdParties:
    - profile: reviews
      name: r
      options: { products: 3 }
    - file: third-party/shop.yaml
  impex: [impex/a.impex]
  impexText: |
    INSERT_UPDATE Foo; code[unique = true]
    ; \${flow.url}
flow:
  reference: send-orders
  options: { variant: fixed }
  parameters: { Base_Url: '\${thirdParty.r.url}' }
  commerceCredentials: { username: u, password: p }
  outbound: { integrationObject: Orders, channel: sendOrders }
steps:
  - name: create
    create:
      service: OrderCapture
      path: Orders
      body: &order { code: '0001', entries: [{ entryNumber: 0 }] }
  - update: { service: OrderCapture, path: "Orders('0001')", body: { <<: *order, code: '0002' }, status: 200 }
  - delete: { service: OrderCapture, path: "Orders('0002')", status: 404 }
  - runCronJob: sendOrdersCronJob
  - advanceClock: 5m
  - trigger: true
  - trigger: { expectStatus: FAILED }
  - fault: { thirdParty: r, set: { status: 503 } }
  - fault: { thirdParty: r, clear: true }
  - waitUntil:
      thirdParty: { r: { count: 2 } }
      outboundRequests: [{ status: SUCCESS }]
    timeout: 10s
  - name: check
    expect:
      commerce:
        - get: "OrderCapture/Orders('0001')"
          as: { username: admin, password: nimda }
          status: 200
          body: { d: { code: { $regex: '^0' } } }
      inboundRequests: { $contains: [{ status: SUCCESS }] }
      outboundSyncRetries: []
      flowRuns: [{ status: COMPLETED }]
      cronJob: { result: SUCCESS }
expect:
  thirdParty:
    r:
      requests: [{ method: POST, body: { utoken: { $capture: utoken } } }]
      count: 1
`;

  it('loads with every value as written (anchors and merge keys resolved)', () => {
    const definition = parseScenario(FULL, 'full.yaml', { ...withMatchers, referenceFlows: ['send-orders'] });
    expect(definition).toEqual({
      name: 'Everything',
      description: 'every step kind and every sandbox key',
      tags: ['a', 'b'],
      timeout: '30s',
      sandbox: {
        project: './project',
        commerceVersion: '2005',
        seed: 7,
        time: '2026-01-05T09:00:00Z',
        properties: { 'a.b': 'c' },
        thirdParties: [{ profile: 'reviews', name: 'r', options: { products: 3 } }, { file: 'third-party/shop.yaml' }],
        impex: ['impex/a.impex'],
        impexText: 'INSERT_UPDATE Foo; code[unique = true]\n; ${flow.url}\n',
      },
      flow: {
        reference: 'send-orders',
        options: { variant: 'fixed' },
        parameters: { Base_Url: '${thirdParty.r.url}' },
        commerceCredentials: { username: 'u', password: 'p' },
        outbound: { integrationObject: 'Orders', channel: 'sendOrders' },
      },
      steps: [
        { name: 'create', create: { service: 'OrderCapture', path: 'Orders', body: { code: '0001', entries: [{ entryNumber: 0 }] } } },
        { update: { service: 'OrderCapture', path: "Orders('0001')", body: { code: '0002', entries: [{ entryNumber: 0 }] }, status: 200 } },
        { delete: { service: 'OrderCapture', path: "Orders('0002')", status: 404 } },
        { runCronJob: 'sendOrdersCronJob' },
        { advanceClock: '5m' },
        { trigger: true },
        { trigger: { expectStatus: 'FAILED' } },
        { fault: { thirdParty: 'r', set: { status: 503 } } },
        { fault: { thirdParty: 'r', clear: true } },
        { waitUntil: { thirdParty: { r: { count: 2 } }, outboundRequests: [{ status: 'SUCCESS' }] }, timeout: '10s' },
        {
          name: 'check',
          expect: {
            commerce: [{ get: "OrderCapture/Orders('0001')", as: { username: 'admin', password: 'nimda' }, status: 200, body: { d: { code: { $regex: '^0' } } } }],
            inboundRequests: { $contains: [{ status: 'SUCCESS' }] },
            outboundSyncRetries: [],
            flowRuns: [{ status: 'COMPLETED' }],
            cronJob: { result: 'SUCCESS' },
          },
        },
      ],
      expect: { thirdParty: { r: { requests: [{ method: 'POST', body: { utoken: { $capture: 'utoken' } } }], count: 1 } } },
    });
  });

  it('a minimal scenario gets an empty sandbox section; external and command flows load', () => {
    expect(parseScenario(withSteps('  - runCronJob: j\n'))).toEqual({ name: 'x', flow: { reference: 'pass-through' }, steps: [{ runCronJob: 'j' }], sandbox: {} });
    const external = parseScenario('name: x\nflow:\n  external: {url: "http://h/Orders", csrfUrl: "http://h/", username: u, password: p, triggerUrl: "http://h/run"}\nsteps: [{trigger: true}]\n');
    expect(external.flow).toEqual({ external: { url: 'http://h/Orders', csrfUrl: 'http://h/', username: 'u', password: 'p', triggerUrl: 'http://h/run' } });
    const command = parseScenario('name: x\nflow:\n  command: {run: "node flow.js", url: "http://127.0.0.1:${port}/x", readyUrl: "http://127.0.0.1:${port}/health"}\nsteps: [{trigger: true}]\n');
    expect(command.flow.command).toEqual({ run: 'node flow.js', url: 'http://127.0.0.1:${port}/x', readyUrl: 'http://127.0.0.1:${port}/health' });
  });

  it('without a file name, errors name <scenario>', () => {
    try {
      parseScenario('name: x\n');
      expect.unreachable();
    } catch (e) {
      expect((e as ScenarioFileError).message.split('\n')).toEqual(['<scenario>:1:1: $: missing required key "flow"', '<scenario>:1:1: $: missing required key "steps"']);
    }
  });
});

describe('loadScenarioFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'scenario-loader-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loads a file and names it', () => {
    const file = join(dir, 'good.yaml');
    writeFileSync(file, withSteps('  - runCronJob: j\n'));
    expect(loadScenarioFile(file)).toEqual({ file, definition: { name: 'x', flow: { reference: 'pass-through' }, steps: [{ runCronJob: 'j' }], sandbox: {} } });
  });

  it('its problems carry the file path', () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, withSteps('  - runCronJob: 5\n'));
    expect(() => loadScenarioFile(file)).toThrow(new ScenarioFileError([{ file, line: 5, column: 17, path: '$.steps[0].runCronJob', message: 'must be string, not integer' }]));
    try {
      loadScenarioFile(file);
    } catch (e) {
      expect((e as Error).message).toBe(`${file}:5:17: $.steps[0].runCronJob: must be string, not integer`);
    }
  });

  it('a missing file is a plain ENOENT error', () => {
    expect(() => loadScenarioFile(join(dir, 'missing.yaml'))).toThrow(/ENOENT/);
  });
});

describe('the shipped catalogue', () => {
  /**
   * Every scenario file under scenarios/catalog. `third-party/` holds third-party definitions the
   * scenarios use (`sandbox.thirdParties[].file`), not scenarios.
   */
  const scenarioFiles = (dir: string): string[] =>
    readdirSync(dir)
      .sort()
      .flatMap((entry) => {
        const path = join(dir, entry);
        if (statSync(path).isDirectory()) return scenarioFiles(path);
        return /\.ya?ml$/i.test(entry) && !relative(CATALOG_DIR, path).startsWith(`third-party${sep}`) ? [path] : [];
      });
  const files = scenarioFiles(CATALOG_DIR);

  it('has scenarios, the ones the runner finds', () => {
    expect(files.length).toBeGreaterThanOrEqual(5);
    expect(files.map((f) => relative(CATALOG_DIR, f))).toEqual(expect.arrayContaining(['send-orders.yaml', 'send-product-ratings.yaml']));
    expect(findScenarioFiles([CATALOG_DIR])).toEqual(files);
  });

  it.each(files.map((f) => [relative(CATALOG_DIR, f), f]))('%s loads as the runner loads it', (_name, file) => {
    const loaded = loadScenario(file);
    expect(loaded.file).toBe(file);
    expect(loaded.definition.name).toEqual(expect.any(String));
    expect(loaded.definition.steps.length).toBeGreaterThan(0);
  });
});
