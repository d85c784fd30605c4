// Cross-browser smoke test over plain WebDriver (no Playwright, no driver downloads): the
// browser is the one asked for (user agent), the app loads, the example opens and is scored,
// every rubric case scores byte-identical to the native CLI, a draft survives a reload (read back
// from IndexedDB), the trends view charts it, the reliability view compares it with itself, the
// Export control gives the CLI's xAPI statements, the coaching report lists the CLI's strengths,
// next steps and questions with no record path, and no request leaves 127.0.0.1. Requests are counted at the browser: it is told to send everything
// through a local recording proxy, which forwards only to the app's server; a test-only page
// with a planted outside request proves the count can fail.
//
//   node smoke-webdriver.mjs chromium|firefox|webkit|all
//
// Drivers: /usr/bin/chromedriver, geckodriver (PATH or ~/.cargo/bin; `cargo install geckodriver`),
// /usr/bin/WebKitWebDriver (started under `xvfb-run -a`). Screenshots go to artifacts/.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { startServer } from "./server.mjs";
import {
  CHROMIUM, CHROMIUM_ARGS, artifact, requireBuiltApp, tempDir, removeDir, browserOf, compareCases,
  nativeCaseResults, SCORE_CASES_IN_PAGE, freePort, readBundleWithCases, rubrica,
} from "./helpers.mjs";

const PLANTED = "http://198.51.100.7/planted-by-the-tests.png";

/**
 * Hosts of the browsers' own services (updates, network time, sign-in, remote settings, the
 * default search engine). Chromium and Firefox ask them for themselves, whatever page is open;
 * the proxy refuses these like any other outside request, but they are not the app's requests
 * and are not counted against it. Any other host is.
 */
const BROWSER_SERVICES = [/(^|\.)google\.com$/, /(^|\.)googleapis\.com$/, /(^|\.)gvt1\.com$/, /(^|\.)duckduckgo\.com$/, /(^|\.)mozilla\.(com|net|org)$/, /(^|\.)firefox\.com$/];

function hostOf(url) {
  try {
    return new URL(url).hostname;
  } catch {
    return "";
  }
}

/**
 * A proxy every request of the browser goes to: requests for the app's server are forwarded,
 * anything else is recorded as outside and refused (so nothing leaves the machine).
 */
function startProxy(serverUrl) {
  const app = new URL(serverUrl);
  const outside = [];
  const browserOwn = [];
  const forwarded = [];
  const refuse = (what, host) => (BROWSER_SERVICES.some((re) => re.test(host)) ? browserOwn : outside).push(what);
  const proxy = http.createServer((req, res) => {
    // A browser may drop a connection at any time (when a page goes away): not a failure.
    req.on("error", () => {});
    res.on("error", () => {});
    let url = null;
    try {
      url = new URL(req.url);
    } catch {
      /* not an absolute URL: not a proxy request */
    }
    if (url && url.hostname === app.hostname && url.port === app.port) {
      forwarded.push(req.url);
      const upstream = http.request(
        { host: app.hostname, port: app.port, path: url.pathname + url.search, method: req.method, headers: req.headers },
        (r) => {
          res.writeHead(r.statusCode ?? 502, r.headers);
          r.pipe(res);
        },
      );
      upstream.on("error", () => res.destroy());
      req.pipe(upstream);
      return;
    }
    refuse(req.url, hostOf(req.url));
    res.writeHead(403, { "content-type": "text/plain" }).end("outside requests are refused\n");
  });
  proxy.on("clientError", (_e, socket) => socket.destroy());
  proxy.on("connect", (req, socket) => {
    socket.on("error", () => {});
    refuse(`CONNECT ${req.url}`, req.url.replace(/:\d+$/, "")); // CONNECT host:port
    socket.end("HTTP/1.1 403 Forbidden\r\n\r\n");
  });
  return new Promise((resolve, reject) => {
    proxy.once("error", reject);
    proxy.listen(0, "127.0.0.1", () => {
      resolve({
        address: `127.0.0.1:${proxy.address().port}`,
        outside,
        browserOwn,
        forwarded,
        close: () => new Promise((done) => (proxy.closeAllConnections?.(), proxy.close(() => done()))),
      });
    });
  });
}

const ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

function which(candidates) {
  for (const c of candidates) {
    if (c.includes("/")) {
      if (existsSync(c)) return c;
      continue;
    }
    for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
      const p = path.join(dir, c);
      if (existsSync(p)) return p;
    }
  }
  return null;
}


