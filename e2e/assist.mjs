// The demo in Home Assistant's UI, as a person uses it (run by script/e2e, which starts the demo):
//   1. log in as demo / demo1234;
//   2. the integration's page and the Living Room Ceiling Light's device page (screenshots);
//   3. the dashboard (screenshot);
//   4. Assist: with the light off, type 「打开客厅的灯」 in the Assist dialog; the light must come
//      on (screenshot). Assist's preferred pipeline is set to the integration's Xiao Ai agent
//      (zh-Hans) and the Living Room area gets the alias 客厅 first, over the WebSocket API.
//
// Environment: HA_URL (http://localhost:PORT), HA_TOKEN (a long-lived token of an administrator),
// SHOTS (where the screenshots go), CHROMIUM (default /usr/bin/chromium), E2E_VERBOSE=1 for
// progress lines. Exit status 0 when every step passed; otherwise 1, with what failed and a
// screenshot of the page at that moment (SHOTS/failure.png).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const URL_BASE = (process.env.HA_URL || 'http://localhost:8123').replace(/\/$/, '');
const TOKEN = process.env.HA_TOKEN;
const SHOTS = process.env.SHOTS || 'docs/screenshots';
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const VERBOSE = process.env.E2E_VERBOSE === '1';
const USER = 'demo';
const PASSWORD = 'demo1234';
const LIGHT_NAME = 'Living Room Ceiling Light';
const AREA_NAME = 'Living Room';
const AREA_ALIAS = '客厅';
const COMMAND = '打开客厅的灯';
const AGENT = 'conversation.xiao_ai';
const PIPELINE = { name: 'Xiao Ai', language: 'zh-Hans' };
const STEP_TIMEOUT = 30_000;
const BRAND = join(dirname(fileURLToPath(import.meta.url)), '..', 'custom_components', 'xiaomi_aiot', 'brand');

if (!TOKEN) {
  console.error('e2e: HA_TOKEN is not set');
  process.exit(2);
}
mkdirSync(SHOTS, { recursive: true });

const started = Date.now();
const progress = (message) => {
  if (VERBOSE) console.log(`    ${((Date.now() - started) / 1000).toFixed(1)} s  ${message}`);
};

