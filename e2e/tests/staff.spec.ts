// The staff console (/staff/, its own build): a citizen's report, synced,
// is accepted and resolved by a staff member in another browser, and the
// reply appears on the citizen's phone. An administrator creates an
// operator, the operator proposes the communication subsidy for a genuine
// tip, the administrator approves it and the reporter's phone shows it; the
// audit log lists what was done.
import { expectAccessible } from '../fixtures/axe';
import { test, expect } from '../fixtures/server';

test('a report is handled in the staff console and the reply reaches the phone', async ({ page, browser, server }) => {
  test.setTimeout(120_000);
  // The citizen files a report with no signal: it is queued on the phone,
  // then sent by itself when the network returns.
  await page.goto(server.url + '/report/new');
  await page.context().setOffline(true);
  await page.getByRole('radio', { name: '水污染' }).check();
  await page.getByRole('textbox', { name: '现场描述' }).fill('电镀厂后门暗管排放绿色废水。');
  await page.getByRole('textbox', { name: '地址或地标' }).fill('工业区三路电镀厂后门');
  await page.getByRole('button', { name: '提交，联网后自动发送' }).click();
  await expect(page.getByText('待发送', { exact: true })).toBeVisible();
  await page.context().setOffline(false);
  await expect(page.getByText('已发送', { exact: true })).toBeVisible({ timeout: 30_000 });
  const caseNumber = (await page.locator('.case-number strong').textContent())!.trim();

  // A bureau operator, in another browser.
  server.addStaff('wang.fang', 'a long enough password', 'operator');
  const staffContext = await browser.newContext({ locale: 'zh-CN' });
  const staff = await staffContext.newPage();
  await staff.goto(server.url + '/staff/');
  await expect(staff.getByRole('button', { name: '登录' })).toBeVisible();
  await expectAccessible(staff, 'staff sign-in');
  await staff.getByRole('textbox', { name: '用户名' }).fill('wang.fang');
  await staff.getByLabel('密码').fill('wrong password here');
  await staff.getByRole('button', { name: '登录' }).click();
  await expect(staff.getByRole('alert')).toContainText('用户名或密码不正确');
  await staff.getByLabel('密码').fill('a long enough password');
  await staff.getByRole('button', { name: '登录' }).click();
  await expect(staff.getByText('当前用户：wang.fang')).toBeVisible();

  await expect(staff.getByRole('heading', { level: 1, name: '案件' })).toBeVisible();
  await expect(staff.getByRole('button', { name: caseNumber })).toBeVisible();
  await expectAccessible(staff, 'staff case list');
  // Filters: a category with no case, then back to all.
  await staff.getByRole('combobox', { name: '问题类别' }).selectOption({ label: '噪声' });
  await staff.getByRole('button', { name: '筛选' }).click();
  await expect(staff.getByText('暂无案件。')).toBeVisible();
  await staff.getByRole('combobox', { name: '问题类别' }).selectOption({ label: '水污染' });
  await staff.getByRole('combobox', { name: '状态' }).selectOption({ label: '已收到' });
  await staff.getByRole('button', { name: '筛选' }).click();
  await staff.getByRole('button', { name: caseNumber }).click();
  await expect(staff.getByRole('heading', { level: 1 })).toContainText(caseNumber);
  await expect(staff.getByText('电镀厂后门暗管排放绿色废水。')).toBeVisible();
  await expect(staff.getByText('匿名举报')).toBeVisible();
  await expectAccessible(staff, 'staff case page');
  await staff.getByRole('button', { name: '受理', exact: true }).click();
  await expect(staff.getByRole('listitem').filter({ hasText: '已受理' })).toBeVisible();
  await staff.getByRole('button', { name: '已到现场' }).click();
  await expect(staff.getByRole('listitem').filter({ hasText: '现场处理中' })).toBeVisible();
  await staff.getByRole('combobox', { name: '答复模板' }).selectOption({ label: '属实，已责令整改' });
  await expect(staff.getByRole('textbox', { name: '公开答复' })).toHaveValue(/接到您的举报后/);
  const reply = '已现场核查，暗管已封堵，企业被立案处罚。感谢您的举报。';
  await staff.getByRole('textbox', { name: '公开答复' }).fill(reply);
  await staff.getByRole('button', { name: '办结并答复' }).click();
  await expect(staff.getByRole('listitem').filter({ hasText: '已办结' })).toBeVisible();
  // Closed: no action is offered any more.
  await expect(staff.getByRole('button', { name: '受理', exact: true })).toHaveCount(0);
  await expect(staff.getByRole('button', { name: '办结并答复' })).toHaveCount(0);

  // The citizen's phone, opened again, shows the reply.
  await page.reload();
  await expect(page.getByRole('listitem').filter({ hasText: '已办结' })).toBeVisible();
  await expect(page.getByText(reply)).toBeVisible();

  // The public transparency page counts the case (server-rendered, no script).
  const publicPage = await staffContext.newPage();
  await publicPage.goto(server.url + '/transparency');
  const row = publicPage.getByRole('row').filter({ hasText: '水污染' });
  await expect(row.getByRole('cell')).toHaveText(['0', '0', '0', '1', '0', '0', '1']);
  await expect(publicPage.getByText('从收到到答复的中位用时')).toBeVisible();
  await expectAccessible(publicPage, 'transparency page');
  await publicPage.close();

  // Signing out ends the session: the console asks to sign in again.
  await staff.getByRole('button', { name: '退出登录' }).click();
  await expect(staff.getByRole('button', { name: '登录' })).toBeVisible();
  await staff.reload();
  await expect(staff.getByRole('button', { name: '登录' })).toBeVisible();
  await staffContext.close();
});

