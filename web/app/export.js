// The results view's "Export" control: the current observation's results as xAPI statements,
// LTI AGS scores or CSV, written by the engine's export path (`RubricaEngine.exportReport`, the
// same bytes as `rubrica export`) and saved as a file on this device. Nothing is sent anywhere.

import { h, uid, download, announce } from "./dom.js";
import { t, engineOptions } from "./i18n.js";

/** The formats offered, in menu order: engine name, menu text (a message key), engine options. */
export const EXPORT_FORMATS = [
  { format: "xapi", label: "export.xapi", options: {} },
  { format: "lti-ags", label: "export.lti", options: {} },
  // With a byte-order mark, so spreadsheet programs read the text as UTF-8.
  { format: "csv", label: "export.csv", options: { bom: true } },
];

/**
 * A labelled menu of formats and an "Export" button. `current()` gives the record to export (after
 * applying any pending edit); `engine()` the loaded `RubricaEngine`.
 */
export function exportControl(current, engine) {
  const id = uid("export-format");
  const select = h(
    "select",
    { id, class: "small", "data-testid": "export-format" },
    EXPORT_FORMATS.map((f) => h("option", { value: f.format }, t(f.label))),
  );
  const run = () => {
    const choice = EXPORT_FORMATS.find((f) => f.format === select.value) ?? EXPORT_FORMATS[0];
    const answer = engine().exportReport(JSON.stringify(current()), choice.format, choice.options);
    if (answer.type !== "success") {
      // The export writes its problems in English; in another language, the record's problems
      // are asked for again in it (the same checks, so the same first problem).
      const options = engineOptions();
      const checked = options.lang ? engine().validateRecord(JSON.stringify(current()), options) : answer;
      const first = checked.type === "failure" ? checked.errors?.[0] : null;
      announce(t("export.nothing", { reason: first ? first.message : t("export.hasProblems") }));
      return;
    }
    download(answer.file_name, answer.text, answer.media_type);
    announce(t("export.done", { file: answer.file_name }));
  };
  return h(
    "span",
    { class: "export-control" },
    h("label", { for: id, class: "small" }, t("export.label"), " "),
    select,
    " ",
    h("button", { type: "button", class: "small", "data-testid": "export-results", onclick: run }, t("home.export")),
  );
}
