/** URL prefix of the dev server's own endpoints; outside any base path, never a page of the site. */
export const devPrefix = '/__blogbuild/';

/** Server-sent events: `state` messages with `{ buildId, errorText }`. */
export const eventsPath = `${devPrefix}events`;

/** The live-reload script. */
export const clientPath = `${devPrefix}client.js`;

/** Id of the error overlay element. */
export const overlayId = 'blogbuild-error-overlay';

/**
 * The tag the server adds to every HTML response (and only there: `build` output never has it). The page's
 * build id lets the script tell whether what it shows is stale, even if a rebuild ended before it connected.
 */
export function clientTag(buildId: string): string {
  return `<script src="${clientPath}" data-build="${buildId}" defer></script>`;
}

/**
 * The browser side of live reload: listens to the server's events, reloads when the served build differs from
 * the one the page came from, and shows build errors in an overlay (text set with textContent, so escaped).
 * EventSource reconnects by itself when the server restarts.
 */
export const clientScript = `(() => {
  const script = document.currentScript;
  const pageBuild = script && script.dataset.build;
  const overlayId = ${JSON.stringify(overlayId)};
  function showOverlay(text) {
    let overlay = document.getElementById(overlayId);
    if (!overlay) {
      overlay = document.createElement('div');
      overlay.id = overlayId;
      overlay.setAttribute('role', 'alert');
      overlay.style.cssText = 'position:fixed;inset:0;z-index:2147483647;overflow:auto;margin:0;padding:2rem;' +
        'background:rgba(20,20,20,.97);color:#f8f8f2;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;';
      const title = document.createElement('p');
      title.style.cssText = 'margin:0 0 1rem;padding:0;color:#ff6b6b;font:inherit;font-weight:bold;max-width:none;';
      title.textContent = 'blogbuild: the last change has errors; the page shows the last good build.';
      const pre = document.createElement('pre');
      // Inline styles win over the theme's own pre rules (background, colour, padding), which made the text unreadable.
      pre.style.cssText = 'margin:0;padding:0;border:0;border-radius:0;box-shadow:none;background:transparent;color:#f8f8f2;' +
        'font:inherit;white-space:pre-wrap;overflow:visible;max-width:none;';
      const hint = document.createElement('p');
      hint.style.cssText = 'margin:1rem 0 0;padding:0;color:#f8f8f2;font:inherit;opacity:.7;max-width:none;';
      hint.textContent = 'Fix the file and save: this page updates by itself.';
      overlay.append(title, pre, hint);
      document.body.append(overlay);
    }
    overlay.querySelector('pre').textContent = text;
  }
  function hideOverlay() {
    const overlay = document.getElementById(overlayId);
    if (overlay) overlay.remove();
  }
  const source = new EventSource(${JSON.stringify(eventsPath)});
  source.addEventListener('state', (event) => {
    const state = JSON.parse(event.data);
    if (state.errorText) {
      showOverlay(state.errorText);
      return;
    }
    hideOverlay();
    if (pageBuild && state.buildId !== pageBuild) {
      source.close();
      location.reload();
    }
  });
})();
`;
