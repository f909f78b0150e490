/**
 * React access to the AppApi: one provider at the root, `useApi()` in components. Tests pass an
 * AppApi over a fake transport.
 */
import { createContext, useContext, type ReactNode } from 'react';
import type { AppApi } from './client';

const ApiContext = createContext<AppApi | null>(null);

export function ApiProvider({ api, children }: { api: AppApi; children: ReactNode }) {
  return <ApiContext.Provider value={api}>{children}</ApiContext.Provider>;
}

export function useApi(): AppApi {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi() outside <ApiProvider>');
  return api;
}
