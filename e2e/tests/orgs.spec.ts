import { test, expect } from "@playwright/test";
import ExcelJS from "exceljs";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loginOk } from "./helpers";

const COLUMNS = ["编码", "名称", "类型", "所属区域", "区域代码", "上级组织编码", "依托企业编码", "统一社会信用代码", "地址", "联系人", "联系电话", "成立日期", "专利信息平台注册日期", "科创中国注册日期", "绿平台注册日期", "状态", "备注"];

async function roster(rows: string[][]): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("组织");
  ws.addRow(COLUMNS);
  rows.forEach((r) => ws.addRow(r));
  const file = path.join(os.tmpdir(), `roster-${Date.now()}-${Math.random()}.xlsx`);
  await wb.xlsx.writeFile(file);
  return file;
}

test("browse, search, filter and page through organisations", async ({ page }) => {
  await loginOk(page, "staff");
  await page.goto("/orgs");
  const rows = page.locator("table[data-table=orgs] tbody tr");
  await expect(rows).toHaveCount(20);
  // Typing searches as you go (htmx swaps the results and keeps the URL shareable).
  await page.getByLabel("查询").fill("农学会");
  await expect(rows.first()).toContainText("通州区农学会");
  for (const r of await rows.allTextContents()) expect(r).toContain("农学会");
  await expect(page).toHaveURL(/q=%E5%86%9C%E5%AD%A6%E4%BC%9A/);
  await page.getByLabel("查询").fill("");
  await page.locator("select[name=kind]").selectOption("enterprise_association");
  await expect(page.locator(".pager-total strong")).toHaveText("92");
  await page.getByRole("link", { name: "2", exact: true }).click();
  await expect(page.locator(".pager .current")).toHaveText("2");
  await rows.first().getByRole("link").click();
  await expect(page.getByText("专利信息平台注册日期")).toBeVisible();
});

test("import a roster with a bad row, see why, fix it, import, export", async ({ page }) => {
  await loginOk(page, "staff");
  await page.goto("/orgs/import");
  const bad = await roster([
    ["QY-7001", "南通恒昌精密机械有限公司", "企业", "金沙街道", "", "", "", "", "南通市通州区金沙街道金乐路66号", "陆卫东", "13912340001", "2012-04-16"],
    ["QY-7002", "南通锦华家纺有限公司", "企业", "火星镇", "", "", "", "", "", "", "", ""],
  ]);
  await page.getByLabel("名册文件（.xlsx）").setInputFiles(bad);
  await page.getByRole("button", { name: "上传并导入" }).click();
  const errors = page.locator("#import-errors");
  await expect(errors).toContainText("未写入任何数据");
  await expect(errors.locator("tbody tr")).toHaveCount(1);
  await expect(errors.locator("tbody tr").first()).toContainText("3");
  await expect(errors.locator("tbody tr").first()).toContainText("所属区域");
  await expect(errors.locator("tbody tr").first()).toContainText("找不到该区域");
  // Nothing was written.
  await page.goto("/orgs?q=QY-7001");
  await expect(page.locator("table[data-table=orgs] tbody")).toContainText("没有符合条件的记录");

  await page.goto("/orgs/import");
  const good = await roster([
    ["QY-7001", "南通恒昌精密机械有限公司", "企业", "金沙街道", "", "", "", "", "南通市通州区金沙街道金乐路66号", "陆卫东", "13912340001", "2012-04-16"],
    ["QY-7002", "南通锦华家纺有限公司", "企业", "川姜镇", "", "", "", "", "", "", "", ""],
  ]);
  await page.getByLabel("名册文件（.xlsx）").setInputFiles(good);
  await page.getByRole("button", { name: "上传并导入" }).click();
  await expect(page.locator("#import-done")).toContainText("新增 2");
  await page.goto("/orgs?q=锦华家纺");
  await expect(page.locator("table[data-table=orgs] tbody tr")).toHaveCount(1);

  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "导出 Excel" }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^组织名册-\d{8}\.xlsx$/);
  const saved = path.join(os.tmpdir(), file.suggestedFilename());
  await file.saveAs(saved);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(saved);
  const sheet = wb.worksheets[0];
  expect(sheet.getRow(1).getCell(1).value).toBe("编码");
  expect(sheet.getRow(2).getCell(2).value).toBe("南通锦华家纺有限公司");
  fs.rmSync(saved);
});

test("an invalid form shows every problem next to its field", async ({ page }) => {
  await loginOk(page, "staff");
  await page.goto("/orgs/new");
  await page.getByLabel("编码", { exact: true }).fill("QY-7100");
  await page.getByLabel("名称", { exact: true }).fill("南通测试科技有限公司");
  await page.getByLabel("类型").selectOption("enterprise");
  await page.getByLabel("所属区域").selectOption({ label: "金沙街道" });
  await page.getByLabel("联系电话").fill("12345");
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page.locator("[data-error-for=contact_phone]")).toContainText("电话号码不正确");
  await expect(page.getByLabel("名称", { exact: true })).toHaveValue("南通测试科技有限公司");
  await page.getByLabel("联系电话").fill("0513-86123456");
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page.getByRole("heading", { name: "南通测试科技有限公司" })).toBeVisible();
});

test("a town officer cannot see another town", async ({ page }) => {
  await loginOk(page, "jinsha");
  await page.goto("/orgs?per_page=200");
  const regions = await page.locator("table[data-table=orgs] tbody tr td:nth-child(4)").allTextContents();
  expect(regions.length).toBeGreaterThan(10);
  for (const r of regions) expect(r).toContain("金沙街道");
  await page.goto("/orgs?q=西亭镇科学技术协会");
  await expect(page.locator("table[data-table=orgs] tbody")).toContainText("没有符合条件的记录");
  const resp = await page.goto("/orgs/4");
  expect(resp?.status()).toBe(404);
  await expect(page.getByText("找不到该页面或记录")).toBeVisible();
  // Phones are masked for a town officer.
  await page.goto("/people");
  await expect(page.locator("table[data-table=people] tbody")).toContainText("****");
});

test("the menu folds away on a phone", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await loginOk(page, "jinsha");
  await expect(page.locator("#sidebar")).toBeHidden();
  await page.getByRole("button", { name: "菜单" }).click();
  await page.locator("#sidebar").getByRole("link", { name: "组织" }).click();
  await expect(page).toHaveURL(/\/orgs$/);
});
