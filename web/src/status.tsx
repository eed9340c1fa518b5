// A status as words and a colour that does not carry the meaning alone.
export function StatusBadge({ status }: { status: string }) {
  return <span className={`status status-${status}`}>{status.replaceAll('_', ' ')}</span>;
}
