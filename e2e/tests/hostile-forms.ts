// A generic form filler for the hostile test: it fills every visible free-text field of a form
// with a corpus string, keeps (or supplies) valid values in fields that have a format, submits
// through the page as a user would, and retries with a rejected field left as it was.
import { Page } from "@playwright/test";
import { PLAIN, fixture, pick } from "./hostile-corpus";

// Free-text inputs whose name says they hold a format the form does not mark with a pattern.
const FORMATTED = new Set(["code", "username", "id_number", "lat", "lng", "dayparts", "station_ids", "person_times", "website", "person_id", "person", "org_code", "parent_code", "enterprise_code", "scope_org_code", "workstation_code", "unavailable"]);

export interface Field {
  name: string;
  tag: string;
  type: string;
  required: boolean;
  max: number;
  min?: string;
  pattern: boolean;
  inputmode: string;
  value: string;
  editor: boolean;
  // The first suggestion of the field's datalist, for fields that only take a known term.
  suggestion?: string;
}

export interface Outcome {
  saved: boolean;
  url: string;
  hostile: string[];
  rejected: string[];
}


function freeText(f: Field): boolean {
  if (FORMATTED.has(f.name) || f.pattern || ["numeric", "decimal", "tel"].includes(f.inputmode)) return false;
  return f.tag === "textarea" || ["text", "search", ""].includes(f.type);
}

async function fields(page: Page, form: string): Promise<Field[]> {
  return page.locator(form).first().evaluate((el: HTMLFormElement) => {
    // A form folded away in <details> is opened, as a user would.
    for (let d = el.closest("details"); d; d = d.parentElement?.closest("details") ?? null) d.open = true;
    const out: Field[] = [];
    const seen = new Set<string>();
    for (const c of Array.from(el.querySelectorAll("input, textarea, select")) as HTMLInputElement[]) {
      const type = (c.getAttribute("type") ?? "").toLowerCase();
      if (!c.name || c.name === "_csrf" || type === "hidden" || c.readOnly || c.disabled) continue;
      // An editor's source textarea is hidden behind the editor but is what the form sends.
      const editor = c.classList.contains("editor-source");
      if (!editor && (c.closest("[hidden]") || c.offsetParent === null)) continue;
      const key = `${c.name}|${type}`;
      if (seen.has(key) && (type === "radio" || type === "checkbox")) continue;
      seen.add(key);
      out.push({
        name: c.name,
        tag: c.tagName.toLowerCase(),
        type,
        required: c.required || !!c.closest("fieldset")?.querySelector(".req"),
        max: c.maxLength > 0 ? c.maxLength : 10_000,
        min: c.getAttribute("min") ?? undefined,
        pattern: c.hasAttribute("pattern"),
        inputmode: c.getAttribute("inputmode") ?? "",
        value: c.value,
        editor,
        suggestion: (c as HTMLInputElement).list?.querySelector("option")?.value,
      });
    }
    return out;
  });
}

async function setValue(page: Page, form: string, f: Field, value: string) {
  const el = page.locator(form).first().locator(`[name="${f.name}"]`).first();
  if (f.editor) {
    // The editor copies its HTML into the source on submit; a hostile writer posts the source
    // as they like, so the test sets it after the editor's own copy.
    await el.evaluate((t: HTMLTextAreaElement, v: string) => {
      t.value = v;
      t.form?.addEventListener("submit", () => (t.value = v));
    }, value);
  } else if (f.tag === "select") {
    await el.selectOption(value);
  } else {
    await el.fill(value);
  }
}

// Picks the `nth` real option of a select (another one each time the app refuses the last).
async function choose(page: Page, form: string, f: Field, nth = 0) {
  const scope = page.locator(form).first();
  if (f.tag === "select") {
    const values = await scope.locator(`select[name="${f.name}"] option`).evaluateAll((os: HTMLOptionElement[]) => os.map((o) => o.value).filter((v) => v !== ""));
    if (values.length) await scope.locator(`select[name="${f.name}"]`).selectOption(values[nth % values.length]);
  } else {
    await scope.locator(`input[name="${f.name}"]`).first().check();
  }
}

