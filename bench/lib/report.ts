/** bench/results.md from a suite result: targets first, then one table per section, then versions. */
import type { ODataSection, ScaleSection, ScenarioSection, StartupSection, SuiteResult, ThirdPartySection } from '../run.js';
import type { EndpointResult } from './measure.js';

type Ratio = (endpoint: EndpointResult, a: string, b: string) => number | undefined;

const n0 = (x: number | undefined): string => (x === undefined || !Number.isFinite(x) ? '—' : Math.round(x).toLocaleString('en'));
const ms = (x: number | undefined): string => (x === undefined || !Number.isFinite(x) ? '—' : x < 10 ? x.toFixed(2) : x.toFixed(0));
const times = (x: number | undefined): string => (x === undefined || !Number.isFinite(x) ? '—' : `${x.toFixed(2)}×`);

function ok<T extends object>(s: T | { error: string } | undefined): T | undefined {
  return s && !('error' in s) ? s : undefined;
}

interface Target {
  what: string;
  target: string;
  measured: string;
  met: boolean | undefined;
}

function targets(r: SuiteResult, ratio: { throughputRatio: Ratio; latencyRatio: Ratio }): Target[] {
  const out: Target[] = [];
  const odata = ok(r.odata);
  const endpoint = (s: { endpoints: EndpointResult[] } | undefined, name: string) => s?.endpoints.find((e) => e.name === name);
  const key = endpoint(odata, 'key');
  const filter = endpoint(odata, 'filter');
  const check = (what: string, target: string, value: number | undefined, limit: number, atLeast: boolean, format: (x: number | undefined) => string): void => {
    out.push({ what, target, measured: format(value), met: value === undefined || !Number.isFinite(value) ? undefined : atLeast ? value >= limit : value <= limit });
  };
  if (odata) {
    check('Key read vs raw node:http limit', '≥ 0.6×', key && ratio.throughputRatio(key, 'sandbox', 'node:http limit'), 0.6, true, times);
    check('Key read vs fe-mockserver-core', '≥ 1.8×', key && ratio.throughputRatio(key, 'sandbox', 'fe-mockserver-core'), 1.8, true, times);
    check('Filtered page ($filter+$orderby+$top=100) vs its raw limit', '≥ 0.3×', filter && ratio.throughputRatio(filter, 'sandbox', 'node:http limit'), 0.3, true, times);
    check('Filtered page vs fe-mockserver-core', '≈ 60× (0.3× raw)', filter && ratio.throughputRatio(filter, 'sandbox', 'fe-mockserver-core'), 60, true, times);
  }
  const scale = ok(r.scale);
  if (scale) {
    const first = scale.sizes[0];
    const last = scale.sizes[scale.sizes.length - 1];
    const a = first ? `${first.products / 1000}k` : '';
    const b = last ? `${last.products / 1000}k` : '';
    const sk = endpoint(scale, 'key');
    const sf = endpoint(scale, 'filter');
    check(`Key-read p50 latency, ${b} vs ${a}`, '≤ 1.2×', sk && ratio.latencyRatio(sk, b, a), 1.2, false, times);
    check(`Filtered page ($top=100) p50 latency, ${b} vs ${a}`, '≤ 2×', sf && ratio.latencyRatio(sf, b, a), 2, false, times);
    if (last) {
      check(`${b} products: load time (demo project + generateData)`, '≤ 2 s', (last.loadMillis + last.generateMillis) / 1000, 2, false, (x) => (x === undefined ? '—' : `${x.toFixed(2)} s`));
      check(`${b} products: RSS after load (after GC)`, '≤ 300 MB', last.rssMB, 300, false, (x) => `${n0(x)} MB`);
    }
  }
  const startup = ok(r.startup);
  if (startup) {
    check('In-process start, demo project + 1k products (warm: a fresh Commerce per test)', '≤ 50 ms', startup.inProcess.warm.totalMillis, 50, false, (x) => `${ms(x)} ms`);
    check('In-process start, first in a fresh process (cold)', '(≤ 50 ms)', startup.inProcess.cold.totalMillis, 50, false, (x) => `${ms(x)} ms`);
    const cli = startup.cli[0];
    check('CLI process start to first 200 on $metadata (demo project)', '≤ 800 ms', cli?.medianMillis, 800, false, (x) => `${n0(x)} ms`);
  }
  const tp = ok(r.thirdParty);
  if (tp) {
    const st = endpoint(tp, 'static');
    check('Static third-party stub vs WireMock', '≥ 2×', st && ratio.throughputRatio(st, 'sandbox', 'WireMock'), 2, true, times);
  }
  return out;
}

