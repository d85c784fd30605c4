// The observation form: the visit header and group lists, then one section per rubric generated
// only from the rubric's `meta.items`. No rubric is special-cased here.
//
// The record is the state: `renderForm` draws a record, `readForm` builds the record back from
// the inputs. Every input carries `data-path`, the JSON pointer of the value it writes, so
// diagnostics from the engine land next to the field they are about.

import { h, uid, seg, replace } from "./dom.js";
import { t } from "./i18n.js";

// What the record may hold comes from the engine, which checks records against the same lists:
// `useVocabulary(RubricaEngine.vocabulary())` is called once the engine has loaded, before any
// form is drawn. The form keeps only the words it shows for each value; a value without a label
// here is shown as it is written.
const vocab = {
  // path (`/caregivers/*/role`) → {values, default?}
  choices: new Map(),
  // item type (`yes-no`) → its values, `not-observed` included
  itemValues: new Map(),
  // the record's top-level fields the form writes (all but the host's `extra`)
  fields: [],
  format: "",
};

/** Takes the record's choices, item values, fields and format tag from the engine's vocabulary. */
export function useVocabulary(vocabulary) {
  vocab.choices = new Map(vocabulary.record_choices.map((c) => [c.path, c]));
  vocab.itemValues = new Map(vocabulary.item_values.map((v) => [v.type, v.values]));
  const record = vocabulary.objects[0];
  vocab.fields = record.fields.map((f) => f.name);
  vocab.format = record.fields.find((f) => f.name === "format").values[0];
}

/** The values the record format allows at `path`. */
function choices(path) {
  const c = vocab.choices.get(path);
  return c ? c.values : [];
}

/** The value the engine reads when the field at `path` is left out. */
function choiceDefault(path) {
  const c = vocab.choices.get(path);
  return c ? (c.default ?? c.values[0]) : "";
}

// The words shown for each value, as message keys (messages.js); looked up when the form is drawn,
// so a switch of language draws them in the new one.
const SETTING_LABELS = { center: "setting.center", "family-child-care": "setting.familyChildCare" };
const PLACE_LABELS = { "": "place.none", room: "place.room", home: "place.home" };
const METHOD_LABELS = { observed: "method.observed", interview: "method.interview", materials: "method.materials" };
const VALUE_LABELS = {
  yes: "value.yes",
  no: "value.no",
  none: "value.none",
  some: "value.some",
  most: "value.most",
  all: "value.all",
  "not-observed": "value.notObserved",
};
const ROLE_LABELS = { teacher: "role.teacher", assistant: "role.assistant", provider: "role.provider", substitute: "role.substitute", float: "role.float" };
const MATERIAL_LABELS = {
  policy: "material.policy",
  handbook: "material.handbook",
  plan: "material.plan",
  schedule: "material.schedule",
  ifsp: "material.ifsp",
  log: "material.log",
  other: "material.other",
};

/** `[value, label]` pairs for a select or radio group; `labels` maps a value to its message key. */
export function withLabels(values, labels) {
  return values.map((v) => [v, labels[v] === undefined ? v : t(labels[v])]);
}

/**
 * The group lists: what each row holds, in the order the record format writes the fields. The
 * words are message keys: `list.<name>.title`, `.help`, `.row` ("Caregiver {n}"), `.add`,
 * `.remove`, and each field's `label`.
 */
