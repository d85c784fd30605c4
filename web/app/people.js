// People and places (`#/people`, `#/people/<kind>/<id>`): every caregiver, room and home named by
// the observations saved in this browser, and every partner and author named by the reflections,
// by their pseudonymous ids, and each one's records oldest first. A caregiver's page can delete
// that caregiver's data (every observation that lists them, whole, the reflections about them or
// written by them as a caregiver, whole, and their shared goals) after a confirmation that names
// what goes.
//
// Who is in a record is read from the stored record as it is, whether or not the engine accepts
// it, so the counts here are the records `store.deleteCaregiver` would delete: in an observation
// a caregiver is any `caregivers[].id` (text, not empty), a room or home is the record's `place`
// (`{kind: "room" | "home", id}`, docs/record-format.md); in a reflection the partner is
// `partner.id` and the author `author.id`, with `partner.kind` and `author.role` saying who they
// are (docs/ta-reflection-format.md, docs/family-partnership-format.md). Whether a record is valid
// is the engine's answer (`validateRecord`).

import { h, replace } from "./dom.js";
import * as store from "./store.js";
import { t, formatTime, intlLocale } from "./i18n.js";
import { isReflection, kindName, valueName } from "./reflection-form.js";

/**
 * The kinds of `#/people/<kind>/<id>`, in the order the list shows them: three named by
 * observations, then two named by reflections (`party`: the record's field, `field`: what says who
 * they are). Their words are the messages `people.<kind>.title` ("Caregivers"), `.one` ("Caregiver
 * {id}"), `.column`, `.empty` and `.none` ("No observation … names caregiver {id}.").
 */
export const KINDS = [
  { kind: "caregiver" },
  { kind: "room" },
  { kind: "home" },
  { kind: "partner", party: "partner", field: "kind" },
  { kind: "author", party: "author", field: "role" },
];

const kindOf = (kind) => KINDS.find((k) => k.kind === kind) ?? null;
const observations = (n) => t("data.observations", { count: n });
const reflections = (n) => t("data.reflections", { count: n });
const sharedGoals = (n) => t("people.sharedGoals", { count: n });
const href = (kind, id) => `#/people/${encodeURIComponent(kind)}/${encodeURIComponent(id)}`;
const listOf = (parts) => new Intl.ListFormat(intlLocale(), { type: "conjunction" }).format(parts);

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

/**
 * A stored reflection's `partner` or `author` (`party`) as `{id, as}`: `as` is the partner's
 * `kind` or the author's `role` ("" when not text); null when it names no id (text, not empty).
 */
export function partyOf(record, party) {
  const p = record[party];
  if (!p || typeof p !== "object" || Array.isArray(p) || typeof p.id !== "string" || p.id === "") return null;
  const as = p[party === "author" ? "role" : "kind"];
  return { id: p.id, as: typeof as === "string" ? as : "" };
}

/**
 * True when a stored reflection names caregiver `id` as a caregiver: it is about the relationship
 * with them (the partner, of kind "caregiver") or written by them (the author, in the role
 * "caregiver"). Deleting a caregiver's data deletes these reflections and no other: the same id
 * as a program, a director, a team, a family or an author in another role is left alone.
 */
export function namesCaregiver(record, id) {
  const partner = partyOf(record, "partner");
  const author = partyOf(record, "author");
  return (partner !== null && partner.id === id && partner.as === "caregiver") || (author !== null && author.id === id && author.as === "caregiver");
}

/**
 * Who and where each stored record names: `Map(kind → Map(id → [record]))`, the caregivers, rooms
 * and homes of `observations` and the partners and authors of `reflections`.
 */
export function whoIsWhere({ observations, reflections }) {
  const out = new Map(KINDS.map((k) => [k.kind, new Map()]));
  const add = (kind, id, d) => {
    const m = out.get(kind);
    if (!m.has(id)) m.set(id, []);
    m.get(id).push(d);
  };
  for (const d of observations) {
    const r = recordOf(d);
    for (const id of caregiversOf(r)) add("caregiver", id, d);
    const p = placeOf(r);
    if (p) add(p.kind, p.id, d);
  }
  for (const d of reflections) {
    for (const k of KINDS.filter((k) => k.party)) {
      const p = partyOf(recordOf(d), k.party);
      if (p) add(k.kind, p.id, d);
    }
  }
  return out;
}