function throughputTable(s: { endpoints: EndpointResult[] }, limit: string | undefined, peer: string | undefined, ratio: Ratio): string {
  const rows = [
    `| endpoint | server | req/s (median) | p50 ms | p99 ms | body bytes |${limit ? ` × ${limit} |` : ''}${peer ? ` sandbox × this |` : ''}`,
    `|---|---|---:|---:|---:|---:|${limit ? '---:|' : ''}${peer ? '---:|' : ''}`,
  ];
  for (const e of s.endpoints) {
    for (const c of e.contenders) {
      const failed = c.unsupported ? `not supported: ${c.unsupported}` : c.error ? `**failed**: ${c.error.replace(/\|/g, '\\|').slice(0, 300)}` : undefined;
      const cells = [
        `${e.name}`,
        c.name,
        failed ?? n0(c.reqPerSec),
        failed ? '' : ms(c.p50Ms),
        failed ? '' : ms(c.p99Ms),
        failed ? '' : n0(c.meanBytes),
        ...(limit ? [failed || c.name === limit ? '' : times(ratio(e, c.name, limit))] : []),
        ...(peer ? [failed || c.name === 'sandbox' ? '' : times(ratio(e, 'sandbox', c.name))] : []),
      ];
      rows.push(`| ${cells.join(' | ')} |`);
    }
  }
  return rows.join('\n');
}

function descriptions(s: { endpoints: EndpointResult[] }): string {
  return s.endpoints.map((e) => `- **${e.name}**: ${e.description}`).join('\n');
}

function odataPart(s: ODataSection, ratio: Ratio): string {
  return [
    `## 1 + 2. OData reads vs @sap-ux/fe-mockserver-core, and the limits`,
    '',
    `${s.products.toLocaleString('en')} generated Online products (+ Staged copies and the demo's own), one seed. fe-mockserver-core serves the EDMX of our \`$metadata\` and the same products exported as JSON (navigations inline), mounted on a plain node:http server (its router is a connect-style handler; node:http is the fastest host and the one our CLI uses, so the comparison is engine against engine); it loaded in ${n0(s.feMockserverLoadMillis)} ms. The limit servers answer a precomputed copy of our answer for each endpoint (${Object.entries(s.limitBodyBytes)
      .map(([k, v]) => `${k}: ${v.toLocaleString('en')} B`)
      .join(', ')}) — node:http with \`writeHead\` + \`end\`, and a bare Express 5 route with \`res.set().send()\` (defaults, ETag included). fe-mockserver-core's answers are smaller (relative URIs, no \`__deferred\`), see the body column.`,
    '',
    descriptions(s),
    '',
    throughputTable(s, 'node:http limit', 'fe-mockserver-core', ratio),
    '',
    '"× node:http limit": the server\'s req/s over the raw limit\'s for the same endpoint, median of per-round ratios. "sandbox × this": our req/s over this server\'s.',
  ].join('\n');
}

function thirdPartyPart(s: ThirdPartySection, ratio: Ratio): string {
  return [
    '## 3. Third-party stubs: ours vs WireMock vs msw over Express',
    '',
    `Same two routes everywhere: our mock-third-party from a YAML definition (\`startThirdPartyServer\`, node:http, journal on), WireMock ${''}standalone from the \`wiremock\` npm package on Java (mappings with \`jsonBody\` and the \`response-template\` transformer; \`--no-request-journal --disable-request-logging\`, WireMock's advice for load tests; it started in ${n0(s.wiremockStartMillis)} ms and gets a longer warm-up for the JIT), and msw 2 handlers mounted in Express 5 with @mswjs/http-middleware. The node:http limit answers a precomputed copy of the answer.`,
    '',
    descriptions(s),
    '',
    throughputTable(s, 'node:http limit', 'WireMock', ratio),
  ].join('\n');
}

function scalePart(s: ScaleSection, ratio: Ratio): string {
  const sizeRows = [
    '| products | store items | load demo (ms) | generate (ms) | RSS after load (MB) | peak RSS (MB) | JS heap (MB) | RSS after the run (MB) |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...s.sizes.map(
      (z) =>
        `| ${z.products.toLocaleString('en')} | ${z.storeItems.toLocaleString('en')} | ${n0(z.loadMillis)} | ${n0(z.generateMillis)} | ${n0(z.rssMB)} | ${n0(z.peakRssMB)} | ${n0(z.heapUsedMB)} | ${n0(z.rssAfterMB)} |`,
    ),
  ];
  const first = s.sizes[0] ? `${s.sizes[0].products / 1000}k` : '';
  const rows = [`| endpoint | products | req/s | p50 ms | p99 ms | p50 × ${first} |`, '|---|---|---:|---:|---:|---:|'];
  for (const e of s.endpoints) {
    for (const c of e.contenders) {
      if (c.error) rows.push(`| ${e.name} | ${c.name} | **failed**: ${c.error.replace(/\|/g, '\\|').slice(0, 300)} | | | |`);
      else rows.push(`| ${e.name} | ${c.name} | ${n0(c.reqPerSec)} | ${ms(c.p50Ms)} | ${ms(c.p99Ms)} | ${c.name === first ? '' : times(ratio(e, c.name, first))} |`);
    }
  }
  return [
    '## 4. Scale: 1k / 10k / 100k products',
    '',
    'One server process per size (demo project + `generateData`, scale = products / 100: besides the Online products, 10 % Staged copies, customers, orders, media…), all running, measured interleaved. Load time and RSS are the server\'s own (RSS after a GC, before any request).',
    '',
    sizeRows.join('\n'),
    '',
    descriptions(s),
    '',
    rows.join('\n'),
  ].join('\n');
}

