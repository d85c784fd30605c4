// The reflection form: a practitioner's reflection on one working relationship over a period
// (`rubrica.ta-reflection/1`, `rubrica.family-partnership/1`; docs/ta-reflection-format.md,
// docs/family-partnership-format.md). Drawn like the observation form (form.js): the record is the
// state, every input carries `data-path` (the JSON pointer of the value it writes) so the engine's
// diagnostics land beside their field, and the rubric sections are generated from each rubric's
// `meta.items` by form.js's own item code.
//
// What each kind holds comes from the engine: `useKinds(RubricaEngine.vocabulary().kinds)` gives
// every kind's format tag, its objects (the fields of a contact and of a goal, in the order the
// format writes them, with their types) and its choices (the roles, partner kinds and contact
// modes the engine accepts for that kind). Nothing here lists those values; only the words shown
// for them are the app's (messages.js, `reflect.value.*`), and a value without words is shown as
// it is written.

import { h, uid } from "./dom.js";
import { t, message } from "./i18n.js";
import { labelled, control, readControl, listSection, readList, itemSections, readItems } from "./form.js";

// format tag → {format, objects: Map(name → ObjectDoc), choices: Map(path → RecordChoice), limits: Map(path → RecordLimit), fields}
const kinds = new Map();

/** Takes the reflection kinds from the engine's vocabulary (`vocabulary().kinds`). */
export function useKinds(list) {
  kinds.clear();
  for (const k of Array.isArray(list) ? list : []) {
    const objects = new Map(k.objects.map((o) => [o.name, o]));
    kinds.set(k.format, {
      format: k.format,
      objects,
      choices: new Map(k.record_choices.map((c) => [c.path, c])),
      limits: new Map(k.record_limits.map((l) => [l.path, l])),
      fields: (objects.get("Record")?.fields ?? []).map((f) => f.name),
    });
  }
}

/** The format tags of the reflection kinds, in the engine's order. */
export function reflectionFormats() {
  return [...kinds.keys()];
}

/** True for a record of one of the reflection kinds (by its `format`). */
export function isReflection(record) {
  return Boolean(record && typeof record === "object" && typeof record.format === "string" && kinds.has(record.format));
}

/** A kind's short name, its format tag without `rubrica.` and the version (`ta-reflection`). */
export function shortName(format) {
  return String(format).replace(/^rubrica\./, "").replace(/\/\d+$/, "");
}

/** The name of a record kind in the app's words ("TA reflection"), or the format tag itself. */
export function kindName(format) {
  return words("kind", shortName(format)) ?? format;
}

/** The heading of a list of records of kind `format` ("TA reflections"), or the format tag itself. */
export function kindsName(format) {
  return words("kinds", shortName(format)) ?? format;
}

/** "New TA reflection": the words of the button and the title of a new record of kind `format`. */
export function newLabel(format) {
  return words("new", shortName(format)) ?? t("home.newReflection", { kind: kindName(format) });
}

/** The words for `value` of the field `field` (`role`, `kind`, `mode`…) in a record of kind `format`, or the value as written. */
export function valueName(format, field, value) {
  const key = labelsFor(format, field, [value])[value];
  return key ? t(key) : String(value);
}

/** `t` of `reflect.<group>.<value>` when the table has it, else undefined. */
function words(group, value) {
  const key = `reflect.${group}.${value}`;
  return message(key) === undefined ? undefined : t(key);
}

/** A blank reflection of kind `format` dated `today`. */
export function blankReflection(format, today) {
  return { format, id: `${shortName(format)}-${today}`, reflected_on: today, author: { id: "" }, partner: { id: "" }, contacts: [], goals: [], items: {} };
}

// ---------------------------------------------------------------------------------------------
// Fields from the vocabulary

/**
 * The message keys of the words for `values` of `field` in a record of kind `format`: the kind's
 * own (`reflect.value.family-partnership.set_by.partner`: "The family") before the shared ones
 * (`reflect.value.set_by.partner`); a value with neither is shown as written.
 */
