/**
 * bench/results.md from a suite result: environment, targets, one table per section, versions, and the
 * hand-written analysis of the misses (bench/analysis.md) appended as it is.
 */
import type { ODataSection, ScaleLoad, ScaleSection, ScenarioSection, StartupFigures, StartupSection, SuiteResult, ThirdPartySection } from '../run.js';
import { CACHE_OFF, CACHE_ON, NO_JOURNAL, scaleContender, sizeLabel } from './common.js';
import { type EndpointResult, otherCpu } from './measure.js';

type Ratio = (endpoint: EndpointResult, a: string, b: string) => number | undefined;
interface Ratios {
  throughputRatio: Ratio;
  latencyRatio: Ratio;
}

const finite = (x: number | undefined): x is number => x !== undefined && Number.isFinite(x);
const n0 = (x: number | undefined): string => (finite(x) ? Math.round(x).toLocaleString('en') : '—');
const ms = (x: number | undefined): string => (finite(x) ? (x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : Math.round(x).toLocaleString('en')) : '—');
const times = (x: number | undefined): string => (finite(x) ? `${x.toFixed(2)}×` : '—');
const seconds = (x: number | undefined): string => (finite(x) ? `${(x / 1000).toFixed(2)} s` : '—');

function ok<T extends object>(s: T | { error: string } | undefined): T | undefined {
  return s && !('error' in s) ? s : undefined;
}

interface Target {
  what: string;
  target: string;
  measured: string;
  /** undefined: not measured, or for information only. */
  met: boolean | undefined;
}

const endpoint = (s: { endpoints: EndpointResult[] } | undefined, name: string) => s?.endpoints.find((e) => e.name === name);

/** `a`'s median server CPU per request over `b`'s (undefined unless both were measured). */
function cpuRatio(e: EndpointResult | undefined, a: string, b: string): number | undefined {
  const x = e?.contenders.find((c) => c.name === a)?.cpuPerRequestMicros;
  const y = e?.contenders.find((c) => c.name === b)?.cpuPerRequestMicros;
  return finite(x) && finite(y) && y > 0 ? x / y : undefined;
}

/** A ratio, with the server-CPU-per-request figure of the same comparison after it. */
const withCpu = (cpu: number | undefined) => (x: number | undefined): string => (finite(cpu) ? `${times(x)} (CPU: ${times(cpu)})` : times(x));

