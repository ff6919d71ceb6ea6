import { idNumber } from "./helpers";

// The hostile corpus (issue 14): text an attacker types into free-text fields. Every string that
// would make an element carries the attribute `data-x14`, and every address in it points under
// `/__x14/` or at the `x14.invalid` host, so a planted element that became live is found by its
// marker and a request it makes is seen by its address.

export const MARK_ATTR = "data-x14";
// Evaluated template syntax would turn `x14{{7*7}}x14` into this.
export const EVALUATED = "x1449x14";

const LONG = "科普e站长文本".repeat(700).slice(0, 4_940) + "<img src=/__x14/long data-x14>";

// Ordered so that short fields (a name of 20 characters) still get markup: each field takes the
// next string in turn that fits its maxlength.
export const CORPUS: string[] = [
  `</script><form hx-post="/__x14/hx" hx-trigger="load" data-x14>`,
  `<img src=/__x14/img data-x14 onerror=alert(14)>`,
  `<b data-x14>x14</b>`,
  `"><iframe src=/__x14/frame data-x14></iframe>`,
  `<meta http-equiv="refresh" content="0;url=/__x14/meta" data-x14>`,
  `'><i data-x14 hx-get=/__x14/i hx-trigger=load>`,
  `<svg data-x14 onload=alert(14)><a data-x14 href="javascript:alert(14)">x14</a></svg>`,
  `x14{{7*7}}x14 \${7*7} "' \\ #{7*7}`,
  `"},{"name":"<img src=/__x14/json data-x14>`,
  `\u202Ex14 反向文本 <u data-x14>`,
  `<div hx-get="/__x14/div" hx-trigger="load" hx-swap="outerHTML" data-x14>x14</div>`,
  `x14\u0007\u001b[31m\u0008\u200b\u2028\u2029控制<i data-x14>`,
  `<script src=/__x14/js data-x14></script>`,
  `<a data-x14 href="javascript:alert(14)">x14</a>`,
  `<base href="//x14.invalid/" data-x14><link rel=stylesheet href=/__x14/css data-x14>`,
  `<style data-x14>@import "/__x14/style";</style><object data=/__x14/obj data-x14></object>`,
  LONG,
];

/** The next corpus string, from `start` on, no longer than `max` characters; `bare` asks for
 * one without markup, for fields that refuse angle brackets. */
export function pick(start: number, max: number, bare = false): string | undefined {
  for (let i = 0; i < CORPUS.length; i++) {
    const s = CORPUS[(start + i) % CORPUS.length];
    if ([...s].length <= max && !(bare && /[<>]/.test(s))) return s;
  }
  return undefined;
}

// What a field refusing every corpus string gets: plain text.
export const PLAIN = "x14 普通文本";

// Valid values for fields that have a format, by name: what a careful user would type.
function day(offset: number): string {
  return new Date(Date.now() + 8 * 3600_000 + offset * 86400_000).toISOString().slice(0, 10);
}

let serial = 0;
function unique(): number {
  serial += 1;
  return (Date.now() % 100_000) * 100 + serial;
}

/** A valid value for a field with a format, or undefined where the form's own value must do. */
export function fixture(name: string, type: string, min?: string): string | undefined {
  const starts = ["starts_at", "valid_from"];
  const ends = ["ends_at", "valid_to", "until"];
  if (type === "datetime-local") {
    if (starts.includes(name)) return `${day(3)}T09:00`;
    if (ends.includes(name)) return `${day(3)}T11:00`;
    return `${day(3)}T10:00`;
  }
  if (type === "date") {
    const past = ["served_on", "awarded_on", "signed_on", "sent_on", "published_on", "established_on", "joined_on"];
    if (past.includes(name)) return day(-1);
    if (name === "ends_on") return day(30);
    return day(10);
  }
  if (type === "time") return "09:00";
  if (type === "month") return day(0).slice(0, 7);
  if (type === "number") return min && Number(min) > 0 ? min : "1";
  if (type === "email") return "x14@example.com";
  if (type === "url") return "https://example.com/x14";
  if (type === "password") return "Kexie-x14-2026!";
  if (type === "tel" || name === "phone") return `139${String(unique()).padStart(8, "0").slice(-8)}`;
  switch (name) {
    case "code":
      return `X14-${unique()}`;
    case "username":
      return `x14.${unique()}`;
    case "id_number":
      return idNumber(`3206121990011${String(unique()).slice(-3).padStart(3, "0")}1`);
    case "lat":
      return "32.0842";
    case "lng":
      return "121.0734";
    case "person_times":
      return "1200";
    case "hours":
      return "08:00-18:00";
  }
  return undefined;
}
