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
 * `Last-Event-ID` (the last log index it received), so no event is missed or repeated. A `reset` (the stream
 * could not replay everything missed) makes every page reload its data.
 */
class LiveFeed {
  state: LiveState = 'connecting';
  recent: LiveEvent[] = [];
  private source: EventSource | null = null;
  private readonly listeners = new Set<Listener>();
  private readonly resetListeners = new Set<() => void>();
  private readonly stateListeners = new Set<() => void>();
  private lastIndex = -1;

  async start(): Promise<void> {
    if (this.source || typeof EventSource === 'undefined') return;
    let after = -1;
    try {
      // A signed note (C2SP): origin, then the tree size, then the root hash.
      const response = await fetch('/log/checkpoint');
      const size = Number((await response.text()).split('\n')[1]);
      if (response.ok && Number.isInteger(size)) after = Math.max(-1, size - 1 - RECENT);
    } catch {
      /* no checkpoint yet (empty log): start from the beginning */
    }
    const source = new EventSource(`/events/live?after=${after}`);
    this.source = source;
    source.onopen = () => this.setState('open');
    source.onerror = () => this.setState(source.readyState === EventSource.CLOSED ? 'offline' : 'connecting');
    source.addEventListener('ledger-event', (message) => {
      const event = JSON.parse((message as MessageEvent<string>).data) as LiveEvent;
      if (event.logIndex <= this.lastIndex) return;
      this.lastIndex = event.logIndex;
      this.recent = [event, ...this.recent].slice(0, RECENT);
      for (const listener of this.listeners) listener(event);
    });
    source.addEventListener('reset', () => {
      for (const listener of this.resetListeners) listener();
    });
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
 * after a reset. Events the page's data already reflects are left to `concerns` to ignore.
 */
export function useLiveReload(
  concerns: (event: LiveEvent) => boolean,
  reload: () => void,
  delayMs = 700,
): void {
  const latest = useRef({ concerns, reload });
  latest.current = { concerns, reload };
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const schedule = () => {
      clearTimeout(timer);
      timer = setTimeout(() => latest.current.reload(), delayMs);
    };
    const unsubscribe = liveFeed.subscribe((event) => {
      if (latest.current.concerns(event)) schedule();
    }, schedule);
    return () => {
      clearTimeout(timer);
      unsubscribe();
    };
  }, [delayMs]);
}