function targets(r: SuiteResult, ratio: Ratios): Target[] {
  const out: Target[] = [];
  const check = (what: string, target: string, value: number | undefined, limit: number | undefined, atLeast: boolean, format: (x: number | undefined) => string): void => {
    out.push({ what, target, measured: format(value), met: !finite(value) || limit === undefined ? undefined : atLeast ? value >= limit : value <= limit });
  };
  const odata = ok(r.odata);
  if (odata) {
    const key = endpoint(odata, 'key');
    const filter = endpoint(odata, 'filter');
    for (const [server, label] of [
      [CACHE_ON, 'read cache on (default)'],
      [CACHE_OFF, 'read cache off (the OData engine)'],
    ] as const) {
      // The CPU figure in brackets: the other server's CPU per request over ours (higher is better, as req/s).
      const inverse = (e: EndpointResult | undefined, other: string): number | undefined => {
        const r = cpuRatio(e, server, other);
        return r === undefined ? undefined : 1 / r;
      };
      check(`Key read vs raw node:http limit — ${label}`, '≥ 0.6×', key && ratio.throughputRatio(key, server, 'node:http limit'), 0.6, true, withCpu(inverse(key, 'node:http limit')));
      check(`Key read vs fe-mockserver-core — ${label}`, '≥ 1.8×', key && ratio.throughputRatio(key, server, 'fe-mockserver-core'), 1.8, true, withCpu(inverse(key, 'fe-mockserver-core')));
      check(
        `Filtered page ($filter+$orderby+$top=100) vs its raw limit — ${label}`,
        '≥ 0.3×',
        filter && ratio.throughputRatio(filter, server, 'node:http limit'),
        0.3,
        true,
        withCpu(inverse(filter, 'node:http limit')),
      );
    }
  }
  const scale = ok(r.scale);
  if (scale && scale.loads.length > 0) {
    const a = scale.loads[0]!.products;
    const last = scale.loads[scale.loads.length - 1]!;
    const b = last.products;
    const sk = endpoint(scale, 'key');
    const sf = endpoint(scale, 'filter');
    for (const cache of [false, true]) {
      const label = cache ? 'read cache on (default)' : 'read cache off (the OData engine)';
      const [x, y] = [scaleContender(b, cache), scaleContender(a, cache)];
      check(`Key-read p50 latency, ${sizeLabel(b)} vs ${sizeLabel(a)} products — ${label}`, '≤ 1.2×', sk && ratio.latencyRatio(sk, x, y), 1.2, false, withCpu(cpuRatio(sk, x, y)));
      check(`Filtered page ($top=100) p50 latency, ${sizeLabel(b)} vs ${sizeLabel(a)} — ${label}`, '≤ 2×', sf && ratio.latencyRatio(sf, x, y), 2, false, withCpu(cpuRatio(sf, x, y)));
    }
    const runs = last.runs > 1 ? ` (median of ${last.runs} fresh processes)` : '';
    check(`${sizeLabel(b)} products (catalog data): load time, loadCommerce(demo) + generateData + markLoaded${runs}`, '≤ 2 s', last.totalLoadMillis, 2000, false, seconds);
    check(`${sizeLabel(b)} products (catalog data): RSS after load, after a forced GC`, '≤ 300 MB', last.rssMB, 300, false, (x) => `${n0(x)} MB`);
    const ref = ok(scale.reference);
    if (ref) {
      out.push({ what: 'For reference: scale 1000 with customers and orders (loadCommerce seed + scale): load time', target: '(≤ 2 s is for products)', measured: seconds(ref.totalLoadMillis), met: undefined });
      out.push({ what: 'For reference: the same, RSS after a forced GC', target: '(≤ 300 MB is for products)', measured: `${n0(ref.rssMB)} MB`, met: undefined });
    }
  }
  const startup = ok(r.startup);
  if (startup) {
    const p = startup.inProcess;
    check('startSandbox() with the demo project + 1k products, warm (after one start in the process)', '≤ 50 ms', p.warm.totalMillis, 50, false, (x) => `${ms(x)} ms`);
    check('startSandbox(), the first in a fresh process (module import not included)', '≤ 50 ms', p.first.totalMillis, 50, false, (x) => `${ms(x)} ms`);
    const cli = startup.cli[0];
    check('CLI process start to first 200 on $metadata (demo project)', '≤ 800 ms', cli?.medianMillis, 800, false, (x) => `${n0(x)} ms`);
  }
  const tp = ok(r.thirdParty);
  if (tp) {
    const st = endpoint(tp, 'static');
    const inverse = (a: string): number | undefined => {
      const r = cpuRatio(st, a, 'WireMock');
      return r === undefined ? undefined : 1 / r;
    };
    check('Static third-party stub throughput vs WireMock (ours as shipped: request journal on)', '≥ 2×', st && ratio.throughputRatio(st, 'sandbox', 'WireMock'), 2, true, withCpu(inverse('sandbox')));
    check('Static third-party stub throughput vs WireMock, both without a request journal', '≥ 2×', st && ratio.throughputRatio(st, NO_JOURNAL, 'WireMock'), 2, true, withCpu(inverse(NO_JOURNAL)));
  }
  const sc = ok(r.scenarios);
  if (sc) {
    const last = sc.runs[sc.runs.length - 1];
    out.push({
      what: 'Scenario replay (`commerce-sandbox run`, the shipped scenarios): all pass',
      target: 'all pass',
      measured: `${last?.passed ?? '?'} of ${sc.scenarios ?? '?'} passed, ${seconds(sc.medianMillis)}`,
      met: sc.allPassed,
    });
  }
  return out;
}

function failure(c: { error?: string; unsupported?: string }): string | undefined {
  if (c.unsupported) return `not supported: ${c.unsupported}`;
  return c.error ? `**failed**: ${c.error.replace(/\|/g, '\\|').slice(0, 300)}` : undefined;
}