/** How to start each driver and what to ask it for; every browser uses the recording proxy. */
function browsers(profile, proxyAddress) {
  const proxy = { proxyType: "manual", httpProxy: proxyAddress, sslProxy: proxyAddress };
  return {
    chromium: {
      driver: () => [which([process.env.CHROMEDRIVER ?? "/usr/bin/chromedriver", "chromedriver"]), (port) => [`--port=${port}`]],
      capabilities: {
        browserName: "chrome",
        proxy,
        "goog:chromeOptions": { binary: CHROMIUM, args: [...CHROMIUM_ARGS, `--user-data-dir=${profile}`, "--window-size=1280,900"] },
      },
    },
    firefox: {
      driver: () => [
        which([process.env.GECKODRIVER ?? "geckodriver", path.join(os.homedir(), ".cargo/bin/geckodriver")]),
        (port) => ["--port", String(port), "--host", "127.0.0.1"],
      ],
      capabilities: {
        browserName: "firefox",
        proxy,
        "moz:firefoxOptions": {
          binary: which([process.env.FIREFOX ?? "/usr/bin/firefox-esr", "firefox"]),
          args: ["-headless", "-profile", profile, "-width", "1280", "-height", "900"],
          prefs: {
            "app.update.enabled": false,
            "app.normandy.enabled": false,
            "browser.safebrowsing.malware.enabled": false,
            "browser.safebrowsing.phishing.enabled": false,
            "browser.safebrowsing.downloads.enabled": false,
            "browser.shell.checkDefaultBrowser": false,
            "datareporting.policy.dataSubmissionEnabled": false,
            "datareporting.healthreport.uploadEnabled": false,
            "extensions.update.enabled": false,
            "network.captive-portal-service.enabled": false,
            "network.connectivity-service.enabled": false,
            "network.dns.disablePrefetch": true,
            "network.prefetch-next": false,
            "toolkit.telemetry.enabled": false,
          },
        },
      },
    },
    webkit: {
      // WebKitGTK needs a display: without one, the driver (and the browser it starts) run
      // under their own Xvfb.
      driver: () => {
        const bin = which([process.env.WEBKITDRIVER ?? "/usr/bin/WebKitWebDriver"]);
        if (process.env.DISPLAY || process.env.WAYLAND_DISPLAY) return [bin, (port) => [`--port=${port}`]];
        return [bin && which(["xvfb-run"]), (port) => ["-a", bin, `--port=${port}`]];
      },
      capabilities: {
        browserName: "MiniBrowser",
        proxy,
        "webkitgtk:browserOptions": {
          binary: which(["/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser", "MiniBrowser"]),
          args: ["--automation", "--geometry=1280x900"],
        },
      },
    },
  };
}

class Session {
  constructor(base, id) {
    this.base = base;
    this.id = id;
  }

  static async create(base, capabilities) {
    let res;
    try {
      res = await call(base, "POST", "/session", { capabilities: { alwaysMatch: capabilities } });
    } catch (e) {
      throw new Error(`browser did not start: ${e.message}`);
    }
    return new Session(base, res.sessionId);
  }

  cmd(method, route, body) {
    return call(this.base, method, `/session/${this.id}${route}`, body);
  }

  go(url) {
    return this.cmd("POST", "/url", { url });
  }

  run(script, ...args) {
    return this.cmd("POST", "/execute/sync", { script, args });
  }

  runAsync(script, ...args) {
    return this.cmd("POST", "/execute/async", { script, args });
  }

  async find(css) {
    const el = await this.cmd("POST", "/element", { using: "css selector", value: css });
    return el[ELEMENT];
  }

  async click(css) {
    return this.cmd("POST", `/element/${await this.find(css)}/click`, {});
  }

  async type(css, text) {
    const id = await this.find(css);
    await this.cmd("POST", `/element/${id}/clear`, {});
    return this.cmd("POST", `/element/${id}/value`, { text });
  }