export const LISTS = {
  caregivers: {
    fields: [
      { key: "id", label: "field.id", kind: "text", placeholder: "cg-a", required: true },
      { key: "role", label: "field.role", kind: "select", options: () => choices("/caregivers/*/role"), labels: ROLE_LABELS, required: true },
      { key: "languages", label: "field.languages", kind: "langs", placeholder: "en, es", required: true },
    ],
    blank: () => ({ id: "", role: choiceDefault("/caregivers/*/role"), languages: [] }),
  },
  children: {
    fields: [
      { key: "id", label: "field.id", kind: "text", placeholder: "c1", required: true },
      { key: "age_months", label: "field.ageMonths", kind: "int", required: true },
      { key: "primary_caregiver", label: "field.primaryCaregiver", kind: "caregiver", placeholder: "cg-a" },
      {
        key: "primary_status",
        label: "field.primaryStatus",
        kind: "select",
        options: () => ["", ...choices("/children/*/primary_status")],
        labels: { "": "primaryStatus.fromId", assigned: "primaryStatus.assigned", "none-assigned": "primaryStatus.noneAssigned", "not-recorded": "primaryStatus.notRecorded" },
      },
      { key: "months_with_primary", label: "field.monthsWithPrimary", kind: "int" },
      { key: "months_in_care", label: "field.monthsInCare", kind: "int" },
      { key: "moves", label: "field.moves", kind: "int" },
      { key: "home_languages", label: "field.homeLanguages", kind: "langs", placeholder: "en", required: true },
      { key: "ifsp", label: "field.ifsp", kind: "checkbox", required: true },
    ],
    blank: () => ({ id: "", home_languages: [], ifsp: false }),
  },
  headcounts: {
    fields: [
      { key: "at", label: "field.time", kind: "text", placeholder: "09:00", required: true },
      { key: "children", label: "field.children", kind: "int", required: true },
      { key: "caregivers", label: "field.caregivers", kind: "int", required: true },
    ],
    blank: () => ({ at: "" }),
  },
  interviews: {
    fields: [
      { key: "with", label: "field.with", kind: "text", hint: "field.withPlaceholder", required: true },
      { key: "topic", label: "field.topic", kind: "text", required: true },
      { key: "answer", label: "field.answer", kind: "textarea", required: true, wide: true },
    ],
    blank: () => ({ with: "", topic: "", answer: "" }),
  },
  materials: {
    fields: [
      { key: "title", label: "field.title", kind: "text", required: true },
      { key: "kind", label: "field.kind", kind: "select", options: () => choices("/materials/*/kind"), labels: MATERIAL_LABELS, required: true },
      { key: "note", label: "field.note", kind: "textarea", wide: true },
    ],
    blank: () => ({ title: "", kind: choiceDefault("/materials/*/kind") }),
  },
  notes: {
    scalar: true,
    fields: [{ key: "", label: "field.note", kind: "textarea", required: true, wide: true }],
    blank: () => "",
  },
};

/** A blank record for a new observation. */
export function blankRecord(today) {
  return {
    format: vocab.format,
    id: `obs-${today}`,
    setting: choices("/setting")[0],
    observed_on: today,
    caregivers: [LISTS.caregivers.blank()],
    children: [LISTS.children.blank()],
    headcounts: [],
    items: {},
  };
}

// ---------------------------------------------------------------------------------------------
// Rendering

function display(v) {
  if (v === undefined || v === null) return "";
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return JSON.stringify(v);
}

function langsDisplay(v) {
  if (Array.isArray(v)) return v.map(display).join(", ");
  return display(v);
}

export function labelled(field, id, text, control, extra) {
  return h(
    "div",
    { class: `field${field.wide ? " wide" : ""}${field.kind === "checkbox" ? " check" : ""}` },
    field.kind === "checkbox" ? [control, h("label", { for: id }, text)] : [h("label", { for: id }, text), control],
    extra,
  );
}

export function selectWith(options, value, attrs) {
  const opts = options.map(([v, label]) => h("option", { value: v, selected: v === value }, label));
  if (value !== undefined && value !== null && !options.some(([v]) => v === value)) {
    // Keep an imported value the form does not offer, so it round-trips and the engine can
    // say what is wrong with it.
    opts.push(h("option", { value: display(value), selected: true }, t("form.notListed", { value: display(value) })));
  }
  return h("select", attrs, opts);
}

