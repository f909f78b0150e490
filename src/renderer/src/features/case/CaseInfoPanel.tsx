/** What case.info says about the open case, as a definition list. */
import type { CaseInfo } from '../../../../shared/api';
import { formatBytes, formatTimestamp } from '../../lib/format';

export function CaseInfoPanel({ info }: { info: CaseInfo }) {
  const rows: Array<[string, string, string]> = [
    ['File', info.path, 'path'],
    ['Case id', info.caseId, 'case-id'],
    ['Created', formatTimestamp(info.createdAt), 'created'],
    ['Schema', `version ${info.schemaVersion} (Leakscope ${info.appVersion})`, 'schema'],
    [
      'Encryption',
      `${info.cipher.name} v${info.cipher.legacy}, PBKDF2 ${info.cipher.kdfIter.toLocaleString()} rounds`,
      'cipher',
    ],
    ['Size', formatBytes(info.bytes), 'size'],
    ['Datasets', String(info.datasets), 'datasets'],
    ['Audit entries', String(info.auditEntries), 'audit-entries'],
  ];
  return (
    <section className="card" aria-labelledby="case-info-title">
      <h2 id="case-info-title">Case</h2>
      <dl className="facts" data-testid="case-info">
        {rows.map(([term, value, key]) => (
          <div key={key} className="fact">
            <dt>{term}</dt>
            <dd data-field={key} title={value}>
              {value}
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
