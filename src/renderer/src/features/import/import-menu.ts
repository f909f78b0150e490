/**
 * The desktop menu's "Import file…" (menu command `import.file`, with the path main's dialog
 * granted). App.tsx switches to the Import view on that command, but the Import view is only
 * mounted after the switch, too late to hear the event. So a mailbox per API instance keeps the
 * last path until the Import view takes it. The mailbox subscribes once, for the lifetime of the
 * API object, the first time the Case overview or the Import view mounts (the Case overview is
 * the first view shown whenever a case opens, so the mailbox is listening before any menu use).
 *
 * Over HTTP `api.on` never fires: the mailbox simply stays empty.
 */
import type { AppApi } from '../../api/client';

interface Mailbox {
  path: string | null;
  listeners: Set<(path: string) => void>;
}

const boxes = new WeakMap<AppApi, Mailbox>();

/** Starts listening for `import.file` on this API (idempotent). */
export function ensureImportMailbox(api: AppApi): Mailbox {
  let box = boxes.get(api);
  if (!box) {
    const created: Mailbox = { path: null, listeners: new Set() };
    api.on('menu.command', ({ command, path }) => {
      if (command !== 'import.file' || path === null) return;
      if (created.listeners.size > 0) {
        created.path = null;
        for (const l of created.listeners) l(path);
      } else {
        created.path = path;
      }
    });
    boxes.set(api, created);
    box = created;
  }
  return box;
}

/** The path waiting for the Import view, if any (cleared once taken). */
export function takeImportPath(api: AppApi): string | null {
  const box = ensureImportMailbox(api);
  const path = box.path;
  box.path = null;
  return path;
}

/** Calls `listener` for each later `import.file` command while subscribed. */
export function onImportPath(api: AppApi, listener: (path: string) => void): () => void {
  const box = ensureImportMailbox(api);
  box.listeners.add(listener);
  return () => box.listeners.delete(listener);
}
