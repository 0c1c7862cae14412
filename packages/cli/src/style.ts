// Terminal colour, only when a person is watching: a TTY, and no NO_COLOR.

const on = (stream: NodeJS.WriteStream): boolean =>
  Boolean(stream.isTTY) && !('NO_COLOR' in process.env) && process.env.TERM !== 'dumb';

export function palette(stream: NodeJS.WriteStream = process.stdout) {
  const c = (code: string) => (s: string) =>
    on(stream) || process.env.FORCE_COLOR ? `\x1b[${code}m${s}\x1b[0m` : s;
  return {
    bold: c('1'),
    dim: c('2'),
    red: c('31'),
    green: c('32'),
    yellow: c('33'),
    blue: c('34'),
    magenta: c('35'),
    cyan: c('36'),
  };
}