/** Fields whose error box says something after a submit, with what it says. */
async function errors(page: Page, form: string): Promise<Map<string, string>> {
  if (!(await page.locator(form).count())) return new Map();
  const pairs = await page.locator(form).first().evaluate((el) => {
    const bad: [string, string][] = [];
    el.querySelectorAll(".field-error").forEach((b) => {
      const said = b.textContent?.trim();
      if (!said) return;
      const field = b.closest(".field, fieldset");
      const name = b.getAttribute("data-error-for") ?? (field?.querySelector("[name]") as HTMLInputElement | null)?.name;
      if (name) bad.push([name, said]);
    });
    return bad;
  });
  return new Map(pairs);
}

/**
 * Fill `form` on the current page with hostile text and submit it. `fixed` gives values for
 * fields the test must control (a captcha answer), read afresh for each try. Up to four tries: a field the app
 * rejects gets another corpus string without markup, then keeps its shown value (or a valid
 * fixture, or plain text).
 */
export async function fillHostile(
  page: Page,
  form: string,
  opts: { seed?: number; fixed?: (page: Page) => Promise<Record<string, string>>; before?: (page: Page) => Promise<void>; skip?: string[] } = {},
): Promise<Outcome> {
  const start = page.url();
  const plain = new Set<string>(opts.skip ?? []);
  const refusals = new Map<string, number>();
  const rejected: string[] = [];
  for (let attempt = 0; attempt < 4; attempt++) {
    if (attempt > 0) await page.goto(start);
    const fs = await fields(page, form);
    const fixed = opts.fixed ? await opts.fixed(page) : {};
    const hostile: string[] = [];
    // The same form gets the same strings on every run, whatever runs beside it.
    let turn = opts.seed ?? 0;
    for (const f of fs) {
      if (f.name in fixed) {
        await setValue(page, form, f, fixed[f.name]);
      } else if (f.type === "checkbox" || f.type === "radio") {
        if (f.required || plain.has(f.name)) await choose(page, form, f);
      } else if (f.tag === "select") {
        if (plain.has(f.name)) await choose(page, form, f, refusals.get(f.name) ?? 0);
        else if (f.required && f.value === "") await choose(page, form, f);
      } else if (f.type === "file") {
        continue;
      } else if (f.suggestion !== undefined && plain.has(f.name)) {
        await setValue(page, form, f, f.suggestion);
      } else if (freeText(f) && !plain.has(f.name)) {
        const s = pick(turn++, f.max, refusals.has(f.name));
        if (s === undefined) continue;
        await setValue(page, form, f, s);
        hostile.push(f.name);
      } else if (f.value === "") {
        const v = fixture(f.name, f.type, f.min) ?? (freeText(f) ? PLAIN : undefined);
        if (v !== undefined && (f.required || plain.has(f.name) || f.name === "lat" || f.name === "lng")) await setValue(page, form, f, v);
      }
    }
    if (opts.before) await opts.before(page);
    const submit = page.locator(form).first().locator('button[type=submit], button:not([type])').first();
    // The page's own checks may stop the submit: then no new page loads and its boxes say why.
    const loaded = page.waitForEvent("load", { timeout: 15_000 });
    const stopped = page.locator(`${form} .has-error`).first().waitFor({ timeout: 15_000 });
    await submit.click();
    await Promise.any([loaded, stopped]).catch(() => undefined);
    await page.waitForLoadState("load");
    const bad = await errors(page, form);
    const alert = await page.locator(".alert-error, [data-form-errors]").count();
    if (bad.size === 0 && alert === 0) return { saved: true, url: page.url(), hostile, rejected };
    // A refused field gets another corpus string, then is left as the form had it.
    for (const [b, said] of bad) {
      const n = (refusals.get(b) ?? 0) + 1;
      refusals.set(b, n);
      if (n === 1 && hostile.includes(b)) continue;
      if (!plain.has(b)) rejected.push(`${b} “${said}”`);
      plain.add(b);
    }
    if (bad.size === 0) break;
  }
  return { saved: false, url: page.url(), hostile: [], rejected };
}
