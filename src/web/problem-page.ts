/**
 * A clear answer for a request that cannot be served: an HTML page for a person in a browser, JSON
 * for a program, same status and words.
 */
import type { Request, Response } from 'express';

export function sendProblem(req: Request, res: Response, status: number, title: string, detail: string): void {
  res.status(status).format({
    html: () => {
      res.send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} · Propensity</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#213343}h1{font-size:1.4rem}</style>
</head><body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(detail)}</p><p><a href="/">Back to Propensity</a></p></body></html>`);
    },
    default: () => {
      res.json({ status: 'error', title, message: detail });
    },
  });
  void req;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
