// A tiny job scheduler: jobs with priorities, retries with back-off, and a concurrency limit.

export type JobState = "queued" | "running" | "done" | "failed";

export interface JobOptions {
  priority?: number;
  retries?: number;
  backoffMs?: number;
}

export interface Job<T> {
  id: string;
  run: () => Promise<T>;
  priority: number;
  retries: number;
  backoffMs: number;
  attempts: number;
  state: JobState;
  result?: T;
  error?: Error;
}

export class Scheduler<T> {
  private readonly queue: Job<T>[] = [];
  private running = 0;
  private nextId = 1;
  private readonly listeners = new Map<string, Array<(job: Job<T>) => void>>();

  constructor(private readonly concurrency: number = 2) {
    if (concurrency < 1) {
      throw new RangeError("concurrency must be at least 1");
    }
  }

  add(run: () => Promise<T>, options: JobOptions = {}): Job<T> {
    const job: Job<T> = {
      id: `job-${this.nextId++}`,
      run,
      priority: options.priority ?? 0,
      retries: options.retries ?? 0,
      backoffMs: options.backoffMs ?? 100,
      attempts: 0,
      state: "queued",
    };
    this.queue.push(job);
    this.queue.sort((a, b) => b.priority - a.priority);
    this.pump();
    return job;
  }

  on(event: "done" | "failed", listener: (job: Job<T>) => void): void {
    const list = this.listeners.get(event) ?? [];
    list.push(listener);
    this.listeners.set(event, list);
  }

  get pending(): number {
    return this.queue.length;
  }

  private emit(event: string, job: Job<T>): void {
    for (const listener of this.listeners.get(event) ?? []) {
      try {
        listener(job);
      } catch (err) {
        console.error(`listener for ${event} threw`, err);
      }
    }
  }

  private pump(): void {
    while (this.running < this.concurrency && this.queue.length > 0) {
      const job = this.queue.shift()!;
      this.running++;
      void this.execute(job).finally(() => {
        this.running--;
        this.pump();
      });
    }
  }

  private async execute(job: Job<T>): Promise<void> {
    job.state = "running";
    while (true) {
      job.attempts++;
      try {
        job.result = await job.run();
        job.state = "done";
        this.emit("done", job);
        return;
      } catch (err) {
        job.error = err instanceof Error ? err : new Error(String(err));
        if (job.attempts > job.retries) {
          job.state = "failed";
          this.emit("failed", job);
          return;
        }
        const delay = job.backoffMs * 2 ** (job.attempts - 1);
        await sleep(delay);
      }
    }
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function summarize<T>(jobs: Job<T>[]): Record<JobState, number> {
  const counts: Record<JobState, number> = { queued: 0, running: 0, done: 0, failed: 0 };
  for (const job of jobs) {
    counts[job.state]++;
  }
  return counts;
}