/** A record's date: an observation's visit (`observed_on`), a reflection's `reflected_on`. */
const dateOf = (d) => {
  const r = recordOf(d);
  const v = isReflection(r) ? r.reflected_on : r.observed_on;
  return typeof v === "string" ? v : "";
};

/** Oldest first (by the record's date, then the saved order); records without a date last. */
function oldestFirst(a, b) {
  const x = dateOf(a);
  const y = dateOf(b);
  if (x !== y) return x === "" ? 1 : y === "" ? -1 : x < y ? -1 : 1;
  return (a.updated ?? "") < (b.updated ?? "") ? -1 : (a.updated ?? "") > (b.updated ?? "") ? 1 : 0;
}

/** The latest date among `drafts` (`YYYY-MM-DD` text compares in date order), or "". */
function latest(drafts) {
  return drafts.map(dateOf).filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d)).sort().at(-1) ?? "";
}

const labelOf = (d) => {
  const id = recordOf(d).id;
  return typeof id === "string" && id !== "" ? id : t("home.noId");
};

/** Who a reflection's `party` is, in words ("Program"; the value as written when the app has no words for it), or "". */
function whoIs(d, k) {
  const r = recordOf(d);
  const p = partyOf(r, k.party);
  return p && p.as ? valueName(r.format, k.field, p.as) : "";
}

/** A reflection's `party` as "prog-12 (Program)", or "—" when it names none. */
function partyText(d, party) {
  const k = kindOf(party);
  const p = partyOf(recordOf(d), party);
  if (!p) return "—";
  return p.as ? t("people.party", { id: p.id, who: whoIs(d, k) }) : p.id;
}

/** "3 observations, 1 reflection and 2 shared goals": the counts that are not zero (or "0 observations"). */
function whatGoes({ observations: o, reflections: r, goals: g }) {
  const parts = [o || (!r && !g) ? observations(o) : null, r ? reflections(r) : null, g ? sharedGoals(g) : null];
  return listOf(parts.filter(Boolean));
}

/** The engine's verdict on a stored record (`validateRecord`): true when it reads it without an error. */
function validIn(ctx, record) {
  try {
    const answer = ctx.engine.validateRecord(JSON.stringify(record));
    return Boolean(answer && answer.type === "success");
  } catch {
    return false;
  }
}

// The settings in words (message keys).
const SETTINGS = { center: "setting.center", "family-child-care": "setting.familyChildCareShort" };

/** Every saved record, split into `{observations, reflections}` (with `failed` when the store could not be read). */
async function readRecords() {
  try {
    const all = (await store.listRecords()) || [];
    const reflection = (d) => isReflection(recordOf(d));
    return { observations: all.filter((d) => !reflection(d)), reflections: all.filter(reflection), failed: null };
  } catch (e) {
    return { observations: [], reflections: [], failed: e };
  }
}

