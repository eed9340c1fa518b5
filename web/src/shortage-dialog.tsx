// "Report shortage": which line, how many units the shelf does not have (they are written off
// and the order routes them elsewhere).
import { useRef, useState } from 'react';

export function ShortageDialog({ lines, onReport }: { lines: { lineId: string; sku: string; quantity: number; picked: number }[]; onReport(lineId: string, quantity: number): Promise<boolean> }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const open = lines.filter((l) => l.picked < l.quantity);
  const [lineId, setLineId] = useState(open[0]?.lineId ?? '');
  const [quantity, setQuantity] = useState('1');
  return (
    <>
      <button type="button" onClick={() => dialog.current?.showModal()}>Report shortage</button>
      <dialog ref={dialog} aria-labelledby="shortage-title">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void onReport(lineId, Number(quantity)).then((ok) => ok && dialog.current?.close());
          }}
        >
          <h2 id="shortage-title">Report a shortage</h2>
          <label htmlFor="shortage-line">Line</label>
          <select id="shortage-line" value={lineId} onChange={(e) => setLineId(e.target.value)}>
            {open.map((l) => <option key={l.lineId} value={l.lineId}>{l.sku} ({l.quantity - l.picked} still to pick)</option>)}
          </select>
          <label htmlFor="shortage-quantity">Units missing</label>
          <input id="shortage-quantity" type="number" min={1} required value={quantity} onChange={(e) => setQuantity(e.target.value)} />
          <div className="dialog-buttons">
            <button type="button" onClick={() => dialog.current?.close()}>Back</button>
            <button type="submit" className="danger">Confirm: Report shortage</button>
          </div>
        </form>
      </dialog>
    </>
  );
}
