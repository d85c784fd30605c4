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
import { t, formatTime } from "./i18n.js";

/**
 * The kinds of `#/people/<kind>/<id>`, in the order the list shows them. Their words are the
 * messages `people.<kind>.title` ("Caregivers"), `.one` ("Caregiver {id}"), `.column`, `.empty`
 * and `.none` ("No observation … names caregiver {id}.").
 */
export const KINDS = [{ kind: "caregiver" }, { kind: "room" }, { kind: "home" }];

const kindOf = (kind) => KINDS.find((k) => k.kind === kind) ?? null;
const observations = (n) => t("data.observations", { count: n });
const sharedGoals = (n) => t("people.sharedGoals", { count: n });
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
  return typeof id === "string" && id !== "" ? id : t("home.noId");
};

// The settings in words (message keys).
const SETTINGS = { center: "setting.center", "family-child-care": "setting.familyChildCareShort" };

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
      const note = h("p", { class: "muted small", "data-testid": "people-refreshed" }, t("people.refreshed", { time: formatTime(new Date()) }));
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
    ? h("div", { class: "notice error", role: "alert" }, h("p", {}, t("store.observationsUnread", { reason: failed.message ?? failed })))
    : null;
  if (!ctx.kind) return listView(drafts, problem);
  const k = kindOf(ctx.kind);
  if (!k || typeof ctx.id !== "string" || ctx.id === "") {
    return h(
      "div",
      { class: "people-view", "data-testid": "people-view", "data-state": "unknown" },
      h("h1", {}, t("people.unknownTitle")),
      h("p", {}, t("people.unknownText")),
      h("p", {}, h("a", { href: "#/people" }, t("people.all"))),
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
              h("tr", {}, h("th", { scope: "col" }, t(`people.${k.kind}.column`)), h("th", { scope: "col" }, t("people.observations")), h("th", { scope: "col" }, t("people.latestVisit"))),
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
                  h("td", { "data-testid": "person-latest" }, latest(ds) || t("people.noDate")),
                ),
              ),
            ),
          ),
        )
      : h("p", { class: "muted", "data-testid": `people-${k.kind}-empty` }, t(`people.${k.kind}.empty`));
    return h("section", { "aria-labelledby": headingId }, h("h2", { id: headingId }, `${t(`people.${k.kind}.title`)} (${entries.length})`), body);
  });
  return h(
    "div",
    { class: "people-view", "data-testid": "people-view", "data-state": "list" },
    h("h1", {}, t("people.title")),
    h(
      "p",
      { class: "lede" },
      t("people.lede", { observations: observations(drafts.length) }),
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
      h("td", {}, dateOf(d) || t("people.noDate")),
      h("td", {}, SETTINGS[r.setting] ? t(SETTINGS[r.setting]) : typeof r.setting === "string" ? r.setting : ""),
      h("td", { "data-testid": "observation-valid" }, valid ? t("people.valid") : h("strong", {}, t("people.hasProblems"))),
      k.kind === "caregiver" ? h("td", {}, others.length ? others.join(", ") : t("people.noOthers")) : null,
    );
  });
  const headingId = "person-observations-h";
  return h(
    "section",
    { "aria-labelledby": headingId },
    h("h2", { id: headingId }, t("people.oldestFirst", { n: ds.length })),
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
                ["home.colRecord", "home.colDate", "home.colSetting", "people.check", ...(k.kind === "caregiver" ? ["people.otherCaregivers"] : [])].map((key) => h("th", { scope: "col" }, t(key))),
              ),
            ),
            h("tbody", {}, rows),
          ),
        )
      : h("p", { class: "muted", "data-testid": "person-observations-empty" }, t(`people.${k.kind}.none`, { id })),
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
  const title = h("h1", {}, t(`people.${k.kind}.one`, { id }));
  // Quiet: says only what a deletion did, once.
  const status = h("p", { role: "status", class: "people-status", "data-testid": "people-status" });
  const view = h(
    "div",
    { class: "people-view", "data-testid": "people-view", "data-state": "one", "data-kind": k.kind, "data-id": id },
    h("p", { class: "muted" }, h("a", { href: "#/people" }, t("people.title"))),
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
            { "aria-label": t("people.more", { id }) },
            h(
              "ul",
              { class: "actions" },
              h("li", {}, h("a", { href: "#/trends", "data-testid": "link-trends" }, t("trends.title"))),
              h("li", {}, h("a", { href: `#/goals/${encodeURIComponent(id)}`, "data-testid": "link-goals" }, `${t("report.goals")} (${goals.length})`)),
              h("li", {}, h("a", { href: "#/report", "data-testid": "link-report" }, t("nav.report"))),
            ),
          )
        : null;
    replace(
      body,
      h("p", { class: "lede" }, ds.length ? t("people.savedLatest", { observations: observations(ds.length), date: latest(ds) || t("people.noDate") }) : t("people.saved", { observations: observations(ds.length) })),
      links,
      observationTable(ctx, k, id, ds),
      k.kind === "caregiver" && (ds.length || goals.length) ? deleteSection() : null,
    );
  }

  // ---- Deleting this caregiver's data
  function deleteSection() {
    const shared = ds.filter((d) => caregiversOf(recordOf(d)).some((c) => c !== id));
    const what = goals.length ? t("people.and", { a: observations(ds.length), b: sharedGoals(goals.length) }) : observations(ds.length);
    const open = h(
      "button",
      { type: "button", class: "danger", "aria-expanded": "false", "aria-controls": "delete-confirm", "data-testid": "delete-caregiver" },
      t("people.deleteOpen", { id }),
    );
    const confirmHeading = h("h3", { id: "delete-confirm-h", tabindex: "-1" }, t("people.deleteQuestion", { what, id }));
    const panel = h(
      "div",
      { id: "delete-confirm", class: "notice error", role: "group", "aria-labelledby": "delete-confirm-h", hidden: true, "data-testid": "delete-confirm" },
      confirmHeading,
      h("p", {}, t("people.deleteRemoves")),
      h(
        "ul",
        { "data-testid": "delete-list" },
        ds.map((d) => {
          const others = caregiversOf(recordOf(d)).filter((c) => c !== id);
          return h(
            "li",
            { "data-key": d.key },
            `${labelOf(d)} (${dateOf(d) || t("people.noDate")})`,
            others.length ? h("strong", {}, ` — ${t("people.alsoRecords", { others: others.join(", ") })}`) : null,
          );
        }),
        goals.map((g) => h("li", { "data-goal": g.id }, t("people.sharedGoal", { title: typeof g.title === "string" && g.title ? g.title : g.id }))),
      ),
      shared.length
        ? h(
            "p",
            { "data-testid": "delete-shared" },
            t("people.sharedNote", { count: shared.length }),
          )
        : null,
      h(
        "div",
        { class: "actions" },
        h("button", { type: "button", class: "danger", "data-testid": "delete-caregiver-confirm", onclick: confirmDelete }, t("people.deleteWhat", { what })),
        h("button", { type: "button", "data-testid": "delete-caregiver-cancel", onclick: cancel }, t("common.cancel")),
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
        status.textContent = t("people.notDeleted", { reason: err.message ?? err });
        return;
      }
      const said = t("people.deleted", { id, observations: observations(done.observations), goals: sharedGoals(done.goals) });
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
      h("h2", { id: "delete-h" }, t("people.deleteTitle")),
      h("p", {}, t("people.deleteExplain", { what })),
      open,
      panel,
    );
  }

  draw();
  return view;
}
