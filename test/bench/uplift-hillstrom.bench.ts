/**
 * The uplift bar on a real randomised experiment (Hillstrom's MineThatData e-mail test, 64,000
 * customers randomised to a men's e-mail, a women's e-mail or none; outcome: a site visit in the two
 * weeks after): `propensity backtest --uplift` on the mod5 and tail20 splits, as a user runs it.
 * PASS when, on held-out rows, ranking by our uplift model beats ranking by outcome probability on
 * the Qini coefficient averaged over the two e-mails, and the per-customer choice of e-mail is at
 * least as good as sending everyone the better single e-mail. Exits 1 if a bar fails.
 *
 *   node --import tsx test/bench/uplift-hillstrom.bench.ts
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const csv = path.resolve(projectRoot, '../shared/datasets/hillstrom-email/Kevin_Hillstrom_MineThatData_E-MailAnalytics_DataMiningChallenge_2008.03.20.csv');
let failed = 0;
const f = (v: number, se: number) => `${v.toFixed(4)} ± ${se.toFixed(4)}`;
for (const split of ['mod5', 'tail20']) {
  const started = Date.now();
  const result = spawnSync(process.execPath, [path.join(projectRoot, 'src/cli/bin.js'), 'backtest', '--uplift', '--csv', csv, '--treatment', 'segment', '--control', 'No E-Mail',
    '--outcome', 'visit', '--positive', '1', '--drop', 'conversion,spend', '--split', split, '--json'], { encoding: 'utf8' });
  if (result.status !== 0) {
    console.log(`${split}: FAIL, exit ${result.status}: ${result.stderr}`);
    failed++;
    continue;
  }
  const lines = result.stdout.trim().split('\n').map((l) => JSON.parse(l));
  const arms = lines.slice(0, -1);
  const { policy, policySe, perRecordMinusBestSingle, bestSingleArm } = lines.at(-1);
  for (const a of arms) {
    console.log(`${split} ${a.treatment} (${a.learner}, n_test ${a.n_test}): Qini uplift ${f(a.qini.uplift, a.qiniSe.uplift)} vs probability ${f(a.qini.probability, a.qiniSe.probability)} (difference ${f(a.qiniDifference.value, a.qiniDifference.se)}); top-30 % uplift ${f(a.upliftTop30.uplift, a.upliftTop30Se.uplift)} vs ${f(a.upliftTop30.probability, a.upliftTop30Se.probability)}`);
  }
  const mean = (k: 'uplift' | 'probability') => arms.reduce((s: number, a: { qini: Record<string, number> }) => s + a.qini[k], 0) / arms.length;
  const qiniPass = mean('uplift') > mean('probability');
  const policyPass = policy.perRecord >= policy.bestSingle;
  console.log(`${split} mean Qini: uplift ${mean('uplift').toFixed(5)} vs probability ${mean('probability').toFixed(5)}: ${qiniPass ? 'PASS' : 'FAIL'}`);
  console.log(`${split} visit rate: per customer ${f(policy.perRecord, policySe.perRecord)}, everyone ${bestSingleArm} ${f(policy.bestSingle, policySe.bestSingle)}, none ${f(policy.none, policySe.none)}; per customer − best single ${f(perRecordMinusBestSingle.value, perRecordMinusBestSingle.se)}: ${policyPass ? 'PASS' : 'FAIL'} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  if (!qiniPass || !policyPass) failed++;
}
process.exit(failed > 0 ? 1 : 0);
