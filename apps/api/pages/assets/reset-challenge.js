// The proof of work on "Forgot Your Password?" (docs/api.md, Abuse protection): puts the ALTCHA
// widget (served by this service, loaded just before this module) into the form when the server
// asked for a challenge, in the page's language. The widget fetches a challenge from the service,
// solves it in a same-origin Web Worker and adds its payload to the form as the `altcha` field.
// Without JavaScript nothing of this runs: the page's <noscript> text says why the form cannot work.
const box = document.getElementById('reset-challenge');
const altcha = globalThis.$altcha;
if (box && altcha) {
  const language = box.getAttribute('data-language');
  const strings = JSON.parse(box.getAttribute('data-strings'));
  const workerUrl = box.getAttribute('data-worker');
  // The strict-CSP build bundles no worker: register the one this service serves (script-src 'self').
  altcha.algorithms.set('SHA-256', () => new Worker(workerUrl));
  // The page's words, and no "Protected by ALTCHA" footer (a link to another site) or logo.
  altcha.i18n.set(language, { ...altcha.i18n.get('en'), ...strings, footer: '', ariaLinkLabel: '' });

  const widget = document.createElement('altcha-widget');
  widget.setAttribute('challenge', box.getAttribute('data-challenge-url'));
  widget.setAttribute('name', 'altcha');
  widget.setAttribute('language', language);
  // Solving starts when the customer reaches the form, so it is usually done before they submit.
  widget.setAttribute('auto', 'onfocus');
  widget.setAttribute('configuration', JSON.stringify({ hideFooter: true, hideLogo: true }));
  box.querySelector('[data-widget-slot]').appendChild(widget);
  box.hidden = false;

  // A submit before the puzzle is solved waits for it instead of sending a form the server refuses.
  const form = box.closest('form');
  let waiting = false;
  form.addEventListener('submit', (event) => {
    const state = typeof widget.getState === 'function' ? widget.getState() : 'verified';
    if (state === 'verified') return;
    event.preventDefault();
    if (waiting) return;
    waiting = true;
    widget.addEventListener(
      'verified',
      () => {
        waiting = false;
        form.submit();
      },
      { once: true },
    );
    if (state !== 'verifying' && typeof widget.verify === 'function') widget.verify();
  });
}
