import { InMemoryEventStore } from '#event-store';
import { describeEventStoreContract } from '#event-store/testing';

describeEventStoreContract('InMemoryEventStore', async () => {
  const store = new InMemoryEventStore();
  return { store, cleanup: () => store.close() };
});