export function control(field, value, path, testid, id) {
  const common = { id, "data-path": path, "data-testid": testid, "data-kind": field.kind };
  switch (field.kind) {
    case "select":
      return selectWith(withLabels(field.options(), field.labels ?? {}), value, common);
    case "checkbox":
      return h("input", { ...common, type: "checkbox", checked: value === true });
    case "int":
      return h("input", { ...common, type: "text", inputmode: "numeric", autocomplete: "off", value: display(value) });
    case "langs":
      return h("input", { ...common, type: "text", autocomplete: "off", spellcheck: "false", placeholder: field.placeholder, value: langsDisplay(value) });
    case "caregiver":
      return h("input", { ...common, type: "text", autocomplete: "off", list: "caregiver-ids", placeholder: field.placeholder, value: display(value) });
    case "textarea":
      return h("textarea", { ...common, rows: 2 }, display(value));
    default:
      return h("input", { ...common, type: "text", autocomplete: "off", placeholder: field.hint ? t(field.hint) : field.placeholder, value: display(value) });
  }
}

/**
 * The room or home the visit was to (`place`): its kind, from the engine's choices, and its
 * pseudonymous id. Both empty: the record names no place.
 */
function placeGroup(place) {
  const p = place && typeof place === "object" && !Array.isArray(place) ? place : {};
  const legendId = uid("lbl");
  const helpId = uid("help");
  const kindId = uid("f");
  const idId = uid("f");
  const kind = { key: "kind", kind: "select", options: () => ["", ...choices("/place/kind")], labels: PLACE_LABELS };
  const id = { key: "id", kind: "text", hint: "place.placeholder" };
  const name = (text) => [text, h("span", { class: "visually-hidden" }, ` — ${t("place.name")}`)];
  return h(
    "fieldset",
    { class: "row place", "data-path": "/place", "data-testid": "place", "aria-describedby": helpId },
    h("legend", { id: legendId }, t("place.legend")),
    h("p", { class: "help", id: helpId }, t("place.help")),
    h(
      "div",
      { class: "row-fields" },
      labelled(kind, kindId, name(t("field.kind")), control(kind, p.kind ?? "", "/place/kind", "place-kind", kindId)),
      labelled(id, idId, name(t("field.id")), control(id, p.id, "/place/id", "place-id", idId)),
    ),
  );
}

/**
 * A list of rows (`entries`) with add and remove buttons. `spec` is the list's `{fields, scalar?,
 * words?}` (an observation's `LISTS[name]` unless given); its words are the message keys
 * `list.<words>.*` (`words` defaults to `name`).
 */
export function listSection(name, entries, actions, spec = LISTS[name]) {
  const rows = Array.isArray(entries) ? entries : [];
  const words = spec.words ?? name;
  const headingId = uid("h");
  const helpId = uid("help");
  const body = rows.map((entry, i) => {
    const rowPath = `/${name}/${i}`;
    const legend = t(`list.${words}.row`, { n: i + 1 });
    const fields = spec.fields.map((f) => {
      const path = spec.scalar ? rowPath : `${rowPath}/${f.key}`;
      const id = uid("f");
      const value = spec.scalar ? entry : entry && typeof entry === "object" ? entry[f.key] : undefined;
      const testid = spec.scalar ? `${name}-${i}` : `${name}-${i}-${f.key}`;
      // Named with the row too ("Id — Caregiver 1"): every row has the same fields.
      const text = [t(f.label), h("span", { class: "visually-hidden" }, ` — ${legend}`)];
      return labelled(f, id, text, control(f, value, path, testid, id));
    });
    return h(
      "fieldset",
      { class: "row", "data-path": rowPath, "data-testid": `${name}-row-${i}` },
      h("legend", {}, legend),
      h("div", { class: "row-fields" }, fields),
      h(
        "button",
        {
          type: "button",
          class: "quiet small remove",
          "data-testid": `remove-${name}-${i}`,
          onclick: () => actions.remove(name, i),
        },
        t(`list.${words}.remove`, { n: i + 1 }),
      ),
    );
  });
  return h(
    "section",
    { class: "list", "data-path": `/${name}`, "data-list": name, "aria-labelledby": headingId, "aria-describedby": helpId },
    h("h3", { id: headingId }, t(`list.${words}.title`), h("span", { class: "count" }, ` (${rows.length})`)),
    h("p", { class: "help", id: helpId }, t(`list.${words}.help`)),
    body,
    h(
      "button",
      { type: "button", class: "small", "data-testid": `add-${name}`, onclick: () => actions.add(name) },
      t(`list.${words}.add`),
    ),
  );
}

