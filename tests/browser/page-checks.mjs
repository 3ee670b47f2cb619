// Checks of the book's interactive parts, run on every page after the
// checks that every page gets (console, requests, images, math, links).
//
// Each entry is an async function ({ page, file, fail }) where
//   page  is the Playwright page, loaded and settled,
//   file  is the page's path inside the book folder ("ch07-watching-nmf-learn.html"),
//   fail  is a function (message) that records a problem on this page.
// A check returns the number of things it checked on this page (0 where
// the page has none of them), so that the report can show that it ran.
// Give each check a name: the report prints it beside its count.

/** The losses that the book states, checked on the scrubbers' ends:
 *  scrubber id → { frame index: the loss to 3 significant digits }. */
const KNOWN_LOSSES = {
  // Chapter 7: the article's start, 377.74, and 0.393 after 50 iterations.
  'cos2-scrubber': { 0: '378', 50: '0.393' },
};

/** Every iteration scrubber on the page: moving the slider to a frame
 *  shows that frame and only it, and the status text gives its step and
 *  the loss the example wrote into it; the arrow keys step by one. */
async function scrubbers({ page, fail }) {
  const ids = await page.$$eval('div.scrubber', (els) => els.map((e) => e.id));
  for (const id of ids) {
    const root = `#${id}`;
    const ready = await page.$eval(root, (e) => e.dataset.ready === 'true');
    if (!ready) {
      fail(`${id}: the scrubber did not set itself up`);
      continue;
    }
    const frames = await page.$$eval(`${root} svg.frames g.frame`, (gs) =>
      gs.map((g) => ({ frame: g.dataset.frame, t: g.dataset.t, loss: g.dataset.loss })),
    );
    const declared = await page.$eval(root, (e) => Number(e.dataset.frames));
    if (frames.length < 2 || frames.length !== declared) {
      fail(`${id}: ${frames.length} frames, but data-frames says ${declared}`);
      continue;
    }
    // What the page shows now: the scrubber's state, the visible frames
    // and the status text.
    const shown = () =>
      page.$eval(root, (e) => ({
        frame: e.dataset.frame,
        t: e.dataset.t,
        loss: e.dataset.loss,
        visible: [...e.querySelectorAll('svg.frames g.frame')]
          .filter((g) => g.getAttribute('display') !== 'none' && getComputedStyle(g).display !== 'none')
          .map((g) => g.dataset.frame),
        status: e.querySelector('output.scrubber-status').textContent,
      }));
    const expect = async (i, how) => {
      const s = await shown();
      const want = frames[i];
      if (s.frame !== String(i) || s.visible.length !== 1 || s.visible[0] !== String(i)) {
        fail(`${id}: ${how}: frame ${s.frame} with ${s.visible.join(',') || 'none'} visible, not frame ${i}`);
      }
      if (s.t !== want.t || s.loss !== want.loss) {
        fail(`${id}: ${how}: t ${s.t}, loss ${s.loss}; the example wrote t ${want.t}, loss ${want.loss}`);
      }
      if (!s.status.includes(` ${want.t} `) || !s.status.includes(want.loss)) {
        fail(`${id}: ${how}: status "${s.status}" lacks t ${want.t} or loss ${want.loss}`);
      }
    };
    const last = frames.length - 1;
    const middle = Math.floor(last / 2);
    for (const i of [last, middle, 1, 0]) {
      await page.$eval(
        `${root} input.scrubber-slider`,
        (input, value) => {
          input.value = String(value);
          input.dispatchEvent(new Event('input', { bubbles: true }));
        },
        i,
      );
      await expect(i, `slider to ${i}`);
    }
    await page.focus(`${root} input.scrubber-slider`);
    await page.keyboard.press('ArrowRight');
    await expect(1, 'ArrowRight from frame 0');
    await page.keyboard.press('ArrowLeft');
    await expect(0, 'ArrowLeft from frame 1');
    await page.click(`${root} button.scrubber-next`);
    await expect(1, 'next from frame 0');
    await page.click(`${root} button.scrubber-prev`);
    await expect(0, 'previous from frame 1');
    for (const [i, loss] of Object.entries(KNOWN_LOSSES[id] || {})) {
      const wrote = Number(frames[i].loss).toPrecision(3);
      if (wrote !== loss) fail(`${id}: frame ${i} has loss ${frames[i].loss}; the book says ${loss}`);
    }
  }
  return ids.length;
}

export const pageChecks = [scrubbers];
