/**
 * The "Best send times" section of a portal's page, server-rendered from its send-time summary: a
 * 7 × 24 heat map of when the portal's contacts engage (Monday..Sunday as rows, hours 0..23 as
 * columns, in the summary's time zone; every cell labelled in words, a colour scale from 0 to the
 * busiest hour, with its legend) and the lift panel: engagement within 24 h of a send at chosen vs
 * random (holdout) times, and the difference with its 95 % interval once it is measured — else the
 * summary's message saying what is still missing. Without a summary it says when there will be one.
 */
import { dayNames, DAYS_PER_WEEK, HOURS_PER_DAY, HOURS_PER_WEEK, slotOf } from '../send-time/hour-of-week.ts';
import { hasSummary, type SendTimeArm, type SendTimesAnswer, type SendTimesSummary } from './portal-send-times.ts';
import { escapeHtml } from './problem-page.ts';

export const sendTimesStyle = `.heatmap{table-layout:fixed;margin:.5rem 0}.heatmap th{font-size:.7rem;font-weight:500;padding:.1rem;text-align:center;border:0;color:#516f90}
.heatmap tr>th:first-child{text-align:right;padding-right:.4rem;width:5.5rem}.heatmap caption{caption-side:bottom;text-align:left;font-size:.85rem;padding-top:.3rem}.heatmap td{padding:0;height:1.3rem;border:1px solid #fff}.heatmap td.peak{outline:2px solid #213343;outline-offset:-2px}
.legend{display:flex;align-items:center;gap:.4rem;font-size:.85rem}.legend .scale{display:inline-block;width:12rem;height:.8rem;border-radius:2px}`;

/** The colour scale's ends: no engagement, and the busiest hour of the week. */
const LOW = [234, 240, 246] as const;
const HIGH = [0, 106, 128] as const;

const colourAt = (t: number) => `rgb(${LOW.map((low, i) => Math.round(low + (HIGH[i]! - low) * Math.min(1, Math.max(0, t)))).join(',')})`;
const percent = (share: number) => `${(share * 100).toFixed(1)} %`;
const two = (n: number) => String(n).padStart(2, '0');

/** "Tuesday 10:00–11:00": the hour of the week a slot is, on the pattern's clock. */
export function describeSlot(day: number, hour: number): string {
  return `${dayNames[day]} ${two(hour)}:00–${two(hour + 1)}:00`;
}

/** A rate difference (0..1 scale) in percentage points, signed: "+4.2", "−0.8", "0.0". */
export function points(x: number): string {
  const rounded = Math.round(x * 1000) / 10;
  if (rounded === 0) return '0.0';
  return `${rounded > 0 ? '+' : '−'}${Math.abs(rounded).toFixed(1)}`;
}

export function renderSendTimes(answer: SendTimesAnswer): string {
  const intro = '<p class="muted">Propensity writes each contact\'s next best send time to <code>propensity_next_send_at</code>, for a workflow\'s delay to wait for (the README has the recipe).</p>';
  if (!hasSummary(answer)) {
    return `<section id="send-times"><h2>Best send times</h2>${intro}
<p id="send-time-message" role="status">${escapeHtml(answer.message)}.</p>
<p class="muted">Then this part shows the hours of the week your contacts engage most, and whether sending at each contact's best time gets more engagement than sending at a random time.</p></section>`;
  }
  return `<section id="send-times"><h2>Best send times</h2>${intro}${renderHeatMap(answer)}${renderLift(answer)}</section>`;
}

