/**
 * Choosing, saving, deleting, importing and exporting redaction policies (policy.*). Policy
 * files hold no record value and no key, so they travel between cases and colleagues.
 */
import { useState } from 'react';
import type { PolicySummary } from '../../../../shared/api';
import { isBuiltinPolicy } from '../../../../shared/redaction';
import { PathField } from '../case/PathField';

export function PolicyToolbar({
  policies,
  selected,
  builtIn,
  dirty,
  saveName,
  busy,
  onSelect,
  onNew,
  onSaveName,
  onSave,
  onDelete,
  onImport,
  onExport,
}: {
  policies: readonly PolicySummary[];
  selected: string;
  builtIn: boolean;
  dirty: boolean;
  saveName: string;
  busy: boolean;
  onSelect(name: string): void;
  onNew(): void;
  onSaveName(name: string): void;
  onSave(): void;
  onDelete(): void;
  onImport(path: string): void;
  onExport(path: string): void;
}) {
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [importPath, setImportPath] = useState('');
  const [exportPath, setExportPath] = useState('');
  const nameTaken = isBuiltinPolicy(saveName.trim());
  const summary = policies.find((p) => p.name === selected);
  return (
    <div className="policy-toolbar">
      <div className="inline-form">
        <div className="field">
          <label htmlFor="policy-select">Policy</label>
          <select
            id="policy-select"
            value={selected}
            onChange={(e) => {
              setConfirmDelete(false);
              onSelect(e.target.value);
            }}
          >
            {policies.map((p) => (
              <option key={p.name} value={p.name}>
                {p.name}
                {p.builtIn ? ' (built-in)' : ''}
              </option>
            ))}
            {!policies.some((p) => p.name === selected) ? (
              <option value={selected}>{selected} (new)</option>
            ) : null}
          </select>
        </div>
        <button type="button" className="secondary" onClick={onNew} disabled={busy}>
          New policy
        </button>
      </div>
      {summary?.description ? <p className="help">{summary.description}</p> : null}
      <div className="inline-form">
        <div className="field">
          <label htmlFor="policy-name">Save as</label>
          <input
            id="policy-name"
            type="text"
            value={saveName}
            aria-invalid={nameTaken}
            onChange={(e) => onSaveName(e.target.value)}
            spellCheck={false}
          />
        </div>
        <button
          type="button"
          onClick={onSave}
          disabled={busy || nameTaken || !saveName.trim() || (!dirty && saveName === selected)}
        >
          Save policy
        </button>
        {!builtIn && policies.some((p) => p.name === selected) ? (
          confirmDelete ? (
            <>
              <button
                type="button"
                className="danger"
                onClick={() => {
                  setConfirmDelete(false);
                  onDelete();
                }}
              >
                Delete “{selected}”
              </button>
              <button type="button" className="secondary" onClick={() => setConfirmDelete(false)}>
                Keep it
              </button>
            </>
          ) : (
            <button
              type="button"
              className="secondary"
              disabled={busy}
              onClick={() => setConfirmDelete(true)}
            >
              Delete…
            </button>
          )
        ) : null}
        {dirty ? <span className="unsaved small">Unsaved changes</span> : null}
      </div>
      {nameTaken ? (
        <p className="field-error">Built-in policies cannot be replaced: choose another name.</p>
      ) : null}
      <details className="policy-files">
        <summary>Import or export a policy file</summary>
        <div className="inline-form">
          <PathField
            id="policy-import-path"
            label="Policy file to import"
            kind="policy-open"
            value={importPath}
            onChange={setImportPath}
            placeholder="/home/analyst/policies/cnil.json"
          />
          <button
            type="button"
            className="secondary"
            disabled={busy || !importPath.trim()}
            onClick={() => onImport(importPath.trim())}
          >
            Import policy
          </button>
        </div>
        <div className="inline-form">
          <PathField
            id="policy-export-path"
            label={`Write “${selected}” to`}
            kind="policy-save"
            value={exportPath}
            onChange={setExportPath}
            placeholder="/home/analyst/policies/policy.json"
          />
          <button
            type="button"
            className="secondary"
            disabled={busy || !exportPath.trim() || dirty}
            onClick={() => onExport(exportPath.trim())}
          >
            Export policy
          </button>
        </div>
        {dirty ? <p className="help">Save your changes before exporting the policy.</p> : null}
      </details>
    </div>
  );
}
