// A button whose action is confirmed in a modal dialog first (with a reason where the API
// asks for one); a refusal is shown in the API's words and the dialog stays open.
import { useRef, useState, type FormEvent } from 'react';

export function ConfirmAction(props: { label: string; title: string; reason?: string; danger?: boolean; onConfirm(reason: string): Promise<unknown> }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [reason, setReason] = useState('');

  async function confirm(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await props.onConfirm(reason.trim());
      setReason('');
      dialog.current?.close();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <button type="button" className={props.danger ? 'danger' : undefined} onClick={() => dialog.current?.showModal()}>
        {props.label}
      </button>
      <dialog ref={dialog} aria-labelledby={`${props.label}-title`}>
        <form onSubmit={(e) => void confirm(e)}>
          <h2 id={`${props.label}-title`}>{props.title}</h2>
          {props.reason && (
            <>
              <label htmlFor={`${props.label}-reason`}>{props.reason}</label>
              <textarea id={`${props.label}-reason`} required value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} />
            </>
          )}
          {error && <p role="alert" className="error">{error}</p>}
          <div className="dialog-buttons">
            <button type="button" onClick={() => dialog.current?.close()}>Back</button>
            <button type="submit" className={props.danger ? 'danger' : 'primary'} disabled={busy}>
              {`Confirm: ${props.label}`}
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}
