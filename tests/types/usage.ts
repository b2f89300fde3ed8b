// Type-checks `www/shoppable.d.ts` the way a brand's TypeScript would use it (`make test`
// runs `tsc --noEmit` on this file). Lines marked @ts-expect-error must stay errors: the
// declarations are as strict as the API.
import type { ShoppableApi, ShoppableCartItem, ShoppableCheckoutError, ShoppableOrder } from "../../www/shoppable";

async function buy(): Promise<string | null> {
  // Before `ready` the cart is not there yet.
  // @ts-expect-error: `cart` may be undefined until ready resolves
  window.Shoppable.cart.add("abaya-classic-52");

  const s: ShoppableApi = await window.Shoppable.ready;
  const added: number = s.cart.add("abaya-classic-52", 2);
  // The README's form: the bare global, awaited.
  await Shoppable.ready;
  // @ts-expect-error: still possibly undefined to the compiler; use what `ready` resolved with
  Shoppable.cart.items();
  s.cart.setQuantity("abaya-classic-52", 3);
  const items: ShoppableCartItem[] = s.cart.items();
  const total: number = items.reduce((n, i) => n + i.quantity, 0);
  const subtotal: string = s.cart.subtotal();
  // @ts-expect-error: prices are exact decimal strings, not numbers
  const wrong: number = s.cart.subtotal();
  s.openCart();
  s.closeCart();
  let order;
  try {
    order = await s.checkout();
  } catch (e) {
    const error = e as ShoppableCheckoutError;
    const refused: string[] = error.lines.map((l) => l.item_id);
    return error.retryable ? "try again" : `${error.message}: ${refused.join(", ")}`;
  }
  void [total, subtotal, wrong, added];
  return order.order_id;
}

document.addEventListener("shoppable:add-to-cart", (e) => {
  const quantity: number = e.detail.quantity;
  const post: string | null = e.detail.post_id;
  void [quantity, post];
});

document.addEventListener("shoppable:checkout-error", (e) => {
  for (const line of e.detail.lines) {
    // The protocol's reasons, and whatever else a server sends, as it wrote it.
    const soldOut: boolean = line.reason === "out_of_stock";
    const reason: string = line.reason;
    // @ts-expect-error: a reason is text, not a number
    const wrong: number = line.reason;
    void [soldOut, reason, wrong];
  }
  const retry: boolean = e.detail.retryable;
  void retry;
});

document.addEventListener("shoppable:checkout-success", (e) => {
  const order: ShoppableOrder = e.detail;
  // @ts-expect-error: there is no `total` in the detail
  void order.total;
});

window.Shoppable.init({ version: 1 });
void buy;