  /** Polls a script until it returns something truthy. */
  async until(what, script, timeout = 30_000) {
    const end = Date.now() + timeout;
    for (;;) {
      const v = await this.run(script);
      if (v) return v;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  close() {
    return call(this.base, "DELETE", `/session/${this.id}`);
  }
}

async function call(base, method, route, body) {
  const res = await fetch(`${base}${route}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json().catch(() => ({}));
  if (!res.ok) {
    const v = json.value ?? {};
    throw new Error(`${method} ${route}: ${v.error ?? res.status}: ${v.message ?? JSON.stringify(json)}`);
  }
  return json.value;
}

async function startDriver(name, spec) {
  const [bin, argsFor] = spec.driver();
  if (!bin) throw new Error(`no WebDriver for ${name}; see tests/e2e/README.md`);
  const port = await freePort();
  const child = spawn(bin, argsFor(port), { stdio: ["ignore", "pipe", "pipe"], detached: true });
  let log = "";
  child.stdout.on("data", (d) => (log += d));
  child.stderr.on("data", (d) => (log += d));
  const base = `http://127.0.0.1:${port}`;
  const end = Date.now() + 30_000;
  for (;;) {
    try {
      const status = await call(base, "GET", "/status");
      if (status && status.ready !== false) break;
    } catch {
      /* not up yet */
    }
    if (child.exitCode !== null || Date.now() > end) throw new Error(`${name} driver did not start:\n${log}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    base,
    log: () => log,
    stop: () => {
      try {
        process.kill(-child.pid, "SIGTERM"); // the driver and what it started (xvfb-run, Xvfb)
      } catch {
        /* already gone */
      }
    },
  };
}

/** Every entry of the app's `observations` store, `{key, record}`, read with IndexedDB itself. */
const READ_OBSERVATIONS = `
const done = arguments[arguments.length - 1];
const req = indexedDB.open("rubrica");
req.onerror = () => done({ error: String(req.error) });
req.onsuccess = () => {
  const db = req.result;
  try {
    const all = db.transaction("observations", "readonly").objectStore("observations").getAll();
    all.onsuccess = () => (db.close(), done({ ok: all.result.map((e) => ({ key: e.key, record: e.record })) }));
    all.onerror = () => (db.close(), done({ error: String(all.error) }));
  } catch (e) {
    db.close();
    done({ error: String(e) });
  }
};`;

function native(args) {
  const out = rubrica(args);
  assert.equal(out.status, 0, `rubrica ${args.join(" ")}: ${out.stderr}`);
  return out.stdout;
}

/** The trends view of the stored observation: per practice an SVG chart with a point per visit and its table, the scores the CLI's. */
async function trendsCheck(session, recordFile) {
  await session.run("location.hash = '#/trends'");
  await session.until("the trends view", "return !!document.querySelector('[data-testid=trends][data-state=shown] [data-testid=trend-practice]')");
  const shown = await session.run(`
    return {
      who: document.querySelector('[data-testid=trend-who]').value,
      practices: [...document.querySelectorAll('[data-testid=trend-practice]')].map((p) => {
        const svg = p.querySelector('[data-testid=trend-chart]');
        return {
          rubric: p.dataset.rubric,
          svg: !!svg && svg.namespaceURI === 'http://www.w3.org/2000/svg' && svg.getBoundingClientRect().width > 0,
          points: [...p.querySelectorAll('[data-testid=trend-point]')].map((c) => ({ visit: Number(c.dataset.visit), score: Number(c.dataset.score) })),
          gaps: p.querySelectorAll('[data-testid=trend-gap]').length,
          rows: p.querySelectorAll('[data-testid=trend-table] [data-testid=trend-row]').length,
        };
      }),
    };`);
  const trend = JSON.parse(native(["trend", "--format", "json", ...(shown.who ? ["--caregiver", shown.who] : []), recordFile]));
  assert.equal(trend.series.length, 1, "one series");
  const series = trend.series[0];
  assert.equal(series.visits.length, 1, "one visit");
  assert.deepEqual(shown.practices.map((p) => p.rubric), series.practices.map((p) => p.rubric), "one chart section per practice, in the engine's order");
  for (const [i, p] of shown.practices.entries()) {
    const want = series.practices[i].points.filter((pt) => typeof pt.score === "number").map((pt) => ({ visit: pt.visit, score: pt.score }));
    assert.ok(p.svg, `${p.rubric}: an SVG chart is drawn`);
    assert.deepEqual(p.points, want, `${p.rubric}: the chart's points are the CLI's scores`);
    assert.equal(p.points.length + p.gaps, series.visits.length, `${p.rubric}: a point (or a "no score" mark) per visit`);
    assert.equal(p.rows, series.visits.length, `${p.rubric}: a table row per visit`);
  }
  assert.ok(shown.practices.some((p) => p.points.length > 0), "at least one point is drawn");
}

/** The reliability view comparing the stored observation with itself: the overall numbers the CLI's. */
async function agreeCheck(session, key, recordFile) {
  await session.run("location.hash = '#/agree'");
  const option = `draft:${key}`;
  await session.until("the reliability view", `return !!document.querySelector('[data-testid=agree-pick-b] option[value="${option}"]')`);
  await session.run(
    "for (const s of ['a', 'b']) { const el = document.querySelector(`[data-testid=agree-pick-${s}]`); el.value = arguments[0]; el.dispatchEvent(new Event('change', { bubbles: true })); }",
    option,
  );
  await session.click("[data-testid=agree-compare]");
  await session.until("the comparison", "return !!document.querySelector('[data-testid=agreement][data-state=compared] [data-testid=agree-overall-row]')");
  const shown = await session.run(`
    const row = document.querySelector('[data-testid=agree-overall-row]');
    const out = {};
    for (const el of row.querySelectorAll('[data-stat]')) out[el.dataset.stat] = { text: el.textContent, undefined: el.dataset.undefined === 'true' };
    out.notes = [...document.querySelectorAll('[data-testid=kappa-note]')].map((n) => n.textContent);
    return out;`);
  const o = JSON.parse(native(["agree", "--format", "json", recordFile, recordFile])).overall;
  assert.ok(o.compared > 0, "the record has rated indicators to compare");
  assert.equal(o.exact.percent, 100, "a record agrees fully with itself");
  assert.equal(shown.compared.text, String(o.compared), "compared");
  assert.equal(shown.exact.text, `${o.exact.count} of ${o.exact.of} (${o.exact.percent}%)`, "overall exact agreement");
  assert.match(shown.exact.text, /\(100%\)$/, "overall exact agreement shows 100%");
  for (const k of ["kappa", "quadratic_kappa"]) {
    if (o[k].value === null) {
      const n = Number(/^not defined \(note (\d+)\)$/.exec(shown[k].text)?.[1]);
      assert.ok(shown[k].undefined && n > 0, `${k}: "not defined", as the engine says`);
      assert.equal(shown.notes[n - 1], o[k].reason, `${k}: the engine's reason`);
    } else {
      assert.ok(!shown[k].undefined, `${k} is defined`);
      assert.equal(shown[k].text, o[k].value.toFixed(2), `${k}: the engine's value`);
    }
  }
}

/**
 * The results view's Export control with xAPI chosen: the file it offers (caught as the page
 * hands it to the browser, since a plain WebDriver session cannot read downloads) parses, every
 * statement has the `scored` verb, and it is byte for byte `rubrica export --format xapi`.
 */
async function exportCheck(session, hash, record, recordFile) {
  await session.run("location.hash = arguments[0]", hash);
  await session.until("the results view", "return !!document.querySelector('[data-testid=results][data-state=scored]') && !!document.querySelector('[data-testid=export-results]')");
  await session.run(`
    window.__downloads = [];
    const blobs = new Map();
    const create = URL.createObjectURL;
    URL.createObjectURL = (blob) => { const url = create.call(URL, blob); blobs.set(url, blob); return url; };
    HTMLAnchorElement.prototype.click = function () {
      if (this.hasAttribute('download') && blobs.has(this.href)) window.__downloads.push({ name: this.download, blob: blobs.get(this.href) });
    };
    const menu = document.querySelector('[data-testid=export-format]');
    menu.value = 'xapi';
    menu.dispatchEvent(new Event('change', { bubbles: true }));`);
  await session.click("[data-testid=export-results]");
  await session.until("the export", "return window.__downloads.length > 0");
  const file = await session.runAsync(`
    const done = arguments[arguments.length - 1];
    const d = window.__downloads;
    Promise.all(d.map(async (f) => ({ name: f.name, type: f.blob.type, text: await f.blob.text() }))).then((ok) => done({ ok }), (e) => done({ error: String(e) }));`);
  assert.equal(file.error, undefined);
  assert.equal(file.ok.length, 1, "one file offered");
  const [{ name: fileName, text }] = file.ok;
  assert.equal(fileName, `${record.id}-xapi.json`);
  const statements = JSON.parse(text);
  assert.ok(Array.isArray(statements) && statements.length > 0, "xAPI statements");
  for (const st of statements) assert.equal(st.verb?.id, "http://adlnet.gov/expapi/verbs/scored", "every statement is `scored`");
  assert.equal(text, native(["export", "--format", "xapi", recordFile]), "the export equals `rubrica export --format xapi`");
}

/**
 * The coaching report of the stored observation's caregiver: its strengths, next steps and
 * questions are those of `rubrica score --format json` on the record (the latest, and only,
 * visit), a chart per practice is drawn, and no record path (`/children/…`, `/items/…`) shows.
 */
async function reportCheck(session, recordFile) {
  await session.run("location.hash = '#/report'");
  await session.until("the coaching report", "return !!document.querySelector('[data-testid=coaching-report][data-state=shown]')");
  const shown = await session.run(`
    const ids = (testid) => [...document.querySelectorAll('[data-testid=' + testid + '] li')].map((l) => l.dataset.rubric + '/' + l.dataset.indicator);
    return {
      who: document.querySelector('[data-testid=report-who]').value,
      meta: document.querySelector('[data-testid=report-meta]').textContent,
      strengths: ids('report-strengths'),
      growth: ids('report-growth'),
      nextSteps: document.querySelector('[data-testid=report-growth]').textContent,
      questions: [...document.querySelectorAll('[data-testid=report-questions] .report-question')].map((q) => q.textContent),
      charts: [...document.querySelectorAll('[data-testid=report-trends] [data-testid=trend-chart]')].filter((c) => c.getBoundingClientRect().width > 0).length,
      skipped: document.querySelectorAll('[data-testid=report-skipped-item]').length,
      text: document.querySelector('main').textContent,
    };`);
  const report = JSON.parse(native(["score", "--format", "json", recordFile]));
  const results = report.practices.filter((p) => p.type === "success").map((p) => p.result);
  assert.ok(results.length > 0, "the record is scored");
  const strengths = results.flatMap((r) => r.strengths.map((e) => `${r.rubric.id}/${e.indicator}`));
  const growth = results.flatMap((r) => r.growth_areas.map((e) => `${r.rubric.id}/${e.indicator}`));
  assert.ok(strengths.length > 0 && growth.length > 0, "the visit has strengths and growth areas to compare");
  assert.match(shown.meta, new RegExp(`^Caregiver ${shown.who} · latest visit ${report.observed_on} `), "the latest visit is the record's");
  assert.deepEqual(shown.strengths, strengths, "strengths as `rubrica score`");
  assert.deepEqual(shown.growth, growth, "growth areas as `rubrica score`");
  for (const r of results) for (const g of r.growth_areas) assert.ok(shown.nextSteps.includes(g.next_step), `the next step of ${g.indicator}`);
  assert.deepEqual(shown.questions, results.flatMap((r) => r.focused_questions.map((q) => q.question)), "questions as `rubrica score`");
  assert.equal(shown.charts, results.length, "a chart per practice");
  assert.equal(shown.skipped, 0, "no observation left out");
  const pointer = shown.text.match(/\/(id|children|caregivers|headcounts|items|minutes|setting|observed_on)(\/|\b)[\w~./-]*/);
  assert.equal(pointer, null, `no record path in the report (found ${pointer && pointer[0]})`);
}

async function smoke(name) {
  requireBuiltApp();
  const bundle = readBundleWithCases();
  const rubricCount = bundle.length;
  const profile = tempDir(`rubrica-smoke-${name}-`);
  const work = tempDir(`rubrica-smoke-${name}-files-`);
  const server = await startServer();
  const proxy = await startProxy(server.url);
  const cases = nativeCaseResults();
  const spec = browsers(profile, proxy.address)[name];
  let driver;
  let session;
  try {
    driver = await startDriver(name, spec);
    session = await Session.create(driver.base, spec.capabilities);
    await session.cmd("POST", "/timeouts", { script: 300_000 });
    await session.go(server.url);
    const agent = await session.run("return navigator.userAgent");
    assert.equal(browserOf(agent), name, `asked for ${name}, got \`${agent}\``);
    await session.until("the app to start", "return document.body.dataset.ready === 'true' || !!document.querySelector('[data-testid=fatal]')");
    const fatal = await session.run("const f = document.querySelector('[data-testid=fatal]'); return f ? f.textContent : null");
    assert.equal(fatal, null, `the app failed to start in ${name}`);
    const titles = await session.run("return [...document.querySelectorAll('[data-testid=rubric-title]')].map(e => e.textContent)");
    assert.equal(titles.length, rubricCount);

    await session.click("[data-testid=open-example]");
    await session.until("scored results", "return !!document.querySelector('[data-testid=results][data-state=scored]')");
    const scores = await session.run("return [...document.querySelectorAll('[data-testid=practice-score]')].map(e => e.textContent)");
    assert.equal(scores.length, rubricCount, "one overview card per practice");
    const shaped = scores.filter((s) => /^\d+\.\d\d \/ \d+$|^Not enough evidence yet$/.test(s));
    assert.deepEqual(shaped, scores, "every card shows a score or says there is not enough evidence");
    assert.ok(scores.some((s) => /\d/.test(s)), "at least one practice has a score");
    const strengths = await session.run("return document.querySelectorAll('[data-testid=strengths] li').length");
    assert.ok(strengths > 0, "strengths are listed");

    // Every rubric case, scored in this browser, byte for byte as the native CLI scores it.
    const answer = await session.runAsync(SCORE_CASES_IN_PAGE, bundle);
    assert.equal(answer.error, undefined, `scoring the cases in ${name} threw`);
    const compared = compareCases(bundle, answer.ok, cases, assert);
    console.log(`# ${name}: ${compared} case results compared byte for byte with the native CLI`);

    await session.type("[data-testid=field-observer]", `coach-${name}`);
    await session.until("the draft to save", "return document.querySelector('[data-testid=results]').dataset.pending === 'false' && document.querySelector('[data-testid=save-state]').dataset.pending === 'false' && document.querySelector('[data-testid=field-observer]').value.startsWith('coach-')");
    const png = await session.cmd("GET", "/screenshot");
    writeFileSync(artifact(`smoke-${name}.png`), Buffer.from(png, "base64"));

    await session.cmd("POST", "/refresh", {});
    await session.until("the app to start again", "return document.body.dataset.ready === 'true' && !!document.querySelector('[data-testid=field-observer]')");
    const observer = await session.run("return document.querySelector('[data-testid=field-observer]').value");
    assert.equal(observer, `coach-${name}`, "the draft survived the reload");
    await session.until("scored results after reload", "return !!document.querySelector('[data-testid=results][data-state=scored]')");

    // The observation is in the app's IndexedDB database, read there directly.
    const stored = await session.runAsync(READ_OBSERVATIONS);
    assert.equal(stored.error, undefined, `reading IndexedDB in ${name}: ${stored.error}`);
    assert.equal(stored.ok.length, 1, "the example opened once is one stored observation");
    const [{ key, record }] = stored.ok;
    assert.equal(record.observer, `coach-${name}`, "IndexedDB holds the edit after the reload");
    const hash = await session.run("return location.hash");
    assert.equal(hash, `#/obs/${encodeURIComponent(key)}`, "the stored observation is the one open");
    const recordFile = path.join(work, "observation.json");
    writeFileSync(recordFile, JSON.stringify(record));

    await trendsCheck(session, recordFile);
    writeFileSync(artifact(`smoke-${name}-trends.png`), Buffer.from(await session.cmd("GET", "/screenshot"), "base64"));
    await agreeCheck(session, key, recordFile);
    await exportCheck(session, hash, record, recordFile);
    await reportCheck(session, recordFile);
    writeFileSync(artifact(`smoke-${name}-report.png`), Buffer.from(await session.cmd("GET", "/screenshot"), "base64"));
    console.log(`# ${name}: trends, reliability, xAPI export and the coaching report checked against the native CLI`);
    assert.deepEqual(proxy.outside, [], `no request of ${name} left 127.0.0.1`);

    // The same count catches a planted outside request.
    await session.go(`${server.url}__test__/planted-request.html`);
    const end = Date.now() + 30_000;
    while (!proxy.outside.includes(PLANTED) && Date.now() < end) await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(proxy.outside, [PLANTED], "the planted request was counted");
    console.log(`# ${name}: ${proxy.browserOwn.length} request(s) of the browser's own services refused`);
  } finally {
    await session?.close().catch(() => {});
    driver?.stop();
    await proxy.close();
    await server.close();
    removeDir(profile);
    removeDir(work);
    removeDir(cases);
  }
}

const arg = process.argv[2] ?? "chromium";
const names = arg === "all" ? ["chromium", "firefox", "webkit"] : [arg];
for (const name of names) {
  if (!["chromium", "firefox", "webkit"].includes(name)) {
    console.error(`unknown browser \`${name}\`; use chromium, firefox, webkit or all`);
    process.exit(2);
  }
  test(`smoke: ${name}`, { timeout: 180_000 }, () => smoke(name));
}
