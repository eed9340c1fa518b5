// The ops board: a tile per thing that needs someone, green / orange / red against the
// thresholds an admin set, each opening its orders. It follows changes by polling.
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, must } from '../api.ts';

const LEVEL_WORDS = { ok: 'fine', warning: 'warning', critical: 'critical' } as const;

export function BoardPage() {
  const board = useQuery({ queryKey: ['board'], queryFn: () => must(api.GET('/v1/board')), refetchInterval: 5000 });
  return (
    <section aria-labelledby="board-title">
      <h1 id="board-title">Board</h1>
      {board.error && <p role="alert" className="error">{board.error.message}</p>}
      <ul className="tiles">
        {board.data?.tiles.map((tile) => (
          <li key={tile.id}>
            <Link to={`/orders?tile=${tile.id}`} className={`tile tile-${tile.level}`} title={tile.description} data-tile={tile.id}>
              <span className="tile-label">{tile.label}</span> <span className="tile-count">{tile.count}</span>
              <span className="visually-hidden">, {LEVEL_WORDS[tile.level]}</span>
            </Link>
          </li>
        ))}
      </ul>
      {board.data?.networkTiles
        .filter((tile) => tile.count > 0)
        .map((tile) => (
          <section key={tile.id} aria-labelledby={`tile-${tile.id}`} className={`tile tile-${tile.level} network-tile`} data-tile={tile.id} title={tile.description}>
            <h2 id={`tile-${tile.id}`}>
              <span className="tile-label">{tile.label}</span> <span className="tile-count">{tile.count}</span>
              <span className="visually-hidden">, {LEVEL_WORDS[tile.level]}</span>
            </h2>
            <p className="muted">{tile.description}.</p>
            <ul>
              {'locationIds' in tile
                ? tile.locationIds.map((id) => (
                    <li key={id}>
                      <Link to={`/locations/${encodeURIComponent(id)}/queue`}>{id}</Link>
                    </li>
                  ))
                : tile.channels.map((c) => (
                    <li key={c.channel}>
                      {c.channel} ({c.source}): {c.reasons.join('; ')}
                    </li>
                  ))}
            </ul>
          </section>
        ))}
      {board.data && <p className="muted">Updated {new Date(board.data.generatedAt).toLocaleTimeString()}</p>}
    </section>
  );
}
