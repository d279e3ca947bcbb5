import cliProgress from 'cli-progress';

/** A progress bar on stderr (stdout stays clean for data); quiet when stderr is not a terminal. */
export function progressBar(label: string) {
  const tty = process.stderr.isTTY === true;
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: `${label} {phase} [{bar}] {percentage}% {value}/{total}`, hideCursor: true, noTTYOutput: !tty, notTTYSchedule: 2000 },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  let phase = '';
  return {
    update(done: number, total: number, p: string) {
      if (!started) {
        bar.start(total, done, { phase: p });
        started = true;
      }
      if (p !== phase) {
        phase = p;
        bar.setTotal(total);
      }
      bar.update(done, { phase: p });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
