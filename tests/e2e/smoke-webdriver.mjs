// Cross-browser smoke test over plain WebDriver (no Playwright, no driver downloads): the
// browser is the one asked for (user agent), the app loads, the example opens and is scored,
// every rubric case scores byte-identical to the native CLI, a draft survives a reload (read back
// from IndexedDB), the trends view charts it, the reliability view compares it with itself, the
// Export control gives the CLI's xAPI statements, the coaching report lists the CLI's strengths,
// next steps and questions with no record path; people and places (`#/people`) list the stored
// record's caregivers and a room given in the form; a shared goal added through the goals form
// survives a reload (IndexedDB schema version 2) and shows the levels of `rubrica trend` in the
// goals view, the editor's goals panel and the coaching report; no page has a script error, and
// no request leaves 127.0.0.1. Requests are counted at the browser: it is told to send everything
// (127.0.0.1 included) through a local recording proxy, which forwards only to the app's server;
// a test-only page with a planted outside request proves the count can fail. The proxy also puts
// an error watcher first in the app's page; a planted error and rejection prove it catches them.
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
 * Script errors of the app's page, wherever they happen (start-up included): the proxy puts this
 * script first in the app's page (same origin, so the page's Content-Security-Policy allows it),
 * and it keeps every uncaught error, unhandled rejection and `console.error` in the tab's
 * sessionStorage, which a reload keeps. Served by the proxy itself, never by the app's server.
 */
const WATCH_ERRORS_PATH = "/__smoke__/watch-errors.js";
const WATCH_ERRORS = `(() => {
  const push = (what) => {
    try {
      const all = JSON.parse(sessionStorage.getItem("smoke.errors") || "[]");
      all.push(String(what).slice(0, 1000));
      sessionStorage.setItem("smoke.errors", JSON.stringify(all));
    } catch (e) {
      /* storage refused: the count below then misses this page's errors, and says so */
      window.__smokeWatchBroken = String(e);
    }
  };
  // The message and where it came from (only Chromium's stack starts with the message).
  const described = (x) => (x instanceof Error ? x.name + ": " + x.message + "\\n" + x.stack : String(x));
  window.__smokeWatch = true;
  addEventListener("error", (e) => push(e.error ? described(e.error) : e.target && e.target !== window ? "failed to load " + (e.target.src || e.target.href) : e.message), true);
  addEventListener("unhandledrejection", (e) => push("unhandled rejection: " + described(e.reason)));
  const error = console.error.bind(console);
  console.error = (...args) => (push("console.error: " + args.map(String).join(" ")), error(...args));
})();
`;

/** A script of the page's origin (served by the proxy) that throws and leaves a rejection unhandled. */
const PLANTED_ERRORS_PATH = "/__smoke__/planted-errors.js";
const PLANTED_ERRORS = "Promise.reject(new Error('planted rejection'));\nthrow new Error('planted error');\n";

