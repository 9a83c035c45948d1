import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from "react";
import { zh } from "./zh";
import { en } from "./en";

export type Lang = "zh-CN" | "en-US";
export type MsgKey = keyof typeof zh;

const LANG_KEY = "b2btrade.lang";
const dictionaries: Record<Lang, Record<MsgKey, string>> = { "zh-CN": zh, "en-US": en };

function initialLang(): Lang {
  try {
    const saved = localStorage.getItem(LANG_KEY);
    if (saved === "zh-CN" || saved === "en-US") return saved;
  } catch {
    /* ignore */
  }
  return "zh-CN";
}

let currentLang: Lang = initialLang();
document.documentElement.lang = currentLang;

/** Current UI language (also sent as accept-language on every call). */
export function getLang(): Lang {
  return currentLang;
}

/** Translate outside React (uses the current language). */
export function t(key: MsgKey, vars?: Record<string, string | number>): string {
  const text = dictionaries[currentLang][key] ?? zh[key] ?? key;
  return vars ? text.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m)) : text;
}

interface LangContextValue {
  lang: Lang;
  setLang: (l: Lang) => void;
  t: typeof t;
}

const LangContext = createContext<LangContextValue>({ lang: currentLang, setLang: () => {}, t });

export function LangProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(currentLang);
  const setLang = useCallback((l: Lang) => {
    currentLang = l;
    localStorage.setItem(LANG_KEY, l);
    document.documentElement.lang = l;
    setLangState(l);
  }, []);
  // A new t identity per language so components re-render their text.
  const value = useMemo<LangContextValue>(() => ({ lang, setLang, t: (k, v) => t(k, v) }), [lang, setLang]);
  return <LangContext.Provider value={value}>{children}</LangContext.Provider>;
}

export function useI18n(): LangContextValue {
  return useContext(LangContext);
}
