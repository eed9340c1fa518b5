// A button that opens a modal form for an action (hold, cancel, reroute, change address); the
// API's refusal is shown in its words and the dialog stays open.
import { useRef, useState, type FormEvent, type ReactNode } from 'react';

export function ActionDialog(props: { label: string; title: string; danger?: boolean; children: ReactNode; onSubmit(form: FormData): Promise<unknown> }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const id = props.label.toLowerCase().replaceAll(' ', '-');

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    setBusy(true);
    setError(undefined);
    try {
      await props.onSubmit(new FormData(form));
      form.reset();
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
      <dialog ref={dialog} aria-labelledby={`${id}-title`}>
        <form onSubmit={(e) => void submit(e)}>
          <h2 id={`${id}-title`}>{props.title}</h2>
          {props.children}
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

/** A labelled input inside an action dialog. */
export function Field({ name, label, required, defaultValue }: { name: string; label: string; required?: boolean; defaultValue?: string }) {
  return (
    <>
      <label htmlFor={`field-${name}`}>{label}</label>
      <input id={`field-${name}`} name={name} required={required} defaultValue={defaultValue} autoComplete="off" />
    </>
  );
}