async function rest(method, path, body) {
  const response = await fetch(URL_BASE + path, {
    method,
    headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : null;
}

async function waitFor(what, check, timeout = STEP_TIMEOUT) {
  const until = Date.now() + timeout;
  let last;
  while (Date.now() < until) {
    last = await check();
    if (last) return last;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`timed out after ${timeout / 1000} s waiting for ${what}`);
}

// WebSocket commands, sent from the page (Node 20 has no WebSocket of its own).
async function ws(page, commands) {
  return page.evaluate(
    async ({ url, token, commands }) => {
      const socket = new WebSocket(url.replace(/^http/, 'ws') + '/api/websocket');
      const messages = [];
      let wake = null;
      socket.onmessage = (event) => {
        messages.push(JSON.parse(event.data));
        if (wake) wake();
      };
      const next = async () => {
        while (!messages.length) await new Promise((resolve) => (wake = resolve));
        return messages.shift();
      };
      const results = [];
      try {
        await next(); // auth_required
        socket.send(JSON.stringify({ type: 'auth', access_token: token }));
        const auth = await next();
        if (auth.type !== 'auth_ok') throw new Error(`WebSocket authentication: ${JSON.stringify(auth)}`);
        let id = 0;
        for (const command of commands) {
          socket.send(JSON.stringify({ id: ++id, ...command }));
          let answer;
          do answer = await next();
          while (answer.id !== id || answer.type !== 'result');
          if (!answer.success) throw new Error(`${command.type}: ${JSON.stringify(answer.error)}`);
          results.push(answer.result);
        }
      } finally {
        socket.close();
      }
      return results;
    },
    { url: URL_BASE, token: TOKEN, commands },
  );
}

async function setUpAssist(page) {
  const [areas, pipelines] = await ws(page, [
    { type: 'config/area_registry/list' },
    { type: 'assist_pipeline/pipeline/list' },
  ]);
  const area = areas.find((a) => a.name === AREA_NAME);
  if (!area) throw new Error(`no area ${AREA_NAME} (areas: ${areas.map((a) => a.name).join(', ')})`);
  const aliases = [...new Set([...(area.aliases || []), AREA_ALIAS])];
  const fields = {
    name: PIPELINE.name,
    language: PIPELINE.language,
    conversation_engine: AGENT,
    conversation_language: PIPELINE.language,
    stt_engine: null,
    stt_language: null,
    tts_engine: null,
    tts_language: null,
    tts_voice: null,
    wake_word_entity: null,
    wake_word_id: null,
  };
  const existing = pipelines.pipelines.find((p) => p.name === PIPELINE.name);
  const [, pipeline] = await ws(page, [
    { type: 'config/area_registry/update', area_id: area.area_id, aliases },
    existing
      ? { type: 'assist_pipeline/pipeline/update', pipeline_id: existing.id, ...fields }
      : { type: 'assist_pipeline/pipeline/create', ...fields },
  ]);
  await ws(page, [{ type: 'assist_pipeline/pipeline/set_preferred', pipeline_id: pipeline.id }]);
  progress(`Assist: pipeline ${pipeline.name} (${AGENT}, ${PIPELINE.language}) preferred; ${AREA_NAME} alias ${AREA_ALIAS}`);
}

// Within the app, as its links do (no reload: the frontend keeps its connection).
async function navigate(page, path) {
  await page.evaluate((path) => {
    history.pushState(null, '', path);
    window.dispatchEvent(new CustomEvent('location-changed', { detail: { replace: false } }));
  }, path);
  await page.waitForURL((url) => url.pathname + url.search === path);
  progress(`at ${path}`);
}

// Headless Chromium now and then fails to capture a frame ("Unable to capture screenshot") or
// captures one half painted (an empty page, or the top bar and sidebar without the content):
// capture until two captures in a row are the same and not empty.
const EMPTY_PNG = 8_000; // bytes: an empty 1280×800 page is about 5 kB, these pages 40 kB and more
async function shot(page, name) {
  await page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => {});
  await page.waitForTimeout(300); // animations (ripples, dialogs opening)
  let previous = null;
  let problem = 'no capture';
  for (let attempt = 1; attempt <= 10; attempt++) {
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    let png = null;
    try {
      png = await page.screenshot({ animations: 'disabled' });
    } catch (error) {
      problem = error.message.split('\n')[0];
    }
    if (png && png.length < EMPTY_PNG) problem = `an empty picture (${png.length} bytes)`;
    else if (png && previous && png.equals(previous)) {
      writeFileSync(join(SHOTS, name), png);
      progress(`screenshot ${join(SHOTS, name)} (${Math.round(png.length / 1024)} kB, ${attempt} captures)`);
      return;
    } else if (png) {
      if (previous) problem = `captures differ (${previous.length} then ${png.length} bytes)`;
      previous = png;
      continue;
    }
    previous = null;
    progress(`screenshot ${name}: ${problem}; again`);
    await page.waitForTimeout(300);
  }
  throw new Error(`no steady screenshot ${name}: ${problem}`);
}

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--run-all-compositor-stages-before-draw', // whole frames in screenshots
  ],
});
// launch() gives Chromium a fresh --user-data-dir of its own (removed when it closes).
const context = await browser.newContext({
  viewport: { width: 1280, height: 800 },
  locale: 'en-US',
  timezoneId: 'Asia/Shanghai',
  colorScheme: 'light',
});
context.setDefaultTimeout(STEP_TIMEOUT);
// The frontend takes integrations' icons from brands.home-assistant.io, out of reach here: the
// integration's own brand images stand in for its icons and logos; anything else is not found.
await context.route(/^https:\/\/brands\.home-assistant\.io\//, (route) => {
  const found = new URL(route.request().url()).pathname.match(
    /^\/(?:_\/)?xiaomi_aiot\/(?:dark_)?(icon|logo)(@2x)?\.png$/,
  );
  if (!found) return route.fulfill({ status: 404, body: '' });
  return route.fulfill({ path: join(BRAND, `${found[1]}${found[2] || ''}.png`), contentType: 'image/png' });
});
const page = await context.newPage();
const pageErrors = [];
page.on('pageerror', (error) => pageErrors.push(String(error)));