/**
 * Builds the view. `ctx` is `{engine, rubrics, examples, kind, id}`: `kind` and `id` null for the
 * list of everyone, else one caregiver, room, home, partner or author. Resolves to the view's
 * element.
 *
 * When another tab saves, imports or deletes records (or a caregiver's goals, on that
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
  const { failed, ...records } = await readRecords();
  const problem = failed
    ? h("div", { class: "notice error", role: "alert" }, h("p", {}, t("store.observationsUnread", { reason: failed.message ?? failed })))
    : null;
  if (!ctx.kind) return listView(records, problem);
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
  return k.party ? partyView(ctx, k, records, problem) : oneView(ctx, k, records, problem);
}

// ---------------------------------------------------------------------------------------------
// #/people: everyone

function listView(records, problem) {
  const found = whoIsWhere(records);
  const sections = KINDS.map((k) => {
    const entries = [...found.get(k.kind)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const headingId = `people-${k.kind}-h`;
    // Observations: count and latest visit; reflections: who they are, count and latest reflection.
    const columns = k.party
      ? [`people.${k.kind}.column`, k.field === "role" ? "reflect.field.role" : "reflect.field.kind", "people.reflections", "people.latestReflection"]
      : [`people.${k.kind}.column`, "people.observations", "people.latestVisit"];
    const body = entries.length
      ? h(
          "div",
          // Scrolls sideways on a narrow screen, so it can take the focus to be scrolled by keys.
          { class: "table-wrap", tabindex: "0", role: "region", "aria-labelledby": headingId },
          h(
            "table",
            { "aria-labelledby": headingId, "data-testid": `people-${k.kind}` },
            h("thead", {}, h("tr", {}, columns.map((key) => h("th", { scope: "col" }, t(key))))),
            h(
              "tbody",
              {},
              entries.map(([id, ds]) =>
                h(
                  "tr",
                  { "data-testid": "person-row", "data-kind": k.kind, "data-id": id },
                  h("th", { scope: "row" }, h("a", { href: href(k.kind, id), "data-testid": "person-link" }, id)),
                  k.party ? h("td", { "data-testid": "person-who" }, [...new Set(ds.map((d) => whoIs(d, k)).filter(Boolean))].sort((a, b) => a.localeCompare(b)).join(", ")) : null,
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
    h("p", { class: "lede" }, t("people.lede", { count: records.observations.length })),
    h("p", { class: "lede" }, t("people.ledeReflections", { count: records.reflections.length })),
    problem,
    sections,
  );
}

// ---------------------------------------------------------------------------------------------
// #/people/<kind>/<id>: one of them

function observationTable(ctx, k, id, ds) {
  const rows = ds.map((d) => {
    const r = recordOf(d);
    const valid = validIn(ctx, r);
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

/**
 * Reflections oldest first: each one's id (opens it), date, kind, the parties named in `parties`
 * ("author", "partner": the other side of the relationship) and the engine's verdict.
 */
function reflectionTable(ctx, ds, { heading, parties, empty }) {
  const headingId = "person-reflections-h";
  const rows = ds.map((d) => {
    const r = recordOf(d);
    const valid = validIn(ctx, r);
    return h(
      "tr",
      { "data-testid": "reflection-row", "data-key": d.key, "data-valid": String(valid) },
      h("th", { scope: "row" }, h("a", { href: `#/obs/${encodeURIComponent(d.key)}`, "data-testid": "reflection-link" }, labelOf(d))),
      h("td", {}, dateOf(d) || t("people.noDate")),
      h("td", {}, kindName(r.format)),
      parties.map((party) => h("td", { "data-testid": `reflection-${party}` }, partyText(d, party))),
      h("td", { "data-testid": "reflection-valid" }, valid ? t("people.valid") : h("strong", {}, t("people.hasProblems"))),
    );
  });
  return h(
    "section",
    { "aria-labelledby": headingId },
    h("h2", { id: headingId }, heading),
    ds.length
      ? h(
          "div",
          { class: "table-wrap", tabindex: "0", role: "region", "aria-labelledby": headingId },
          h(
            "table",
            { "aria-labelledby": headingId, "data-testid": "person-reflections" },
            h(
              "thead",
              {},
              h("tr", {}, ["home.colRecord", "home.colDate", "people.kind", ...parties.map((p) => `people.${p}.column`), "people.check"].map((key) => h("th", { scope: "col" }, t(key)))),
            ),
            h("tbody", {}, rows),
          ),
        )
      : h("p", { class: "muted", "data-testid": "person-reflections-empty" }, empty),
  );
}

