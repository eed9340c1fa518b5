// Board thresholds (admin): when each tile turns orange (warning) and red (critical).
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, must } from '../api.ts';

export function SettingsPage() {
  const queries = useQueryClient();
  const board = useQuery({ queryKey: ['board'], queryFn: () => must(api.GET('/v1/board')) });
  const [error, setError] = useState<string>();
  const [saved, setSaved] = useState(false);

  async function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(undefined);
    setSaved(false);
    const form = new FormData(event.currentTarget);
    const thresholds = Object.fromEntries(
      (board.data?.tiles ?? []).map((t) => [t.id, { warning: Number(form.get(`${t.id}.warning`)), critical: Number(form.get(`${t.id}.critical`)) }]),
    );
    try {
      await must(api.PUT('/v1/board/thresholds', { body: thresholds as never }));
      setSaved(true);
      await queries.invalidateQueries({ queryKey: ['board'] });
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  }

  return (
    <section aria-labelledby="settings-title">
      <h1 id="settings-title">Board thresholds</h1>
      {board.data && (
        <form onSubmit={(e) => void save(e)}>
          <table>
            <thead><tr><th scope="col">Tile</th><th scope="col">Orange from</th><th scope="col">Red from</th></tr></thead>
            <tbody>
              {board.data.tiles.map((t) => (
                <tr key={t.id}>
                  <th scope="row">{t.label}</th>
                  <td><input aria-label={`${t.label} orange from`} name={`${t.id}.warning`} type="number" min={0} defaultValue={t.warning} /></td>
                  <td><input aria-label={`${t.label} red from`} name={`${t.id}.critical`} type="number" min={0} defaultValue={t.critical} /></td>
                </tr>
              ))}
            </tbody>
          </table>
          <p><button type="submit" className="primary">Save thresholds</button></p>
          {saved && <p role="status">Saved.</p>}
          {error && <p role="alert" className="error">{error}</p>}
        </form>
      )}
    </section>
  );
}