/** One row per endpoint and server: req/s, latencies, bytes, the fraction of the limit and our ratio over each other server. */
function throughputTable(s: { endpoints: EndpointResult[] }, limit: string, ours: { name: string; column: string }[], ratio: Ratio): string {
  const rows = [
    `| endpoint | server | req/s | p50 ms | p99 ms | body bytes | server CPU µs/req | × ${limit} (req/s) | × ${limit} (CPU) |${ours.map((o) => ` ${o.column} |`).join('')}`,
    `|---|---|---:|---:|---:|---:|---:|---:|---:|${ours.map(() => '---:|').join('')}`,
  ];
  for (const e of s.endpoints) {
    const limitCpu = e.contenders.find((c) => c.name === limit)?.cpuPerRequestMicros;
    for (const c of e.contenders) {
      const failed = failure(c);
      const cells = [
        e.name,
        c.name,
        failed ?? n0(c.reqPerSec),
        failed ? '' : ms(c.p50Ms),
        failed ? '' : ms(c.p99Ms),
        failed ? '' : n0(c.meanBytes),
        failed ? '' : ms(c.cpuPerRequestMicros),
        failed || c.name === limit ? '' : times(ratio(e, c.name, limit)),
        failed || c.name === limit || !finite(limitCpu) || !finite(c.cpuPerRequestMicros) ? '' : times(limitCpu / c.cpuPerRequestMicros),
        ...ours.map((o) => (failed || c.name === o.name ? '' : times(ratio(e, o.name, c.name)))),
      ];
      rows.push(`| ${cells.join(' | ')} |`);
    }
  }
  return rows.join('\n');
}

const CPU_NOTE =
  '"server CPU µs/req": CPU time (user + system, all threads, from /proc) the server process used per answered request, median over the rounds. "× node:http limit (req/s)": the server\'s req/s over the raw limit\'s in the same round — on 2 cores shared with the load generator this is what the issue asks for; "(CPU)": the raw limit\'s CPU per request over this server\'s, i.e. the fraction of the limit\'s throughput the server would reach if its own CPU were the only bottleneck.';

function descriptions(s: { endpoints: EndpointResult[] }): string {
  const other = otherCpu(s.endpoints);
  const lines = s.endpoints.map((e) => `- **${e.name}**: ${e.description}`);
  if (other) {
    lines.push(
      '',
      `During the measured runs, everything but the server under test, the load generator and the suite (other processes, this machine's other users, the idle servers of the section) used ${(other.median * 100).toFixed(0)} % of the machine's CPU in the median run, ${(other.max * 100).toFixed(0)} % at most.`,
    );
  }
  return lines.join('\n');
}

function cacheNote(use: { capacity: number; distinctUrls: number }): string {
  return use.distinctUrls <= use.capacity
    ? `The cache-on server sees ${use.distinctUrls.toLocaleString('en')} distinct URLs in the whole run, fewer than its ${use.capacity.toLocaleString('en')} entries (\`sandbox.read.cache.entries\`, the default): after the warm-up every read of it is a cache hit, as it is for a client that re-reads up to ${use.capacity.toLocaleString('en')} URLs of unchanged data. A client reading more distinct URLs than that between two writes gets misses (oldest entries are dropped first), i.e. the cache-off figures.`
    : `**The cache-on server sees ${use.distinctUrls.toLocaleString('en')} distinct URLs, more than its ${use.capacity.toLocaleString('en')} entries: some reads miss the cache.**`;
}

function odataPart(s: ODataSection, ratio: Ratio): string {
  return [
    '## 1 + 2. OData reads vs @sap-ux/fe-mockserver-core, and the limits',
    '',
    `Our Commerce: the demo project + ${s.products.toLocaleString('en')} generated Online products (scale ${s.products / 100}: ${s.productItems.toLocaleString('en')} Product items with the Staged copies and the demo's own), one seed, in two server processes: **${CACHE_ON}** is the product as shipped (the read cache answers a repeated GET of unchanged data with the bytes of its first answer), **${CACHE_OFF}** is started with \`sandbox.read.cache.entries=0\` and shows what the OData engine itself costs per request (parse, authorise, query the store, serialise). Both are legitimate figures: the first is what a client re-reading data gets, the second what every first read (and every read after a write) costs. ${cacheNote(s.readCache)}`,
    '',
    `fe-mockserver-core serves the EDMX of our \`$metadata\` and the same products exported as JSON (navigations inline), mounted on a plain node:http server (its router is a connect-style handler; node:http is the fastest host and the one our CLI uses, so the comparison is engine against engine); it loaded in ${n0(s.feMockserverLoadMillis)} ms. fe-mockserver-core has no answer cache. The limit servers answer a precomputed copy of our answer for each endpoint (${Object.entries(s.limitBodyBytes)
      .map(([k, v]) => `${k}: ${v.toLocaleString('en')} B`)
      .join(', ')}) — node:http with \`writeHead\` + \`end\`, and a bare Express 5 route with \`res.set().send()\` (defaults, ETag included). fe-mockserver-core's answers are smaller (relative URIs, no \`__deferred\`), see the body column.`,
    '',
    descriptions(s),
    '',
    throughputTable(
      s,
      'node:http limit',
      [
        { name: CACHE_ON, column: 'cache on × this' },
        { name: CACHE_OFF, column: 'cache off × this' },
      ],
      ratio,
    ),
    '',
    `${CPU_NOTE} "cache on × this" / "cache off × this": our req/s (cache on / off) over this server's. Ratios are medians of per-round ratios.`,
  ].join('\n');
}

