// A progress bar on stderr for long work; silent when stderr is not a terminal, so logs stay clean.

export class ProgressBar {
  private done = 0;
  private last = 0;
  constructor(
    private label: string,
    private total: number,
    private out: NodeJS.WriteStream = process.stderr,
  ) {}
  tick(n = 1): void {
    this.done += n;
    const now = Date.now();
    if (now - this.last < 80 && this.done < this.total) return;
    this.last = now;
    this.draw();
  }
  private draw(): void {
    if (!this.out.isTTY) return;
    const width = 28;
    const frac = this.total ? Math.min(1, this.done / this.total) : 1;
    const full = Math.round(frac * width);
    this.out.write(
      `\r${this.label.padEnd(22)} [${'█'.repeat(full)}${'░'.repeat(width - full)}] ${String(Math.round(frac * 100)).padStart(3)}%`,
    );
  }
  end(note = ''): void {
    this.done = this.total;
    if (this.out.isTTY) {
      this.draw();
      this.out.write(` ${note}\n`);
    } else this.out.write(`${this.label}: done ${note}\n`);
  }
}
