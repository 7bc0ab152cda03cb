import type { FastifyRequest } from 'fastify';
import type { ExperimentListItem, ListPage, OrganisationListItem, PersonListItem } from '#projections';
import type { InternalApi } from '../internal-api.js';
import type { Choice, ChoiceList, FormSpec } from './form-spec.js';

/** How many entries a select offers (the API's largest page). */
const CHOICES_LIMIT = 200;

type Item = OrganisationListItem | PersonListItem | ExperimentListItem;

const LABEL: Record<ChoiceList, (item: Item) => string | null> = {
  organisations: (item) => (item as OrganisationListItem).name,
  people: (item) => (item as PersonListItem).name,
  experiments: (item) => (item as ExperimentListItem).title,
};

/**
 * The options of the selects of `specs` that read theirs from the API, as the user may list them, by name (a
 * forgotten person has no name and is not offered). Only the lists the forms use are read.
 */
export async function loadChoices(api: InternalApi, request: FastifyRequest, specs: readonly FormSpec[]): Promise<Partial<Record<ChoiceList, Choice[]>>> {
  const lists = [...new Set(specs.flatMap((spec) => spec.fields.flatMap((field) => (field.choices ? [field.choices] : []))))];
  const entries = await Promise.all(
    lists.map(async (list) => {
      const answer = await api.get<ListPage<Item>>(request, `/api/${list}?limit=${CHOICES_LIMIT}`);
      const items = answer.status === 200 ? answer.json.items : [];
      const choices = items
        .map((item) => ({ value: item.id, label: LABEL[list](item) }))
        .filter((choice): choice is Choice => choice.label !== null)
        .sort((a, b) => a.label.localeCompare(b.label));
      return [list, choices] as const;
    }),
  );
  return Object.fromEntries(entries);
}