function thirdPartyPart(s: ThirdPartySection, ratio: Ratio): string {
  return [
    '## 3. Third-party stubs: ours vs WireMock vs msw over Express',
    '',
    `Same two routes everywhere: our mock-third-party from a YAML definition (\`startThirdPartyServer\`, node:http; **sandbox** as shipped, with its request journal of 10,000 entries, and **${NO_JOURNAL}** with \`journalLimit: 0\`, like WireMock here), WireMock standalone from the \`wiremock\` npm package on Java (mappings with \`jsonBody\` and the \`response-template\` transformer; \`--no-request-journal --disable-request-logging\`, WireMock's advice for load tests; started once per suite run, alongside the build and the first section's server starts — ${n0(s.wiremockStartMillis)} ms, on a busy machine — and warmed up on both routes for 12 s right away, as its JIT needs ≈ 11 s of load to reach full speed, and again before each route, longer than the others), and msw 2 handlers mounted in Express 5 with @mswjs/http-middleware. The node:http limit answers a precomputed copy of the answer.`,
    '',
    descriptions(s),
    '',
    throughputTable(
      s,
      'node:http limit',
      [
        { name: 'sandbox', column: 'sandbox × this' },
        { name: NO_JOURNAL, column: 'no journal × this' },
      ],
      ratio,
    ),
    '',
    `${CPU_NOTE} "sandbox × this" / "no journal × this": our req/s (journal on / off) over this server's (median of per-round ratios).`,
  ].join('\n');
}

const percent = (x: number): string => `${Math.round(x * 100)} %`;

function loadRow(z: ScaleLoad, label: string): string {
  return `| ${label} | ${z.productItems.toLocaleString('en')} | ${z.storeItems.toLocaleString('en')} | ${n0(z.loadMillis)} | ${n0(z.generateMillis)} | ${n0(z.markLoadedMillis)} | **${n0(z.totalLoadMillis)}** | ${z.totalLoadMillisRuns.map(n0).join(', ')} | ${z.otherCpuShare.map(percent).join(', ')} | **${n0(z.rssMB)}** | ${n0(z.peakRssMB)} | ${n0(z.heapUsedMB)} |`;
}

