import { createContext, type VNode } from 'preact';
import { useContext } from 'preact/hooks';
import {
  Formats,
  Lang,
  MessageKey,
  Params,
  PluralKey,
  translate,
  translateParts,
  translatePlural,
} from './i18n';

export interface Ui {
  lang: Lang;
  t: (key: MessageKey, params?: Params) => string;
  /** A message with plural forms, in the form for `n` (which is also its `{n}`). */
  tn: (key: PluralKey, n: number, params?: Params) => string;
  /** A message whose placeholders may be elements (a link in a sentence): its parts, to render in order. */
  rich: (key: MessageKey, params: Record<string, string | number | VNode>) => (string | VNode)[];
  fmt: Formats;
}

export function makeUi(lang: Lang, locale: string): Ui {
  return {
    lang,
    t: (key, params) => translate(lang, locale, key, params),
    tn: (key, n, params) => translatePlural(lang, locale, key, n, params),
    rich: (key, params) => translateParts(lang, locale, key, params),
    fmt: new Formats(locale, lang),
  };
}

export const UiContext = createContext<Ui>(makeUi('en', 'en'));
export const useUi = () => useContext(UiContext);

/** The page's address: `#/<path>?<query>`, so every view and its filters is a link that can be shared. */
export interface Route {
  path: string[];
  params: URLSearchParams;
}

export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#/, '') || '/';
  const [pathPart, queryPart = ''] = raw.split('?', 2);
  const path = pathPart
    .split('/')
    .filter(Boolean)
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        return segment;
      }
    });
  return { path, params: new URLSearchParams(queryPart) };
}

export function href(path: string, params: Record<string, string | undefined> = {}): string {
  const entries = Object.entries(params).filter((e): e is [string, string] => !!e[1]);
  const q = entries.length ? `?${new URLSearchParams(entries).toString()}` : '';
  return `#${path}${q}`;
}
