/** The owning aggregate's id field in shared event data, e.g. `OwnerRef<'networkId'>` = `{ networkId: string }`. */
export type OwnerRef<Key extends string> = { [K in Key]: string };
