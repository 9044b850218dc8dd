// The callbacks of page.evaluate run in the browser: their DOM names are typed by the DOM library.
/// <reference lib="dom" />
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { GantryClient } from '@gantry/client';
import { queue as testQueue } from '@gantry/queue-runtime/testing';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EngineStack, fixturesDir } from '../engines/engine-stack.js';
import { startClientStack } from '../client/client-stack.js';
import {
  chromiumPath,
  consoleIndex,
  ensureScreenshotDir,
  hasChromium,
  screenshotDir,
  screenshotSpread,
} from './console-browser.js';

if (!hasChromium) {
  console.warn(`console e2e: skipped, ${chromiumPath} is absent (apt-get install -y chromium)`);
}

let stack: EngineStack;
let browser: Browser;
let page: Page;
let platformKey: string;
let jobsKey: string;
const screenshots: string[] = [];

const shoot = async (name: string) => {
  const file = path.join(screenshotDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  screenshots.push(file);
};

const signIn = async (key: string) => {
  await page.goto(`${stack.gateway.url}/console`);
  await page.getByLabel('API key').fill(key);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Jobs', level: 1 }).waitFor();
};

describe.skipIf(!hasChromium)(`the web console in headless Chromium (${chromiumPath})`, () => {
  beforeAll(async () => {
    if (!existsSync(consoleIndex))
      throw new Error(`build the console first: npx nx run @gantry/console:build`);
    await ensureScreenshotDir();
    stack = await startClientStack('console', { llm: false });
    platformKey = stack.key;
    const created = await fetch(`${stack.gateway.url}/v1/keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${platformKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'console-jobs', scopes: ['jobs'] }),
    });
    jobsKey = ((await created.json()) as { key: string }).key;
    browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('is served at /console with a strict content security policy, its key kept in the tab only', async () => {
    const response = await page.goto(`${stack.gateway.url}/console`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    // A page with no key shows the sign-in form, its field focused; a wrong key is refused with its code.
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('api-key');
    await page.keyboard.type('gk_not-a-real-key');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('UNAUTHORIZED');
    await shoot('01-sign-in');

    await signIn(platformKey);
    expect(await page.evaluate(() => sessionStorage.getItem('gantry.apiKey'))).toBe(platformKey);
    expect(await page.evaluate(() => localStorage.length)).toBe(0);
  });

  it('moves through the console with the keyboard alone', async () => {
    // A fresh load: the focus starts at the top of the page.
    await page.goto(`${stack.gateway.url}/console#/jobs`);
    await page.reload();
    await page.getByRole('heading', { name: 'Jobs', level: 1 }).waitFor();
    const focused = async () => page.evaluate(() => document.activeElement?.textContent?.trim());
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('Skip to content');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('Jobs');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('Submit');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Submit a job' }).waitFor();
    // Every form field has a label a screen reader reads.
    const unlabelled = await page.evaluate(
      () =>
        [...document.querySelectorAll('input, select, textarea')].filter(
          (field) => !(field as HTMLInputElement).labels?.length,
        ).length,
    );
    expect(unlabelled).toBe(0);
  });

  it('submits a job and follows it to succeeded live, then shows its page', async () => {
    await page.goto(`${stack.gateway.url}/console#/submit`);
    await page.getByLabel('Job type').selectOption('test.sleep');
    await page.getByLabel('Input (JSON, without the file)').fill('{"ms": 2500}');
    await page.getByRole('button', { name: 'Submit job' }).click();
    await page.waitForURL(/#\/jobs\/[^/]+$/);
    const status = page.locator('#job-status');
    await status.waitFor();
    // Seen before its end, then succeeded without a reload: the page follows the job's events.
    expect(['queued', 'running']).toContain(await status.textContent());
    await expect.poll(() => status.textContent(), { timeout: 30_000 }).toBe('succeeded');
    await expect.poll(() => page.locator('.timeline').textContent()).toContain('completed: succeeded');
    expect(await page.locator('.output').textContent()).toContain('"slept_ms": 2500');
    // Nothing but elements in the job's details: a stray text node ("null") would be a rendering slip.
    const strayText = await page
      .locator('.job-details > div')
      .evaluate(
        (details) => [...details.childNodes].filter((node) => node.nodeType === Node.TEXT_NODE).length,
      );
    expect(strayText).toBe(0);
    await shoot('02-job-succeeded');
    // Opened again after its end, the page reads its timeline from the recorded history (reloaded until
    // PostgreSQL has recorded the end).
    const recorded = async () => {
      await page.reload();
      await page.locator('.timeline').waitFor();
      return page.locator('.timeline li').allTextContents();
    };
    await expect
      .poll(recorded, { timeout: 20_000 })
      .toEqual([
        expect.stringMatching(/ queued$/),
        expect.stringMatching(/ running attempt 1 on \S+$/),
        expect.stringMatching(/ succeeded$/),
      ]);
  });

  it('submits a dropped file and shows the input image on the job page', async () => {
    await page.goto(`${stack.gateway.url}/console#/submit`);
    await page.getByLabel('Job type').selectOption('test.checksum');
    const bytes = [...(await readFile(path.join(fixturesDir, 'images', 'dog.jpg')))];
    // A real drop event with a DataTransfer holding the file, as a desktop drag would send.
    await page.evaluate((data) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([new Uint8Array(data)], 'dog.jpg', { type: 'image/jpeg' }));
      document.getElementById('drop-zone')?.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer }));
    }, bytes);
    expect(await page.locator('#submit-file-name').textContent()).toContain('dog.jpg');
    await page.getByRole('button', { name: 'Submit job' }).click();
    await page.waitForURL(/#\/jobs\/[^/]+$/);
    await expect.poll(() => page.locator('#job-status').textContent(), { timeout: 30_000 }).toBe('succeeded');
    await page.locator('img.input-image').waitFor();
    expect(
      await page.locator('img.input-image').evaluate((img) => (img as HTMLImageElement).naturalWidth),
    ).toBeGreaterThan(0);
    expect(await page.locator('.output').textContent()).toContain('sha256');
    await shoot('03-dropped-file-job');
  });

  it('lists jobs with filters, and a job submitted elsewhere appears and ends live', async () => {
    await page.goto(`${stack.gateway.url}/console#/jobs`);
    await page.getByRole('heading', { name: 'Jobs', level: 1 }).waitFor();
    const job = await new GantryClient({ url: stack.gateway.url, apiKey: platformKey }).submit('test.sleep', {
      ms: 6_000,
    });
    const status = page.locator(`tr[data-job-id="${job.id}"] [data-cell="status"]`);
    await status.waitFor({ timeout: 15_000 });
    expect(['queued', 'running']).toContain((await status.textContent())?.trim());
    await expect.poll(() => status.textContent(), { timeout: 30_000 }).toBe('succeeded');

    await page.getByLabel('Type').selectOption('test.checksum');
    await page.getByLabel('Status').selectOption('succeeded');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/type=test.checksum/);
    await expect.poll(() => page.locator('tbody tr').count()).toBe(1);
    expect(await page.locator('tbody tr').textContent()).toContain('test.checksum');
    await shoot('04-jobs-filtered');
  });

  it("shows a pipeline run's steps on its page, live, each linked to its job", async () => {
    const run = await new GantryClient({ url: stack.gateway.url, apiKey: platformKey }).submitPipeline(
      {
        steps: [
          { id: 'first', type: 'test.sleep', input: { ms: '$input.ms' } },
          { id: 'then', type: 'test.sleep', input: { ms: '$steps.first.output.slept_ms' } },
        ],
      },
      { ms: 1_500 },
    );
    await page.goto(`${stack.gateway.url}/console#/jobs/${run.id}`);
    const stepStatus = (step: string) => page.locator(`tr[data-step="${step}"] .status`);
    await stepStatus('then').waitFor();
    // Seen before the run's end, then both succeeded without a reload.
    expect(await stepStatus('then').textContent()).not.toBe('succeeded');
    await expect
      .poll(async () => [await stepStatus('first').textContent(), await stepStatus('then').textContent()], {
        timeout: 30_000,
      })
      .toEqual(['succeeded', 'succeeded']);
    await shoot('05-pipeline-steps');
    await page.locator('tr[data-step="first"] a').click();
    await page.waitForURL(new RegExp(`#/jobs/${run.id}\\.first$`));
    await expect.poll(() => page.locator('#job-status').textContent()).toBe('succeeded');
  });

  it('pauses and resumes a queue with a platform key, from the keyboard', async () => {
    await page.goto(`${stack.gateway.url}/console#/queues`);
    const row = page.locator(`tr[data-queue="${testQueue}"]`);
    await row.waitFor();
    await expect.poll(() => row.locator('[data-cell="backlog"]').textContent()).toMatch(/^\d+$/);
    await row.getByRole('button', { name: `Pause queue ${testQueue}` }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => row.locator('[data-cell="state"]').textContent()).toBe('paused');
    const client = new GantryClient({ url: stack.gateway.url, apiKey: platformKey });
    await expect
      .poll(async () => (await client.workers(testQueue)).every((worker) => worker.state === 'paused'))
      .toBe(true);
    await shoot('06-queue-paused');
    // The refresh keeps the focus on the control, so Enter again resumes.
    await row.getByRole('button', { name: `Resume queue ${testQueue}` }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => row.locator('[data-cell="state"]').textContent()).toBe('running');
    await expect
      .poll(async () => (await client.workers(testQueue)).every((worker) => worker.state === 'ready'))
      .toBe(true);
  });

  it('shows a jobs-only key the workers, without backlog or pause controls', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(jobsKey);
    await page.goto(`${stack.gateway.url}/console#/queues`);
    await page.locator(`tr[data-queue="${testQueue}"]`).waitFor();
    expect(await page.getByRole('button', { name: /Pause queue/ }).count()).toBe(0);
    expect(await page.locator('main').textContent()).toContain('need a key with the platform scope');
    await shoot('07-queues-jobs-key');
  });

  it('wrote screenshots that show the pages, not blank captures', async () => {
    expect(screenshots).toHaveLength(7);
    for (const file of screenshots) {
      const spread = await screenshotSpread(file);
      expect({ file, wide: spread.width >= 1280, drawn: spread.stdev > 10 && spread.entropy > 0.5 }).toEqual({
        file,
        wide: true,
        drawn: true,
      });
    }
  });
});