function labelsFor(format, field, values) {
  const labels = {};
  for (const v of values) {
    const key = [`reflect.value.${shortName(format)}.${field}.${v}`, `reflect.value.${field}.${v}`].find((k) => message(k) !== undefined);
    if (key) labels[v] = key;
  }
  return labels;
}

/**
 * The form's field for one field of an object of the kind (`doc`: a FieldDoc), at `path` (`/contacts/*`
 * style for a list's rows). A field with a fixed list of values is a menu of the kind's values
 * (with an empty first choice when the format has no default, so the engine asks for it); a
 * number a whole-number input whose placeholder gives the engine's range; anything else text.
 */
function fieldSpec(kind, objectPath, doc) {
  const path = `${objectPath}/${doc.name}`;
  const spec = { key: doc.name, label: `reflect.field.${doc.name}`, required: !doc.may_be_unit };
  const choice = kind.choices.get(path);
  if (choice) {
    const values = choice.values;
    const lead = choice.default === undefined ? [""] : [];
    return { ...spec, kind: "select", options: () => [...lead, ...values], labels: { "": "reflect.choose", ...labelsFor(kind.format, doc.name, values) } };
  }
  if (doc.type === "number") {
    const limit = kind.limits.get(path);
    const range = limit && limit.min !== undefined && limit.max !== undefined ? `${limit.min}–${limit.max}` : undefined;
    return { ...spec, kind: "int", placeholder: range, required: false };
  }
  const date = /date|YYYY-MM-DD/.test(doc.doc ?? "");
  return { ...spec, kind: "text", placeholder: date ? "2026-03-02" : undefined };
}

/** The list spec (form.js `listSection`) of the kind's list `name` (`contacts`, `goals`), from its object. */
function listSpec(kind, name) {
  const record = kind.objects.get("Record");
  const field = record?.fields.find((f) => f.name === name);
  const object = field && kind.objects.get(field.entries);
  if (!object) return null;
  return { fields: object.fields.map((f) => fieldSpec(kind, object.path, f)) };
}

/** The reflection's free-text notes, as form.js draws a list of text (`list.reflectionNotes.*`). */
const NOTES = {
  scalar: true,
  words: "reflectionNotes",
  fields: [{ key: "", label: "field.note", kind: "textarea", required: true, wide: true }],
};

function specOf(format, name) {
  const kind = kinds.get(format);
  if (name === "notes") return NOTES;
  return kind ? listSpec(kind, name) : null;
}

/** A blank row for the list `name` of a reflection of kind `format`. */
export function blankRow(format, name) {
  if (name === "notes") return "";
  const spec = specOf(format, name);
  const row = {};
  for (const f of spec ? spec.fields : []) if (f.kind === "text" && f.required) row[f.key] = "";
  return row;
}

/**
 * `author` or `partner`: a group of the object's fields (`Author`, `Partner` of the vocabulary),
 * each named with the group too ("Id — Author"): both groups have an id.
 */
