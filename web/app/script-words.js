// What the trainer's script editor offers and explains, from the engine's own vocabulary
// (`RubricaEngine.vocabulary()`: helpers and record fields) and the rubric's declared items.
// Pure functions over text, so they are the same whatever editor shows them.

const IDENT = /[A-Za-z_][A-Za-z0-9_]*/y;
// Helpers whose second argument is one of the rubric's item ids.
const ITEM_ARG = /\b(?:item|recorded|item_method)\s*\(\s*[A-Za-z_][A-Za-z0-9_]*\s*,\s*"([A-Za-z0-9_-]*)$/;
// `r.items["…`: an item read by hand.
const ITEM_INDEX = /\.items\s*\[\s*"([A-Za-z0-9_-]*)$/;
// `<expression>.<partial name>` at the end of the text.
const MEMBER = /([A-Za-z_][A-Za-z0-9_]*(?:\s*\[[^\[\]]*\]|\s*\.\s*[A-Za-z_][A-Za-z0-9_]*)*)\s*\.\s*([A-Za-z_][A-Za-z0-9_]*)?$/;
// `<expression> == "…` / `!= "…`: a value of a field with a fixed list of values.
const COMPARED = /([A-Za-z_][A-Za-z0-9_]*(?:\s*\[[^\[\]]*\]|\s*\.\s*[A-Za-z_][A-Za-z0-9_]*)*)\s*[!=]=\s*"([A-Za-z0-9_-]*)$/;
// `item(r, "id") == "…`: a value of one of the rubric's items.
const ITEM_COMPARED = /\bitem\s*\(\s*[A-Za-z_][A-Za-z0-9_]*\s*,\s*"([A-Za-z0-9_-]+)"\s*\)\s*[!=]=\s*"([A-Za-z0-9_-]*)$/;
const WORD = /[A-Za-z_][A-Za-z0-9_]*$/;

/** The signature of a helper as the docs write it: `rating(level, evidence, note?)`. */
export function signature(helper) {
  const required = helper.params.length - (helper.optional || 0);
  return `${helper.name}(${helper.params.map((p, i) => (i < required ? p.name : `${p.name}?`)).join(", ")})`;
}

function typeText(field) {
  const base =
    field.type === "list"
      ? `list of ${field.entries === "text" ? "text" : field.entries}`
      : field.type === "map"
        ? `${field.entries} by id`
        : field.type === "object"
          ? field.entries
          : field.type === "bool"
            ? "true/false"
            : field.type === "text-or-number"
              ? "text or number"
              : field.type;
  return field.may_be_unit ? `${base} or ()` : base;
}

/** Splits `r.children[0].age_months` into steps: `["r", ".children", "[]", ".age_months"]`. */
function steps(expr) {
  const out = [];
  let i = 0;
  const s = expr.replace(/\s+/g, "");
  IDENT.lastIndex = 0;
  const head = IDENT.exec(s);
  if (!head) return null;
  out.push(head[0]);
  i = IDENT.lastIndex;
  while (i < s.length) {
    if (s[i] === ".") {
      IDENT.lastIndex = i + 1;
      const m = IDENT.exec(s);
      if (!m) return null;
      out.push(`.${m[0]}`);
      i = IDENT.lastIndex;
    } else if (s[i] === "[") {
      const end = s.indexOf("]", i);
      if (end < 0) return null;
      out.push("[]");
      i = end + 1;
    } else {
      return null;
    }
  }
  return out;
}

/**
 * Words for one rubric: the engine's vocabulary and the rubric's items
 * (`[{id, label, type, help?, options?}]`, from the rubric's metadata).
 */
export class ScriptWords {
  constructor(vocabulary, items = []) {
    this.vocabulary = vocabulary;
    this.objects = new Map(vocabulary.objects.map((o) => [o.name, o]));
    this.record = vocabulary.objects[0];
    this.helpers = new Map();
    for (const h of vocabulary.helpers) this.helpers.set(h.name, h);
    this.items = items;
  }

  /** Replaces the rubric's items (after its metadata changed). */
  setItems(items) {
    this.items = Array.isArray(items) ? items : [];
  }

  /**
   * What an expression such as `r.children[0]` is: `{object}` (a `Record` kind), `{field}` (a
   * field that is not an object), `{list}` (a field holding a list or map), or null. `before`
   * is the text before the expression, where loop and `let` variables are looked up.
   */
  resolve(expr, before, depth = 0) {
    const parts = steps(expr);
    if (!parts || depth > 4) return null;
    let at = null;
    const [root, ...rest] = parts;
    if (root === "r") at = { object: this.record };
    else at = this.variable(root, before, depth);
    for (const step of rest) {
      if (!at) return null;
      if (step === "[]") {
        at = at.list ? this.entries(at.list) : null;
      } else if (at.object) {
        const field = at.object.fields.find((f) => f.name === step.slice(1));
        if (!field) return null;
        at = field.type === "list" || field.type === "map" ? { list: field } : field.type === "object" ? this.entries(field) : { field };
      } else {
        return null;
      }
    }
    return at;
  }

  entries(field) {
    const o = this.objects.get(field.entries);
    return o ? { object: o } : { field: { name: field.name, type: "text", may_be_unit: false, doc: field.doc } };
  }

  /** What a script variable holds: `for c in r.children` → a `Child`; `let g = r.headcounts[0]`. */
  variable(name, before, depth) {
    const esc = name.replace(/[$]/g, "\\$");
    const loop = new RegExp(`\\bfor\\s*(?:\\(\\s*${esc}\\s*,\\s*[A-Za-z_][A-Za-z0-9_]*\\s*\\)|${esc})\\s+in\\s+([^{]+?)\\s*\\{`, "g");
    const bind = new RegExp(`\\blet\\s+${esc}\\s*=\\s*([^;\\n]+?)\\s*;`, "g");
    let last = null;
    for (const m of before.matchAll(loop)) if (!last || m.index > last.index) last = { index: m.index, expr: m[1], loop: true };
    for (const m of before.matchAll(bind)) if (!last || m.index > last.index) last = { index: m.index, expr: m[1], loop: false };
    if (!last) return null;
    const at = this.resolve(last.expr, before.slice(0, last.index), depth + 1);
    if (!at) return null;
    if (last.loop) return at.list ? this.entries(at.list) : null;
    return at;
  }

  /** The values an item may hold: by its type, or its own options; `not-observed` last. */
  itemValues(item) {
    if (item.type === "choice") {
      const options = Array.isArray(item.options) ? item.options.filter((o) => o && typeof o.value === "string") : [];
      return [...options.map((o) => ({ value: o.value, label: o.label })), { value: "not-observed" }];
    }
    const known = (this.vocabulary.item_values || []).find((v) => v.type === item.type);
    return known ? known.values.map((value) => ({ value })) : [];
  }

  itemOption(item) {
    return {
      label: item.id,
      type: "item",
      detail: item.type,
      info: `${item.label}${item.help ? ` — ${item.help}` : ""}`,
    };
  }

  /**
   * Completions for the text before the cursor (`before`, from the start of the script):
   * `{from, options: [{label, type, detail, info, call?}]}` (`call`: a helper, inserted with
   * its parentheses and the caret between them) where `from` is where the replaced
   * word starts in `before`, or null when there is nothing to offer. `explicit`: asked for
   * with Ctrl-Space, so an empty word gets every helper.
   */
  complete(before, explicit = false) {
    const line = before.slice(before.lastIndexOf("\n") + 1);
    const inItem = ITEM_ARG.exec(line) || ITEM_INDEX.exec(line);
    if (inItem) {
      return {
        from: before.length - inItem[1].length,
        options: this.items.map((i) => this.itemOption(i)),
      };
    }
    const itemCompared = ITEM_COMPARED.exec(line);
    if (itemCompared) {
      const item = this.items.find((i) => i.id === itemCompared[1]);
      const values = item ? this.itemValues(item) : [];
      if (!values.length) return null;
      return {
        from: before.length - itemCompared[2].length,
        options: values.map((v) => ({ label: v.value, type: "value", detail: item.id, info: v.label })),
      };
    }
    const compared = COMPARED.exec(line);
    if (compared) {
      const at = this.resolve(compared[1], before.slice(0, before.length - compared[0].length));
      const values = at && at.field && at.field.values;
      if (values && values.length) {
        return {
          from: before.length - compared[2].length,
          options: values.map((v) => ({ label: v, type: "value", detail: at.field.name })),
        };
      }
    }
    if (/"[^"\n]*$/.test(line.replace(/"[^"\n]*"/g, ""))) return null; // inside some other text
    const member = MEMBER.exec(line);
    if (member) {
      const at = this.resolve(member[1], before.slice(0, before.length - member[0].length));
      if (!at || !at.object) return null;
      const typed = member[2] || "";
      return {
        from: before.length - typed.length,
        options: at.object.fields.map((f) => ({
          label: f.name,
          type: "property",
          detail: typeText(f),
          info: `${f.doc}${f.values && f.values.length ? ` (${f.values.map((v) => `"${v}"`).join(", ")})` : ""}`,
        })),
      };
    }
    const word = WORD.exec(line);
    if (!word && !explicit) return null;
    const typed = word ? word[0] : "";
    return {
      from: before.length - typed.length,
      options: [...this.helpers.values()].map((h) => ({
        label: h.name,
        type: "function",
        detail: signature(h),
        info: `${h.doc} → ${h.returns}`,
        call: true,
      })),
    };
  }

  /**
   * Help for the word at `pos` in `text`: `{from, to, title, text}` for a helper, one of the
   * rubric's item ids (in quotes) or a record field, else null.
   */
  help(text, pos) {
    const lineStart = text.lastIndexOf("\n", pos - 1) + 1;
    let lineEnd = text.indexOf("\n", pos);
    if (lineEnd < 0) lineEnd = text.length;
    const line = text.slice(lineStart, lineEnd);
    const at = pos - lineStart;
    // A quoted item id.
    for (const m of line.matchAll(/"([A-Za-z0-9_-]+)"/g)) {
      if (at >= m.index && at <= m.index + m[0].length) {
        const item = this.items.find((i) => i.id === m[1]);
        if (item) {
          return {
            from: lineStart + m.index + 1,
            to: lineStart + m.index + 1 + m[1].length,
            title: `item "${item.id}" (${item.type})`,
            text: `${item.label}${item.help ? ` — ${item.help}` : ""}`,
          };
        }
      }
    }
    for (const m of line.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)) {
      if (at < m.index || at > m.index + m[0].length) continue;
      const from = lineStart + m.index;
      const to = from + m[0].length;
      const prefix = line.slice(0, m.index);
      const dot = /([A-Za-z_][A-Za-z0-9_]*(?:\s*\[[^\[\]]*\]|\s*\.\s*[A-Za-z_][A-Za-z0-9_]*)*)\s*\.\s*$/.exec(prefix);
      if (dot) {
        const owner = this.resolve(dot[1], text.slice(0, lineStart + dot.index));
        const field = owner && owner.object && owner.object.fields.find((f) => f.name === m[0]);
        if (field) return { from, to, title: `${owner.object.name}.${field.name}: ${typeText(field)}`, text: field.doc };
      }
      const h = this.helpers.get(m[0]);
      if (h && /^\s*\(/.test(line.slice(m.index + m[0].length))) {
        return { from, to, title: `${signature(h)} → ${h.returns}`, text: h.doc };
      }
      break;
    }
    // Inside a helper's parentheses: that helper's signature.
    let depth = 0;
    for (let i = at - 1; i >= 0; i--) {
      const c = line[i];
      if (c === ")") depth++;
      else if (c === "(") {
        if (depth === 0) {
          const name = /[A-Za-z_][A-Za-z0-9_]*$/.exec(line.slice(0, i));
          const h = name && this.helpers.get(name[0]);
          if (!h) return null;
          const from = lineStart + name.index;
          return { from, to: from + name[0].length, title: `${signature(h)} → ${h.returns}`, text: h.doc };
        }
        depth--;
      }
    }
    return null;
  }
}