function scalePart(s: ScaleSection, ratio: Ratio): string {
  const products = s.loads.map((z) => z.products);
  const first = products[0]!;
  const runs = s.loads[0]?.runs ?? 1;
  const sizeRows = [
    '| Online products | Product items | store items | loadCommerce demo (ms) | generateData (ms) | markLoaded (ms) | load total (ms) | runs (ms) | other processes\' CPU share per run | RSS after load, after GC (MB) | peak RSS (MB) | JS heap (MB) |',
    '|---:|---:|---:|---:|---:|---:|---:|---|---|---:|---:|---:|',
    ...s.loads.map((z) => loadRow(z, z.products.toLocaleString('en'))),
  ];
  const ref = s.reference;
  const refText = !ref
    ? []
    : 'error' in ref
      ? ['', `Reference load (scale 1000 with customers and orders): **failed**: ${ref.error}`]
      : [
          '',
          `For reference, the full generated data of scale 1000 — customers, addresses, orders and entries as well (\`loadCommerce({ projectDir: demo, seed, scale: 1000 })\`, the product's own path, as \`up --seed 1 --scale 1000\` does; one load): ${ref.storeItems.toLocaleString('en')} store items (${Object.entries(ref.created)
            .map(([k, v]) => `${k} ${v.toLocaleString('en')}`)
            .join(', ')}), load **${seconds(ref.totalLoadMillis)}**, RSS after a forced GC **${n0(ref.rssMB)} MB** (peak ${n0(ref.peakRssMB)} MB, JS heap ${n0(ref.heapUsedMB)} MB).`,
        ];
  const rows = ['| endpoint | products | cache | req/s | p50 ms | p99 ms | server CPU µs/req | p50 × ' + sizeLabel(first) + ' (same cache) |', '|---|---|---|---:|---:|---:|---:|---:|'];
  for (const e of s.endpoints) {
    for (const cache of [false, true]) {
      for (const p of products) {
        const name = scaleContender(p, cache);
        const c = e.contenders.find((x) => x.name === name);
        if (!c) continue;
        const failed = failure(c);
        if (failed) rows.push(`| ${e.name} | ${sizeLabel(p)} | ${cache ? 'on' : 'off'} | ${failed} | | | | |`);
        else
          rows.push(
            `| ${e.name} | ${sizeLabel(p)} | ${cache ? 'on' : 'off'} | ${n0(c.reqPerSec)} | ${ms(c.p50Ms)} | ${ms(c.p99Ms)} | ${ms(c.cpuPerRequestMicros)} | ${p === first ? '' : times(ratio(e, name, scaleContender(first, cache)))} |`,
          );
      }
    }
  }
  const rss = Object.entries(s.serverRssAfterMB);
  return [
    `## 4. Scale: ${products.map(sizeLabel).join(' / ')} products`,
    '',
    `The target is about products, so the data is the catalog only: the demo project + \`generateData(store, { seed, scale: products / 100, customers: false })\` — the Online products, 10 % Staged copies, their pictures (Media), categories, catalog.`,
    '',
    `**Load time and memory**: each size loaded in ${runs === 1 ? 'a fresh process' : `${runs} fresh processes, one after the other (medians)`} on plain node from dist/ (\`lib/load-child.mjs\`: \`loadCommerce({ projectDir: demo, reuse: false })\`, \`generateData\`, \`markLoaded()\` — the snapshot a reset returns to — with outbound's store listeners attached only afterwards, as a load with a seed does), none of the suite's servers running (the "other processes" column says how much CPU the rest of the machine took meanwhile); RSS and JS heap after a forced GC, peak RSS over the load. The process's own baseline (node + the sandbox's modules + the demo project) is in the 1k row.`,
    '',
    sizeRows.join('\n'),
    ...refText,
    '',
    `**Latencies**: one server process per size and cache setting (\`lib/commerce-server.ts\`, the same load, under tsx), all measured interleaved. Key reads use ${s.keys} distinct random keys per size. ${cacheNote(s.readCache)}`,
    '',
    descriptions(s),
    '',
    rows.join('\n'),
    ...(rss.length ? ['', `RSS of the serving processes after the measurement (under tsx): ${rss.map(([k, v]) => `${k} ${n0(v)} MB`).join(', ')}.`] : []),
  ].join('\n');
}

function startupPart(s: StartupSection): string {
  const p = s.inProcess;
  const row = (label: string, x: StartupFigures): string => `| ${label} | ${ms(x.loadMillis)} | ${ms(x.startSandboxMillis)} | ${ms(x.firstMetadataMillis)} | **${ms(x.totalMillis)}** |`;
  return [
    '## 5. Start-up',
    '',
    `In-process: \`startSandbox({ project: demo, seed: 1, scale: 10, time, thirdParties: [] })\` (scenarios/sandbox/start-sandbox.ts, as built in dist/, on plain node — what a test suite importing the package runs) → first \`$metadata\` answered (node:http GET) → \`close()\`, in ${p.processes} fresh processes × ${p.runsPerProcess} starts each. "First" is the first start of a process (code not yet compiled, the demo project imported and 1k products generated for the first time; before it, node's bootstrap took ${ms(p.processMillis)} ms and importing start-sandbox.js ${ms(p.importMillis)} ms, not included); "warm" is the median of the others — what a test suite that starts a fresh sandbox per test pays per test (\`loadCommerce\` restores the state of the identical first load). Medians, ms.`,
    '',
    '| start | loadCommerce (`sandbox.load.millis`) | startSandbox() total | first $metadata | start → first 200 |',
    '|---|---:|---:|---:|---:|',
    row('first in a fresh process', p.first),
    row('warm (a fresh sandbox per test)', p.warm),
    '',
    'CLI: `node dist/bin/commerce-sandbox.js up --project demo` from spawn to the first 200 on `$metadata` (polled every 2 ms), after one unmeasured start (the OS file cache as a developer\'s second start finds it).',
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
    `\`${s.command}\` (every shipped scenario in a fresh sandbox, 4 at a time, the CLI's default), ${s.runs.length} run${s.runs.length === 1 ? '' : 's'}: **${seconds(s.medianMillis)}** wall time (median, process spawn to exit), ${s.scenarios ?? '?'} scenarios, ${s.allPassed ? 'all passed' : '**not all passed**'}.`,
    '',
    '| run | wall time | exit code | passed | failed | errors | runner\'s own figure |',
    '|---:|---:|---:|---:|---:|---:|---:|',
    ...s.runs.map((r, i) => `| ${i + 1} | ${seconds(r.millis)} | ${r.exitCode} | ${r.passed ?? '?'} | ${r.failed ?? '?'} | ${r.errors ?? '?'} | ${seconds(r.reportedMillis)} |`),
    ...(s.allPassed ? [] : ['', 'Failures (last run):', '', '```', s.output, '```']),
  ].join('\n');
}

