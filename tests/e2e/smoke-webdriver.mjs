// Cross-browser smoke test over plain WebDriver (no Playwright, no driver downloads): the
// browser is the one asked for (user agent), the app loads, the example opens and is scored,
// every rubric case scores byte-identical to the native CLI, a draft survives a reload, and no
// request leaves 127.0.0.1. Requests are counted at the browser: it is told to send everything
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
  nativeCaseResults, SCORE_CASES_IN_PAGE, freePort, readBundleWithCases,
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

async function smoke(name) {
  requireBuiltApp();
  const bundle = readBundleWithCases();
  const rubricCount = bundle.length;
  const profile = tempDir(`rubrica-smoke-${name}-`);
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
