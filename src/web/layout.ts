import { escapeHtml as esc } from '../lib/html.js';

// The one page frame of the signed-in web pages: French, no script, no external asset.
export function page(title: string, body: string, nav = ''): string {
  return `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} — Registre des heures d’insertion</title>
<style>
body{font-family:system-ui,"DejaVu Sans",sans-serif;max-width:56rem;margin:1.5rem auto;padding:0 1rem;color:#1e1e1e}
header{display:flex;justify-content:space-between;align-items:center;gap:1rem;border-bottom:1px solid #ddd;padding-bottom:.6rem}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:1.8rem}
form.login{display:flex;flex-direction:column;gap:.8rem;max-width:22rem}label{display:flex;flex-direction:column;font-size:.95rem;gap:.2rem}
input{padding:.45rem;font-size:1rem}button{padding:.5rem .9rem;font-size:1rem;background:#000091;color:#fff;border:0;border-radius:4px;cursor:pointer}
.error{background:#ffe9e9;color:#ce0500;padding:.6rem;border-radius:4px}.info{background:#e8edff;padding:.6rem;border-radius:4px}
.figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(11rem,1fr));gap:1rem;margin:1rem 0}
.figure{border:1px solid #ddd;border-radius:6px;padding:.8rem}.figure strong{display:block;font-size:1.4rem;color:#000091}
table{border-collapse:collapse;width:100%}td,th{padding:.35rem .6rem;border-bottom:1px solid #eee;text-align:left}.num{text-align:right}
.muted{color:#666}
</style></head><body>
<header><strong>Registre des heures d’insertion</strong>${nav}</header>
<main>${body}</main>
</body></html>`;
}

export const figure = (value: string, label: string) =>
  `<div class="figure"><strong>${esc(value)}</strong><span>${esc(label)}</span></div>`;