export function renderMarkdown(r: SuiteResult, ratio: Ratios, analysis?: string): string {
  const parts: string[] = [];
  const la = (xs: number[] | undefined): string => (xs ? xs.map((x) => x.toFixed(2)).join(' / ') : '?');
  parts.push(
    [
      '# Benchmarks',
      '',
      `Generated by \`npm run bench${r.mode === 'quick' ? ' -- --quick' : ''}\` on ${r.date.slice(0, 16).replace('T', ' ')} UTC${r.commit ? ` at commit ${r.commit}` : ''} (${r.mode} mode: ${r.args.rounds} interleaved rounds of ${r.args.seconds} s per server and endpoint after ${r.args.warmupSeconds} s warm-up, ${r.args.connections} connections; **wall time ${r.wallSeconds?.toFixed(0) ?? '?'} s**).`,
      '',
      `Machine: ${r.machine.cpu}, ${r.machine.cores} cores, ${r.machine.memoryGB} GB, ${r.machine.platform}, node ${r.versions.node}. Load average (1 / 5 / 15 min) at the start ${la(r.machine.loadAverageStart)}, at the end ${la(r.machine.loadAverageEnd)}${r.sectionLoadAverage ? `; 1-min load average as each section started: ${Object.entries(r.sectionLoadAverage).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ')}` : ''}. The suite itself keeps both cores busy (load ≈ 2); more means other work was running. The sections say how much CPU other processes took during the measured runs: every absolute figure of a disturbed run is lower than on an idle machine; ratios measured back to back suffer less, and the server CPU per request least.`,
      ...(r.mode === 'quick'
        ? [
            '',
            '**Quick mode**: runs of a fraction of a second, 2 rounds, no 100k size — a check that the whole suite works and a rough picture; borderline ratios move by ±0.2 from one quick run to the next. The targets are judged on the full run (bench/results.md).',
          ]
        : []),
      ...(r.build && r.build !== 'ok' ? ['', `**dist/ build ${r.build}** (sections 4 (loads), 5 and 6 use dist/).`] : []),
      '',
      'Load generator: autocannon in its own process; every server in its own process. Figures are medians over the rounds; ratios are medians of per-round ratios (both sides measured back to back in the same round). Every response\'s status is checked, and a sample of bodies (the first and every 50th per URL) must contain what the request asked for.',
      '',
      '## Targets',
      '',
      'Our OData figures are given twice: with the read cache on (the default: repeated GETs of unchanged data are answered with the bytes of the first answer) and off (`sandbox.read.cache.entries=0`: the cost of the OData engine itself). Ratios are the targets\' measures (req/s, p50 latency, medians of per-round ratios); "(CPU: …)" gives the same comparison by the servers\' CPU time per request, which the machine\'s other load bends less (for throughput: the other server\'s CPU per request over ours; for latency: ours at the larger size over ours at the smaller). "—": for information.',
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
  section(r.startup, '5. Start-up', (s) => startupPart(s));
  section(r.scenarios, '6. Scenario replay', (s) => scenarioPart(s));
  parts.push(['## Versions', '', '| | |', '|---|---|', ...Object.entries(r.versions).map(([k, v]) => `| ${k} | ${v} |`)].join('\n'));
  if (analysis) parts.push(analysis.trim());
  return `${parts.join('\n\n')}\n`;
}
