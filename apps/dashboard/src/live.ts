import { useEffect, useRef, useState } from 'preact/hooks';

/**
 * What the page uses of a message of GET /events/live (LedgerEventMessage in apps/ledger-api/src/live): a ledger
 * event, identified by its position in the transparency log.
 */
export interface LiveEvent {
  logIndex: number;
  pledgeId: string | null;
  type: string;
  recordedAt: string;
  principal: { id: string; name?: string };
}

export type LiveState = 'connecting' | 'open' | 'offline';

type Listener = (event: LiveEvent) => void;

/** How many of the latest events the page shows when it opens (they come from the stream's replay). */
const RECENT = 10;

/**
 * The page's one EventSource on /events/live. It starts a few positions before the log's latest checkpoint, so
 * the latest events are shown at once; when the connection drops the browser reconnects by itself with
 * `Last-Event-ID` (the last log index it received), so no event is missed or repeated. When the browser gives
 * up (the server refused the stream: 503 while it restarts or carries its limit), it is reopened after a
 * growing pause from the last index received. A hidden tab closes its stream (browsers allow six connections
 * per server over HTTP/1.1: tabs left open must not use them all) and reopens it, from where it was, when shown
 * again. A `reset` (the stream could not replay everything missed) makes every page reload its data.
 */
class LiveFeed {
  state: LiveState = 'connecting';
  recent: LiveEvent[] = [];
  private source: EventSource | null = null;
  private started = false;
  private retryMs = 1000;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly listeners = new Set<Listener>();
  private readonly resetListeners = new Set<() => void>();
  private readonly stateListeners = new Set<() => void>();
  /** The last log index received; -2 until the stream's starting point is known. */
  private lastIndex = -2;

  async start(): Promise<void> {
    if (this.started || typeof EventSource === 'undefined') return;
    this.started = true;
    let after = -1;
    try {
      // A signed note (C2SP): origin, then the tree size, then the root hash.
      const response = await fetch('/log/checkpoint');
      const size = Number((await response.text()).split('\n')[1]);
      if (response.ok && Number.isInteger(size)) after = Math.max(-1, size - 1 - RECENT);
    } catch {
      /* no checkpoint yet (empty log): start from the beginning */
    }
    this.lastIndex = after;
    document.addEventListener('visibilitychange', () => {
      if (document.hidden) this.close();
      else if (!this.source) this.connect();
    });
    if (!document.hidden) this.connect();
  }

  private connect(): void {
    clearTimeout(this.retryTimer);
    this.close();
    this.setState('connecting');
    const source = new EventSource(`/events/live?after=${this.lastIndex}`);
    this.source = source;
    source.onopen = () => {
      this.retryMs = 1000;
      this.setState('open');
    };
    source.onerror = () => {
      if (source.readyState !== EventSource.CLOSED) return this.setState('connecting');
      // The browser will not retry a refused stream: reopen it later, from the last event received.
      this.setState('offline');
      if (this.source === source) this.source = null;
      this.retryTimer = setTimeout(() => this.connect(), this.retryMs * (0.5 + Math.random()));
      this.retryMs = Math.min(this.retryMs * 2, 30000);
    };
    source.addEventListener('ledger-event', (message) => {
      const event = JSON.parse((message as MessageEvent<string>).data) as LiveEvent;
      if (event.logIndex <= this.lastIndex) return;
      this.lastIndex = event.logIndex;
      this.recent = [event, ...this.recent].slice(0, RECENT);
      for (const listener of this.listeners) listener(event);
    });
    source.addEventListener('reset', (message) => {
      const { head } = JSON.parse((message as MessageEvent<string>).data) as { head: number };
      this.lastIndex = Math.max(this.lastIndex, head - 1);
      for (const listener of this.resetListeners) listener();
    });
  }

  private close(): void {
    this.source?.close();
    this.source = null;
  }

  /** The highest log index seen so far (-1: none). */
  get seen(): number {
    return Math.max(-1, this.lastIndex);
  }

  private setState(state: LiveState) {
    this.state = state;
    for (const listener of this.stateListeners) listener();
  }

  subscribe(listener: Listener, onReset?: () => void, onState?: () => void): () => void {
    this.listeners.add(listener);
    if (onReset) this.resetListeners.add(onReset);
    if (onState) this.stateListeners.add(onState);
    return () => {
      this.listeners.delete(listener);
      if (onReset) this.resetListeners.delete(onReset);
      if (onState) this.stateListeners.delete(onState);
    };
  }
}

export const liveFeed = new LiveFeed();

/** The feed's state and latest events, re-rendering the component as they change. */
export function useLiveFeed(): { state: LiveState; recent: LiveEvent[] } {
  const [, setTick] = useState(0);
  useEffect(
    () =>
      liveFeed.subscribe(
        () => setTick((n) => n + 1),
        undefined,
        () => setTick((n) => n + 1),
      ),
    [],
  );
  return { state: liveFeed.state, recent: liveFeed.recent };
}

/**
 * Calls `reload` shortly after a live event that `concerns` the page (a burst of events is one reload), and
 * after a reset. `shown` is the page's data, whose `log.treeSize` says how much of the log it reflects: while
 * that is behind a concerning event (the projection or the report snapshot has not caught up yet), the page reloads
 * again a little later, a few times.
 */
export function useLiveReload(
  concerns: (event: LiveEvent) => boolean,
  reload: () => void,
  shown?: { log: { treeSize: number } } | null,
  delayMs = 700,
): void {
  const latest = useRef({ concerns, reload });
  latest.current = { concerns, reload };
  const wanted = useRef(-1);
  const retries = useRef(0);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const schedule = () => {
      clearTimeout(timer);
      timer = setTimeout(() => latest.current.reload(), delayMs);
    };
    const unsubscribe = liveFeed.subscribe((event) => {
      if (!latest.current.concerns(event)) return;
      wanted.current = Math.max(wanted.current, event.logIndex);
      retries.current = 0;
      schedule();
    }, schedule);
    return () => {
      clearTimeout(timer);
      unsubscribe();
    };
  }, [delayMs]);
  useEffect(() => {
    if (!shown || shown.log.treeSize > wanted.current || retries.current >= 5) return;
    retries.current += 1;
    const timer = setTimeout(() => latest.current.reload(), 1500 * retries.current);
    return () => clearTimeout(timer);
  }, [shown]);
}
