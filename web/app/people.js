// People and places (`#/people`, `#/people/<kind>/<id>`): every caregiver, room and home named by
// the observations saved in this browser, by their pseudonymous ids, and each one's
// observations oldest first. A caregiver's page can delete that caregiver's data (every
// observation that lists them, whole, and their shared goals) after a confirmation that names
// what goes.
//
// Who is in an observation is read from the stored record as it is, whether or not the engine
// accepts it, so the counts here are the observations `store.deleteCaregiver` would delete:
// a caregiver is any `caregivers[].id` (text, not empty), a room or home is the record's `place`
// (`{kind: "room" | "home", id}`, docs/record-format.md). Whether a record is valid is the
// engine's answer (`validateRecord`).

import { h, replace } from "./dom.js";
import * as store from "./store.js";

/** The kinds of `#/people/<kind>/<id>`, in the order the list shows them. */
export const KINDS = [
  { kind: "caregiver", title: "Caregivers", one: "Caregiver", empty: "No saved observation lists a caregiver yet." },
  { kind: "room", title: "Rooms", one: "Room", empty: "No saved observation names a room yet (Room or home, in the Group part of the form)." },
  { kind: "home", title: "Family child care homes", one: "Home", empty: "No saved observation names a family child care home yet." },
];

const kindOf = (kind) => KINDS.find((k) => k.kind === kind) ?? null;
const plural = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const href = (kind, id) => `#/people/${encodeURIComponent(kind)}/${encodeURIComponent(id)}`;

function recordOf(d) {
  return d && d.record && typeof d.record === "object" && !Array.isArray(d.record) ? d.record : {};
}

/** The caregiver ids a stored record lists (each once, in the record's order). */
export function caregiversOf(record) {
  const list = Array.isArray(record.caregivers) ? record.caregivers : [];
  const ids = list.map((c) => (c && typeof c === "object" && typeof c.id === "string" ? c.id : "")).filter((id) => id !== "");
  return [...new Set(ids)];
}

/** The record's room or home as `{kind, id}`, or null when it names none (or not in a form this view reads). */
export function placeOf(record) {
  const p = record.place;
  if (!p || typeof p !== "object" || Array.isArray(p)) return null;
  if ((p.kind !== "room" && p.kind !== "home") || typeof p.id !== "string" || p.id === "") return null;
  return { kind: p.kind, id: p.id };
}

/** Who and where each stored observation names: `Map(kind → Map(id → [observation]))`. */
export function whoIsWhere(drafts) {
  const out = new Map(KINDS.map((k) => [k.kind, new Map()]));
  const add = (kind, id, d) => {
    const m = out.get(kind);
    if (!m.has(id)) m.set(id, []);
    m.get(id).push(d);
  };
  for (const d of drafts) {
    const r = recordOf(d);
    for (const id of caregiversOf(r)) add("caregiver", id, d);
    const p = placeOf(r);
    if (p) add(p.kind, p.id, d);
  }
  return out;
}

const dateOf = (d) => {
  const v = recordOf(d).observed_on;
  return typeof v === "string" ? v : "";
};

/** Oldest visit first (by the record's date, then the saved order); records without a date last. */
function oldestFirst(a, b) {
  const x = dateOf(a);
  const y = dateOf(b);
  if (x !== y) return x === "" ? 1 : y === "" ? -1 : x < y ? -1 : 1;
  return (a.updated ?? "") < (b.updated ?? "") ? -1 : (a.updated ?? "") > (b.updated ?? "") ? 1 : 0;
}

/** The latest visit date among `drafts` (`YYYY-MM-DD` text compares in date order), or "". */
function latest(drafts) {
  return drafts.map(dateOf).filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d)).sort().at(-1) ?? "";
}

const labelOf = (d) => {
  const id = recordOf(d).id;
  return typeof id === "string" && id !== "" ? id : "(no id yet)";
};

const SETTINGS = { center: "Center", "family-child-care": "Family child care" };

async function readDrafts() {
  try {
    return { drafts: (await store.listDrafts()) || [], failed: null };
  } catch (e) {
    return { drafts: [], failed: e };
  }
}