/** `#/people/partner/<id>` and `#/people/author/<id>`: the reflections that name them, oldest first. */
function partyView(ctx, k, records, problem) {
  const id = ctx.id;
  const ds = (whoIsWhere(records).get(k.kind).get(id) ?? []).slice().sort(oldestFirst);
  // Titled by who they are ("Program prog-12") when every reflection says the same.
  const who = [...new Set(ds.map((d) => whoIs(d, k)))];
  const title = who.length === 1 && who[0] ? t("people.named", { who: who[0], id }) : t(`people.${k.kind}.one`, { id });
  const asCaregiver = ds.some((d) => partyOf(recordOf(d), k.party).as === "caregiver");
  const other = k.party === "partner" ? "author" : "partner";
  return h(
    "div",
    { class: "people-view", "data-testid": "people-view", "data-state": "one", "data-kind": k.kind, "data-id": id },
    h("p", { class: "muted" }, h("a", { href: "#/people" }, t("people.title"))),
    h("h1", {}, title),
    problem,
    h(
      "div",
      { "data-testid": "person-body" },
      ds.length ? h("p", { class: "lede" }, t(`people.${k.kind}.savedLatest`, { count: ds.length, id, date: latest(ds) || t("people.noDate") })) : null,
      // A caregiver named in reflections: their observations, goals and delete are on their page.
      asCaregiver ? h("p", {}, h("a", { href: href("caregiver", id), "data-testid": "link-caregiver" }, t("people.caregiverPage", { id }))) : null,
      reflectionTable(ctx, ds, { heading: t("people.reflectionsOldestFirst", { n: ds.length }), parties: [other], empty: t(`people.${k.kind}.none`, { id }) }),
    ),
  );
}

async function oneView(ctx, k, records, problem) {
  const id = ctx.id;
  const ds = (whoIsWhere(records).get(k.kind).get(id) ?? []).slice().sort(oldestFirst);
  // A caregiver's reflections: those about the relationship with them, or written by them.
  const caregiverReflections = (list) => (k.kind === "caregiver" ? list.filter((d) => namesCaregiver(recordOf(d), id)).sort(oldestFirst) : []);
  const rs = caregiverReflections(records.reflections);
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
      h("p", { class: "lede" }, ds.length ? t("people.savedLatest", { count: ds.length, date: latest(ds) || t("people.noDate") }) : t("people.saved", { count: ds.length })),
      links,
      observationTable(ctx, k, id, ds),
      rs.length ? reflectionTable(ctx, rs, { heading: t("people.caregiverReflections", { id, n: rs.length }), parties: ["author", "partner"], empty: "" }) : null,
      k.kind === "caregiver" && (ds.length || rs.length || goals.length) ? deleteSection() : null,
    );
  }

  // ---- Deleting this caregiver's data
  function deleteSection() {
    const shared = ds.filter((d) => caregiversOf(recordOf(d)).some((c) => c !== id));
    const what = whatGoes({ observations: ds.length, reflections: rs.length, goals: goals.length });
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
        rs.map((d) =>
          h(
            "li",
            { "data-key": d.key, "data-reflection": "true" },
            `${labelOf(d)} (${dateOf(d) || t("people.noDate")}) — ${t("people.reflectionItem", { kind: kindName(recordOf(d).format), author: partyText(d, "author"), partner: partyText(d, "partner") })}`,
          ),
        ),
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
        // The store reads each record again in its transaction; a reflection goes when it names this caregiver.
        done = await store.deleteCaregiver(id, (record) => namesCaregiver(record, id));
      } catch (err) {
        e.currentTarget.disabled = false;
        status.textContent = t("people.notDeleted", { reason: err.message ?? err });
        return;
      }
      const said = t("people.deleted", { id, what: whatGoes(done) });
      // Read the store again, so the page shows what is left (other tabs may have changed it).
      const again = await readRecords();
      ds.length = 0;
      ds.push(...(whoIsWhere(again).get("caregiver").get(id) ?? []).sort(oldestFirst));
      rs.length = 0;
      rs.push(...caregiverReflections(again.reflections));
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
      h("p", { "data-testid": "delete-reflections-rule" }, t("people.deleteReflectionsRule", { id })),
      open,
      panel,
    );
  }

  draw();
  return view;
}