function itemControl(rubricId, def, entry, methods) {
  const base = `/items/${seg(rubricId)}/${seg(def.id)}`;
  const tid = `${rubricId}-${def.id}`;
  const value = entry && typeof entry === "object" ? entry.value : undefined;
  const method = entry && typeof entry === "object" && entry.method !== undefined ? entry.method : def.method;
  const note = entry && typeof entry === "object" ? entry.note : undefined;
  const helpId = def.help ? uid("help") : null;
  const labelId = uid("lbl");
  let valueControl;

  // A reflection's items are answered, not observed: `not-observed` reads "Not answered" there.
  const notObserved = methods ? "value.notObserved" : "value.notAnswered";
  if (def.type === "yes-no" || def.type === "frequency") {
    const labels = { ...VALUE_LABELS, "not-observed": notObserved };
    const options = [["", t("value.notRecorded")], ...withLabels(vocab.itemValues.get(def.type) || [], labels)];
    const current = value === undefined || value === null ? "" : display(value);
    if (!options.some(([v]) => v === current)) options.push([current, t("form.notListed", { value: current })]);
    const name = uid("radio");
    valueControl = h(
      "div",
      {
        class: "choices",
        role: "radiogroup",
        "aria-labelledby": labelId,
        "aria-describedby": helpId,
        "data-path": `${base}/value`,
        "data-testid": `item-${tid}`,
        "data-kind": "radio",
      },
      options.map(([v, label]) => {
        const id = uid("opt");
        return h(
          "span",
          { class: `choice${v === "" ? " unset" : ""}` },
          h("input", { type: "radio", id, name, value: v, checked: v === current }),
          h("label", { for: id }, label),
        );
      }),
    );
  } else {
    const id = uid("f");
    const attrs = {
      id,
      "data-path": `${base}/value`,
      "data-testid": `item-${tid}`,
      "aria-labelledby": labelId,
      "aria-describedby": helpId,
    };
    if (def.type === "choice") {
      const options = [["", t("value.notRecorded")], ...(def.options || []).map((o) => [o.value, o.label]), ["not-observed", t(notObserved)]];
      valueControl = selectWith(options, value === undefined ? "" : value, { ...attrs, "data-kind": "select" });
    } else if (def.type === "count") {
      const lo = def.min ?? 0;
      const hi = def.max ?? 100000;
      valueControl = h("input", {
        ...attrs,
        type: "text",
        inputmode: "numeric",
        autocomplete: "off",
        placeholder: `${lo}–${hi}`,
        "data-kind": "int",
        value: display(value),
      });
    } else {
      valueControl = h("textarea", { ...attrs, rows: 2, "data-kind": "textarea" }, display(value));
    }
  }

  const methodId = uid("m");
  const noteId = uid("n");
  return h(
    "div",
    { class: "item", "data-path": base, "data-item": def.id, id: `item-${tid}` },
    h(
      "div",
      { class: "item-head" },
      h("span", { class: "item-label", id: labelId }, def.label),
      h("span", { class: `type-tag type-${def.type}` }, t(`itemType.${def.type}`)),
    ),
    def.help ? h("p", { class: "help", id: helpId }, def.help) : null,
    valueControl,
    h(
      "div",
      { class: "item-extra" },
      // A reflection's items say no method: the author is the source.
      methods
        ? h(
            "div",
            { class: "field method" },
            // Named with the item too: every item has an "Evidence from" and a "Note".
            h("label", { for: methodId }, t("form.evidenceFrom"), h("span", { class: "visually-hidden" }, ` — ${def.label}`)),
            selectWith(withLabels(choices("/items/*/*/method"), METHOD_LABELS), method, {
              id: methodId,
              "data-path": `${base}/method`,
              "data-testid": `method-${tid}`,
              "data-kind": "select",
              "data-default": def.method,
            }),
          )
        : null,
      h(
        "div",
        { class: "field note wide" },
        h("label", { for: noteId }, t("field.note"), h("span", { class: "visually-hidden" }, ` — ${def.label}`)),
        h("textarea", { id: noteId, rows: 2, "data-path": `${base}/note`, "data-testid": `note-${tid}`, "data-kind": "textarea" }, display(note)),
      ),
    ),
  );
}

