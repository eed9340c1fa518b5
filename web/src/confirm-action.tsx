// An action confirmed in a modal dialog first, with the reason the API asks for where it asks
// for one (hold, cancel); built on ActionDialog, so a refusal shows the same way.
import { ActionDialog } from './action-dialog.tsx';

export function ConfirmAction(props: { label: string; title: string; reason?: string; danger?: boolean; onConfirm(reason: string): Promise<unknown> }) {
  const id = `${props.label.toLowerCase().replaceAll(' ', '-')}-reason`;
  return (
    <ActionDialog label={props.label} title={props.title} {...(props.danger ? { danger: true } : {})} onSubmit={(form) => props.onConfirm(String(form.get('reason') ?? '').trim())}>
      {props.reason && (
        <>
          <label htmlFor={id}>{props.reason}</label>
          <textarea id={id} name="reason" required maxLength={500} />
        </>
      )}
    </ActionDialog>
  );
}
