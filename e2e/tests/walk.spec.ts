// Every demo account, as a new user would meet the product: sign in, open every item of the
// menu and every tab on those pages, in Chinese and in English, and fail on what a person
// should never see — a page that refuses, a script error, a raw message key, a placeholder,
// a number printed as "NaN" or "undefined", or (in English) Chinese in the page's own words.
import { test, expect, Page } from "@playwright/test";
import { loginOk } from "./helpers";

const ACCOUNTS = ["admin", "staff", "kepu", "jinsha", "xiting", "nongxue", "qiye", "expert", "volunteer", "citizen"];

// A message key that escaped translation looks like `ot.tab_review` or `error.not_found`.
const RAW_KEY = /\b(?:accounts|act|act_kind|act_source|act_status|act_step|action|api|app|audit|audit_action|engagements|entity|error|es|event_status|events|expert_field|experts|five|form|gender|health|home|import|list|login|match|me|media_type|nav|need_kind|need_status|need_step|needs|notice|officers|order|order_orderer|order_status|order_step|org_kind|org_status|orgs|ot|outcome|patent_kind|patents|people|plan|play_by|reach_method|region_kind|regions|role|sg|sg_action|sg_category|sg_reason|sg_status|stage|tokens|unit|vol|vol_member|vol_place|vol_place_source|vol_project|vol_record_source|vol_record_status|vol_source|vol_status|workstations)\.[a-z0-9_]+\b/;
const PLACEHOLDER = /\b(?:TODO|FIXME|lorem ipsum|undefined|NaN|\[object Object\])\b|待完善|敬请期待|占位/;

async function sameOriginLinks(page: Page, selector: string): Promise<string[]> {
  const hrefs = await page.locator(selector).evaluateAll((els) =>
    els.map((e) => (e as HTMLAnchorElement).href).filter((h) => h.startsWith(location.origin)),
  );
  return hrefs.map((h) => new URL(h).pathname + new URL(h).search);
}

// The page's own words: the menu, the tabs, table heads, buttons and the tiles' captions —
// never the records, which may be Chinese in any language.
async function chromeText(page: Page): Promise<string> {
  return (
    await page
      .locator("nav.sidebar a, nav.sidebar .nav-group-title, nav.tabs a, th, button, .stat-label")
      .allInnerTexts()
  ).join("\n");
}

async function check(page: Page, path: string, english: boolean, problems: string[]) {
  const res = await page.goto(path);
  const status = res?.status() ?? 0;
  if (status >= 400) {
    problems.push(`${path}: HTTP ${status}`);
    return;
  }
  const text = await page.locator("body").innerText();
  const key = text.match(RAW_KEY);
  if (key) problems.push(`${path}: raw key ${key[0]}`);
  const ph = text.match(PLACEHOLDER);
  if (ph) problems.push(`${path}: placeholder ${ph[0]}`);
  if (english) {
    const cjk = (await chromeText(page)).match(/[\u4e00-\u9fff][\u4e00-\u9fff，。：]*/);
    if (cjk) problems.push(`${path}: Chinese in the English page's words: ${cjk[0]}`);
  }
}

for (const user of ACCOUNTS) {
  test(`${user}: every menu item and tab opens, translated, without placeholders`, async ({ page }) => {
    test.setTimeout(180_000);
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(`${page.url()}: ${e.message}`));
    await loginOk(page, user);
    const problems: string[] = [];
    for (const english of [false, true]) {
      if (english) await page.goto("/lang?to=en&back=/");
      const menu = await sameOriginLinks(page, "nav.sidebar a, header a");
      const seen = new Set<string>();
      for (const path of ["/", ...menu]) {
        if (seen.has(path) || path.startsWith("/lang") || path.startsWith("/logout")) continue;
        seen.add(path);
        await check(page, path, english, problems);
        for (const tab of await sameOriginLinks(page, "nav.tabs a")) {
          if (seen.has(tab)) continue;
          seen.add(tab);
          await check(page, tab, english, problems);
        }
      }
    }
    await page.goto("/lang?to=zh-CN&back=/");
    expect(problems, problems.join("\n")).toEqual([]);
    expect(errors, errors.join("\n")).toEqual([]);
  });
}