test('an admin creates an operator, a subsidy is proposed and approved, the phone shows it, the audit log lists it', async ({ page, browser, server }) => {
  test.setTimeout(150_000);
  // The citizen files a report with a phone number, so a subsidy can be paid.
  await page.goto(server.url + '/report/new');
  await page.getByRole('radio', { name: '水污染' }).check();
  await page.getByRole('textbox', { name: '现场描述' }).fill('河道上游化工厂夜间偷排黄色废水。');
  await page.getByRole('textbox', { name: '地址或地标' }).fill('新河上游化工园区排口');
  await page.getByRole('textbox', { name: '姓名' }).fill('陈明');
  await page.getByRole('textbox', { name: '电话' }).fill('13800138000');
  await page.getByRole('button', { name: '提交，联网后自动发送' }).click();
  await expect(page.getByText('已发送', { exact: true })).toBeVisible({ timeout: 30_000 });
  const caseNumber = (await page.locator('.case-number strong').textContent())!.trim();

  // The administrator signs in; the admin screens are in the navigation.
  server.addStaff('zhou.admin', 'an admin password 12369', 'admin');
  const adminContext = await browser.newContext({ locale: 'zh-CN' });
  const admin = await adminContext.newPage();
  await admin.goto(server.url + '/staff/');
  await admin.getByRole('textbox', { name: '用户名' }).fill('zhou.admin');
  await admin.getByLabel('密码').fill('an admin password 12369');
  await admin.getByRole('button', { name: '登录' }).click();
  await expect(admin.getByText('当前用户：zhou.admin')).toBeVisible();
  const nav = admin.getByRole('navigation', { name: '导航' });
  await expect(nav.getByRole('button', { name: '审计日志' })).toBeVisible();

  // Accounts: create an operator.
  await nav.getByRole('button', { name: '账号管理' }).click();
  await expect(admin.getByRole('heading', { level: 1, name: '账号管理' })).toBeVisible();
  await admin.getByRole('textbox', { name: '用户名' }).fill('li.na');
  await admin.getByRole('combobox', { name: '角色' }).selectOption({ label: '办理人员' });
  await admin.getByLabel('初始密码（至少 12 个字符）').fill('an operator password');
  await admin.getByRole('button', { name: '创建账号' }).click();
  await expect(admin.getByRole('status')).toHaveText('账号已创建。');
  await expect(admin.getByRole('row').filter({ hasText: 'li.na' })).toContainText('办理人员');
  await expect(admin.getByRole('button', { name: '停用 li.na' })).toBeVisible();
  // No button to disable oneself.
  await expect(admin.getByRole('button', { name: '停用 zhou.admin' })).toHaveCount(0);
  await expectAccessible(admin, 'staff accounts');

  // The administrator handles the case: accept, resolve (a genuine tip).
  await nav.getByRole('button', { name: '案件' }).click();
  await admin.getByRole('button', { name: caseNumber }).click();
  await expect(admin.getByText('陈明 13800138000')).toBeVisible();
  await expect(admin.getByText('案件办结（线索属实）后才能提议通讯补贴。')).toBeVisible();
  await admin.getByRole('button', { name: '受理', exact: true }).click();
  await expect(admin.getByRole('listitem').filter({ hasText: '已受理' })).toBeVisible();
  await admin.getByRole('textbox', { name: '公开答复' }).fill('经核查，反映属实，企业已被立案查处。');
  await admin.getByRole('button', { name: '办结并答复' }).click();
  await expect(admin.getByRole('listitem').filter({ hasText: '已办结' })).toBeVisible();

  // The new operator signs in (no admin screens) and proposes ¥50.
  const operatorContext = await browser.newContext({ locale: 'zh-CN' });
  const operator = await operatorContext.newPage();
  await operator.goto(server.url + '/staff/');
  await operator.getByRole('textbox', { name: '用户名' }).fill('li.na');
  await operator.getByLabel('密码').fill('an operator password');
  await operator.getByRole('button', { name: '登录' }).click();
  await expect(operator.getByText('当前用户：li.na')).toBeVisible();
  await expect(operator.getByRole('button', { name: '审计日志' })).toHaveCount(0);
  await expect(operator.getByRole('button', { name: '账号管理' })).toHaveCount(0);
  await operator.getByRole('button', { name: caseNumber }).click();
  await operator.getByRole('textbox', { name: '补贴金额（元，最多 500）' }).fill('50');
  await operator.getByRole('button', { name: '提议补贴' }).click();
  await expect(operator.getByText('已提议，待审批')).toBeVisible();
  // Approving is for administrators.
  await expect(operator.getByRole('button', { name: '批准补贴', exact: true })).toHaveCount(0);
  await expectAccessible(operator, 'staff case page with a proposed subsidy');
  await operatorContext.close();

  // Not yet on the phone: a proposal is internal.
  await page.reload();
  await expect(page.getByRole('listitem').filter({ hasText: '已办结' })).toBeVisible();
  await expect(page.getByText(/通讯补贴/)).toHaveCount(0);

  // The administrator approves it.
  await admin.reload();
  await admin.getByRole('button', { name: caseNumber }).click();
  await expect(admin.getByText('¥50.00')).toBeVisible();
  await admin.getByRole('button', { name: '批准补贴', exact: true }).click();
  await expect(admin.getByText('已批准，待发放')).toBeVisible();
  await expect(admin.getByRole('button', { name: '标记为已发放' })).toBeVisible();

  // The reporter's phone shows the amount.
  await page.reload();
  await expect(page.getByText('通讯补贴待发放：¥50.00')).toBeVisible();

  // The audit log lists what was just done, newest first, and filters.
  await admin.getByRole('navigation', { name: '导航' }).getByRole('button', { name: '审计日志' }).click();
  await expect(admin.getByRole('heading', { level: 1, name: '审计日志' })).toBeVisible();
  const actions = admin.locator('.audit-table tbody tr td:nth-child(3)');
  await expect(actions.first()).toHaveText('reward_approved');
  await expect(actions).toContainText(['reward_approved', 'reward_proposed', 'login', 'resolve', 'accept', 'user_created', 'login']);
  await expectAccessible(admin, 'staff audit log');
  await admin.getByRole('textbox', { name: '操作人' }).fill('li.na');
  await admin.getByRole('button', { name: '筛选' }).click();
  await expect(actions).toHaveText(['reward_proposed', 'login']);
  await adminContext.close();
});
