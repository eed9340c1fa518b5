// Liveness and readiness (no auth).
import type Router from '@koa/router';
import type { ApiDeps } from '../deps.ts';

async function reachable(check: () => Promise<unknown>, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
      }),
    ]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

export function mountHealthRoutes(router: Router, deps: ApiDeps): void {
  router.get('/health', (ctx) => {
    ctx.body = { status: 'ok' };
  });

  router.get('/ready', async (ctx) => {
    const [postgres, temporal] = await Promise.all([
      reachable(() => deps.db.raw('select 1'), 2000),
      reachable(() => deps.temporalConnection.healthService.check({}), 2000),
    ]);
    const ready = postgres && temporal;
    ctx.status = ready ? 200 : 503;
    ctx.body = {
      status: ready ? 'ready' : 'unavailable',
      checks: { postgres: postgres ? 'ok' : 'unreachable', temporal: temporal ? 'ok' : 'unreachable' },
    };
  });
}
