// Type declarations for the Shoppable embed's JavaScript API (SPEC §4).
// Reference with `/// <reference path="shoppable.d.ts" />` or copy into your project.

export interface ShoppableCartItem {
  item_id: string;
  product_id: string;
  /** `null` when the product has no variants (the product is the item). */
  variant_id: string | null;
  title: string;
  quantity: number;
  /** Exact decimal string in the shop currency, e.g. "25.500". */
  unit_price: string;
  currency: string;
}

export interface ShoppableCart {
  items(): ShoppableCartItem[];
  /** Returns the quantity it added: less than asked when the line reaches its 99, 0 when it
   * was full. Throws an Error for an unknown or unavailable item or a quantity outside 1..=99. */
  add(itemId: string, quantity?: number): number;
  /** 0 removes the line; at most 99. */
  setQuantity(itemId: string, quantity: number): void;
  /** Removing an item of the shop that is not in the cart does nothing; an id that names no
   * item of the shop throws an Error. */
  remove(itemId: string): void;
  clear(): void;
  /** Exact decimal string, e.g. "51.000". */
  subtotal(): string;
}

export interface ShoppableOrder {
  order_id: string;
  redirect_url: string | null;
}

export interface ShoppableWhatsAppOrder {
  order_id: null;
  /** The wa.me link that was opened, with the order written in the shop's language. */
  redirect_url: string;
}

export interface ShoppableLineProblem {
  item_id: string;
  /** The protocol's four reasons; any other word a server sends is passed on as written. */
  reason: "out_of_stock" | "price_changed" | "unknown_item" | "quantity" | (string & {});
}

/** What `checkout()` rejects with once the endpoint was asked: the `shoppable:checkout-error`
 * event's detail on an `Error`. (An empty cart, or a widget that did not start, rejects with
 * a plain `Error`.) */
export interface ShoppableCheckoutError extends Error {
  /** True when trying again may help (network, timeout, 408/425/429/5xx after every attempt). */
  retryable: boolean;
  /** The lines a 409/422 refused; empty otherwise. */
  lines: ShoppableLineProblem[];
}

/** What `Shoppable.ready` resolves with: the whole API, once the core is running. */
export interface ShoppableApi {
  ready: Promise<ShoppableApi>;
  /** Gives the config as an object; wins over inline and data-config sources. */
  init(config: object): void;
  cart: ShoppableCart;
  openCart(): void;
  closeCart(): void;
  /** Resolves with the order; rejects with a `ShoppableCheckoutError` once the endpoint was
   * asked (with a plain `Error` for an empty cart or a widget that did not start). A second call while one is in flight
   * returns the same promise. In `whatsapp` mode it opens the chat and resolves with
   * `{order_id: null, redirect_url: "https://wa.me/…"}` (the cart is kept). */
  checkout(): Promise<ShoppableOrder | ShoppableWhatsAppOrder>;
}

/** `window.Shoppable` as soon as the loader has run: `ready` and `init` at once; the cart,
 * the dialogs and checkout once the core has loaded (undefined before; in place by the
 * `shoppable:ready` event and when `ready` resolves), so code written as
 * `const s = await Shoppable.ready; s.cart.add(…)` is the one that type-checks. */
export type Shoppable = Pick<ShoppableApi, "ready" | "init"> &
  Partial<Omit<ShoppableApi, "ready" | "init">>;

export interface ShoppableEventMap {
  "shoppable:ready": CustomEvent<Record<string, never>>;
  "shoppable:error": CustomEvent<{ message: string }>;
  "shoppable:tag-open": CustomEvent<{ post_id: string; product_id: string }>;
  "shoppable:add-to-cart": CustomEvent<{ item_id: string; quantity: number; post_id: string | null }>;
  "shoppable:remove-from-cart": CustomEvent<{ item_id: string; quantity: number; post_id: string | null }>;
  "shoppable:checkout-start": CustomEvent<Record<string, never>>;
  "shoppable:checkout-success": CustomEvent<ShoppableOrder>;
  "shoppable:checkout-error": CustomEvent<{ message: string; retryable: boolean; lines: ShoppableLineProblem[] }>;
}

declare global {
  interface Window {
    Shoppable: Shoppable;
  }
  /** The global the loader defines: `Shoppable.ready` as well as `window.Shoppable.ready`. */
  var Shoppable: Shoppable;
  interface DocumentEventMap extends ShoppableEventMap {}
}