/**
 * Builds the view. `ctx` is `{engine, rubrics, examples, kind, id}`: `kind` and `id` null for the
 * list of everyone, else one caregiver, room or home. Resolves to the view's element.
 *
 * When another tab saves, imports or deletes observations (or a caregiver's goals, on that
 * caregiver's page), the view is read again and drawn in place, once for a burst of messages: the
 * focus goes back to the same link or button when it is still there (else to the heading), and a
 * quiet line (not a live region) says the page was updated. An open delete confirmation closes,
 * since what it listed may have changed.
 */
export async function peopleView(ctx) {
  let view = await buildView(ctx);
  let shown = false;
  let again = null;
  const stop = store.onChange((m) => {
    shown ||= view.isConnected;
    if (!view.isConnected) return shown ? stop() : undefined; // left, or not on the page yet
    const goal = m.type === "goal-saved" || m.type === "goal-deleted";
    if (goal && !(ctx.kind === "caregiver" && m.caregiver === ctx.id)) return;
    again ??= new Promise((resolve) => setTimeout(resolve, 60)).then(async () => {
      again = null;
      const fresh = await buildView(ctx);
      if (!view.isConnected) return;
      const active = view.contains(document.activeElement) ? document.activeElement : null;
      const row = active?.closest("[data-key], [data-id]");
      const selector = active?.dataset.testid
        ? `${row ? `[${row.dataset.key ? `data-key="${CSS.escape(row.dataset.key)}"` : `data-id="${CSS.escape(row.dataset.id)}"`}] ` : ""}[data-testid="${CSS.escape(active.dataset.testid)}"]`
        : null;
      const note = h("p", { class: "muted small", "data-testid": "people-refreshed" }, `Updated from another tab at ${new Date().toLocaleTimeString()}.`);
      fresh.querySelector("h1")?.after(note);
      view.replaceWith(fresh);
      view = fresh;
      if (active) {
        const same = selector && view.querySelector(selector);
        const target = same || view.querySelector("h1");
        if (!same) target.setAttribute("tabindex", "-1");
        target.focus({ preventScroll: true });
      }
    });
  });
  return view;
}

async function buildView(ctx) {
  const { drafts, failed } = await readDrafts();
  const problem = failed
    ? h("div", { class: "notice error", role: "alert" }, h("p", {}, `The saved observations could not be read: ${failed.message ?? failed}`))
    : null;
  if (!ctx.kind) return listView(drafts, problem);
  const k = kindOf(ctx.kind);
  if (!k || typeof ctx.id !== "string" || ctx.id === "") {
    return h(
      "div",
      { class: "people-view", "data-testid": "people-view", "data-state": "unknown" },
      h("h1", {}, "Not a person or place"),
      h("p", {}, "This address names no caregiver, room or home. Addresses look like #/people/caregiver/cg-a, #/people/room/rm-2 or #/people/home/home-7."),
      h("p", {}, h("a", { href: "#/people" }, "All people and places")),
    );
  }
  return oneView(ctx, k, drafts, problem);
}

// ---------------------------------------------------------------------------------------------
// #/people: everyone