function startupPart(s: StartupSection, full: boolean): string {
  const row = (label: string, x: StartupSection['inProcess']['cold']): string =>
    `| ${label} | ${ms(x.loadMillis)} | ${ms(x.generateMillis)} | ${ms(x.listenMillis)} | ${ms(x.firstMetadataMillis)} | **${ms(x.totalMillis)}** |`;
  return [
    '## 5. Start-up',
    '',
    `In-process: \`loadCommerce(demo)\` → \`generateData(scale 10)\` (1k Online products) → \`startCommerceServer\` → first \`$metadata\` answered, in ${s.inProcess.processes} fresh processes × ${s.inProcess.runsPerProcess} starts each; "cold" is the first start of a process (code not yet compiled; module import, ${n0(s.inProcess.importMillis)} ms, not included), "warm" the median of the others — what a test suite pays for a fresh Commerce per test. Medians, ms.`,
    '',
    '| start | load demo | generate 1k | listen | first $metadata | total |',
    '|---|---:|---:|---:|---:|---:|',
    row('cold (first in process)', s.inProcess.cold),
    row('warm (a fresh Commerce per test)', s.inProcess.warm),
    '',
    `CLI: \`node dist/bin/commerce-sandbox.js up --project demo\` from spawn to the first 200 on \`$metadata\` (polled every 2 ms)${full ? ', after one unmeasured start' : ''}.`,
    '',
    '| CLI start | median ms | runs (ms) |',
    '|---|---:|---|',
    ...s.cli.map((c) => `| ${c.label} | ${c.error ? `**failed**: ${c.error}` : n0(c.medianMillis)} | ${c.millis.map((m) => n0(m)).join(', ')} |`),
  ].join('\n');
}

function scenarioPart(s: ScenarioSection): string {
  return [
    '## 6. Scenario replay',
    '',
    s.available ? `\`node dist/bin/commerce-sandbox.js run\`: **${n0(s.millis)} ms** wall time, ${s.note}.` : `**${s.note}** — this slot runs and times \`node dist/bin/commerce-sandbox.js run\` once the command exists.`,
  ].join('\n');
}

export function renderMarkdown(r: SuiteResult, ratio: { throughputRatio: Ratio; latencyRatio: Ratio }): string {
  const parts: string[] = [];
  parts.push(
    [
      '# Benchmarks',
      '',
      `Generated by \`npm run bench${r.mode === 'quick' ? ' -- --quick' : ''}\` on ${r.date.slice(0, 10)} (${r.mode} mode: ${r.args.rounds} interleaved rounds of ${r.args.seconds} s per server and endpoint after ${r.args.warmupSeconds} s warm-up, ${r.args.connections} connections; wall time ${r.wallSeconds?.toFixed(0) ?? '?'} s).`,
      ...(r.build && r.build !== 'ok' ? [`**dist/ build ${r.build}** (sections 5 and 6 use dist/).`, ''] : []),
      `Machine: ${r.machine.cpu}, ${r.machine.cores} cores, ${r.machine.memoryGB} GB, ${r.machine.platform}. Load generator: autocannon in its own process; every server in its own process. Figures are medians over the rounds; ratios are medians of per-round ratios (both sides measured back to back in the same round). Every response's status is checked, and a sample of bodies (the first and every 50th per URL) must contain what the request asked for.`,
      '',
      '## Targets',
      '',
      '| what | target | measured | met |',
      '|---|---|---:|---|',
      ...targets(r, ratio).map((t) => `| ${t.what} | ${t.target} | ${t.measured} | ${t.met === undefined ? '—' : t.met ? 'yes' : '**no**'} |`),
    ].join('\n'),
  );
  const section = <T extends object>(s: T | { error: string } | undefined, title: string, render: (x: T) => string): void => {
    if (!s) return;
    parts.push('error' in s ? `## ${title}\n\n**failed**: ${s.error}` : render(s));
  };
  section(r.odata, '1 + 2. OData reads', (s) => odataPart(s, ratio.throughputRatio));
  section(r.thirdParty, '3. Third-party stubs', (s) => thirdPartyPart(s, ratio.throughputRatio));
  section(r.scale, '4. Scale', (s) => scalePart(s, ratio.latencyRatio));
  section(r.startup, '5. Start-up', (s) => startupPart(s, r.mode === 'full'));
  section(r.scenarios, '6. Scenario replay', (s) => scenarioPart(s));
  parts.push(['## Versions', '', '| | |', '|---|---|', ...Object.entries(r.versions).map(([k, v]) => `| ${k} | ${v} |`)].join('\n'));
  return `${parts.join('\n\n')}\n`;
}
