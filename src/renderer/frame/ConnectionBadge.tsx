import type { ConnectionStatus } from '../engine-client/engine-client';

const LABELS: Record<ConnectionStatus['state'], string> = {
  connecting: 'connecting to engine…',
  connected: 'engine connected',
  restarting: 'engine restarting…',
  failed: 'engine unavailable',
};

export function ConnectionBadge({ status }: { status: ConnectionStatus }) {
  const title = [status.host, status.detail].filter(Boolean).join(' · ');
  return (
    <output className={`connection connection--${status.state}`} title={title} data-testid="engine-status">
      <span className="connection__dot" aria-hidden="true" />
      {LABELS[status.state]}
      {status.detail && status.state !== 'connected' ? (
        <span className="connection__detail">{status.detail}</span>
      ) : null}
    </output>
  );
}
