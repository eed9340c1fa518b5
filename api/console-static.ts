// Serves the built console (web/dist) under /app: hashed assets cached for good, every other
// path the app's index.html (the browser router takes it from there), with a content security
// policy that allows nothing but this origin. Built by `npm run build:web` (npm start and
// npm test build it).
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Context, Next } from 'koa';
import { ProblemError } from './problem.ts';

export const CONSOLE_DIST = fileURLToPath(new URL('../web/dist', import.meta.url));

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

async function readable(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isFile(), () => false);
}

export function consoleStatic(dist = CONSOLE_DIST) {
  return async (ctx: Context, next: Next): Promise<void> => {
    if (ctx.path !== '/app' && !ctx.path.startsWith('/app/')) return next();
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') throw new ProblemError(405, `${ctx.method} is not allowed on ${ctx.path}.`, {}, { Allow: 'GET, HEAD' });
    const rest = ctx.path.slice('/app'.length).replace(/^\/+/, '');
    if (rest.startsWith('assets/')) {
      const file = normalize(join(dist, rest));
      if (!file.startsWith(join(dist, 'assets')) || !(await readable(file))) throw new ProblemError(404, `No console asset ${ctx.path}.`);
      ctx.type = TYPES[extname(file)] ?? 'application/octet-stream';
      ctx.set('Cache-Control', 'public, max-age=31536000, immutable');
      ctx.set('Content-Security-Policy', "default-src 'none'");
      ctx.body = await readFile(file);
      return;
    }
    const index = join(dist, 'index.html');
    if (!(await readable(index))) throw new ProblemError(503, 'The console is not built here: run `npm run build:web` (npm start does).');
    ctx.type = 'text/html; charset=utf-8';
    ctx.set('Cache-Control', 'no-cache');
    ctx.set('Content-Security-Policy', CSP);
    ctx.body = await readFile(index);
  };
}