function objectGroup(kind, name, value) {
  const record = kind.objects.get("Record");
  const field = record?.fields.find((f) => f.name === name);
  const object = field && kind.objects.get(field.entries);
  const v = value && typeof value === "object" && !Array.isArray(value) ? value : {};
  const legend = t(`reflect.group.${name}`);
  const helpId = uid("help");
  return h(
    "fieldset",
    { class: "row", "data-path": `/${name}`, "data-testid": `reflection-${name}`, "aria-describedby": helpId },
    h("legend", {}, legend),
    h("p", { class: "help", id: helpId }, t(`reflect.help.${name}`)),
    h(
      "div",
      { class: "row-fields" },
      (object ? object.fields : []).map((f) => {
        const spec = fieldSpec(kind, object.path, f);
        const id = uid("f");
        const text = [t(spec.label), h("span", { class: "visually-hidden" }, ` — ${legend}`)];
        return labelled(spec, id, text, control(spec, v[f.name], `/${name}/${f.name}`, `${name}-${f.name}`, id));
      }),
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// The form

/**
 * The section ids and headings of the form for a reflection of kind `format` with `rubrics` (for
 * the editor's list of sections).
 */
export function reflectionSections(rubrics) {
  return [
    ["section-reflection", t("reflect.section.about")],
    ["section-contacts", t("reflect.section.contacts")],
    ...rubrics.map((r) => [`section-${r.id}`, r.title]),
    ["section-notes", t("reflect.section.notes")],
  ];
}

/**
 * Draws the form for the reflection `record`. `rubrics` are the loaded rubrics that rate its kind
 * (the engine's RubricInfo objects); `actions`: `{add(list), remove(list, index)}`.
 */
export function renderReflectionForm(record, rubrics, actions) {
  const r = record && typeof record === "object" && !Array.isArray(record) ? record : {};
  const kind = kinds.get(r.format);
  if (!kind) return [h("p", { class: "notice error" }, t("reflect.unknownKind", { format: String(r.format) }))];
  const field = (key, label, placeholder) => {
    const id = uid("f");
    const f = { key, kind: "text", placeholder };
    return labelled(f, id, t(label), control(f, r[key], `/${key}`, `field-${key}`, id));
  };
  const list = (name) => {
    const spec = specOf(r.format, name);
    return spec ? listSection(name, r[name], actions, spec) : null;
  };
  return [
    h(
      "section",
      { class: "form-section", id: "section-reflection", "aria-labelledby": "heading-reflection", "data-testid": "reflection-about" },
      h("h2", { id: "heading-reflection" }, t("reflect.section.about")),
      h("p", { class: "help" }, words("about", shortName(r.format)) ?? ""),
      h("div", { class: "grid" }, field("id", "form.recordId", "ta-2026-03-02-prog12"), field("reflected_on", "reflect.date", "2026-03-02")),
      objectGroup(kind, "author", r.author),
      objectGroup(kind, "partner", r.partner),
    ),
    h(
      "section",
      { class: "form-section", id: "section-contacts", "aria-labelledby": "heading-contacts" },
      h("h2", { id: "heading-contacts" }, t("reflect.section.contacts")),
      list("contacts"),
      list("goals"),
    ),
    rubrics.length ? null : h("p", { class: "notice", "data-testid": "no-reflection-rubric" }, t("reflect.noRubric", { kind: kindName(r.format) })),
    ...itemSections(rubrics, r.items, { methods: false }),
    h(
      "section",
      { class: "form-section", id: "section-notes", "aria-labelledby": "heading-notes" },
      h("h2", { id: "heading-notes" }, t("reflect.section.notes")),
      list("notes"),
    ),
  ];
}

/**
 * Builds the reflection back from the form. Fields the form does not show (`extra`, fields the
 * kind does not know, items of rubrics that are not loaded) are kept from `base`, so the engine
 * can name what is wrong and nothing is lost.
 */
export function readReflectionForm(form, base, rubrics) {
  const b = base && typeof base === "object" && !Array.isArray(base) ? base : {};
  const kind = kinds.get(b.format);
  const get = (path) => {
    const el = form.querySelector(`[data-path="${path}"]`);
    return el ? readControl(el) : undefined;
  };
  const rec = { format: b.format };
  rec.id = get("/id") ?? "";
  rec.reflected_on = get("/reflected_on") ?? "";
  for (const name of ["author", "partner"]) {
    const old = b[name] && typeof b[name] === "object" && !Array.isArray(b[name]) ? b[name] : null;
    const out = old ? { ...old } : {};
    for (const el of form.querySelectorAll(`[data-path^="/${name}/"]`)) {
      const key = el.dataset.path.slice(name.length + 2);
      const v = readControl(el);
      if (v === undefined) {
        if (el.dataset.kind === "text") out[key] = "";
        else delete out[key];
      } else out[key] = v;
    }
    rec[name] = out;
  }
  for (const name of ["contacts", "goals", "notes"]) {
    const spec = specOf(b.format, name);
    const rows = spec ? readList(form, name, spec) : [];
    if (rows.length || Array.isArray(b[name]) || name !== "notes") rec[name] = rows;
  }
  rec.items = readItems(form, rubrics, b.items, { methods: false });
  const known = kind ? kind.fields : [];
  for (const [k, v] of Object.entries(b)) {
    if (!(k in rec) && !known.includes(k)) rec[k] = v;
  }
  return rec;
}