/**
 * One section per rubric (`rubrics`: the engine's RubricInfo objects), generated only from its
 * `meta.items`: each item's value and note, and with `methods` where its evidence came from (an
 * observation's items record it; a reflection's have none). `items` is the record's `items`.
 * The observation form and the reflection form (reflection-form.js) both draw their items here.
 */
export function itemSections(rubrics, items, { methods = true } = {}) {
  const all = items && typeof items === "object" ? items : {};
  return rubrics.map((info) => {
    const recorded = all[info.id] && typeof all[info.id] === "object" ? all[info.id] : {};
    const hid = `heading-rubric-${info.id}`;
    const defs = info.meta && Array.isArray(info.meta.items) ? info.meta.items : [];
    return h(
      "section",
      { class: "form-section rubric-items", id: `section-${info.id}`, "aria-labelledby": hid, "data-path": `/items/${seg(info.id)}`, "data-testid": `items-${info.id}` },
      h("h2", { id: hid }, info.title),
      h("p", { class: "summary" }, info.summary),
      defs.length === 0 ? h("p", { class: "help" }, t("form.noItems")) : null,
      defs.map((def) => itemControl(info.id, def, recorded[def.id], methods)),
    );
  });
}

/**
 * Draws the form for `record`. `rubrics` are the engine's RubricInfo objects (practice order).
 * `actions`: `{add(list), remove(list, index)}`.
 */
export function renderForm(record, rubrics, actions) {
  const r = record && typeof record === "object" && !Array.isArray(record) ? record : {};
  const field = (key, label, kind, extra = {}) => {
    const id = uid("f");
    const f = { key, kind, ...extra };
    return labelled(f, id, t(label), control(f, r[key], `/${key}`, `field-${key}`, id), extra.help ? h("p", { class: "help" }, extra.help) : null);
  };
  const settingName = uid("setting");
  const settings = withLabels(choices("/setting"), SETTING_LABELS);
  if (r.setting !== undefined && !settings.some(([v]) => v === r.setting)) settings.push([display(r.setting), t("form.notListed", { value: display(r.setting) })]);
  const settingLabel = uid("lbl");

  const cgIds = (Array.isArray(r.caregivers) ? r.caregivers : [])
    .map((c) => (c && typeof c.id === "string" ? c.id : ""))
    .filter(Boolean);

  const sections = [
    h(
      "section",
      { class: "form-section", id: "section-visit", "aria-labelledby": "heading-visit" },
      h("h2", { id: "heading-visit" }, t("form.visit")),
      h(
        "div",
        { class: "grid" },
        field("id", "form.recordId", "text", { placeholder: "obs-2026-03-14-infant-room" }),
        h(
          "div",
          { class: "field span-2" },
          h("span", { class: "label", id: settingLabel }, t("form.setting")),
          h(
            "div",
            { class: "choices", role: "radiogroup", "aria-labelledby": settingLabel, "data-path": "/setting", "data-testid": "field-setting", "data-kind": "radio" },
            settings.map(([v, label]) => {
              const id = uid("opt");
              return h("span", { class: "choice" }, h("input", { type: "radio", name: settingName, id, value: v, checked: r.setting === v }), h("label", { for: id }, label));
            }),
          ),
        ),
        field("observed_on", "form.date", "text", { placeholder: "2026-03-14" }),
        field("minutes", "form.minutes", "int"),
        field("observer", "form.observer", "text", { placeholder: "coach-07" }),
      ),
    ),
    h(
      "section",
      { class: "form-section", id: "section-group", "aria-labelledby": "heading-group" },
      h("h2", { id: "heading-group" }, t("form.group")),
      h("datalist", { id: "caregiver-ids" }, cgIds.map((id) => h("option", { value: id }))),
      placeGroup(r.place),
      listSection("caregivers", r.caregivers, actions),
      listSection("children", r.children, actions),
      listSection("headcounts", r.headcounts, actions),
    ),
  ];

  sections.push(...itemSections(rubrics, r.items));

  sections.push(
    h(
      "section",
      { class: "form-section", id: "section-more", "aria-labelledby": "heading-more" },
      h("h2", { id: "heading-more" }, t("form.more")),
      listSection("interviews", r.interviews, actions),
      listSection("materials", r.materials, actions),
      listSection("notes", r.notes, actions),
    ),
  );
  return sections;
}

