/** A business rule was violated. `rule` is a stable dotted name, e.g. `experiment.not-running`. */
export class DomainError extends Error {
  constructor(
    readonly rule: string,
    message: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** The command targets an entity that does not exist (maps to 404). */
export class NotFoundError extends DomainError {
  constructor(entity: string, id: string) {
    super(`${entity}.not-found`, `${entity} ${id} does not exist`);
    this.name = 'NotFoundError';
  }
}
