// The "Scan barcode" field of the floor: a keyboard-wedge scanner types the code and Enter; the
// field clears on a recorded scan and keeps the focus for the next one. Where the browser reads
// barcodes itself, the camera too.
import { useRef, useState, type FormEvent } from 'react';
import { CameraScan } from './camera-scan.tsx';

export function ScanForm({ id, onScan }: { id: string; onScan(barcode: string): Promise<boolean> }) {
  const [code, setCode] = useState('');
  const input = useRef<HTMLInputElement>(null);
  async function submit(event: FormEvent) {
    event.preventDefault();
    const barcode = code.trim();
    if (barcode && (await onScan(barcode))) setCode('');
    input.current?.focus();
  }
  return (
    <form className="scan" onSubmit={(e) => void submit(e)}>
      <label htmlFor={id}>Scan barcode</label>
      <input id={id} ref={input} autoFocus autoComplete="off" value={code} onChange={(e) => setCode(e.target.value)} />
      <button type="submit">Add</button>
      <CameraScan onCode={onScan} />
    </form>
  );
}
