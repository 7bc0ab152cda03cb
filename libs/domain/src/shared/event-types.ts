/**
 * Builds a constant list of event type names that must name every member of `Type` (checked at compile
 * time): `eventTypeList<ExperimentEventType>()(['ExperimentDesigned', ...])`.
 */
export function eventTypeList<Type extends string>() {
  return <const List extends readonly Type[]>(
    list: List & ([Exclude<Type, List[number]>] extends [never] ? unknown : { missing: Exclude<Type, List[number]> }),
  ): List => list;
}