function listView(drafts, problem) {
  const found = whoIsWhere(drafts);
  const sections = KINDS.map((k) => {
    const entries = [...found.get(k.kind)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const headingId = `people-${k.kind}-h`;
    const body = entries.length
      ? h(
          "div",
          // Scrolls sideways on a narrow screen, so it can take the focus to be scrolled by keys.
          { class: "table-wrap", tabindex: "0", role: "region", "aria-labelledby": headingId },
          h(
            "table",
            { "aria-labelledby": headingId, "data-testid": `people-${k.kind}` },
            h(
              "thead",
              {},
              h("tr", {}, h("th", { scope: "col" }, k.one), h("th", { scope: "col" }, "Observations"), h("th", { scope: "col" }, "Latest visit")),
            ),
            h(
              "tbody",
              {},
              entries.map(([id, ds]) =>
                h(
                  "tr",
                  { "data-testid": "person-row", "data-kind": k.kind, "data-id": id },
                  h("th", { scope: "row" }, h("a", { href: href(k.kind, id), "data-testid": "person-link" }, id)),
                  h("td", { class: "num", "data-testid": "person-count" }, String(ds.length)),
                  h("td", { "data-testid": "person-latest" }, latest(ds) || "no date"),
                ),
              ),
            ),
          ),
        )
      : h("p", { class: "muted", "data-testid": `people-${k.kind}-empty` }, k.empty);
    return h("section", { "aria-labelledby": headingId }, h("h2", { id: headingId }, `${k.title} (${entries.length})`), body);
  });
  return h(
    "div",
    { class: "people-view", "data-testid": "people-view", "data-state": "list" },
    h("h1", {}, "People and places"),
    h(
      "p",
      { class: "lede" },
      `Every caregiver, room and family child care home named in the ${plural(drafts.length, "observation")} saved in this browser, by their pseudonymous ids. Open one to see its observations in order and, for a caregiver, their trends, goals and report.`,
    ),
    problem,
    sections,
  );
}

// ---------------------------------------------------------------------------------------------
// #/people/<kind>/<id>: one of them

function observationTable(ctx, k, id, ds) {
  const rows = ds.map((d) => {
    const r = recordOf(d);
    let valid = false;
    try {
      const answer = ctx.engine.validateRecord(JSON.stringify(r));
      valid = Boolean(answer && answer.type === "success");
    } catch {
      valid = false;
    }
    const others = k.kind === "caregiver" ? caregiversOf(r).filter((c) => c !== id) : [];
    const label = labelOf(d);
    return h(
      "tr",
      { "data-testid": "observation-row", "data-key": d.key, "data-valid": String(valid) },
      h("th", { scope: "row" }, h("a", { href: `#/obs/${encodeURIComponent(d.key)}`, "data-testid": "observation-link" }, label)),
      h("td", {}, dateOf(d) || "no date"),
      h("td", {}, SETTINGS[r.setting] ?? (typeof r.setting === "string" ? r.setting : "")),
      h("td", { "data-testid": "observation-valid" }, valid ? "Valid" : h("strong", {}, "Has problems")),
      k.kind === "caregiver" ? h("td", {}, others.length ? others.join(", ") : "none") : null,
    );
  });
  const headingId = "person-observations-h";
  return h(
    "section",
    { "aria-labelledby": headingId },
    h("h2", { id: headingId }, `Observations, oldest first (${ds.length})`),
    ds.length
      ? h(
          "div",
          { class: "table-wrap", tabindex: "0", role: "region", "aria-labelledby": headingId },
          h(
            "table",
            { "aria-labelledby": headingId, "data-testid": "person-observations" },
            h(
              "thead",
              {},
              h(
                "tr",
                {},
                ["Record", "Date", "Setting", "Record check", ...(k.kind === "caregiver" ? ["Other caregivers"] : [])].map((t) => h("th", { scope: "col" }, t)),
              ),
            ),
            h("tbody", {}, rows),
          ),
        )
      : h("p", { class: "muted", "data-testid": "person-observations-empty" }, `No observation saved in this browser names ${k.one.toLowerCase()} ${id}.`),
  );
}

async function oneView(ctx, k, drafts, problem) {
  const id = ctx.id;
  const ds = (whoIsWhere(drafts).get(k.kind).get(id) ?? []).slice().sort(oldestFirst);
  let goals = [];
  if (k.kind === "caregiver") {
    try {
      goals = (await store.listGoals(id)) || [];
    } catch {
      goals = [];
    }
  }
  const title = h("h1", {}, `${k.one} ${id}`);
  // Quiet: says only what a deletion did, once.
  const status = h("p", { role: "status", class: "people-status", "data-testid": "people-status" });
  const view = h(
    "div",
    { class: "people-view", "data-testid": "people-view", "data-state": "one", "data-kind": k.kind, "data-id": id },
    h("p", { class: "muted" }, h("a", { href: "#/people" }, "People and places")),
    title,
    status,
    problem,
  );
  const body = h("div", { "data-testid": "person-body" });
  view.append(body);

  function draw() {
    const links =
      k.kind === "caregiver"
        ? h(
            "nav",
            { "aria-label": `Caregiver ${id}: more` },
            h(
              "ul",
              { class: "actions" },
              h("li", {}, h("a", { href: "#/trends", "data-testid": "link-trends" }, "Trends over time")),
              h("li", {}, h("a", { href: `#/goals/${encodeURIComponent(id)}`, "data-testid": "link-goals" }, `Shared goals (${goals.length})`)),
              h("li", {}, h("a", { href: "#/report", "data-testid": "link-report" }, "Coaching report")),
            ),
          )
        : null;
    replace(
      body,
      h("p", { class: "lede" }, `${plural(ds.length, "observation")} saved in this browser${ds.length ? `, the latest on ${latest(ds) || "no date"}` : ""}.`),
      links,
      observationTable(ctx, k, id, ds),
      k.kind === "caregiver" && (ds.length || goals.length) ? deleteSection() : null,
    );
  }

  // ---- Deleting this caregiver's data
  function deleteSection() {
    const shared = ds.filter((d) => caregiversOf(recordOf(d)).some((c) => c !== id));
    const what = [plural(ds.length, "observation"), ...(goals.length ? [plural(goals.length, "shared goal")] : [])].join(" and ");
    const open = h(
      "button",
      { type: "button", class: "danger", "aria-expanded": "false", "aria-controls": "delete-confirm", "data-testid": "delete-caregiver" },
      `Delete caregiver ${id}'s data…`,
    );
    const confirmHeading = h("h3", { id: "delete-confirm-h", tabindex: "-1" }, `Delete ${what} of caregiver ${id}?`);
    const panel = h(
      "div",
      { id: "delete-confirm", class: "notice error", role: "group", "aria-labelledby": "delete-confirm-h", hidden: true, "data-testid": "delete-confirm" },
      confirmHeading,
      h("p", {}, "This removes from this browser, and cannot be undone (export a backup first to keep a copy):"),
      h(
        "ul",
        { "data-testid": "delete-list" },
        ds.map((d) => {
          const others = caregiversOf(recordOf(d)).filter((c) => c !== id);
          return h(
            "li",
            { "data-key": d.key },
            `${labelOf(d)} (${dateOf(d) || "no date"})`,
            others.length ? h("strong", {}, ` — also records ${others.join(", ")}; the whole observation is deleted`) : null,
          );
        }),
        goals.map((g) => h("li", { "data-goal": g.id }, `Shared goal: ${typeof g.title === "string" && g.title ? g.title : g.id}`)),
      ),
      shared.length
        ? h(
            "p",
            { "data-testid": "delete-shared" },
            `${plural(shared.length, "of these observations also records", "of these observations also record")} other caregivers: an observation is deleted whole, so their part of ${shared.length === 1 ? "it" : "them"} goes too.`,
          )
        : null,
      h(
        "div",
        { class: "actions" },
        h("button", { type: "button", class: "danger", "data-testid": "delete-caregiver-confirm", onclick: confirmDelete }, `Delete ${what}`),
        h("button", { type: "button", "data-testid": "delete-caregiver-cancel", onclick: cancel }, "Cancel"),
      ),
    );
    open.addEventListener("click", () => {
      panel.hidden = false;
      open.setAttribute("aria-expanded", "true");
      confirmHeading.focus();
    });
    function cancel() {
      panel.hidden = true;
      open.setAttribute("aria-expanded", "false");
      open.focus();
    }
    async function confirmDelete(e) {
      e.currentTarget.disabled = true;
      let done;
      try {
        done = await store.deleteCaregiver(id);
      } catch (err) {
        e.currentTarget.disabled = false;
        status.textContent = `Nothing was deleted: the browser's storage refused (${err.message ?? err}).`;
        return;
      }
      const said = `Deleted caregiver ${id}'s data: ${plural(done.observations, "observation")} and ${plural(done.goals, "shared goal")}.`;
      // Read the store again, so the page shows what is left (other tabs may have changed it).
      const again = await readDrafts();
      ds.length = 0;
      ds.push(...(whoIsWhere(again.drafts).get("caregiver").get(id) ?? []).sort(oldestFirst));
      goals = [];
      draw();
      status.textContent = said;
      title.setAttribute("tabindex", "-1");
      title.focus();
    }
    return h(
      "section",
      { "aria-labelledby": "delete-h", class: "people-delete" },
      h("h2", { id: "delete-h" }, "Delete this caregiver's data"),
      h("p", {}, `Deletes the ${what} listed when you continue. Observations are deleted whole, including what they record of other caregivers.`),
      open,
      panel,
    );
  }

  draw();
  return view;
}
