// One proofread request from a compose window to the background worker, over a port of its own: the
// draft goes out, tokens and then a result or an error come back. A keepalive message every 15 s keeps
// Chrome from stopping an idle service worker (30 s) in the middle of a slow, non-streamed request.
import { PORT_NAME, errorInfo, msg, newRequestId, validateMessage } from "../protocol.js";

const KEEPALIVE_MS = 15000;

/**
 * Starts the request; exactly one of onResult / onError is called, unless `stop()` comes first.
 * @returns {{stop: (sendCancel: boolean) => void} | null} null when no request could start (onError was called)
 */
export function startProofread({ win, runtime, draft, site, onToken, onResult, onError }) {
  let port;
  try {
    port = runtime.connect({ name: PORT_NAME });
  } catch {
    // The extension was reloaded or updated under this page.
    onError(errorInfo("extension_reloaded", "The extension was updated. Reload this page to proofread.", "extension"));
    return null;
  }
  const requestId = newRequestId();
  let keepalive = null;
  const stop = (sendCancel) => {
    win.clearInterval(keepalive);
    if (!port) return;
    if (sendCancel) {
      try {
        port.postMessage(msg.proofreadCancel(requestId));
      } catch {
        // port already gone
      }
    }
    port.disconnect();
    port = null;
  };
  port.onMessage.addListener((m) => {
    if (!port || !validateMessage(m).ok || m.requestId !== requestId) return;
    if (m.type === "proofread/token") onToken(m.text);
    else if (m.type === "proofread/result") {
      stop(false);
      onResult(m.result);
    } else if (m.type === "proofread/error") {
      stop(false);
      onError(m.error);
    }
  });
  port.onDisconnect.addListener(() => {
    if (!port) return;
    port = null; // already disconnected: nothing to close
    stop(false);
    onError(errorInfo("disconnected", "The extension's background worker stopped.", "extension"));
  });
  port.postMessage(msg.proofreadStart(requestId, draft, site));
  keepalive = win.setInterval(() => {
    try {
      port?.postMessage(msg.proofreadKeepalive(requestId));
    } catch {
      // disconnected: onDisconnect reports it
    }
  }, KEEPALIVE_MS);
  return { stop };
}
