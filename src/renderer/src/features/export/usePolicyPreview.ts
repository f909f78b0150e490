/**
 * The live preview of the policy editor: `redact.preview` of the first records of the chosen
 * subset through the policy as edited (sent inline, so unsaved edits show at once), re-asked a
 * moment after each change that affects the output. Answers arriving out of order are dropped.
 *
 * `stale` is true from the moment the policy changes until the new preview arrives: the preview
 * table then hides the values of columns the last answer showed in clear, so a column just
 * switched to a redacting rule never shows its raw values, not even for a moment.
 */
import { useEffect, useRef, useState } from 'react';
import type { PreviewResult } from '../../../../shared/api';
import type { FilterNode } from '../../../../shared/filter';
import { useApi } from '../../api/context';
import { errorMessage } from '../../lib/errors';

export interface PreviewRequest {
  dataset: string;
  /** A policy name, or the edited document. */
  policy: unknown;
  filter: FilterNode | null;
  search: string | null;
  /** Changes whenever the output would (policy signature + subset). */
  key: string;
}

export const PREVIEW_DELAY_MS = 300;
export const PREVIEW_ROWS = 20;

export function usePolicyPreview(request: PreviewRequest | null) {
  const api = useApi();
  const [result, setResult] = useState<{ key: string; preview: PreviewResult } | null>(null);
  const [error, setError] = useState<{ key: string; message: string } | null>(null);
  const seq = useRef(0);
  const key = request?.key ?? null;
  // The request object changes identity on every render; its key says when it really changed.
  const latest = useRef(request);
  useEffect(() => {
    latest.current = request;
  });

  useEffect(() => {
    if (key === null) return;
    const mine = ++seq.current;
    const timer = setTimeout(() => {
      const r = latest.current;
      if (!r) return;
      api.client
        .call('redact.preview', {
          dataset: r.dataset,
          policy: r.policy,
          ...(r.filter ? { filter: r.filter } : {}),
          ...(r.search ? { search: r.search } : {}),
          limit: PREVIEW_ROWS,
        })
        .then((preview) => {
          if (seq.current !== mine) return;
          setResult({ key: r.key, preview });
          setError(null);
        })
        .catch((e: unknown) => {
          if (seq.current !== mine) return;
          setError({ key: r.key, message: errorMessage(e) });
        });
    }, PREVIEW_DELAY_MS);
    return () => clearTimeout(timer);
  }, [api, key]);

  const current = result && key !== null ? result : null;
  return {
    preview: current?.preview ?? null,
    stale: current !== null && current.key !== key,
    loading: key !== null && (current === null || current.key !== key) && error?.key !== key,
    error: error && error.key === key ? error.message : null,
  };
}