function renderHeatMap(s: SendTimesSummary): string {
  const max = Math.max(0, ...s.pattern);
  const ranked = s.pattern.map((share, slot) => ({ share, slot })).filter((c) => c.share > 0).sort((a, b) => b.share - a.share || a.slot - b.slot);
  const peak = ranked[0]?.slot ?? -1;
  // The hours named in words: the busiest ones above an even spread (1/168 of the week each).
  const top = ranked.filter((c) => c.share > 1 / HOURS_PER_WEEK + 1e-9).slice(0, 3).map((c) => `${describeSlot(Math.floor(c.slot / HOURS_PER_DAY), c.slot % HOURS_PER_DAY)} (${percent(c.share)})`);
  const header = `<tr><th scope="col"><span class="muted">hour</span></th>${Array.from({ length: HOURS_PER_DAY }, (_, h) => `<th scope="col">${h}</th>`).join('')}</tr>`;
  const rows = Array.from({ length: DAYS_PER_WEEK }, (_, day) => {
    const cells = Array.from({ length: HOURS_PER_DAY }, (_, hour) => {
      const slot = slotOf(day, hour);
      const share = s.pattern[slot]!;
      const label = `${describeSlot(day, hour)}: ${percent(share)} of engagement`;
      return `<td data-slot="${slot}"${slot === peak ? ' class="peak"' : ''} style="background:${colourAt(max > 0 ? share / max : 0)}" title="${escapeHtml(label)}" aria-label="${escapeHtml(label)}"></td>`;
    }).join('');
    return `<tr><th scope="row">${dayNames[day]}</th>${cells}</tr>`;
  }).join('');
  return `<h3>When your contacts engage</h3>
<p>Share of engagement (opens, clicks, visits) in each hour of the week, measured relative to when messages were sent, across ${s.contacts.toLocaleString('en-US')} contacts; hours on the clock of <strong id="send-time-zone">${escapeHtml(s.timeZone)}</strong>. Updated ${s.computedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC.</p>
${top.length > 0 ? `<p id="send-time-peaks">Most engagement: ${escapeHtml(top.join(', '))}.</p>` : '<p id="send-time-peaks" class="muted">Engagement is spread evenly over the week: no hour stands out yet.</p>'}
<table class="heatmap" id="send-time-heatmap"><caption class="muted">Each cell is one hour of the week (${escapeHtml(s.timeZone)}); darker means more of the week's engagement. The outlined cell is the busiest hour.</caption>${header}${rows}</table>
<p class="legend" id="send-time-legend" aria-label="Colour scale from 0 % to ${percent(max)} of engagement">0 % <span class="scale" style="background:linear-gradient(to right,${colourAt(0)},${colourAt(1)})"></span> ${percent(max)} of engagement (the busiest hour)</p>`;
}

function armRow(id: string, name: string, arm: SendTimeArm): string {
  return `<tr id="${id}"><td>${name}</td><td class="sends">${arm.sends.toLocaleString('en-US')}</td><td class="engaged">${arm.engaged.toLocaleString('en-US')}</td><td class="rate">${arm.sends > 0 ? percent(arm.engaged / arm.sends) : '–'}</td></tr>`;
}

function renderLift(s: SendTimesSummary): string {
  const holdout = `${Math.round(s.holdoutShare * 1000) / 10} %`;
  const measured = s.measured && s.difference !== null && s.low !== null && s.high !== null
    ? `<p id="send-time-difference">Chosen minus random: <strong>${points(s.difference)} percentage points</strong> (95 % interval ${points(s.low)} to ${points(s.high)})${s.low <= 0 && s.high >= 0 ? ': the interval includes 0, so no clear difference yet' : ''}.</p>`
    : '';
  return `<section id="send-time-lift"><h3>Chosen vs random send times</h3>
<p class="muted">Engagement within 24 h of a send: sends at each contact's chosen time, against sends to the holdout (${escapeHtml(holdout)} of contacts, the same ones every time) at a random time in the same week. Only sends after a contact's time was decided count.</p>
<table id="send-time-arms"><tr><th>Send time</th><th>Sends</th><th>Engaged within 24 h</th><th>Rate</th></tr>
${armRow('lift-chosen', 'Chosen (the contact\'s best time)', s.chosen)}${armRow('lift-random', 'Random (holdout)', s.random)}</table>
${measured}<p id="send-time-message"${measured ? '' : ' role="status"'}>${escapeHtml(s.message)}</p></section>`;
}