// ---------------------------------------------------------------------------------------------
// Reading

function parseInt_(text) {
  const s = text.trim();
  if (s === "") return undefined;
  if (/^-?\d+$/.test(s)) {
    const n = Number(s);
    if (Number.isSafeInteger(n)) return n;
  }
  // Not a whole number: hand the text over so the engine says what is wrong, at this field.
  return text;
}

function parseLangs(text) {
  return text
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

export function readControl(el) {
  switch (el.dataset.kind) {
    case "checkbox":
      return el.checked;
    case "int":
      return parseInt_(el.value);
    case "langs":
      return parseLangs(el.value);
    case "radio": {
      const checked = el.querySelector("input:checked");
      return checked && checked.value !== "" ? checked.value : undefined;
    }
    default:
      return el.value === "" ? undefined : el.value;
  }
}

/** The rows `listSection` drew for `name`, read back (`spec` as there). */
export function readList(form, name, spec = LISTS[name]) {
  const section = form.querySelector(`[data-list="${name}"]`);
  if (!section) return [];
  return [...section.querySelectorAll(":scope > fieldset.row")].map((row) => {
    if (spec.scalar) {
      const v = readControl(row.querySelector("[data-kind]"));
      return v === undefined ? "" : v;
    }
    const out = {};
    for (const f of spec.fields) {
      const el = row.querySelector(`[data-path="${row.dataset.path}/${f.key}"]`);
      if (!el) continue;
      let v = readControl(el);
      if (v === undefined && f.required && (f.kind === "text" || f.kind === "textarea")) v = "";
      if (v !== undefined) out[f.key] = v;
    }
    return out;
  });
}

/**
 * The record's `place` from the form: `{kind, id}` when either is filled in (a missing one is left
 * out, so the engine asks for it at its field); nothing when both are empty. Other fields an
 * imported place had are kept, so the engine can name them; a place that was not an object is
 * kept as it was until the coach fills in the fields.
 */
function readPlace(form, base) {
  const kindEl = form.querySelector('[data-path="/place/kind"]');
  const idEl = form.querySelector('[data-path="/place/id"]');
  const kind = kindEl ? readControl(kindEl) : undefined;
  const id = idEl ? readControl(idEl) : undefined;
  const object = base && typeof base === "object" && !Array.isArray(base);
  if (kind === undefined && id === undefined) return object || base === undefined ? undefined : base;
  const out = object ? { ...base } : {};
  delete out.kind;
  delete out.id;
  const place = {};
  if (kind !== undefined) place.kind = kind;
  if (id !== undefined) place.id = id;
  return { ...place, ...out };
}

/**
 * Builds the record from the form. Fields the form does not show (and items of rubrics that are
 * not loaded, or not declared) are kept from `base`.
 */
export function readForm(form, base, rubrics) {
  const b = base && typeof base === "object" && !Array.isArray(base) ? base : {};
  const get = (key) => {
    const el = form.querySelector(`[data-path="/${key}"]`);
    return el ? readControl(el) : undefined;
  };
  const rec = {};
  rec.format = b.format ?? "rubrica.observation/1";
  for (const key of ["id", "setting", "observed_on", "minutes", "observer"]) {
    let v = get(key);
    if (v === undefined && key !== "observer" && key !== "minutes" && key !== "setting") v = "";
    if (v !== undefined) rec[key] = v;
  }
  const place = readPlace(form, b.place);
  if (place !== undefined) rec.place = place;
  rec.caregivers = readList(form, "caregivers");
  rec.children = readList(form, "children");
  const headcounts = readList(form, "headcounts");
  if (headcounts.length || Array.isArray(b.headcounts)) rec.headcounts = headcounts;

  rec.items = readItems(form, rubrics, b.items);

  for (const name of ["interviews", "materials", "notes"]) {
    const list = readList(form, name);
    if (list.length || Array.isArray(b[name])) rec[name] = list;
  }
  for (const [k, v] of Object.entries(b)) {
    if (!vocab.fields.includes(k)) rec[k] = v;
  }
  return rec;
}

/**
 * The record's `items` from the item sections `itemSections` drew. Items of rubrics that are not
 * among `rubrics`, or not declared, are kept from `baseItems`; with `methods` each item gets its
 * `method` (the field's, else the item's default), without it none.
 */
export function readItems(form, rubrics, baseItems, { methods = true } = {}) {
  const items = {};
  const base0 = baseItems && typeof baseItems === "object" && !Array.isArray(baseItems) ? baseItems : {};
  const loaded = new Set(rubrics.map((r) => r.id));
  for (const [rid, entries] of Object.entries(base0)) {
    if (!loaded.has(rid)) items[rid] = entries;
  }
  for (const info of rubrics) {
    const out = {};
    const declared = new Set();
    for (const def of info.meta.items || []) {
      declared.add(def.id);
      const base = `/items/${seg(info.id)}/${seg(def.id)}`;
      const valueEl = form.querySelector(`[data-path="${base}/value"]`);
      const methodEl = form.querySelector(`[data-path="${base}/method"]`);
      const noteEl = form.querySelector(`[data-path="${base}/note"]`);
      if (!valueEl) continue;
      const value = readControl(valueEl);
      const note = noteEl && noteEl.value !== "" ? noteEl.value : undefined;
      if (value === undefined && note === undefined) continue;
      const item = {};
      // A note without a value is kept; the engine then asks for the value at this item.
      if (value !== undefined) item.value = value;
      if (methods) item.method = methodEl ? methodEl.value : def.method;
      if (note !== undefined) item.note = note;
      out[def.id] = item;
    }
    const old = base0[info.id];
    if (old && typeof old === "object" && !Array.isArray(old)) {
      for (const [id, v] of Object.entries(old)) if (!declared.has(id)) out[id] = v;
    }
    if (Object.keys(out).length) items[info.id] = out;
  }
  return items;
}

// ---------------------------------------------------------------------------------------------
// Diagnostics beside fields

/** Finds the form element a JSON pointer belongs to: the field itself, else its nearest parent. */
export function fieldFor(form, path) {
  if (typeof path !== "string") return null;
  let p = path;
  for (;;) {
    const el = form.querySelector(`[data-path="${CSS.escape(p)}"]`);
    if (el) return el;
    if (p === "") return null;
    p = p.slice(0, p.lastIndexOf("/"));
  }
}

/** The element to move focus to for a field (the checked radio, or the first input). */
export function focusTarget(el) {
  if (!el) return null;
  if (el.matches("input, select, textarea")) return el;
  return el.querySelector("input:checked") || el.querySelector("input, select, textarea, button");
}

/** True when the control holds nothing yet: an empty text, no choice made. */
function isBlank(el) {
  if (el.matches("[role=radiogroup]")) {
    const checked = el.querySelector("input:checked");
    return !checked || checked.value === "";
  }
  if (el.matches("input[type=checkbox]")) return false;
  return typeof el.value === "string" && el.value.trim() === "";
}

/**
 * Shows each diagnostic next to its field. An error about a field that is still empty and that
 * the coach has not left yet (`shown(path)` is false) is only "not filled in yet": a neutral
 * hint, not marked invalid. Returns, per diagnostic, `{target, pending}`: the element it was
 * placed on (or null when it has no path in this form) and whether it is such a hint.
 */
export function showFieldErrors(form, diagnostics, shown = () => true) {
  for (const el of form.querySelectorAll(".field-error")) el.remove();
  for (const el of form.querySelectorAll("[aria-describedby]")) {
    el.removeAttribute("aria-invalid");
    const ids = (el.getAttribute("aria-describedby") || "").split(" ").filter((id) => id && !id.startsWith("err-"));
    if (ids.length) el.setAttribute("aria-describedby", ids.join(" "));
    else el.removeAttribute("aria-describedby");
  }
  for (const el of form.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
  for (const el of form.querySelectorAll(".has-error, .has-warning")) el.classList.remove("has-error", "has-warning");

  return diagnostics.map((d, i) => {
    const target = fieldFor(form, d.path);
    if (!target) return { target: null, pending: false };
    const warning = d.severity === "warning";
    const control = target.matches("input, select, textarea, [role=radiogroup]");
    const pending = !warning && control && target.dataset.path === d.path && isBlank(target) && !shown(d.path);
    const id = `err-${i}`;
    const holder = target.closest(".field, .item, fieldset.row, section.list, section.form-section") || target;
    if (!pending) holder.classList.add(warning ? "has-warning" : "has-error");
    const msg = pending
      ? h(
          "p",
          { class: "field-error pending", id, "data-testid": "field-pending", "data-error-path": d.path },
          t("form.notFilled"),
          d.help ? h("span", { class: "hint" }, ` — ${d.help}`) : null,
        )
      : h(
          "p",
          { class: `field-error${warning ? " warning" : ""}`, id, "data-testid": "field-error", "data-error-path": d.path },
          h("span", { class: "code" }, d.code),
          " ",
          d.message,
          d.help ? h("span", { class: "hint" }, ` — ${d.help}`) : null,
        );
    if (control) {
      if (!warning && !pending) target.setAttribute("aria-invalid", "true");
      const described = (target.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
      target.setAttribute("aria-describedby", [...described, id].join(" "));
      target.after(msg);
    } else if (target.matches("fieldset, section")) {
      const legend = target.querySelector(":scope > legend, :scope > h2, :scope > h3");
      if (legend) legend.after(msg);
      else target.prepend(msg);
    } else {
      target.append(msg);
    }
    return { target, pending };
  });
}

// ---------------------------------------------------------------------------------------------
// The score bar on phones

/**
 * A bar fixed to the bottom of a phone-sized screen (style.css shows it below 641 px only): the
 * results' status in one line and a button that jumps to the results, which follow the long form
 * there; from the results, a button back to the place and the field of `form` the coach left. Returns
 * `{el, say(text)}`; `say` sets the status line (not a live region: it changes as the coach types).
 */
export function scoreBar(results, heading, form) {
  const text = h("span", { class: "score-bar-text", "data-testid": "score-bar-text" });
  const button = h("button", { type: "button", class: "small", "data-testid": "score-bar-jump" });
  const el = h("div", { class: "score-bar", "data-testid": "score-bar" }, text, button);
  // Where the coach was in the form when they jumped: the scroll position and the field.
  let back = null;
  let field = null;
  form.addEventListener("focusin", (e) => (field = e.target));
  let atResults = false;

  function draw() {
    el.dataset.at = atResults ? "results" : "form";
    replace(button, atResults ? t("form.backToForm") : t("form.toResults"));
  }
  button.addEventListener("click", () => {
    if (!atResults) {
      back = { y: window.scrollY, field };
      results.scrollIntoView({ block: "start" });
      heading.setAttribute("tabindex", "-1");
      heading.focus({ preventScroll: true });
    } else {
      window.scrollTo(0, back ? back.y : 0);
      const to = back && back.field && back.field.isConnected ? back.field : null;
      if (to) to.focus({ preventScroll: true });
      else button.focus();
    }
  });
  // The button says where it goes: to the results until they are on the screen, then back.
  const seen = new IntersectionObserver((entries) => {
    if (!el.isConnected && el.dataset.drawn) {
      seen.disconnect();
      return;
    }
    for (const e of entries) atResults = e.isIntersecting;
    draw();
  });
  seen.observe(results);
  draw();
  el.dataset.drawn = "true";
  return {
    el,
    say(line) {
      text.textContent = line;
    },
  };
}
