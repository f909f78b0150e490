/**
 * The global search box's state: what is typed shows at once; the search sent to the engine
 * follows after a pause (debounce), as a transition, so typing never waits for a query or a grid
 * render. Answers to an older search are dropped by the row source (one source per query).
 */
import { startTransition, useCallback, useDeferredValue, useEffect, useState } from 'react';

export const SEARCH_DEBOUNCE_MS = 300;

export function useSearch(initial = '', delay = SEARCH_DEBOUNCE_MS) {
  const [text, setText] = useState(initial);
  const [committed, setCommitted] = useState(initial.trim());
  const deferred = useDeferredValue(text);

  useEffect(() => {
    const next = deferred.trim();
    if (next === committed) return;
    const t = setTimeout(() => startTransition(() => setCommitted(next)), delay);
    return () => clearTimeout(t);
  }, [deferred, committed, delay]);

  /** Sets both at once (restoring a view, clearing). */
  const reset = useCallback((value: string) => {
    setText(value);
    setCommitted(value.trim());
  }, []);

  return { text, setText, search: committed, pending: text.trim() !== committed, reset };
}
