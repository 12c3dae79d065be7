// Shared by the service-worker specs (offline.spec.mjs, sw.spec.mjs).

/** Waits until the worker has activated and controls the page. */
export async function controlled(page) {
  await page.evaluate(async () => {
    const sw = navigator.serviceWorker;
    const worker = (await sw.ready).active;
    if (worker.state !== 'activated') {
      await new Promise((r) => worker.addEventListener('statechange', () => worker.state === 'activated' && r()));
    }
    if (!sw.controller) await new Promise((r) => sw.addEventListener('controllerchange', r, { once: true }));
  });
}
