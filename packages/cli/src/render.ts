// Human output, linter style: the text, each span underlined, and what to do about it.

import {
  resourceLinks,
  type CheckResult,
  type HearResult,
  type Safety,
  type SoftenResult,
  type Span,
} from '@steady/engine';
import { palette } from './style.js';
import { visibleDeep } from './visible.js';

const p = palette();

/** Line and column (1-based) of a UTF-16 offset. */
function position(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let col = 1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      col = 1;
    } else col++;
  }
  return { line, col };
}

/** The line holding a span, with carets under it. Long lines are windowed around the span. */
function underline(text: string, span: Span, colour: (s: string) => string): string {
  const lineStart = text.lastIndexOf('\n', span.start - 1) + 1;
  let lineEnd = text.indexOf('\n', span.start);
  if (lineEnd < 0) lineEnd = text.length;
  let from = lineStart;
  let to = lineEnd;
  if (to - from > 100) {
    from = Math.max(lineStart, span.start - 40);
    to = Math.min(lineEnd, Math.max(span.end, span.start + 20) + 40);
  }
  const shown = text.slice(from, to);
  const pad = ' '.repeat(Math.max(0, span.start - from));
  const width = Math.max(1, Math.min(span.end, to) - span.start);
  return `    ${shown}\n    ${pad}${colour('^'.repeat(width))}`;
}

function where(text: string, s: Span): string {
  const a = position(text, s.start);
  const b = position(text, s.end);
  return p.dim(`${a.line}:${a.col}-${b.line}:${b.col}`);
}

export function bar(x: number, width = 20): string {
  const n = Math.round(Math.max(0, Math.min(1, x)) * width);
  return '█'.repeat(n) + p.dim('░'.repeat(width - n));
}

/** The safety panel, the same for the reader (hear) and the writer (soften). */
function renderSafety(text: string, s: Safety): string[] {
  const out: string[] = [];
  out.push(
    p.red(p.bold(`⚠ Safety first: ${s.id.replace('_', ' ')}${s.level === 'urgent' ? ' (urgent)' : ''}`)),
  );
  out.push(`  ${s.message}`);
  for (const e of s.evidence) out.push(underline(text, e, p.red));
  out.push(p.bold('  Help:'));
  for (const res of s.resources) {
    const links = resourceLinks(res).map((l) => l.href);
    out.push(`  • ${res}${links.length ? p.dim(`  (${links.join(', ')})`) : ''}`);
  }
  out.push('');
  return out;
}

export function renderHear(raw: HearResult): string {
  const r = visibleDeep(raw); // input text is shown, never obeyed
  const out: string[] = [];
  if (r.safety) out.push(...renderSafety(r.text, r.safety));
  if (r.cues.length) {
    out.push(p.bold('What sounds like blame'));
    for (const c of r.cues) {
      out.push(`  ${where(r.text, c)}  ${p.yellow(c.id)}  ${p.dim(c.note)}`);
      out.push(underline(r.text, c, p.yellow));
    }
  } else out.push(p.dim('No blame-shaped wording found.'));
  out.push('');
  if (r.feelings.length)
    out.push(
      `${p.bold('Feelings')}  ${r.feelings.map((f) => `${f.id} ${p.dim(f.score.toFixed(2))}`).join(', ')}`,
    );
  if (r.needs.length)
    out.push(
      `${p.bold('Needs')}     ${r.needs.map((n) => `${n.id} ${p.dim(n.score.toFixed(2))}`).join(', ')}`,
    );
  out.push(`${p.bold('Heat')}      ${bar(r.heat)} ${r.heat.toFixed(2)}`);
  out.push('');
  out.push(`${p.bold('Beneath')}   ${r.beneath}`);
  out.push(`${p.bold('Avoid hearing it as')}  ${p.magenta(`“${r.misreading}”`)}`);
  out.push('');
  out.push(p.bold(r.safety ? 'What to do' : 'Steady replies to start from'));
  for (const reply of r.replies) out.push(`  ${p.green('›')} ${reply}`);
  return out.join('\n');
}

export function renderCheck(raw: CheckResult, { suggest = true } = {}): string {
  const r = visibleDeep(raw); // input text is shown, never obeyed
  const out: string[] = [];
  const defensive = r.moves.filter((m) => m.kind === 'defensive');
  const steady = r.moves.filter((m) => m.kind === 'steady');
  for (const m of defensive) {
    out.push(`  ${where(r.text, m)}  ${p.red(m.id)} ${p.dim(`(${m.label ?? m.id})`)}  ${m.why}`);
    out.push(underline(r.text, m, p.red));
    out.push(`    ${p.green('instead:')} ${m.instead}`);
  }
  for (const m of steady) {
    out.push(`  ${where(r.text, m)}  ${p.green(m.id)} ${p.dim(`(${m.label ?? m.id}) steady`)}`);
    out.push(underline(r.text, m, p.green));
  }
  if (r.moves.length === 0) out.push(p.dim('  No moves found.'));
  out.push('');
  const colour = r.steadiness >= 70 ? p.green : r.steadiness >= 40 ? p.yellow : p.red;
  out.push(
    `${p.bold('Steadiness')} ${bar(r.steadiness / 100)} ${colour(String(r.steadiness))}/100  ${p.dim(`${defensive.length} defensive, ${steady.length} steady`)}`,
  );
  if (r.pause)
    out.push(
      p.yellow(
        p.bold('Pause: this is hot. Take a breath, or a break with a time to come back, before sending.'),
      ),
    );
  if (suggest && r.suggestion) out.push(`${p.bold('Try')}        ${r.suggestion}`);
  return out.join('\n');
}

export function renderSoften(raw: SoftenResult): string {
  const r = visibleDeep(raw); // input text is shown, never obeyed
  // a draft that carries risk gets help or a plain note, never a gentler version
  if (r.safety) return renderSafety(r.text, r.safety).join('\n').trimEnd();
  const out: string[] = [];
  for (const c of r.cues) {
    out.push(`  ${where(r.text, c)}  ${p.yellow(c.id)}`);
    out.push(underline(r.text, c, p.yellow));
  }
  if (r.cues.length) out.push('');
  out.push(`${p.bold('Gently')}  ${p.green(r.softened)}`);
  out.push(
    p.dim(`  observation: ${r.parts.observation} · feeling: ${r.parts.feeling} · need: ${r.parts.need}`),
  );
  return out.join('\n');
}
