// Cross-browser smoke test over plain WebDriver (no Playwright, no driver downloads):
// the app loads, the example opens and is scored, and a draft survives a reload.
//
//   node smoke-webdriver.mjs chromium|firefox|webkit|all
//
// Drivers: /usr/bin/chromedriver, geckodriver (PATH or ~/.cargo/bin; `cargo install geckodriver`),
// /usr/bin/WebKitWebDriver (started under `xvfb-run -a`). Screenshots go to artifacts/.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { startServer } from "./server.mjs";
import { APP, CHROMIUM, CHROMIUM_ARGS, artifact, readJson, requireBuiltApp, tempDir, removeDir } from "./helpers.mjs";

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

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** How to start each driver and what to ask it for. */
function browsers(profile) {
  return {
    chromium: {
      driver: () => [which([process.env.CHROMEDRIVER ?? "/usr/bin/chromedriver", "chromedriver"]), (port) => [`--port=${port}`]],
      capabilities: {
        browserName: "chrome",
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
    const res = await call(base, "POST", "/session", { capabilities: { alwaysMatch: capabilities } });
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
  const rubricCount = readJson(path.join(APP, "data/rubrics.json")).length;
  const profile = tempDir(`rubrica-smoke-${name}-`);
  const server = await startServer();
  const spec = browsers(profile)[name];
  const driver = await startDriver(name, spec);
  let session;
  try {
    session = await Session.create(driver.base, spec.capabilities);
    await session.go(server.url);
    await session.until("the app to start", "return document.body.dataset.ready === 'true' || !!document.querySelector('[data-testid=fatal]')");
    const fatal = await session.run("const f = document.querySelector('[data-testid=fatal]'); return f ? f.textContent : null");
    assert.equal(fatal, null, `the app failed to start in ${name}`);
    const titles = await session.run("return [...document.querySelectorAll('[data-testid=rubric-title]')].map(e => e.textContent)");
    assert.equal(titles.length, rubricCount);

    await session.click("[data-testid=open-example]");
    await session.until("scored results", "return !!document.querySelector('[data-testid=results][data-state=scored]')");
    const scores = await session.run("return [...document.querySelectorAll('[data-testid=practice-score]')].map(e => e.textContent)");
    assert.equal(scores.length, rubricCount, "one overview card per practice");
    for (const s of scores) assert.match(s, /^\d+\.\d\d \/ \d+$|^Not enough evidence yet$/);
    assert.ok(scores.some((s) => /\d/.test(s)), "at least one practice has a score");
    const strengths = await session.run("return document.querySelectorAll('[data-testid=strengths] li').length");
    assert.ok(strengths > 0, "strengths are listed");

    await session.type("[data-testid=field-observer]", `coach-${name}`);
    await session.until("the draft to save", "return document.querySelector('[data-testid=results]').dataset.pending === 'false' && document.querySelector('[data-testid=field-observer]').value.startsWith('coach-')");
    const png = await session.cmd("GET", "/screenshot");
    writeFileSync(artifact(`smoke-${name}.png`), Buffer.from(png, "base64"));

    await session.cmd("POST", "/refresh", {});
    await session.until("the app to start again", "return document.body.dataset.ready === 'true' && !!document.querySelector('[data-testid=field-observer]')");
    const observer = await session.run("return document.querySelector('[data-testid=field-observer]').value");
    assert.equal(observer, `coach-${name}`, "the draft survived the reload");
    await session.until("scored results after reload", "return !!document.querySelector('[data-testid=results][data-state=scored]')");
    const outside = server.requests.filter((u) => !u.startsWith("/"));
    assert.deepEqual(outside, []);
  } finally {
    await session?.close().catch(() => {});
    driver.stop();
    await server.close();
    removeDir(profile);
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
