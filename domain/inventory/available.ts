// The one definition of sellable stock: never negative in any read.

export function availableQuantity(onHand: number, reserved: number, safetyStock: number): number {
  return Math.max(0, onHand - reserved - safetyStock);
}