let step = 'starting';
let status = 0;
try {
  step = 'log in';
  await page.goto(URL_BASE + '/');
  await page.getByRole('textbox', { name: 'Username' }).fill(USER);
  await page.getByRole('textbox', { name: 'Password' }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/auth/'));
  await page.locator('ha-sidebar').waitFor();
  progress('logged in');

  step = 'set up Assist (WebSocket API)';
  await setUpAssist(page);

  step = "the integration's page";
  await navigate(page, '/config/integrations/integration/xiaomi_aiot');
  const devicesLink = page.locator('ha-config-integration-page').getByText(/^\d+ devices$/).first();
  await devicesLink.waitFor();
  await shot(page, 'integration.png');

  step = "the integration's devices";
  await devicesLink.click();
  await page.waitForURL(/\/config\/devices\/dashboard/);
  await page.locator('ha-config-devices-dashboard').getByText(LIGHT_NAME).first().waitFor();
  await shot(page, 'devices.png');

  step = `the device page of ${LIGHT_NAME}`;
  const [devices] = await ws(page, [{ type: 'config/device_registry/list' }]);
  const device = devices.find((d) => (d.name_by_user || d.name) === LIGHT_NAME);
  if (!device) throw new Error(`no device named ${LIGHT_NAME}`);
  await navigate(page, `/config/devices/device/${device.id}`);
  const devicePage = page.locator('ha-config-device-page');
  await devicePage.getByText(LIGHT_NAME).first().waitFor();
  await devicePage.getByText('Controls').first().waitFor();
  await devicePage.getByText('Device info').first().waitFor();
  await shot(page, 'device.png');

  step = 'the light off before Assist';
  const lights = await rest('GET', '/api/states');
  const light = lights.find((s) => s.entity_id.startsWith('light.') && s.attributes.friendly_name === LIGHT_NAME);
  if (!light) throw new Error(`no light entity named ${LIGHT_NAME}`);
  await rest('POST', '/api/services/light/turn_off', { entity_id: light.entity_id });
  const state = async () => (await rest('GET', `/api/states/${light.entity_id}`)).state;
  await waitFor(`${light.entity_id} to be off`, async () => (await state()) === 'off');
  progress(`${light.entity_id} is off`);

  step = 'the dashboard';
  await navigate(page, '/lovelace/0');
  const view = page.locator('hui-view');
  await view.getByText(AREA_NAME, { exact: true }).first().waitFor();
  await view.getByText('Ceiling Light', { exact: true }).first().waitFor();
  await shot(page, 'dashboard.png');

  step = 'Assist';
  await page.getByRole('button', { name: 'Assist' }).click();
  const chat = page.locator('ha-voice-command-dialog ha-dialog[open] ha-assist-chat');
  await chat.waitFor();
  await page.locator('ha-voice-command-dialog').getByText(PIPELINE.name, { exact: true }).first().waitFor();
  const answers = chat.locator('.message.hass');
  await answers.first().waitFor(); // "How can I assist?"
  const before = await answers.count();
  const input = chat.getByRole('textbox', { name: 'Enter a request' });
  await input.fill(COMMAND);
  await input.press('Enter');
  await waitFor(`${light.entity_id} to be on after 「${COMMAND}」`, async () => (await state()) === 'on');
  progress(`${light.entity_id} is on`);
  // The request and the agent's answer, in the conversation.
  await chat.locator('.message.user').getByText(COMMAND).waitFor();
  await waitFor("the agent's answer", async () => (await answers.count()) > before);
  progress(`the answer: ${await answers.last().innerText()}`);
  await shot(page, 'assist.png');
} catch (error) {
  status = 1;
  console.error(`e2e: FAILED at "${step}": ${error.message.split('\n')[0]}`);
  if (VERBOSE) console.error(error.stack);
  if (pageErrors.length) console.error(`e2e: errors in the page: ${pageErrors.slice(0, 5).join(' | ')}`);
  await page.screenshot({ path: join(SHOTS, 'failure.png') }).catch(() => {});
  console.error(`e2e: the page at that moment: ${join(SHOTS, 'failure.png')} (${page.url()})`);
} finally {
  await browser.close();
}
progress(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(status);
