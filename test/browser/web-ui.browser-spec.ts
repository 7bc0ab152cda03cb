import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_IDS } from '../../apps/api/src/demo/demo-workspace.js';
import { describeWithChromium, detectChromium, fillIn, launchChromium, newContext, screenshots, signIn } from './support/chromium.js';
import { Tracker, type BrowserUser } from './support/tracker.js';

const chromium = await detectChromium();
const describeBrowser = describeWithChromium('web app in a browser (test/browser/web-ui.browser-spec.ts)', chromium);

describeBrowser('the web app in a browser', () => {
  let app: Tracker;
  let browser: Browser;
  let lead: BrowserUser;
  let partner: BrowserUser;
  let staff: BrowserUser;
  let otherCollaboration: string;
  const contexts: BrowserContext[] = [];

  async function open(user?: BrowserUser, locale?: string): Promise<Page> {
    const context = await newContext(browser, app.baseUrl, locale);
    contexts.push(context);
    const page = await context.newPage();
    if (user) await signIn(page, user.email, user.password);
    return page;
  }

  beforeAll(async () => {
    app = await Tracker.start();
    browser = await launchChromium();
    const person = await app.create('/api/people', { name: 'Lea Lead' });
    lead = await app.newUser({ role: 'lead', personId: person, name: 'Lea Lead' });
    partner = await app.newUser({ role: 'partner', organisationId: DEMO_IDS.trondheimKommune, name: 'Per Partner' });
    staff = await app.newUser({ role: 'staff', name: 'Siri Staff' });
    const organisation = await app.create('/api/organisations', { name: 'Bergen kommune', kind: 'municipality' });
    // The demo's own learnings date from late 2018; one from 2019 for the summary.
    const learning = await app.staff.post(`/api/networks/${DEMO_IDS.padriv}/learnings`, {
      observation: 'Housing cooperatives joined the network after the spring gathering',
      learning: 'Cooperatives are a way into neighbourhoods',
      decision: 'persevere',
      reliability: 'medium',
      occurredAt: '2019-05-15',
    });
    if (learning.status !== 200) throw new Error(`recording a 2019 learning failed: ${learning.status} ${learning.body}`);
    otherCollaboration = await app.create('/api/collaborations', { title: 'SoCentral and Bergen kommune', partnerOrganisationId: organisation, themes: ['democratisation'] });
  }, 120_000);

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await app?.stop();
  });

  it('sends a signed-out visitor to the sign-in page and back where they were going', async () => {
    const page = await open();
    await page.goto('/learnings');
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await screenshots(page, 'sign-in');
    await page.getByLabel('E-mail address').fill(staff.email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(await page.getByRole('alert').textContent()).toContain('wrong');
    await page.getByLabel('Password').fill(staff.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname === '/learnings');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Learning library');
  });

  it('lets a lead design and start an experiment, log a step, record a learning and see them on the timeline', async () => {
    const page = await open(lead);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Lea Lead');
    await screenshots(page, 'dashboard-lead');

    await page.getByRole('link', { name: 'Design a new experiment' }).click();
    await page.getByRole('button', { name: 'Save the Test Card' }).click();
    // Nothing filled in: the API's validation names the fields, shown next to them.
    expect(await page.locator('#design-title-error').textContent()).toBe('Fill this in.');
    expect(await page.locator('#design-hypothesis-error').textContent()).toBe('Fill this in.');
    await fillIn(page, {
      Title: 'Street pop-up for green living',
      'Hypothesis: we believe that…': 'Residents take initiative when the first step is small',
      'Test: to verify that, we will…': 'Run a street-level pop-up for two weeks',
      'Metric: and measure…': 'Households that sign up',
      'Success criteria: we are right if…': 'At least 30 households sign up',
      Themes: 'sustainable urban development, democratisation',
      Deadline: '2030-06-30',
    });
    await screenshots(page, 'experiment-new');
    await page.getByRole('button', { name: 'Save the Test Card' }).click();
    await page.waitForURL(/\/experiments\/[0-9a-f-]{36}\?done=designed$/);
    const experimentUrl = page.url().split('?')[0];
    expect(await page.getByRole('status').first().textContent()).toBe('The experiment has been designed.');

    await page.getByText('Start the experiment').click();
    await page.getByRole('button', { name: 'Start testing' }).click();
    await page.waitForURL(/done=started/);
    expect(await page.locator('.title-row .status').textContent()).toBe('running');

    // An empty step: the field says what is wrong, and the form stays open.
    await page.getByText('Log a step', { exact: true }).click();
    await page.getByRole('button', { name: 'Log the step' }).click();
    expect(await page.locator('#step-description-error').textContent()).toBe('Fill this in.');
    await page.getByLabel('What did you do?').fill('Interviewed 12 residents at the pop-up');
    await page.getByLabel('Link to evidence').fill('not a link');
    await page.getByRole('button', { name: 'Log the step' }).click();
    expect(await page.locator('#step-evidenceUrl-error').textContent()).toContain('http');
    expect(await page.getByLabel('What did you do?').inputValue()).toBe('Interviewed 12 residents at the pop-up');
    await page.getByLabel('Link to evidence').fill('https://example.org/notes');
    await page.getByRole('button', { name: 'Log the step' }).click();
    await page.waitForURL(/done=step/);

    await page.getByText('Record a Learning Card').click();
    await page.getByLabel('We observed…').fill('Residents asked how to start a repair café');
    await page.getByLabel('From that we learned…').fill('A concrete first activity lowers the threshold');
    await page.getByLabel('Therefore we will…').selectOption('persevere');
    await page.getByLabel('Reliability of the data').selectOption('medium');
    await page.getByRole('button', { name: 'Record the learning' }).click();
    await page.waitForURL(/done=learning/);

    const timeline = page.locator('ol.timeline');
    const english = await timeline.textContent();
    expect(english).toContain('Interviewed 12 residents at the pop-up');
    expect(await page.locator('ol.steps').textContent()).toContain('Interviewed 12 residents at the pop-up');
    expect(await page.locator('.learning').first().textContent()).toContain('A concrete first activity lowers the threshold');
    expect(await timeline.locator('li').count()).toBeGreaterThanOrEqual(4);
    await screenshots(page, 'experiment-lead');

    // Two people at once: a second tab still shows the old version; its step is refused with a clear message.
    const stale = await page.context().newPage();
    await stale.goto(experimentUrl);
    await page.getByText('Record a measurement').click();
    await page.getByLabel('Value', { exact: true }).fill('17');
    await page.getByLabel('Unit').fill('households');
    await page.getByRole('button', { name: 'Record', exact: true }).click();
    await page.waitForURL(/done=measurement/);
    await stale.getByText('Log a step', { exact: true }).click();
    await stale.getByLabel('What did you do?').fill('Put up posters in the stairwells');
    await stale.getByRole('button', { name: 'Log the step' }).click();
    expect(await stale.locator('#step-message').textContent()).toContain('changed this meanwhile');
    expect(await stale.getByLabel('What did you do?').inputValue()).toBe('Put up posters in the stairwells');
    await screenshots(stale, 'experiment-changed-meanwhile');
    await stale.getByRole('button', { name: 'Log the step' }).click();
    await stale.waitForURL(/done=step/);
    expect(await stale.locator('ol.steps').textContent()).toContain('Put up posters in the stairwells');

    // Time travel: before the experiment existed there is nothing to show; as designed, it is not yet running.
    await page.goto(experimentUrl);
    await page.getByLabel('As it was on').fill('2019-01-01');
    await page.getByRole('button', { name: 'Show' }).click();
    expect(new URL(page.url()).searchParams.get('asOf')).toBe('2019-01-01');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Something went wrong');

    // In Norwegian: the switch in the header, dates in nb-NO, timeline sentences from the projection in nb.
    await page.goto(experimentUrl);
    await page.getByRole('link', { name: 'Norsk' }).click();
    await page.waitForURL(experimentUrl);
    expect(await page.locator('html').getAttribute('lang')).toBe('nb');
    expect(await page.getByRole('heading', { name: 'Testkort' }).count()).toBe(1);
    expect(await page.locator('.title-row .status').textContent()).toBe('pågår');
    const norwegian = await page.locator('ol.timeline').textContent();
    expect(norwegian).toContain('Interviewed 12 residents at the pop-up');
    expect(norwegian?.slice(0, 40)).not.toEqual(english?.slice(0, 40));
    await screenshots(page, 'experiment-lead-nb');
  }, 120_000);

  it('shows a partner only their collaboration, and lets them verify the audit trail', async () => {
    const page = await open(partner);
    const collaborations = page.getByRole('region', { name: 'Your collaborations', exact: true });
    expect(await collaborations.textContent()).toContain('SoCentral and Trondheim kommune');
    expect(await collaborations.textContent()).not.toContain('Bergen');
    await screenshots(page, 'dashboard-partner');

    await collaborations.getByRole('link', { name: 'SoCentral and Trondheim kommune' }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('SoCentral and Trondheim kommune');
    const initiatives = await page.locator('section[aria-labelledby="initiatives"]').textContent();
    expect(initiatives).toContain('+CityxChange');
    expect(initiatives).toContain('tentative');
    expect(await page.locator('ol.timeline li').count()).toBeGreaterThan(0);
    // Partners read; only staff get the forms.
    expect(await page.locator('main form[method="post"]').count()).toBe(0);
    await screenshots(page, 'collaboration-partner');

    expect((await page.goto('/collaborations/new'))?.status()).toBe(403);
    const outside = await page.goto(`/collaborations/${otherCollaboration}`);
    expect(outside?.status()).toBe(404);
    await page.goto('/collaborations');
    expect(await page.locator('main').textContent()).not.toContain('Bergen');

    await page.goto('/audit');
    const streams = await page.locator('table.audit tbody').textContent();
    expect(streams).toContain(`collaboration-${DEMO_IDS.trondheimCollaboration}`);
    expect(streams).not.toContain('network-');
    await page.getByRole('button', { name: 'Verify integrity' }).click();
    await page.waitForURL(/\/audit\/verify/);
    expect(await page.locator('#verification').textContent()).toContain('Integrity verified');
    await screenshots(page, 'audit-partner');
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Export as CSV' }).click();
    const csv = readFileSync((await (await download).path()) as string, 'utf8');
    expect(csv).toContain(`collaboration-${DEMO_IDS.trondheimCollaboration}`);
    expect(csv).not.toContain(otherCollaboration);
  }, 120_000);

  it('lets staff generate a 2019 learning summary and download it as Markdown, HTML and PDF', async () => {
    const page = await open(staff);
    expect(await page.getByRole('heading', { name: 'Projection health' }).count()).toBe(1);
    expect(await page.locator('.learning').count()).toBeGreaterThan(0);
    await screenshots(page, 'dashboard-staff');

    await page.getByRole('link', { name: 'Reports' }).click();
    await page.getByLabel('From').fill('2019-01-01');
    await page.getByLabel('To').fill('2019-12-31');
    await page.getByRole('button', { name: 'Generate' }).click();
    await page.waitForURL(/generate=1/);
    await screenshots(page, 'report-staff');

    const saved = async (name: string) => {
      const download = page.waitForEvent('download');
      await page.getByRole('link', { name, exact: true }).click();
      const file = await download;
      return { name: file.suggestedFilename(), body: readFileSync((await file.path()) as string) };
    };
    const markdown = await saved('Markdown');
    expect(markdown.name).toMatch(/\.md$/);
    expect(markdown.body.toString('utf8')).toContain('Cooperatives are a way into neighbourhoods');
    expect(markdown.body.toString('utf8')).not.toContain('The method of Pådriv draws interest beyond Oslo');
    const html = await saved('HTML');
    expect(html.name).toMatch(/\.html$/);
    expect(html.body.toString('utf8')).toMatch(/<html/i);
    const pdf = await saved('PDF');
    expect(pdf.name).toMatch(/\.pdf$/);
    expect(pdf.body.subarray(0, 5).toString('latin1')).toBe('%PDF-');

    await page.goto(`/networks/${DEMO_IDS.padriv}`);
    expect(await page.getByRole('img', { name: /Line chart/ }).evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(0);
    await screenshots(page, 'network-staff');
    await page.goto(`/people/${DEMO_IDS.karinLindgard}`);
    expect(await page.locator('section[aria-labelledby="roles"]').textContent()).toContain('Partner');
    await page.getByLabel('As it was on').fill('2018-12-01');
    await page.getByRole('button', { name: 'Show' }).click();
    expect(await page.locator('section[aria-labelledby="roles"]').textContent()).not.toContain('Partner');
    await screenshots(page, 'person-staff-as-of');
    await page.goto(`/gatherings/${DEMO_IDS.publicHeroes}`);
    expect(await page.locator('ol.timeline').textContent()).not.toBe('');
    await screenshots(page, 'gathering-staff');
    await page.goto('/learnings?q=P%C3%A5driv');
    expect(await page.locator('.learning').count()).toBeGreaterThan(0);
    await screenshots(page, 'learnings-staff');
  }, 120_000);
  it('lets staff design a collaboration, run an activity, confirm an initiative, add a network member and record an insight', async () => {
    const page = await open(staff);
    const section = (name: string) => page.locator(`section[aria-labelledby="${name}"]`);
    const openForm = (selector: string) => page.locator(`${selector} > summary`).click();

    // A collaboration with a partner picked from the organisations.
    await page.goto('/collaborations');
    await page.getByRole('link', { name: 'Design a collaboration' }).click();
    await page.getByLabel('Title').fill('SoCentral and Bergen: neighbourhood labs');
    await page.getByLabel('Partner organisation').selectOption({ label: 'Bergen kommune' });
    await page.getByLabel('Themes').fill('democratisation');
    await screenshots(page, 'collaboration-new');
    await page.getByRole('button', { name: 'Save the collaboration' }).click();
    await page.waitForURL(/\/collaborations\/[0-9a-f-]{36}\?done=collaboration-created$/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('SoCentral and Bergen: neighbourhood labs');

    // An activity: planned, started, completed.
    await openForm('#activity');
    await page.locator('#activity-title').fill('Citizen innovation camp');
    await page.locator('#activity-plannedFor').fill('2027-Q3');
    await page.getByRole('button', { name: 'Plan the activity' }).click();
    await page.waitForURL(/done=activity(?:#|$)/);
    await openForm('details[id^="start-activity-"]');
    await section('activities').getByRole('button', { name: 'Start', exact: true }).click();
    await page.waitForURL(/done=activity-started/);
    expect(await section('activities').locator('.tag').textContent()).toBe('started');
    await openForm('details[id^="complete-activity-"]');
    await section('activities').getByLabel('Outcome').fill('40 residents took part');
    await section('activities').getByRole('button', { name: 'Complete', exact: true }).click();
    await page.waitForURL(/done=activity-completed/);
    expect(await section('activities').textContent()).toContain('completed');
    expect(await section('activities').textContent()).toContain('40 residents took part');

    // An initiative: linked as tentative, then confirmed.
    await openForm('#initiative');
    await page.locator('#initiative-name').fill('Horizon Europe neighbourhood labs');
    await page.locator('#initiative-kind').selectOption('eu-project');
    await page.locator('#initiative-confidence').selectOption('tentative');
    await page.getByRole('button', { name: 'Link the initiative' }).click();
    await page.waitForURL(/done=initiative(?:#|$)/);
    expect(await section('initiatives').locator('.tag').textContent()).toBe('tentative');
    await openForm('details[id^="confirm-initiative-"]');
    await section('initiatives').getByRole('button', { name: 'Confirm', exact: true }).click();
    await page.waitForURL(/done=initiative-confirmed/);
    expect(await section('initiatives').locator('.tag').textContent()).toBe('confirmed');
    expect(await page.locator('ol.timeline').textContent()).toContain('Horizon Europe neighbourhood labs');
    await openForm('#milestone');
    await screenshots(page, 'collaboration-staff');

    // An insight from a gathering.
    await page.goto(`/gatherings/${DEMO_IDS.publicHeroes}`);
    await openForm('#insight');
    await fillIn(page, {
      'We observed…': 'Caseworkers asked for permission to try',
      'From that we learned…': 'Permission matters more than guidelines',
      Themes: 'public sector innovation',
    });
    await screenshots(page, 'gathering-insight');
    await page.getByRole('button', { name: 'Record the insight' }).click();
    await page.waitForURL(/done=insight/);
    expect(await section('insights').textContent()).toContain('Permission matters more than guidelines');

    // A member joins a network, picked from the people.
    await page.goto(`/networks/${DEMO_IDS.padriv}`);
    await openForm('#member');
    await page.locator('#member-personId').selectOption({ label: 'Lea Lead' });
    await page.getByRole('button', { name: 'Record the member' }).click();
    await page.waitForURL(/done=member/);
    expect(await section('members').textContent()).toContain('Lea Lead');
    await screenshots(page, 'network-member');

    // Joining twice breaks a rule of the network: the API's 422, in bokmål.
    await page.getByRole('link', { name: 'Norsk' }).click();
    await page.waitForURL(/\/networks\//);
    await openForm('#member');
    await page.locator('#member-personId').selectOption({ label: 'Lea Lead' });
    const refused = page.waitForResponse((response) => response.request().method() === 'POST');
    await page.getByRole('button', { name: 'Registrer medlemmet' }).click();
    expect((await refused).status()).toBe(422);
    expect(await page.locator('#member-message').textContent()).toBe('Dette kunne ikke lagres: Denne personen er allerede medlem.');
    await screenshots(page, 'network-rule-nb');
  }, 120_000);

  it('lets staff design an experiment for a lead they pick', async () => {
    const page = await open(staff);
    await page.goto('/experiments/new');
    await page.getByLabel('Lead').selectOption({ label: 'Lea Lead' });
    await fillIn(page, {
      Title: 'Repair café in the stairwell',
      'Hypothesis: we believe that…': 'Neighbours repair together when tools are at hand',
      'Test: to verify that, we will…': 'Lend tools from a stairwell cupboard for a month',
      'Metric: and measure…': 'Loans per week',
      'Success criteria: we are right if…': 'At least 10 loans a week',
    });
    await page.getByRole('button', { name: 'Save the Test Card' }).click();
    await page.waitForURL(/done=designed/);
    expect(await page.locator('main > p.muted').first().textContent()).toContain('Lead: Lea Lead');
  }, 60_000);
});
