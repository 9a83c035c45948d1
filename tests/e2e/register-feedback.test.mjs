// Registration form feedback: live password rules and a server field error next to the code field.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { BASE_URL, closeAll, launch, outboxMark, shot, stepper, uniquePhone, waitForCode } from "./lib.mjs";
import { tid } from "./flows.mjs";

after(closeAll);

async function ruleStates(page) {
  const out = {};
  for (const r of ["length", "letter", "digit", "symbol", "notAddress"]) out[r] = await page.getAttribute(tid(`pw-rule-${r}`), "data-ok");
  return out;
}

test("registration shows password rules as you type and server field errors", async (t) => {
  const step = stepper(t);
  const phone = uniquePhone();
  let page;

  await step("password rules update while typing", async () => {
    ({ page } = await launch());
    await page.goto(`${BASE_URL}/register`);
    await page.click(tid("tab-phone"));
    await page.fill(tid("input-phone"), phone);
    await page.fill(tid("input-password"), "abc");
    assert.deepEqual(await ruleStates(page), { length: "false", letter: "true", digit: "false", symbol: "false", notAddress: "true" });
    await page.fill(tid("input-password"), `x${phone}!a`);
    assert.equal((await ruleStates(page)).notAddress, "false", "a password containing the phone is flagged");
    await page.fill(tid("input-password"), "Bulk#Steel2026");
    assert.deepEqual(await ruleStates(page), { length: "true", letter: "true", digit: "true", symbol: "true", notAddress: "true" });
    await shot(page, "02-register");
  });

  await step("a wrong verification code is reported next to the code field", async () => {
    const mark = outboxMark();
    await page.click(tid("send-code"));
    const real = await waitForCode(`+86${phone}`, mark);
    const wrong = real === "000000" ? "111111" : "000000";
    await page.fill(tid("input-code"), wrong);
    await page.fill(tid("input-confirm"), "Bulk#Steel2026");
    await page.fill(tid("input-display-name"), "测试用户");
    await page.click(tid("register-submit"));
    const help = page.locator(".field-code .ant-form-item-explain-error");
    await help.first().waitFor();
    const text = (await help.first().innerText()).trim();
    assert.ok(text.length > 0, "the code field shows the server's message");
    assert.ok(/[\u4e00-\u9fff]/.test(text), `the message is in Chinese (accept-language zh-CN): ${text}`);
    await page.locator(tid("form-error")).waitFor();
  });
});