/** The errors the watcher kept so far, and whether it runs in the page open now. */
const READ_ERRORS = "return { watching: window.__smokeWatch === true, broken: window.__smokeWatchBroken ?? null, errors: JSON.parse(sessionStorage.getItem('smoke.errors') || '[]') }";

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
      const own = { [WATCH_ERRORS_PATH]: WATCH_ERRORS, [PLANTED_ERRORS_PATH]: PLANTED_ERRORS }[url.pathname];
      if (own !== undefined) {
        res.writeHead(200, { "content-type": "text/javascript; charset=utf-8", "cache-control": "no-store" }).end(own);
        return;
      }
      const page = req.method === "GET" && (url.pathname === "/" || url.pathname === "/index.html");
      const upstream = http.request(
        { host: app.hostname, port: app.port, path: url.pathname + url.search, method: req.method, headers: req.headers },
        (r) => {
          if (!page || r.statusCode !== 200) {
            res.writeHead(r.statusCode ?? 502, r.headers);
            r.pipe(res);
            return;
          }
          // The app's page, with the error watcher as its first script.
          const chunks = [];
          r.on("data", (c) => chunks.push(c));
          r.on("end", () => {
            const html = Buffer.concat(chunks).toString("utf8");
            const at = html.indexOf("<script");
            const body = at < 0 ? html : `${html.slice(0, at)}<script src="${WATCH_ERRORS_PATH}"></script>\n  ${html.slice(at)}`;
            const headers = { ...r.headers, "content-length": Buffer.byteLength(body) };
            delete headers["content-encoding"];
            res.writeHead(200, headers).end(body);
          });
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
        "goog:chromeOptions": { binary: CHROMIUM, args: [...CHROMIUM_ARGS, `--user-data-dir=${profile}`, "--window-size=1280,900", "--proxy-bypass-list=<-loopback>"] },
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
            "network.proxy.allow_hijacking_localhost": true,
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
    return this.clickOn(await this.find(css));
  }

  async type(css, text) {
    return this.typeInto(await this.find(css), text);
  }

  /** The element a script returns (or an error naming `what`). */
  async element(what, script, ...args) {
    const el = await this.run(script, ...args);
    if (!el || !el[ELEMENT]) throw new Error(`no ${what} on the page`);
    return el[ELEMENT];
  }

  /** The control whose label reads `text` (inside `scope`): see `LABELLED`. */
  byLabel(scope, text) {
    return this.element(`control labelled “${text}”`, LABELLED, scope, text);
  }

  clickOn(id) {
    return this.cmd("POST", `/element/${id}/click`, {});
  }

  async typeInto(id, text) {
    await this.cmd("POST", `/element/${id}/clear`, {});
    return this.cmd("POST", `/element/${id}/value`, { text });
  }

  /** The button whose words are `text`. */
  button(text) {
    return this.element(`button “${text}”`, "return [...document.querySelectorAll('button')].find((b) => b.textContent.replace(/\\s+/g, ' ').trim() === arguments[0]) ?? null", text);
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

/**
 * The control a person finds by its label: the `<label>` (inside the `scope` selector, or the
 * page) whose text, or whose own words without its badges, is `text`. For an `<option>`, the
 * select labelled by the first part and the option whose words begin with the second:
 * `["Practice", "Small groups"]`.
 */
const LABELLED = `
  const [scope, text] = arguments;
  const root = scope ? document.querySelector(scope) : document;
  if (!root) return null;
  const words = (s) => s.replace(/\\s+/g, ' ').trim();
  const [label, option] = Array.isArray(text) ? text : [text, null];
  for (const l of root.querySelectorAll('label')) {
    const own = words([...l.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent).join(''));
    if (words(l.textContent) !== label && own !== label) continue;
    const control = l.control;
    if (option === null) return control;
    return [...(control ? control.options : [])].find((o) => words(o.textContent) === option || words(o.textContent).startsWith(option + ' (')) ?? null;
  }
  return null;`;

/** The app's database version and every shared goal in its `goals` store, read with IndexedDB itself. */
const READ_GOALS = `
const done = arguments[arguments.length - 1];
const req = indexedDB.open("rubrica");
req.onerror = () => done({ error: String(req.error) });
req.onsuccess = () => {
  const db = req.result;
  try {
    const all = db.transaction("goals", "readonly").objectStore("goals").getAll();
    all.onsuccess = () => (db.close(), done({ ok: { version: db.version, goals: all.result } }));
    all.onerror = () => (db.close(), done({ error: String(all.error) }));
  } catch (e) {
    db.close();
    done({ error: String(e) });
  }
};`;

async function storedObservations(session) {
  const stored = await session.runAsync(READ_OBSERVATIONS);
  assert.equal(stored.error, undefined, `reading IndexedDB: ${stored.error}`);
  return stored.ok;
}

/** What the stored records name, counted from the records: kind → Map(id → {count, latest}). */
function expectedPeople(records) {
  const out = { caregiver: new Map(), room: new Map(), home: new Map() };
  const add = (kind, id, date) => {
    const e = out[kind].get(id) ?? { count: 0, latest: "" };
    e.count += 1;
    if (date > e.latest) e.latest = date;
    out[kind].set(id, e);
  };
  for (const r of records) {
    for (const id of new Set(r.caregivers.map((c) => c.id))) add("caregiver", id, r.observed_on);
    if (r.place) add(r.place.kind, r.place.id, r.observed_on);
  }
  const sorted = (m) => [...m].sort(([a], [b]) => (a < b ? -1 : 1)).map(([id, e]) => ({ id, count: e.count, latest: e.latest }));
  return { caregiver: sorted(out.caregiver), room: sorted(out.room), home: sorted(out.home) };
}

/** `#/people`: each kind's rows `{id, count, latest}` as shown. */
async function peopleList(session) {
  await session.run("location.hash = '#/people'");
  await session.until("the people list", "return location.hash === '#/people' && !!document.querySelector('[data-testid=people-view][data-state=list]')");
  return session.run(`
    const out = {};
    for (const kind of ['caregiver', 'room', 'home']) {
      out[kind] = [...document.querySelectorAll('[data-testid=people-' + kind + '] [data-testid=person-row]')].map((r) => ({
        id: r.dataset.id,
        count: Number(r.querySelector('[data-testid=person-count]').textContent),
        latest: r.querySelector('[data-testid=person-latest]').textContent,
      }));
    }
    return out;`);
}

/** One person's or place's page, opened from the list's link: its heading and observations. */
async function personPage(session, kind, id) {
  await session.clickOn(await session.element(`the link to ${kind} ${id}`, "return document.querySelector(`[data-testid=people-${arguments[0]}] [data-testid=person-row][data-id=\"${CSS.escape(arguments[1])}\"] a`)", kind, id));
  await session.until(`the page of ${kind} ${id}`, `const v = document.querySelector('[data-testid=people-view][data-state=one]'); return !!v && v.dataset.kind === ${JSON.stringify(kind)} && v.dataset.id === ${JSON.stringify(id)}`);
  return session.run(`return {
    title: document.querySelector('h1').textContent,
    rows: [...document.querySelectorAll('[data-testid=observation-row]')].map((r) => ({ key: r.dataset.key, date: r.cells[1].textContent, valid: r.dataset.valid })),
  }`);
}

/**
 * People and places: `#/people` lists the stored records' caregivers with their counts and
 * latest dates, a caregiver's page lists the observation; a room given through the form's "Room
 * or home" fields is saved in the record, listed under rooms, and its page lists the observation.
 * Returns the stored record with its place.
 */
async function peopleCheck(session, key, name) {
  const before = (await storedObservations(session)).map((e) => e.record);
  const want = expectedPeople(before);
  assert.ok(want.caregiver.length > 0, "the stored record names caregivers");
  assert.deepEqual(await peopleList(session), want, "#/people: the caregivers, rooms and homes of the stored records, with their counts and latest dates");
  const cg = want.caregiver[0].id;
  const page = await personPage(session, "caregiver", cg);
  assert.equal(page.title, `Caregiver ${cg}`);
  assert.deepEqual(page.rows, [{ key, date: before[0].observed_on, valid: "true" }], `caregiver ${cg}'s page lists the observation`);

  // A room, through the form's "Room or home" fields, as a coach gives it.
  const room = `rm-smoke-${name}`;
  await session.run("location.hash = arguments[0]", `#/obs/${encodeURIComponent(key)}`);
  await session.until("the observation form", "return !!document.querySelector('[data-testid=results][data-state=scored]') && !!document.querySelector('[data-testid=place]')");
  await session.clickOn(await session.element("the room option", LABELLED, "[data-testid=place]", ["Kind — room or home", "Room of a center"]));
  await session.typeInto(await session.byLabel("[data-testid=place]", "Id — room or home"), room);
  const end = Date.now() + 15_000;
  let record;
  for (;;) {
    [{ record }] = await storedObservations(session);
    if (record.place?.id === room || Date.now() > end) break;
    await new Promise((r) => setTimeout(r, 150));
  }
  assert.deepEqual(record.place, { kind: "room", id: room }, "the form saved the room in the stored record");
  const after = expectedPeople([record]);
  assert.deepEqual(after.room, [{ id: room, count: 1, latest: record.observed_on }]);
  assert.deepEqual(await peopleList(session), after, "#/people lists the room");
  const roomPage = await personPage(session, "room", room);
  assert.equal(roomPage.title, `Room ${room}`);
  assert.deepEqual(roomPage.rows, [{ key, date: record.observed_on, valid: "true" }], "the room's page lists the observation");
  return record;
}

/** The levels shown by the elements `css` matches: `{indicator, outcome, level}`. */
function shownLevels(session, css) {
  return session.run("return [...document.querySelectorAll(arguments[0])].map((e) => ({ indicator: e.dataset.indicator, outcome: e.dataset.outcome, level: e.dataset.level }))", css);
}

/**
 * Shared goals: on `#/goals/<caregiver>` a goal on two indicators of one practice (chosen from
 * `rubrica trend --format json --caregiver`, rated at the visit with different levels), with a
 * step, added through the form by its labels; after a reload it is still in IndexedDB (schema
 * version 2); the goals view, the observation editor's goals panel and the coaching report show
 * it with the visit's levels on those indicators equal to the CLI's.
 */
async function goalsCheck(session, key, record, recordFile, name) {
  const cg = record.caregivers[0].id;
  const trend = JSON.parse(native(["trend", "--format", "json", "--caregiver", cg, recordFile]));
  const series = trend.series[0];
  assert.equal(series.visits.length, 1);
  const rated = (ind) => ind.points.find((p) => p.visit === 0)?.outcome === "rated";
  const level = (ind) => ind.points.find((p) => p.visit === 0).level;
  let practice;
  let indicators;
  for (const p of series.practices) {
    const r = p.indicators.filter(rated);
    const other = r.find((i) => level(i) !== level(r[0]));
    if (other) {
      [practice, indicators] = [p, [r[0], other]];
      break;
    }
  }
  assert.ok(practice, "a practice with two indicators rated at different levels");
  const want = indicators.map((ind) => ({ indicator: ind.id, outcome: "rated", level: String(level(ind)) }));
  const title = `Smoke goal in ${name}: ${practice.title}`;
  const step = `Talk it through with ${cg} on Monday`;

  await session.run("location.hash = arguments[0]", `#/goals/${encodeURIComponent(cg)}`);
  await session.until("the goals view", `return !!document.querySelector('[data-testid=goals-view][data-caregiver=${JSON.stringify(cg)}] [data-testid=goal-list-empty]')`);
  await session.clickOn(await session.button("Add a goal"));
  await session.until("the goal form", "return !!document.querySelector('[data-testid=goal-form]')");
  const form = "[data-testid=goal-form]";
  await session.clickOn(await session.element(`the practice ${practice.title}`, LABELLED, form, ["Practice", practice.title]));
  await session.until("the practice's indicators", "return document.querySelectorAll('[data-testid=goal-form] [data-testid=goal-indicator]').length > 0");
  for (const ind of indicators) await session.clickOn(await session.byLabel(form, ind.title));
  await session.typeInto(await session.byLabel(form, "The goal, in your words and the caregiver's"), title);
  await session.typeInto(await session.byLabel(form, "Step 1"), step);
  const agreed = await session.run("return arguments[0].value", { [ELEMENT]: await session.byLabel(form, "Date agreed") });
  await session.clickOn(await session.button("Add the goal"));
  await session.until("the saved goal", "return !!document.querySelector('[data-testid=goal][data-status=active]')");

  const saved = await session.runAsync(READ_GOALS);
  assert.equal(saved.error, undefined, `reading the goals in IndexedDB: ${saved.error}`);
  assert.equal(saved.ok.goals.length, 1, "one goal stored");
  const [goal] = saved.ok.goals;
  assert.deepEqual(
    { caregiver: goal.caregiver, rubric: goal.rubric, indicators: goal.indicators, title: goal.title, steps: goal.steps, agreed_on: goal.agreed_on, status: goal.status },
    { caregiver: cg, rubric: practice.rubric, indicators: indicators.map((i) => i.id), title, steps: [{ text: step, done: false }], agreed_on: agreed, status: "active" },
    "the goal is stored as the form says",
  );
  // The date agreed is the form's default, today: after the example's visit, which the goal is set from.
  assert.ok(agreed >= record.observed_on, `agreed on ${agreed}, on or after the visit of ${record.observed_on}`);

  // After a reload: still there, in a schema version 2 database, with the CLI's levels.
  await session.cmd("POST", "/refresh", {});
  await session.until("the goals view after the reload", "return document.body.dataset.ready === 'true' && !!document.querySelector('[data-testid=goal] [data-testid=goal-baseline-level]')");
  const again = await session.runAsync(READ_GOALS);
  assert.equal(again.error, undefined, `reading the goals in IndexedDB: ${again.error}`);
  assert.equal(again.ok.version, 2, "IndexedDB schema version 2");
  assert.deepEqual(again.ok.goals, [goal], "the goal survived the reload");
  const card = `[data-testid=goal][data-goal-id="${goal.id}"]`;
  assert.equal(await session.run(`return document.querySelector('${card} h3').textContent`), title);
  assert.equal(await session.run(`return document.querySelector('${card} [data-testid=goal-baseline]').dataset.observedOn`), record.observed_on, "the goal is set from the visit");
  assert.deepEqual(await shownLevels(session, `${card} [data-testid=goal-baseline-level]`), want, "the goals view: the CLI's levels");
  writeFileSync(artifact(`smoke-${name}-goals.png`), Buffer.from(await session.cmd("GET", "/screenshot"), "base64"));

  // The observation editor's goals panel.
  await session.run("location.hash = arguments[0]", `#/obs/${encodeURIComponent(key)}`);
  const panel = `[data-testid=goals-panel] [data-testid=panel-caregiver][data-caregiver="${cg}"] [data-testid=panel-goal][data-goal-id="${goal.id}"]`;
  await session.until("the editor's goals panel", `return !!document.querySelector('${panel} [data-testid=panel-level]')`);
  assert.deepEqual(await shownLevels(session, `${panel} [data-testid=panel-level]`), want, "the editor's goals panel: the CLI's levels");

  // The coaching report of that caregiver.
  await session.run("location.hash = '#/report'");
  await session.until("the coaching report", "return !!document.querySelector('[data-testid=coaching-report][data-state=shown]')");
  if ((await session.run("return document.querySelector('[data-testid=report-who]').value")) !== cg) {
    await session.clickOn(await session.element(`the option ${cg}`, "return [...document.querySelector('[data-testid=report-who]').options].find((o) => o.value === arguments[0])", cg));
  }
  const entry = `[data-testid=report-goals] [data-testid=report-goal][data-goal-id="${goal.id}"]`;
  await session.until("the report's goal", `return document.querySelector('[data-testid=report-who]').value === ${JSON.stringify(cg)} && !!document.querySelector('${entry} [data-testid=goal-baseline-level]')`);
  const text = await session.run(`return document.querySelector('${entry}').textContent`);
  assert.ok(text.includes(title) && text.includes(`${step} (to do)`), "the report names the goal and its step");
  assert.deepEqual(await shownLevels(session, `${entry} [data-testid=goal-baseline-level]`), want, "the coaching report: the CLI's levels");
}

async function smoke(name) {
  requireBuiltApp();
  const bundle = readBundleWithCases();
  // The observation rubrics: the home lists them, and an observation is scored by them alone.
  const rubricCount = bundle.filter((b) => (JSON.parse(b.meta).record ?? "rubrica.observation/1") === "rubrica.observation/1").length;
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

    const started = Date.now();
    const placed = await peopleCheck(session, key, name);
    writeFileSync(recordFile, JSON.stringify(placed));
    await goalsCheck(session, key, placed, recordFile, name);
    console.log(`# ${name}: people, a room, and a shared goal in the goals view, the editor and the report checked (${((Date.now() - started) / 1000).toFixed(1)} s)`);

    // No script error in any page of the app; the watcher was there and catches a planted one.
    const watch = await session.run(READ_ERRORS);
    assert.ok(watch.watching && watch.broken === null, `the error watcher runs in ${name} (${watch.broken})`);
    assert.deepEqual(watch.errors, [], `no script error in ${name}`);
    await session.run("const s = document.createElement('script'); s.src = arguments[0]; document.head.append(s);", PLANTED_ERRORS_PATH);
    await session.until("the planted errors", "const e = JSON.parse(sessionStorage.getItem('smoke.errors') || '[]'); return e.some((x) => x.includes('planted error')) && e.some((x) => x.includes('planted rejection'))", 10_000);
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
