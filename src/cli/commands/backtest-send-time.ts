/**
 * `propensity backtest --send-time --csv FILE --person COL --time COL [--sep ,] [--where COL=VALUE]... [--json]`:
 * predicts each test-period event's hour of week per person (`send-time/backtest-send-time.ts`) and
 * prints one line per method (JSON with --json). Bad input: one line on stderr, exit 2.
 */
import { parseArgs } from 'node:util';
import { backtestSendTime, SendTimeDataError } from '../../send-time/backtest-send-time.ts';
import { readEventTimes } from '../../send-time/read-event-times.ts';
import { UsageError } from '../command.ts';
import { isBadDatasetInput } from '../dataset-options.ts';

export const sendTimeUsage = 'propensity backtest --send-time --csv FILE --person COL --time COL [--sep ,] [--where COL=VALUE]... [--json]';

export async function runSendTimeBacktestCommand(argv: string[]): Promise<number> {
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        'send-time': { type: 'boolean', default: false },
        csv: { type: 'string' },
        person: { type: 'string' },
        time: { type: 'string' },
        sep: { type: 'string', default: ',' },
        where: { type: 'string', multiple: true, default: [] },
        json: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    });
    for (const name of ['csv', 'person', 'time'] as const) {
      if (values[name] === undefined) throw new UsageError(`--send-time needs --${name} (usage: ${sendTimeUsage})`);
    }
    const separator = values.sep === '\\t' ? '\t' : values.sep;
    if (separator.length !== 1) throw new UsageError(`--sep must be one character, not ${JSON.stringify(values.sep)}`);
    const where = values.where.map((w) => {
      const at = w.indexOf('=');
      if (at <= 0) throw new UsageError(`--where must be COLUMN=VALUE, not ${JSON.stringify(w)}`);
      return { column: w.slice(0, at), value: w.slice(at + 1) };
    });
    const events = readEventTimes({ file: values.csv!, separator, person: values.person!, time: values.time!, where });
    const backtest = backtestSendTime(events);
    console.error(`${events.length} events; ${backtest.trainingEvents} before the test period (from ${new Date(backtest.testStart).toISOString()}); fitted on held-out training events: ${JSON.stringify(backtest.parameters)}`);
    for (const result of backtest.results) {
      console.log(values.json
        ? JSON.stringify(result)
        : `${result.method.padEnd(10)} log-likelihood/event ${result.logLikelihoodPerEvent.toFixed(3)}  top-3 within 1 h ${result.top3Within1h.toFixed(3)}  events ${result.events}  people ${result.people}`);
    }
    return 0;
  } catch (error) {
    if (isBadDatasetInput(error) || error instanceof SendTimeDataError) {
      console.error(`propensity backtest: ${error.message}`);
      return 2;
    }
    throw error;
  }
}
