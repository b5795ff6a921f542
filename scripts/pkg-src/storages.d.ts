
// ---- Storage classes (scripts/pkg-src/storages.js: plain JS, usable at once) ----

/** Tokens in memory: gone with the page or process. The default where there is no `localStorage`. */
export class MemoryStorage {
    constructor();
    getItem(key: string): string | undefined;
    setItem(key: string, value: string): void;
    removeItem(key: string): void;
    /**
     * The keys held, sorted by UTF-16 code units (`Array.prototype.sort`).
     */
    keys(): string[];
    /** Nothing to free (kept for code written when the class was the module's). */
    free(): void;
}

/**
 * `localStorage` (the default in browsers) or `sessionStorage`. Where the browser refuses
 * (storage disabled, private mode, quota exceeded) it falls back to memory for good and says so
 * in `usingFallback`/`fallbackReason` and once on `console.warn`.
 */
export class WebStorage {
    /**
     * `kind` is `"local"` (default) or `"session"`.
     */
    constructor(kind?: "local" | "session");
    getItem(key: string): string | undefined;
    setItem(key: string, value: string): void;
    removeItem(key: string): void;
    /**
     * Why, when `usingFallback`.
     */
    readonly fallbackReason: string | undefined;
    /**
     * Whether the browser refused and tokens are kept in memory instead.
     */
    readonly usingFallback: boolean;
    /** Nothing to free (kept for code written when the class was the module's). */
    free(): void;
}
export interface MemoryStorage extends Disposable {}
export interface WebStorage extends Disposable {}
